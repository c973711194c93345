"""`manage.py reencrypt`: move every encrypted field to the newest key (key rotation).

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keeping the old ones after it),
deploy, run this command, then drop the old keys. Values already under the newest key are left
alone, so the command can be run again after an interruption. It writes the stored tokens
directly (the plain values do not change, so nothing goes into the change log); a value no
configured key can read is reported and left as it is.

With CRYPTO_SUITE=gm the newest key is the first SM4 key (KMS, then SM4_KEYS): Fernet values and
SM4 values under an older version move to it (zhidao/core/crypto.py).
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from zhidao.core.crypto import EncryptedCharField, InvalidToken, is_current, reencrypt

CHUNK = 500


def encrypted_fields() -> list[tuple[type, list]]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
        if fields:
            found.append((model, fields))
    return found


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the chosen suite's newest key."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args, dry_run=False, **options):
        unreadable_total = 0
        for model, fields in encrypted_fields():
            changed, unreadable = self._model(model, fields, dry_run=dry_run)
            unreadable_total += unreadable
            self.stdout.write(
                f"{model._meta.label}: {changed} values re-encrypted, {unreadable} unreadable"
            )
        if unreadable_total:
            raise CommandError(
                f"{unreadable_total} values could not be read with any configured key."
            )

    def _model(self, model, fields, *, dry_run: bool) -> tuple[int, int]:
        quote = connection.ops.quote_name
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        columns = [quote(f.column) for f in fields]
        changed = unreadable = 0
        last = None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = f"WHERE {pk} > %s " if last is not None else ""
                cursor.execute(
                    f"SELECT {pk}, {', '.join(columns)} FROM {table} {where}"  # noqa: S608  # nosec B608  # quoted model names, %s values
                    f"ORDER BY {pk} LIMIT {CHUNK}",
                    [last] if last is not None else [],
                )
                rows = cursor.fetchall()
                for row in rows:
                    updates = {}
                    for column, token in zip(columns, row[1:], strict=True):
                        if not token or is_current(token):
                            continue
                        try:
                            updates[column] = reencrypt(token)
                        except InvalidToken:
                            unreadable += 1
                    if updates and not dry_run:
                        assignments = ", ".join(f"{column} = %s" for column in updates)
                        cursor.execute(
                            f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608  # nosec B608  # quoted model names, %s values
                            [*updates.values(), row[0]],
                        )
                    changed += len(updates)
            if len(rows) < CHUNK:
                return changed, unreadable
            last = rows[-1][0]
