"""The account list as .xlsx, with a Chinese file name (账号_湘潭市总工会_20261202.xlsx)."""

from collections.abc import Iterable
from io import BytesIO
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhidao.accounts.models import User
from zhidao.core.workbooks import add_sheet, new_workbook

from .presentation import AccountRow

EXPORT_LIMIT = 20_000


def content_disposition(filename: str, *, fallback: str) -> str:
    """An attachment's name in UTF-8 (RFC 5987, what browsers read) with an ASCII name for the
    clients that read only the plain parameter."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def export_filename(where: str) -> tuple[str, str]:
    day = timezone.localdate().strftime("%Y%m%d")
    return f"{pgettext('file name', 'Accounts')}_{where}_{day}.xlsx", f"accounts_{day}.xlsx"


def header() -> list[str]:
    return [
        _("Username"),
        _("Full name"),
        _("Mobile phone"),
        _("Roles and scopes"),
        pgettext("account", "State"),
        _("Locked"),
        _("Last login"),
    ]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def rows(accounts: Iterable[AccountRow]) -> Iterable[list]:
    for row in accounts:
        account: User = row.account
        yield [
            account.username,
            account.full_name,
            account.masked_phone,
            "；".join(
                f"{role.label}（{role.scope}）" if role.scope else role.label for role in row.roles
            ),
            row.state_label,
            _("Yes") if row.locked else "",
            _local(account.last_login),
        ]


def workbook(accounts: Iterable[AccountRow]) -> tuple[bytes, int]:
    book = new_workbook()
    body = list(rows(accounts))
    add_sheet(book, title=pgettext("file name", "Accounts"), header=header(), rows=body)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue(), len(body)
