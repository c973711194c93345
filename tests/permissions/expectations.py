"""What every route answers, by method, role and scope: the data of the permission matrix.

Each URL name maps to `route(...)`: for each method the route answers, the status a role that
may do what the route does gets (POST, PUT and PATCH are sent empty, so a form or a serializer
refuses the input: 200 with the form again, 400, or a redirect with a message), which roles may
do it (`act`) and which only see the row or the page (`see`: 403). Everybody else gets 404 when
the URL names a row (the scoped lookup does not find it) and 403 when it names none. A row of
another scope is a 404 for everybody but the superuser, who sees every scope.

The world is tests/permissions/world.py: the roles are those of the first city ("mine"), "own"
is a row of the first city and "other" the same row of the second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LOGIN = "login"  # a redirect to the login page

ALL = frozenset({"admin", "leader", "instructor", "officer", "rights", "superuser"})
ADMINS = frozenset({"admin", "superuser"})
STAFF = frozenset({"admin", "leader", "superuser"})
INSTRUCTOR = frozenset({"instructor"})
OFFICER = frozenset({"officer"})
# Who sees the rows of an organization, its union, its assignment and their field work: the
# federation staff above it, its instructor, its union's officer. Rights-protection staff work
# on appeals only.
FIELD = frozenset({"admin", "leader", "instructor", "officer", "superuser"})
# Who takes part in the exchange (not a read-only leader): registers, posts, comments.
PARTICIPANTS = frozenset({"admin", "instructor", "officer", "superuser"})


# A route none of the matrix's roles may use (a separated administrator's page, 三员分立).
NOBODY: frozenset[str] = frozenset()


def but(roles: frozenset[str], *left_out: str) -> frozenset[str]:
    return roles - set(left_out)


@dataclass(frozen=True)
class Const:
    """A URL argument that is the same for every scope and role."""

    value: Any


@dataclass(frozen=True)
class Rule:
    code: int | str
    act: frozenset[str]
    see: frozenset[str] = frozenset()


def R(code: int | str, act: frozenset[str], see: frozenset[str] = frozenset()) -> Rule:  # noqa: N802
    return Rule(code, frozenset(act), frozenset(see))


@dataclass(frozen=True)
class Expect:
    """The answers of one route to one method."""

    method: str
    rule: Rule
    obj: str | Callable | None = None
    lookup: str = "pk"
    args: dict = field(default_factory=dict)
    scoped: bool | None = None
    anonymous: int | str = LOGIN
    # Exceptions, {role: status}, for the own and for the other scope.
    own: dict = field(default_factory=dict)
    other: dict = field(default_factory=dict)

    @property
    def has_scope(self) -> bool:
        return self.obj is not None if self.scoped is None else self.scoped

    def answer(self, scope: str, role: str) -> int | str:
        exceptions = self.other if scope == "other" else self.own
        if role in exceptions:
            return exceptions[role]
        if role == "anonymous":
            return self.anonymous
        if scope == "other" and role != "superuser":
            return 404
        if role in self.rule.act:
            return self.rule.code
        if role in self.rule.see:
            return 403
        return 404 if self.obj is not None else 403

    def kwargs(self, world: dict, scope: str, role: str) -> dict:
        side = world["mine" if scope == "own" else "other"]
        values = {}
        if self.obj is not None:
            values[self.lookup] = _resolve(self.obj, world, side, role, "pk")
        for name, spec in self.args.items():
            values[name] = _resolve(spec, world, side, role, "pk")
        return values


def _resolve(spec, world: dict, side: dict, role: str, attribute: str):
    if isinstance(spec, Const):
        return spec.value
    if callable(spec):
        return spec(world, side, role)
    if isinstance(spec, tuple):
        spec, attribute = spec
    row = side[spec] if spec in side else world[spec]
    return getattr(row, attribute)


def route(**options) -> list[Expect]:
    """`route(GET=R(…), POST=R(…), obj=…)`: one Expect per method named in capitals."""
    methods = {key: value for key, value in options.items() if key.isupper()}
    common = {key: value for key, value in options.items() if not key.isupper()}
    anonymous = common.pop("anonymous", LOGIN)
    return [
        Expect(
            method=method,
            rule=rule,
            anonymous=anonymous.get(method, LOGIN) if isinstance(anonymous, dict) else anonymous,
            **common,
        )
        for method, rule in methods.items()
    ]


def page(get: int = 200, post: int = 200, *, act=ALL, see=frozenset(), **options) -> list[Expect]:
    """A page answering GET and POST alike for the roles that may open it."""
    return route(GET=R(get, act, see), POST=R(post, act, see), **options)


def post_only(code: int, *, act, see=frozenset(), **options) -> list[Expect]:
    """A form's target: GET is a 405 for everybody (the method check comes first)."""
    return route(POST=R(code, act, see), **options)


def public(get: int = 200, post: int | None = 200, **options) -> list[Expect]:
    """A page for anybody, logged in or not."""
    methods = {"GET": R(get, ALL)}
    if post is not None:
        methods["POST"] = R(post, ALL)
    return route(**methods, anonymous={m: rule.code for m, rule in methods.items()}, **options)


def own_notification(world: dict, side: dict, role: str) -> int:
    """A notification is its recipient's: "own" is the role's own one, "other" the same role's
    in the other city (the superuser's, who has one in the first only: that city's admin's)."""
    notifications = side["notifications"]
    return notifications.get(role, notifications["admin"]).pk


def officer_grant(world: dict, side: dict, role: str) -> int:
    """The union officer's one role grant (its account is the row the account routes name)."""
    return side["officer"].role_grants.get().pk


def own_export_file(world: dict, side: dict, role: str) -> int:
    """A background export's file is its requester's, like a notification (own_notification)."""
    files = side["export_files"]
    return files.get(role, files["admin"]).pk


# The list exports (zhidao/core/exports.py, registered by each app's exports.py) and who may
# export each: whoever may open the list. A POST is refused (405) after the permission check.
LIST_EXPORTS = {
    **dict.fromkeys(
        (
            "on-site-days",
            "work-records",
            "findings",
            "practical-matters",
            "leave",
            "batches",
            "quarterly-reports",
            "evaluations",
            "assessments",
            "honours",
            "activities",
            "exchange-events",
            "cases",
            "appeals",
        ),
        ALL,
    ),
    # The audit administrator's only (not a role of the matrix: tests/accounts/test_duties.py).
    "audit-log": NOBODY,
    "access-events": NOBODY,
    # The import kinds' exports, in the import's columns (zhidao/imports/exports.py).
    **dict.fromkeys(
        ("federations", "organizations", "unions", "instructors", "assignments"), ADMINS
    ),
}


# Nobody reads anybody else's inbox, the superuser included.
NOT_ANOTHERS = {"superuser": 404}


API = {"anonymous": 401}  # an unauthenticated request is a 401 (WWW-Authenticate: Token)


def api(**options) -> list[Expect]:
    anonymous = options.pop("anonymous", 401)
    return route(anonymous=anonymous, **options)


EXPECTATIONS: dict[str, list[Expect]] = {
    # ----- accounts, language, admin -----
    "set_language": public(get=302, post=302),
    "admin:index": route(
        GET=R(200, {"superuser"}),
        POST=R(200, {"superuser"}),
        anonymous=302,  # to the admin site's own login page
        own=dict.fromkeys(but(ALL, "superuser"), 302),
    ),
    "accounts:login": route(GET=R(302, ALL), POST=R(302, ALL), anonymous={"GET": 200, "POST": 200}),
    # Logged out, everybody lands on the login page.
    "accounts:logout": route(POST=R(LOGIN, ALL)),
    "accounts:me": route(GET=R(200, ALL), POST=R(405, ALL)),
    "accounts:password_change": page(),
    "accounts:password_change_done": route(GET=R(200, ALL), POST=R(405, ALL)),
    # One's own second factor. Nobody of the matrix has one: the code page and the recovery
    # codes lead to the overview or the enrolment, and no key is pending for the QR code.
    "accounts:otp": page(),
    "accounts:otp_setup": page(),
    "accounts:otp_qr": route(GET=R(404, ALL), POST=R(404, ALL)),
    "accounts:otp_verify": page(302, 302),
    "accounts:otp_recovery_codes": page(302, 302),
    # ----- orgs -----
    # The first-run page: the superuser's, and a 404 once a federation exists (as here).
    "orgs:setup": page(404, 404, act={"superuser"}),
    "orgs:setup_done": route(GET=R(404, {"superuser"})),
    "orgs:federation_list": page(act=STAFF),
    "orgs:federation_create": page(act=ADMINS),
    "orgs:federation_detail": page(act=STAFF, obj="district"),
    "orgs:federation_edit": page(act=ADMINS, see={"leader"}, obj="district"),
    "orgs:organization_list": page(),
    "orgs:organization_autocomplete": route(GET=R(200, ALL)),
    "orgs:union_autocomplete": route(GET=R(200, ALL)),
    "orgs:organization_create": page(act=ADMINS),
    "orgs:organization_detail": page(act=FIELD, obj="organization"),
    "orgs:organization_edit": page(act=ADMINS, see=FIELD, obj="organization"),
    "orgs:union_list": page(),
    "orgs:union_create": page(act=ADMINS),
    "orgs:union_detail": page(act=FIELD, obj="union"),
    "orgs:union_edit": page(act=ADMINS, see=FIELD, obj="union"),
    # ----- people (account administration): the admins above the officer's union -----
    "people:account_list": page(act=ADMINS),
    "people:account_export": page(act=ADMINS),
    "people:account_create": page(act=ADMINS),
    "people:account_detail": page(act=ADMINS, obj="officer"),
    "people:account_edit": page(act=ADMINS, obj="officer"),
    # An empty role form: the account's page again, with the errors.
    "people:account_grant": post_only(200, act=ADMINS, obj="officer"),
    # The officer's only role is not revoked (a message, back to the page).
    "people:account_revoke": post_only(
        302, act=ADMINS, obj="officer", args={"grant_id": officer_grant}
    ),
    "people:account_deactivate": post_only(302, act=ADMINS, obj="officer"),
    "people:account_reactivate": post_only(302, act=ADMINS, obj="officer"),
    # The one-time password's page.
    "people:account_reset_password": post_only(200, act=ADMINS, obj="officer"),
    "people:account_unlock": post_only(302, act=ADMINS, obj="officer"),
    "people:account_revoke_tokens": post_only(302, act=ADMINS, obj="officer"),
    # The security administrator's (tests/accounts/test_duties.py).
    "people:security": page(act=NOBODY),
    "people:security_reset_second_factor": post_only(302, act=NOBODY, obj="officer"),
    # ----- dispatch -----
    "dispatch:instructor_list": page(),
    "dispatch:instructor_autocomplete": route(GET=R(200, ALL)),
    "dispatch:assignment_autocomplete": route(GET=R(200, ALL)),
    "dispatch:instructor_create": page(act=ADMINS),
    "dispatch:instructor_detail": page(act=FIELD, obj="instructor_row"),
    "dispatch:instructor_edit": page(act=ADMINS, see=FIELD, obj="instructor_row"),
    "dispatch:batch_list": page(),
    "dispatch:batch_autocomplete": route(GET=R(200, ALL)),
    "dispatch:batch_create": page(act=ADMINS),
    "dispatch:batch_detail": page(act=FIELD, obj="batch"),
    "dispatch:batch_edit": page(act=ADMINS, see=FIELD, obj="batch"),
    "dispatch:assignment_list": page(),
    "dispatch:assignment_create": page(act=ADMINS),
    "dispatch:assignment_detail": page(act=FIELD, obj="assignment"),
    "dispatch:assignment_edit": page(act=ADMINS, see=FIELD, obj="assignment"),
    "dispatch:assignment_end_early": post_only(200, act=ADMINS, see=FIELD, obj="assignment"),
    # ----- evaluation (addressed by the assignment) -----
    "evaluation:evaluation_list": page(),
    "evaluation:evaluation_detail": page(act=FIELD, obj="assignment"),
    "evaluation:evaluation_rate": post_only(400, act=OFFICER, see=FIELD, obj="assignment"),
    "evaluation:evaluation_grade": post_only(400, act=ADMINS, see=FIELD, obj="assignment"),
    "evaluation:evaluation_finalize": post_only(302, act=ADMINS, see=FIELD, obj="assignment"),
    "evaluation:evaluation_download": page(act=FIELD, obj="assignment"),
    # ----- field work: on-site days -----
    "fieldwork:check_in": page(act=INSTRUCTOR),
    "fieldwork:on_site_day_list": page(),
    "fieldwork:on_site_day_detail": page(act=FIELD, obj="day"),
    "fieldwork:on_site_day_check_out": post_only(302, act=INSTRUCTOR, see=FIELD, obj="day"),
    "fieldwork:on_site_day_confirm_code": post_only(200, act=INSTRUCTOR, see=FIELD, obj="day"),
    "fieldwork:on_site_day_confirm": post_only(302, act=OFFICER, see=FIELD, obj="day"),
    "fieldwork:on_site_day_dispute": post_only(200, act=OFFICER, see=FIELD, obj="day"),
    "fieldwork:on_site_day_photo": page(act=FIELD, obj="day", args={"photo_pk": "day_photo"}),
    "fieldwork:officer_confirmations": page(act=OFFICER),
    "fieldwork:officer_issue_code": post_only(
        302, act=OFFICER, see=FIELD, obj="union", lookup="union_pk"
    ),
    # ----- field work: records, findings, practical matters -----
    "fieldwork:work_record_list": page(),
    "fieldwork:work_record_create": page(act=INSTRUCTOR),
    "fieldwork:work_record_detail": page(act=FIELD, obj="record"),
    "fieldwork:work_record_edit": page(act=INSTRUCTOR, see=FIELD, obj="record"),
    "fieldwork:work_record_attachment": page(
        act=FIELD, obj="record", args={"attachment_pk": "record_attachment"}
    ),
    "fieldwork:finding_list": page(),
    "fieldwork:finding_create": page(act=INSTRUCTOR),
    "fieldwork:finding_detail": page(act=FIELD, obj="finding"),
    "fieldwork:finding_answer": post_only(200, act=OFFICER, see=FIELD, obj="finding"),
    "fieldwork:finding_close": post_only(200, act=INSTRUCTOR, see=FIELD, obj="finding"),
    "fieldwork:finding_reopen": post_only(200, act=INSTRUCTOR, see=FIELD, obj="finding"),
    "fieldwork:finding_evidence": page(
        act=FIELD, obj="finding", args={"evidence_pk": "finding_evidence"}
    ),
    "fieldwork:practical_matter_list": page(),
    "fieldwork:practical_matter_create": page(act=INSTRUCTOR),
    "fieldwork:practical_matter_detail": page(act=FIELD, obj="matter"),
    "fieldwork:practical_matter_edit": page(act=INSTRUCTOR, see=FIELD, obj="matter"),
    "fieldwork:practical_matter_photo": page(
        act=FIELD, obj="matter", args={"photo_pk": "matter_photo"}
    ),
    # ----- field work: compliance, leave, offline -----
    "fieldwork:compliance_heatmap": page(act=STAFF),
    "fieldwork:compliance_export": page(act=STAFF),
    "fieldwork:leave_list": page(),
    "fieldwork:leave_create": page(act=INSTRUCTOR),
    # A leave request is the instructor's and its federation's, not the union's.
    "fieldwork:leave_detail": page(act=but(FIELD, "officer"), obj="leave"),
    "fieldwork:leave_decide": post_only(200, act=ADMINS, see=but(FIELD, "officer"), obj="leave"),
    "fieldwork:offline_queue": route(GET=R(200, ALL)),
    "fieldwork:offline_page": public(post=None),
    "fieldwork:service_worker": public(post=None),
    # ----- holidays -----
    "holidays:calendar": page(),
    "holidays:year_create": page(act=ADMINS),
    "holidays:year_detail": page(args={"year": Const(2026)}),
    # ----- standards -----
    "standards:assessment_list": page(),
    "standards:assessment_choose_union": page(act=INSTRUCTOR),
    "standards:assessment_create": page(act=INSTRUCTOR, see=FIELD, obj="union", lookup="union_pk"),
    "standards:assessment_detail": page(act=FIELD, obj="assessment"),
    "standards:answer_open_finding": post_only(302, act=INSTRUCTOR, see=FIELD, obj="assessment"),
    "standards:evidence_file": page(act=FIELD, obj="assessment_evidence"),
    "standards:indicator_set_list": page(),
    "standards:indicator_set_detail": page(act=FIELD, obj="indicator_set"),
    "standards:indicator_set_edit": page(act=ADMINS, see=FIELD, obj="indicator_set"),
    "standards:honour_list": page(),
    "standards:honour_create": page(act=ADMINS),
    "standards:honour_title_list": page(act=ADMINS),
    # Honour titles are the platform's one list, of no federation.
    "standards:honour_title_edit": page(act=ADMINS, args={"pk": "honour_title"}),
    "standards:activity_list": page(),
    "standards:activity_create": page(act=PARTICIPANTS),
    "standards:activity_detail": page(act=FIELD, obj="activity"),
    "standards:activity_photo": page(act=FIELD, obj="activity_photo"),
    # ----- figures -----
    "figures:definitions": page(),
    "figures:exchange_statistics": page(act=ADMINS),
    "figures:standards_statistics": page(act=STAFF),
    # ----- exchange -----
    "exchange:event_list": page(),
    "exchange:event_create": page(act=ADMINS),
    "exchange:event_detail": page(act=FIELD, obj="event"),
    "exchange:event_edit": page(act=ADMINS, see=FIELD, obj="event"),
    "exchange:event_qr": page(act=ADMINS, see=FIELD, obj="event"),
    "exchange:event_register": post_only(
        302, act={"instructor", "officer", "superuser"}, see=FIELD, obj="event"
    ),
    "exchange:attendance_export": page(act=ADMINS, see=FIELD, obj="event"),
    "exchange:event_post": post_only(302, act=PARTICIPANTS, see=FIELD, obj="event"),
    # The QR code's token is shown at the event, to whoever is in the room: a person it is not
    # meant for is told so (403) rather than told it does not exist. Before the sign-in window
    # opens (the event starts at 14:00) the audience gets a 400 with the opening time.
    "exchange:sign_in": page(
        400,
        400,
        act={"instructor", "officer", "superuser"},
        args={"token": ("event", "sign_in_token")},
        scoped=True,
        other=dict.fromkeys(but(ALL, "superuser"), 403),
    ),
    "exchange:case_list": page(),
    "exchange:case_create": page(act=INSTRUCTOR),
    "exchange:case_detail": page(act=FIELD, obj="case"),
    # A draft is its author's and its federation's admins'.
    "exchange:case_edit": page(act=INSTRUCTOR, see=ADMINS, obj="draft_case"),
    "exchange:case_submit": post_only(302, act=INSTRUCTOR, see=ADMINS, obj="draft_case"),
    "exchange:case_review": post_only(302, act=ADMINS, see=FIELD, obj="case"),
    "exchange:case_comment": post_only(302, act=PARTICIPANTS, see=FIELD, obj="case"),
    "exchange:case_useful": post_only(302, act=PARTICIPANTS, see=FIELD, obj="case"),
    "exchange:case_post": post_only(302, act=PARTICIPANTS, see=FIELD, obj="case"),
    "exchange:case_image": page(act=FIELD, obj="case", args={"image_pk": "case_image"}),
    "exchange:case_attachment": page(
        act=FIELD, obj="case", args={"attachment_pk": "case_attachment"}
    ),
    # ----- appeals: staff -----
    "appeals:appeal_list": page(),
    "appeals:appeal_new": page(act={"admin", "instructor", "superuser"}),
    "appeals:appeal_stats": page(),
    "appeals:notification_list": page(post=302),
    "appeals:appeal_detail": page(obj="appeal"),
    # The employer's union never sees the submitter, nor the photos.
    "appeals:appeal_photo": page(
        act=but(ALL, "officer"), see=ALL, obj="appeal", args={"photo_pk": "appeal_photo"}
    ),
    "appeals:appeal_action": [
        # The organization's instructor accepts and rejects; the subtree's admins and
        # rights-protection staff run every step (a received appeal is accepted first: the
        # other steps say so, with a redirect).
        *post_only(
            302,
            act={"admin", "rights", "instructor", "superuser"},
            see=ALL,
            obj="appeal",
            args={"action": Const("accept")},
        ),
        *post_only(
            400,
            act={"admin", "rights", "instructor", "superuser"},
            see=ALL,
            obj="appeal",
            args={"action": Const("reject")},
        ),
        *[
            expectation
            for step, code in (("start", 302), ("answer", 302), ("resolve", 302))
            for expectation in post_only(
                code,
                act={"admin", "rights", "superuser"},
                see=ALL,
                obj="appeal",
                args={"action": Const(step)},
            )
        ],
        *post_only(
            400,
            act={"admin", "rights", "superuser"},
            see=ALL,
            obj="appeal",
            args={"action": Const("escalate")},
        ),
        *post_only(404, act=frozenset(), obj="appeal", args={"action": Const("delete")}),
    ],
    # ----- appeals: public pages and posters -----
    "appeals_public:ticket_lookup": public(),
    # A ticket code is its holder's key: the same page whoever asks.
    "appeals_public:ticket": public(args={"code": ("appeal", "code")}),
    "appeals_public:appeal": public(args={"token": ("poster", "token")}),
    "appeals_public:poster": page(
        act={"admin", "instructor", "superuser"},
        see=FIELD,
        obj="organization",
        lookup="organization_id",
    ),
    "appeals_public:poster_file": page(
        act={"admin", "instructor", "superuser"},
        see=FIELD,
        obj="organization",
        lookup="organization_id",
        args={"kind": Const("png")},
    ),
    "appeals_public:rotate": post_only(
        302, act=ADMINS, see=FIELD, obj="organization", lookup="organization_id"
    ),
    # ----- reports -----
    "reports:report_list": page(),
    "reports:report_draft": page(act=INSTRUCTOR),
    "reports:report_rollup": page(302, 302, act=STAFF),
    "reports:upward": page(act=STAFF),
    "reports:upward_xlsx": page(act=STAFF),
    "reports:upward_docx": page(act=STAFF),
    # A quarterly report is its instructor's and the federation's, not the union's.
    "reports:report_detail": page(act=but(FIELD, "officer"), obj="report"),
    "reports:report_edit": page(act=INSTRUCTOR, see=but(FIELD, "officer"), obj="report"),
    "reports:report_download": page(act=but(FIELD, "officer"), obj="report"),
    "reports:report_action": [
        *[
            expectation
            for step in ("refresh", "submit")
            for expectation in post_only(
                302,
                act=INSTRUCTOR,
                see=but(FIELD, "officer"),
                obj="report",
                args={"action": Const(step)},
            )
        ],
        *[
            expectation
            for step in ("return", "approve")
            for expectation in post_only(
                302,
                act=ADMINS,
                see=but(FIELD, "officer"),
                obj="report",
                args={"action": Const(step)},
            )
        ],
        *post_only(404, act=frozenset(), obj="report", args={"action": Const("delete")}),
    ],
    # ----- notifications, audit, dashboards -----
    "notifications:inbox": page(),
    "notifications:mark_read": post_only(302, act=ALL, obj=own_notification, other=NOT_ANOTHERS),
    "notifications:mark_all_read": post_only(302, act=ALL),
    # One's own channel settings (an empty POST saves "nothing on" and redirects).
    "notifications:preferences": page(post=302),
    # Failed deliveries of the users of the admin's subtree.
    "notifications:failed_deliveries": page(act=ADMINS),
    "notifications:retry_delivery": post_only(302, act=ADMINS, obj="delivery"),
    # The audit administrator's only (三员分立; tests/accounts/test_duties.py).
    "audit:entry_list": page(act=NOBODY),
    "audit:access_list": page(act=NOBODY),
    # The security policy's reader: the security administrator (三员分立; test_duties.py).
    "audit:retention": page(act=NOBODY),
    "exports:export": [
        *[
            expectation
            for key, roles in LIST_EXPORTS.items()
            for expectation in route(
                GET=R(200, roles), POST=R(405, roles), args={"key": Const(key)}
            )
        ],
        # A list nobody registered is not found.
        *route(GET=R(404, ALL), POST=R(404, ALL), args={"key": Const("no-such-list")}),
    ],
    "exports:download": route(
        GET=R(200, ALL), POST=R(405, ALL), obj=own_export_file, other=NOT_ANOTHERS
    ),
    "core:home": page(),
    "core:federation_dashboard": page(act=STAFF),
    "core:federation_dashboard_xlsx": page(act=STAFF),
    # ----- imports and exports: federation admins, each import job its subtree's -----
    "imports:hub": route(GET=R(200, ADMINS)),
    "imports:template": route(GET=R(200, ADMINS), args={"kind": Const("organizations")}),
    "imports:export": route(GET=R(200, ADMINS), args={"kind": Const("organizations")}),
    "imports:upload": page(act=ADMINS, args={"kind": Const("organizations")}),
    "imports:job_detail": route(GET=R(200, ADMINS), obj="import_job"),
    "imports:job_progress": route(GET=R(200, ADMINS), obj="import_job"),
    "imports:job_file": route(GET=R(200, ADMINS), obj="import_job"),
    # A done job cannot be confirmed again: back to its page with the reason.
    "imports:job_confirm": post_only(302, act=ADMINS, obj="import_job"),
    # The new accounts' list is the confirming user's, once, from the result page's session.
    "imports:job_accounts": route(GET=R(404, ADMINS), obj="import_job", other={"superuser": 404}),
    # ----- the API: sign-in, schema -----
    "api:token": api(POST=R(400, ALL), anonymous=400),
    "api:token-revoke": api(POST=R(200, ALL)),
    "api:csrf": api(GET=R(200, ALL)),
    "api:schema": api(GET=R(200, ALL), anonymous=200),
    "api:docs": api(GET=R(200, ALL), anonymous=200),
    "api:redoc": api(GET=R(200, ALL), anonymous=200),
    "api:api-root": api(GET=R(200, ALL)),
    # ----- the API: orgs and dispatch -----
    "api:federation-list": api(GET=R(200, STAFF), POST=R(400, ADMINS, see=STAFF)),
    "api:federation-detail": api(
        GET=R(200, STAFF),
        PUT=R(400, ADMINS, see=STAFF),
        PATCH=R(200, ADMINS, see=STAFF),
        obj="district",
    ),
    **{
        f"api:{name}-list": api(GET=R(200, ALL), POST=R(400, ADMINS))
        for name in ("organization", "union", "batch", "assignment")
    },
    "api:instructor-list": api(GET=R(200, ALL)),
    **{
        f"api:{name}-detail": api(
            GET=R(200, FIELD),
            PUT=R(400, ADMINS, see=FIELD),
            PATCH=R(200, ADMINS, see=FIELD),
            obj=key,
        )
        for name, key in (
            ("organization", "organization"),
            ("union", "union"),
            ("instructor", "instructor_row"),
            ("batch", "batch"),
            ("assignment", "assignment"),
        )
    },
    "api:assignment-end-early": api(POST=R(400, ADMINS, see=FIELD), obj="assignment"),
    # ----- the API: account administration -----
    "api:account-list": api(GET=R(200, ADMINS), POST=R(400, ADMINS)),
    "api:account-detail": api(GET=R(200, ADMINS), PATCH=R(200, ADMINS), obj="officer"),
    "api:account-deactivate": api(POST=R(200, ADMINS), obj="officer"),
    "api:account-reactivate": api(POST=R(400, ADMINS), obj="officer"),  # already active
    "api:account-reset-password": api(POST=R(200, ADMINS), obj="officer"),
    "api:account-unlock": api(POST=R(200, ADMINS), obj="officer"),
    "api:account-revoke-tokens": api(POST=R(200, ADMINS), obj="officer"),
    "api:account-grants": api(POST=R(400, ADMINS), obj="officer"),
    "api:account-revoke-grant": api(
        DELETE=R(400, ADMINS), obj="officer", args={"grant_id": officer_grant}
    ),
    # ----- the API: imports (multipart only: the matrix's JSON body is a 415) -----
    "api:import-run": api(POST=R(415, ADMINS), args={"kind": Const("organizations")}),
    "api:import-template": api(GET=R(200, ADMINS), args={"kind": Const("organizations")}),
    "api:import-export": api(GET=R(200, ADMINS), args={"kind": Const("organizations")}),
    # ----- the API: evaluation -----
    "api:evaluation-list": api(GET=R(200, ALL)),
    "api:evaluation-detail": api(GET=R(200, FIELD), obj="assignment"),
    "api:evaluation-download": api(GET=R(200, FIELD), obj="assignment"),
    "api:evaluation-rate": api(POST=R(400, OFFICER, see=FIELD), obj="assignment"),
    "api:evaluation-grade": api(POST=R(400, ADMINS, see=FIELD), obj="assignment"),
    "api:evaluation-finalize": api(POST=R(400, ADMINS, see=FIELD), obj="assignment"),
    # ----- the API: field work -----
    "api:on-site-day-list": api(GET=R(200, ALL), POST=R(400, INSTRUCTOR)),
    "api:on-site-day-detail": api(GET=R(200, FIELD), obj="day"),
    "api:on-site-day-check-out-by-key": api(POST=R(400, INSTRUCTOR)),
    "api:on-site-day-check-out": api(POST=R(200, INSTRUCTOR, see=FIELD), obj="day"),
    "api:on-site-day-confirm": api(POST=R(200, OFFICER, see=FIELD), obj="day"),
    "api:on-site-day-dispute": api(POST=R(400, OFFICER, see=FIELD), obj="day"),
    "api:work-record-list": api(GET=R(200, ALL), POST=R(400, INSTRUCTOR)),
    "api:work-record-detail": api(GET=R(200, FIELD), obj="record"),
    "api:finding-list": api(GET=R(200, ALL), POST=R(400, INSTRUCTOR)),
    "api:finding-detail": api(GET=R(200, FIELD), obj="finding"),
    "api:finding-answer": api(POST=R(400, OFFICER, see=FIELD), obj="finding"),
    "api:finding-close": api(POST=R(400, INSTRUCTOR, see=FIELD), obj="finding"),
    "api:finding-reopen": api(POST=R(400, INSTRUCTOR, see=FIELD), obj="finding"),
    "api:practical-matter-list": api(GET=R(200, ALL), POST=R(400, INSTRUCTOR)),
    "api:practical-matter-detail": api(
        GET=R(200, FIELD),
        PUT=R(400, INSTRUCTOR, see=FIELD),
        PATCH=R(200, INSTRUCTOR, see=FIELD),
        obj="matter",
    ),
    "api:compliance-list": api(GET=R(200, STAFF)),
    "api:leave-request-list": api(GET=R(200, ALL), POST=R(400, INSTRUCTOR)),
    "api:leave-request-detail": api(GET=R(200, but(FIELD, "officer")), obj="leave"),
    "api:leave-request-approve": api(POST=R(200, ADMINS, see=but(FIELD, "officer")), obj="leave"),
    "api:leave-request-reject": api(POST=R(400, ADMINS, see=but(FIELD, "officer")), obj="leave"),
    # ----- the API: standards -----
    "api:indicator-set-list": api(GET=R(200, ALL)),
    "api:indicator-set-detail": api(GET=R(200, FIELD), obj="indicator_set"),
    "api:indicator-set-new-version": api(POST=R(400, ADMINS, see=FIELD), obj="indicator_set"),
    "api:assessment-list": api(GET=R(200, ALL), POST=R(400, INSTRUCTOR)),
    "api:assessment-detail": api(GET=R(200, FIELD), obj="assessment"),
    "api:honour-list": api(GET=R(200, ALL), POST=R(400, ADMINS)),
    "api:honour-detail": api(GET=R(200, FIELD), obj="honour"),
    "api:activity-list": api(GET=R(200, ALL), POST=R(400, PARTICIPANTS)),
    "api:activity-detail": api(GET=R(200, FIELD), obj="activity"),
    # ----- the API: appeals -----
    "api:appeal-list": api(GET=R(200, ALL)),
    "api:appeal-detail": api(GET=R(200, ALL), obj="appeal"),
    "api:appeal-accept": api(
        POST=R(200, {"admin", "rights", "instructor", "superuser"}, see=ALL), obj="appeal"
    ),
    "api:appeal-reject": api(
        POST=R(400, {"admin", "rights", "instructor", "superuser"}, see=ALL), obj="appeal"
    ),
    **{
        f"api:appeal-{step}": api(
            POST=R(400, {"admin", "rights", "superuser"}, see=ALL), obj="appeal"
        )
        for step in ("start", "answer", "resolve", "escalate")
    },
    "api:public-poster-appeals": api(
        POST=R(400, ALL), anonymous=400, args={"token": ("poster", "token")}
    ),
    "api:public-ticket-detail": api(
        GET=R(200, ALL), anonymous=200, args={"code": ("appeal", "code")}
    ),
    "api:public-ticket-reply": api(
        POST=R(400, ALL), anonymous=400, args={"code": ("appeal", "code")}
    ),
    "api:public-ticket-rating": api(
        POST=R(400, ALL), anonymous=400, args={"code": ("appeal", "code")}
    ),
    # ----- the API: exchange -----
    "api:exchange-event-list": api(GET=R(200, ALL), POST=R(400, ADMINS)),
    "api:exchange-event-sign-in": api(POST=R(400, ALL)),
    "api:exchange-event-detail": api(GET=R(200, FIELD), obj="event"),
    "api:exchange-event-register": api(
        POST=R(200, {"instructor", "officer", "superuser"}, see=FIELD), obj="event"
    ),
    "api:exchange-event-cancel": api(
        POST=R(200, {"instructor", "officer", "superuser"}, see=FIELD), obj="event"
    ),
    "api:exchange-event-posts": api(
        GET=R(200, FIELD), POST=R(400, PARTICIPANTS, see=FIELD), obj="event"
    ),
    "api:case-list": api(GET=R(200, ALL), POST=R(400, INSTRUCTOR)),
    "api:case-detail": api(GET=R(200, FIELD), obj="case"),
    "api:case-approve": api(POST=R(400, ADMINS, see=FIELD), obj="case"),
    "api:case-return-to-author": api(POST=R(400, ADMINS, see=FIELD), obj="case"),
    "api:case-submit": api(POST=R(200, INSTRUCTOR, see=ADMINS), obj="draft_case"),
    "api:case-useful": api(POST=R(200, PARTICIPANTS, see=FIELD), obj="case"),
    "api:case-comments": api(GET=R(200, FIELD), POST=R(400, PARTICIPANTS, see=FIELD), obj="case"),
    "api:case-posts": api(GET=R(200, FIELD), POST=R(400, PARTICIPANTS, see=FIELD), obj="case"),
    # ----- the API: reports, dashboard, notifications -----
    "api:quarterly-report-list": api(GET=R(200, ALL)),
    "api:quarterly-report-draft": api(POST=R(400, INSTRUCTOR)),
    "api:quarterly-report-detail": api(GET=R(200, but(FIELD, "officer")), obj="report"),
    "api:quarterly-report-download": api(GET=R(200, but(FIELD, "officer")), obj="report"),
    **{
        f"api:quarterly-report-{step}": api(
            POST=R(code, INSTRUCTOR, see=but(FIELD, "officer")), obj="report"
        )
        for step, code in (("narrative", 400), ("refresh", 200), ("submit", 400))
    },
    **{
        f"api:quarterly-report-{step}": api(
            POST=R(400, ADMINS, see=but(FIELD, "officer")), obj="report"
        )
        for step in ("approve", "return-")
    },
    "api:upward-report-list": api(GET=R(200, STAFF)),
    "api:dashboard-list": api(GET=R(200, STAFF)),
    "api:workbench-list": api(GET=R(200, ALL)),
    "api:notification-list": api(GET=R(200, ALL)),
    "api:notification-unread": api(GET=R(200, ALL)),
    "api:notification-read-all": api(POST=R(200, ALL)),
    "api:notification-detail": api(GET=R(200, ALL), obj=own_notification, other=NOT_ANOTHERS),
    "api:notification-read": api(POST=R(200, ALL), obj=own_notification, other=NOT_ANOTHERS),
}
