"""Seal the audit records that have no chain link (their seal was lost, e.g. to a crash
between the commit and the seal). Review them first: verify_audit_log lists how many."""

from django.core.management.base import BaseCommand

from zhidao.audit import chain


class Command(BaseCommand):
    help = "Append the audit records that are not in the hash chain yet."

    def handle(self, *args, **options):
        self.stdout.write(f"sealed={chain.seal_pending()}")
