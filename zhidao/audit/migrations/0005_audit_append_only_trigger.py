"""On PostgreSQL, the audit tables refuse UPDATE and DELETE (SECURITY.md "Audit").

One trigger function guards every audit table, for every database role:

- the change log (auditlog_logentry), the access events, the chain links and the archive
  records refuse UPDATE and DELETE;
- the one UPDATE they allow is Django's SET NULL of the actor when an account is deleted
  (nothing else in the row may change; the chain link keeps the actor's id, chain.py);
- the chain head may be updated (each seal moves it) but never deleted;
- the archive command's maintenance path: inside its transaction it runs
  `SET LOCAL zhidao.audit_archive = 'on'`, which lets it delete the rows it has written to an
  archive file. Where the database has a role named `zhidao_audit_archiver`, the switch works
  only for members of that role, so the application's own role cannot use it (README,
  "Audit log").

TRUNCATE is not a row operation and stays with the tables' owner: production grants the
application's role no ownership of these tables. SQLite has no such triggers; there the ORM's
append-only guards (models.py) and the hash chain (chain.py) remain.
"""

from django.db import migrations

GUARDED = [
    # table, mode, the actor column that may be set to NULL
    ("auditlog_logentry", "append", "actor_id"),
    ("audit_accessevent", "append", "user_id"),
    ("audit_chainlink", "append", ""),
    ("audit_auditarchive", "append", ""),
    ("audit_chainhead", "head", ""),
]

FUNCTION = r"""
CREATE OR REPLACE FUNCTION zhidao_audit_append_only() RETURNS trigger AS $$
DECLARE
    mode text := TG_ARGV[0];
    actor_column text := TG_ARGV[1];
BEGIN
    IF coalesce(current_setting('zhidao.audit_archive', true), '') = 'on'
       AND (NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zhidao_audit_archiver')
            OR pg_has_role(current_user, 'zhidao_audit_archiver', 'MEMBER')) THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF mode = 'head' THEN
            RETURN NEW;
        END IF;
        IF actor_column <> ''
           AND (to_jsonb(NEW) ->> actor_column) IS NULL
           AND (to_jsonb(NEW) - actor_column) = (to_jsonb(OLD) - actor_column) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'zhidao: % on the audit table % is refused: the audit log is append-only',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # No parameters: the function body uses % as PL/pgSQL placeholders.
    schema_editor.execute(FUNCTION, params=None)
    for table, mode, actor_column in GUARDED:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS zhidao_audit_append_only ON {table};"
            f"CREATE TRIGGER zhidao_audit_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION zhidao_audit_append_only('{mode}', '{actor_column}');"
        )


def _remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _mode, _actor in GUARDED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS zhidao_audit_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS zhidao_audit_append_only();")


def _create_head(apps, schema_editor):
    apps.get_model("audit", "ChainHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_audit_chain"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.RunPython(_create_head, migrations.RunPython.noop),
        migrations.RunPython(_install, _remove),
    ]
