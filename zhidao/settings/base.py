"""Settings shared by every environment; everything that differs comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_ratelimit",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "zhidao.core",
    "zhidao.accounts",
    "zhidao.orgs",
    "zhidao.dispatch",
    "zhidao.people",
    "zhidao.holidays",
    "zhidao.fieldwork",
    "zhidao.standards",
    "zhidao.exchange",
    "zhidao.appeals",
    "zhidao.figures",
    "zhidao.reports",
    "zhidao.evaluation",
    "zhidao.notifications",
    "zhidao.audit",
    "zhidao.dashboard",
    "zhidao.exports",
    "zhidao.demo",
    "zhidao.imports",
    "zhidao.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the request: a NUL in the address or a header is a 400.
    "zhidao.core.middleware.RejectNulMiddleware",
    # With a read replica: after the user's own write, their next requests read the primary.
    "zhidao.core.db_router.ReplicaStickinessMiddleware",
    # Every response says what the page may load and which browser features it may use
    # (CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the user's own write, its cached workbench, badges and counts are dropped.
    "zhidao.core.usercache.UserWriteMiddleware",
    # request.user.is_verified(): whether this session passed a second factor.
    "django_otp.middleware.OTPMiddleware",
    # From here on, a scoped model read without Model.objects.visible_to(user) raises.
    "zhidao.core.scoping.ScopeGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: both tell the user why they were sent to another page.
    "zhidao.accounts.middleware.SessionLifetimeMiddleware",
    # The second factor first (who it is), then a forced password change.
    "zhidao.accounts.middleware.SecondFactorMiddleware",
    "zhidao.accounts.middleware.PasswordChangeRequiredMiddleware",
    # The separated administrators reach their own pages only (三员分立).
    "zhidao.accounts.middleware.SeparatedDutiesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-auditlog's, with the client address taken as axes takes it (not a spoofable header).
    "zhidao.audit.middleware.AuditlogMiddleware",
    # Attachments sent to a signed-in user are access events (audit/middleware.py).
    "zhidao.audit.middleware.DownloadAuditMiddleware",
    # axes must be last: it turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy: scripts and styles from this site's own files only, never inline
# (no 'unsafe-inline', no 'unsafe-eval'); data for a script comes as json_script or data-
# attributes. The API's Redoc page relaxes it for itself (api/urls.py); nothing else does.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Permissions-Policy: the check-in may ask for the location (optional, fieldwork/onsite) and the
# public ticket page copies its number; every other feature is off. Photos are file inputs, which
# need no camera permission. clipboard-read keeps its default (this site, and the browser asks
# the user): the ticket page's browser test reads back what was copied. Only features Chromium
# knows (an unknown one is a console warning, which the browser tests fail on).
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "clipboard-write": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "hid": [],
    "midi": [],
    "display-capture": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
    "autoplay": [],
    "encrypted-media": [],
    "fullscreen": [],
    "picture-in-picture": [],
    "screen-wake-lock": [],
    "idle-detection": [],
    "xr-spatial-tracking": [],
    "browsing-topics": [],
    "gamepad": [],
    "local-fonts": [],
    "window-management": [],
    "identity-credentials-get": [],
    "otp-credentials": [],
    "publickey-credentials-get": [],
    "publickey-credentials-create": [],
}

ROOT_URLCONF = "zhidao.urls"
WSGI_APPLICATION = "zhidao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zhidao.accounts.context_processors.navigation",
                "zhidao.dashboard.context_processors.workbench_badges",
            ],
        },
    },
]
# Selects start at 请选择 rather than Django's dashes (zhidao/core/forms.py).
FORM_RENDERER = "zhidao.core.forms.PromptingRenderer"


# Django's PostgreSQL backend with the partitioned tables' GROUP BY (zhidao/core/postgresql).
POSTGRESQL_ENGINE = "zhidao.core.postgresql"


def _engine(config: dict) -> dict:
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["ENGINE"] = POSTGRESQL_ENGINE
    return config


def _database_from_env() -> dict:
    url = env("DATABASE_URL", default="")
    if url:
        config = _engine(env.db_url_config(url))
        config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
        config["CONN_HEALTH_CHECKS"] = True
        return config
    # The embedded default: one file, WAL so readers don't block the writer (see core/apps.py).
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3")),
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }


DATABASES = {"default": _database_from_env()}
# A read replica (a PostgreSQL streaming standby of the primary) for the heavy reads: the
# dashboards, statistics, exports and the upward report (zhidao/core/db_router.py decides).
# In tests it mirrors the test database: same name, the replica's own host and port.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **_engine(env.db_url_config(env("DATABASE_REPLICA_URL"))),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["zhidao.core.db_router.ReplicaRouter"]
# Seconds after a user's own write during which that user's reads stay on the primary.
REPLICA_READ_YOUR_WRITES_SECONDS = env.int("REPLICA_READ_YOUR_WRITES_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first so a locked-out source never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 国密 (GB/T 39786 密评): CRYPTO_SUITE=gm switches new passwords to PBKDF2-HMAC-SM3, new field
# values to SM4-GCM and new audit links to HMAC-SM3. Every suite's old data keeps being read.
CRYPTO_SUITE = env("CRYPTO_SUITE", default="standard")
if CRYPTO_SUITE not in ("standard", "gm"):
    raise ImproperlyConfigured('CRYPTO_SUITE must be "standard" or "gm".')
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # Last, so SM3 hashes still verify (and are upgraded) after switching back.
    "zhidao.accounts.hashers.PBKDF2SM3PasswordHasher",
]
if CRYPTO_SUITE == "gm":
    PASSWORD_HASHERS.insert(0, PASSWORD_HASHERS.pop())
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "zhidao.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhidao.accounts.validators.CharacterClassValidator"},
    {"NAME": "zhidao.accounts.validators.NotUsernameValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 30 minutes idle, 12 hours at most. In the database, each with its account's id, so
# that an admin can end all of an account's at once. The idle expiry is renewed at most once a
# minute (accounts/middleware.py), not written on every request.
SESSION_ENGINE = "zhidao.accounts.sessions"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_AFTER = 60
SESSION_ABSOLUTE_LIFETIME = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Lockout: 5 failures lock the username and the source for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout page promises 30 minutes from the fifth failure; attempts during the lockout are
# refused (and logged) without starting the 30 minutes again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)

# Two-factor login (TOTP, django-otp). Federation admins, rights-protection staff, the three
# administrators and superusers must pass a second factor when this is on: always in production
# (prod.py); in the demo only with REQUIRE_2FA=true, so that the printed demo logins keep working.
# Anybody may enrol anyway, and whoever has enrolled is asked for the code at every login.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="zhidao 指导")
# Failed codes slow down (django-otp's throttling: 1 s, 2 s, 4 s … after each failure).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# How many one-time recovery codes an enrolment gives.
OTP_RECOVERY_CODES = 10
# Administrators' logins (federation admins, the three administrators, superusers) only from
# these networks, when set (comma-separated, e.g. 10.0.0.0/8,192.168.1.0/24). Empty: anywhere.
ADMIN_LOGIN_ALLOWED_NETWORKS = env.list("ADMIN_LOGIN_ALLOWED_NETWORKS", default=[])

# API tokens expire this many days after they were issued; the user and the system administrator
# may revoke them earlier.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "uploads"))
MEDIA_URL = "/media/"

# Field encryption (phones, ID numbers, complainant contacts). Comma-separated Fernet keys,
# newest first: rotation adds a key in front and re-encrypts at leisure.
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS",
    default=["dGhpcy1pcy1hLWRldi1vbmx5LWtleS0zMmJ5dGVzISE="],
)
# SM4 keys for CRYPTO_SUITE=gm: "version:base64 of 16 bytes", newest first, e.g.
# "v2:…,v1:…". KMS_URL (optional) names a key-management service whose GET returns
# {"keys": [{"version": "v3", "key": "<base64>"}, …]} (newest first; KMS_TOKEN is sent as a
# bearer token); its keys come before the environment's. Keys are never stored in the database.
SM4_KEYS = env.list("SM4_KEYS", default=[])
KMS_URL = env("KMS_URL", default="")
KMS_TOKEN = env("KMS_TOKEN", default="")

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="zhidao")
CELERY_BEAT_SCHEDULE = {
    "refresh-assignment-statuses": {
        "task": "dispatch.refresh_assignment_statuses",
        "schedule": crontab(hour=0, minute=10),
    },
    # Appeals: escalate missed deadlines and close appeals resolved 7 days ago.
    "appeals-tick": {
        "task": "appeals.tick",
        "schedule": crontab(minute="*/15"),
    },
    # Appeals: the statistics' summary rows, rebuilt whole (writes refresh their own cells).
    "appeals-rebuild-stats-nightly": {
        "task": "appeals.rebuild_stats",
        "schedule": crontab(hour=1, minute=50),
    },
    # Figures: every write refreshes its weeks after it commits; this catches what only the
    # passing of time changes (a pending week that ended) and anything a lost task missed.
    "figures-refresh-recent-nightly": {
        "task": "figures.refresh_recent",
        "schedule": crontab(hour=1, minute=30),
    },
    "figures-refresh-recent-hourly": {
        "task": "figures.refresh_recent",
        "schedule": crontab(minute=5),
    },
    "notifications-onsite-reminders": {
        "task": "fieldwork.onsite_reminders",
        "schedule": crontab(day_of_week="thu", hour=9, minute=0),
    },
    "notifications-report-reminders": {
        "task": "reports.report_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    "notifications-daily-digest": {
        "task": "dashboard.daily_digest",
        "schedule": crontab(hour=7, minute=30),
    },
    # Outside channels (SMS, 企业微信, 钉钉, e-mail): failed deliveries again, with backoff.
    "notifications-retry-deliveries": {
        "task": "notifications.retry_deliveries",
        "schedule": crontab(minute="*"),
    },
    # Appeals near a deadline: the assignee and the rights staff are told the day before.
    "appeals-deadline-reminders": {
        "task": "appeals.deadline_reminders",
        "schedule": crontab(hour=8, minute=40),
    },
    # History tables on PostgreSQL: next year's partitions exist months before it starts
    # (docs/partitioning.md); any day of the month would do, idempotent.
    "core-create-partitions-ahead": {
        "task": "core.create_partitions_ahead",
        "schedule": crontab(day_of_month=1, hour=2, minute=40),
    },
    # Background exports' files are kept EXPORT_FILE_DAYS days.
    "exports-delete-expired": {
        "task": "exports.delete_expired",
        "schedule": crontab(hour=3, minute=20),
    },
}
# A list export of more rows than this runs in the background and arrives in the inbox.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=3000)
EXPORT_FILE_DAYS = env.int("EXPORT_FILE_DAYS", default=7)
# Each outside channel is active only once its settings below are filled in (README, 通知渠道).
NOTIFICATION_CHANNELS = [
    "zhidao.notifications.channels.InAppChannel",
    "zhidao.notifications.channels.EmailChannel",
    "zhidao.notifications.channels.SmsChannel",
    "zhidao.notifications.channels.WecomAppChannel",
    "zhidao.notifications.channels.WecomRobotChannel",
    "zhidao.notifications.channels.DingtalkWorkChannel",
    "zhidao.notifications.channels.DingtalkRobotChannel",
]
NOTIFICATION_HTTP_TIMEOUT = env.int("NOTIFICATION_HTTP_TIMEOUT", default=10)
# The address links in e-mail and chat messages start with, e.g. https://zhidao.example.org
SITE_URL = env("SITE_URL", default="")
NOTIFICATION_SMS = {
    "URL": env("SMS_GATEWAY_URL", default=""),
    "APP_KEY": env("SMS_APP_KEY", default=""),
    "APP_SECRET": env("SMS_APP_SECRET", default=""),
    "SIGN_NAME": env("SMS_SIGN_NAME", default=""),
    "TEMPLATE_ID": env("SMS_TEMPLATE_ID", default=""),
}
NOTIFICATION_WECOM = {
    "CORP_ID": env("WECOM_CORP_ID", default=""),
    "CORP_SECRET": env("WECOM_CORP_SECRET", default=""),
    "AGENT_ID": env("WECOM_AGENT_ID", default=""),
    "API_BASE": env("WECOM_API_BASE", default="https://qyapi.weixin.qq.com"),
}
NOTIFICATION_WECOM_ROBOT = {"WEBHOOK_URL": env("WECOM_ROBOT_WEBHOOK_URL", default="")}
NOTIFICATION_DINGTALK = {
    "APP_KEY": env("DINGTALK_APP_KEY", default=""),
    "APP_SECRET": env("DINGTALK_APP_SECRET", default=""),
    "AGENT_ID": env("DINGTALK_AGENT_ID", default=""),
    "API_BASE": env("DINGTALK_API_BASE", default="https://oapi.dingtalk.com"),
}
NOTIFICATION_DINGTALK_ROBOT = {
    "WEBHOOK_URL": env("DINGTALK_ROBOT_WEBHOOK_URL", default=""),
    "SECRET": env("DINGTALK_ROBOT_SECRET", default=""),
}

# The cache holds the rate-limit counters (core/ratelimits.py), so it must be shared by every app
# server and increment atomically: Redis in production (prod.py). Here it is one process's
# memory, which is right for the demo (one server process) and the tests; its incr holds a lock.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The per-user cache of the workbench, the badges and the unread count (zhidao/core/usercache.py).
USER_CACHE = env.bool("USER_CACHE", default=True)
RATELIMIT_USE_CACHE = "default"
# django-ratelimit's checks refuse a per-process cache (E003) and name the caches it knows (W001).
# The covering indexes' INCLUDE columns are PostgreSQL's; SQLite builds the same index without
# them (W040), which is what the demo and the tests want.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001", "models.W040"]

# Rate limits by scope, in django-ratelimit's notation (N/period, the period in s, m, h or d,
# optionally with a count: 10m). Login and the API token are limited by django-axes' lockout.
RATE_LIMITS = {
    # The API by default (DEFAULT_THROTTLE_CLASSES): without an account by address, else by user.
    "anon": env("RATE_LIMIT_ANON", default="60/m"),
    "user": env("RATE_LIMIT_USER", default="600/m"),
    # The public appeal pages and endpoints (appeals/throttles.py).
    "appeal_submit_address": "5/h",
    "appeal_submit_poster": "30/h",
    "ticket_lookup_address": "20/10m",
}

REST_FRAMEWORK = {
    # The token first: DRF takes the first class's WWW-Authenticate header, so a missing,
    # expired or revoked token answers 401 (Token), not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhidao.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "zhidao.core.ratelimits.AnonymousRateLimit",
        "zhidao.core.ratelimits.UserRateLimit",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "zhidao.core.filters.ListFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "zhidao.core.pagination.BoundedPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "zhidao.core.api.exception_handler",
}
# The schema and its docs (/api/schema/, /api/docs/, /api/redoc/) without logging in: in development
# only; production (prod.py) shows them to logged-in users.
API_SCHEMA_PUBLIC = env.bool("API_SCHEMA_PUBLIC", default=True)
# A list filter's help text documents its API parameter (drf-spectacular reads it from the
# filter); the filter bars show labels only, so their fields carry none.
FILTERS_DISABLE_HELP_TEXT = True
SPECTACULAR_SETTINGS = {
    "TITLE": "zhidao API",
    "DESCRIPTION": "两新组织工会指导员管理平台 REST API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Field work: several models have a "status" or "category"; name each choice set.
    "ENUM_NAME_OVERRIDES": {
        "FindingStatusEnum": "zhidao.fieldwork.models.FindingStatus",
        "FindingCategoryEnum": "zhidao.fieldwork.models.FindingCategory",
        "PracticalMatterStatusEnum": "zhidao.fieldwork.models.PracticalMatterStatus",
        "PracticalMatterCategoryEnum": "zhidao.fieldwork.models.PracticalMatterCategory",
        "AppealCategoryEnum": "zhidao.appeals.models.AppealCategory",
        "AppealStateEnum": "zhidao.appeals.models.AppealState",
        "LeaveKindEnum": "zhidao.fieldwork.models.LeaveKind",
        "LeaveStatusEnum": "zhidao.fieldwork.models.LeaveStatus",
        "AssessmentKindEnum": "zhidao.standards.models.AssessmentKind",
        "ActivityKindEnum": "zhidao.standards.models.ActivityKind",
        "HonourLevelEnum": "zhidao.standards.models.HonourLevel",
        "FederationLevelEnum": "zhidao.orgs.models.FederationLevel",
        "IndicatorRuleEnum": "zhidao.standards.models.RuleKind",
        "QuarterlyReportStatusEnum": "zhidao.reports.models.ReportStatus",
    },
}

# Field work: a work record is "recorded promptly" (FIGURES.md 及时记录) within this many days;
# a check-in farther than this from the organization's coordinates is flagged, never refused.
RECORD_PROMPT_DAYS = env.int(
    "RECORD_PROMPT_DAYS", default=env.int("FIELDWORK_RECORD_DEADLINE_DAYS", default=3)
)
# Quarterly reports are due this many days after the quarter ends (the 10th day).
REPORTS_DUE_DAYS_AFTER_QUARTER = env.int("REPORTS_DUE_DAYS_AFTER_QUARTER", default=10)
FIELDWORK_FAR_DISTANCE_M = 1000
FIELDWORK_PHOTO_MAX_BYTES = 8 * 1024 * 1024
FIELDWORK_PHOTO_MAX_SIDE = 1600
FIELDWORK_CODE_VALID_MINUTES = 30

# Appeals (issue "worker and enterprise voice"): service levels in working days (holiday calendar),
# defaults for federations without their own; a resolved appeal closes itself after this many days.
APPEALS_ACCEPT_WORKING_DAYS = env.int("APPEALS_ACCEPT_WORKING_DAYS", default=1)
APPEALS_FIRST_ANSWER_WORKING_DAYS = env.int("APPEALS_FIRST_ANSWER_WORKING_DAYS", default=3)
APPEALS_RESOLVE_WORKING_DAYS = env.int("APPEALS_RESOLVE_WORKING_DAYS", default=15)
APPEALS_AUTO_CLOSE_DAYS = 7
# A closed (or not accepted) appeal's name and phone are erased this many days after it closed,
# by the tick (PIPL art. 19, 47; the consent text on the public form states the number).
APPEALS_CONTACT_RETENTION_DAYS = env.int("APPEALS_CONTACT_RETENTION_DAYS", default=90)

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# The audit log (SECURITY.md "Audit"): kept at least 180 days (网络安全法 art. 21), then archived
# to a file by `manage.py archive_audit_log`, never dropped. Its hash chain's HMAC key comes from
# the environment (a key of its own in production); the algorithm follows CRYPTO_SUITE
# (HMAC-SHA256, or HMAC-SM3 under "gm") unless AUDIT_CHAIN_ALGORITHM names one ("sha256", "sm3").
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)
AUDIT_ARCHIVE_DIR = env("AUDIT_ARCHIVE_DIR", default=str(BASE_DIR / "var" / "audit-archive"))
AUDIT_CHAIN_KEY = env("AUDIT_CHAIN_KEY", default=f"audit-chain:{SECRET_KEY}")
AUDIT_CHAIN_ALGORITHM = env("AUDIT_CHAIN_ALGORITHM", default="")
