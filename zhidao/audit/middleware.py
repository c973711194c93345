from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware

from .models import AccessEventKind
from .services import client_ip, record_access_event


class AuditlogMiddleware(_AuditlogMiddleware):
    """django-auditlog's middleware, taking the client address the same way axes does.

    The stock one believes the first X-Forwarded-For entry, which any client can send.
    """

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)


class DownloadAuditMiddleware:
    """Every file a signed-in user receives as an attachment is an access event with its actor
    (SECURITY.md "Audit"): reports, workbooks, import files, evidence and attachments, whichever
    view sends it. A view that already logged the access (an export, an unmasked view) is not
    logged twice. Images shown inline in pages are not downloads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        if (
            response.status_code == 200
            and disposition.lower().startswith("attachment")
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and not getattr(request, "audit_access_recorded", False)
        ):
            record_access_event(
                kind=AccessEventKind.DOWNLOAD,
                request=request,
                detail=f"{request.path} {disposition}"[:500],
            )
        return response
