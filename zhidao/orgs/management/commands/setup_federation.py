"""manage.py setup_federation --division 430300 --admin-username xt_admin

Starts a real federation (no demo data): the federation of a province or a city, those of the
divisions below it and the root's first admin. Running it again changes nothing.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhidao.orgs.setup import services

_BUCKETS = {"created": "新建 created", "kept": "已有 kept", "linked": "已有，补登代码 linked"}


class Command(BaseCommand):
    help = (
        "建立工会组织树和首个管理员（不含演示数据）。Create the federation tree of a province or a "
        "city from the bundled GB/T 2260 division list, and the first federation admin of its "
        "root. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--division",
            required=True,
            help="Province or city: a GB/T 2260 code (430300) or a name (湘潭市, 湖南省).",
        )
        parser.add_argument("--admin-username", required=True, help="Login of the first admin.")
        parser.add_argument(
            "--admin-password",
            default="",
            help="Initial password; leave it out to get a one-time password printed. "
            "Either way the admin changes it at the first login.",
        )
        parser.add_argument("--admin-name", default="", help="The admin's full name.")
        parser.add_argument(
            "--name",
            action="append",
            default=[],
            metavar="CODE=NAME",
            help="Another name for a federation to be created, e.g. 430302=雨湖区总工会 "
            "(repeatable). Names can also be edited later on the federation's page.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show the tree that would be created; save nothing.",
        )

    def handle(self, *args, **options):
        names = self._names(options["name"])
        try:
            root = services.resolve_root_division(options["division"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["dry_run"]:
            for item in services.plan_tree(root, names=names):
                indent = "  " * item.depth
                self.stdout.write(
                    f"{indent}{item.name} ({item.division.code} {item.division.name})"
                )
            self.stdout.write("试运行，未保存。Dry run: nothing was saved.")
            return
        try:
            outcome = services.set_up_federation_tree(
                division=root,
                admin_username=options["admin_username"],
                admin_password=options["admin_password"],
                admin_full_name=options["admin_name"],
                names=names,
            )
        except ValidationError as error:
            raise CommandError("未保存任何数据。Nothing was saved: " + _messages(error)) from None
        self._report(outcome, verbosity=options["verbosity"])

    def _names(self, pairs: list[str]) -> dict[str, str]:
        names = {}
        for pair in pairs:
            code, separator, name = pair.partition("=")
            if not separator or not code.strip() or not name.strip():
                raise CommandError(
                    f"--name takes CODE=NAME, e.g. 430302=雨湖区总工会 (got {pair!r})"
                )
            names[code.strip()] = name.strip()
        return names

    def _report(self, outcome: services.SetupOutcome, *, verbosity: int) -> None:
        buckets = {
            federation.pk: label
            for attribute, label in _BUCKETS.items()
            for federation in getattr(outcome, attribute)
        }
        if verbosity >= 1:
            root_depth = outcome.root.depth
            federations = [*outcome.created, *outcome.kept, *outcome.linked]
            for federation in sorted(federations, key=lambda f: f.path):
                indent = "  " * (federation.depth - root_depth)
                self.stdout.write(
                    f"{indent}{federation.name} ({federation.region_code}) {buckets[federation.pk]}"
                )
        total = len(buckets)
        self.stdout.write(
            f"共 {total} 个工会：新建 {len(outcome.created)}，已有 {len(outcome.kept)}"
            f"{f'，补登代码 {len(outcome.linked)}' if outcome.linked else ''}。"
            f" {total} federations: {len(outcome.created)} created, {len(outcome.kept)} already "
            f"there (left as they were)"
            f"{f', {len(outcome.linked)} given their division code' if outcome.linked else ''}."
        )
        admin = outcome.admin
        if outcome.admin_created:
            self.stdout.write(
                f"管理员已创建 Admin created: {admin.username}（{admin.full_name}），"
                f"{outcome.root.name}的工会管理员 federation admin of {outcome.root.name}."
            )
        else:
            self.stdout.write(
                f"管理员已存在，未改动 Admin already there, unchanged: {admin.username}."
            )
        if outcome.one_time_password:
            self.stdout.write(
                self.style.WARNING(
                    f"一次性密码 One-time password: {outcome.one_time_password}\n"
                    "请转交管理员，首次登录后须修改；此密码不再显示。"
                    "Hand it to the admin; it must be changed at the first login and is not "
                    "shown again."
                )
            )
        self.stdout.write(self.style.SUCCESS("完成。Done. Log in at /accounts/login/"))


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)
