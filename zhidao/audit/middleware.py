from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware

from .services import client_ip


class AuditlogMiddleware(_AuditlogMiddleware):
    """django-auditlog's middleware, taking the client address the same way axes does.

    The stock one believes the first X-Forwarded-For entry, which any client can send.
    """

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)
