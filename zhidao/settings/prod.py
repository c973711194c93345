"""Production: secrets and hosts must come from the environment; HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
# The audit chain's HMAC key: its own, not derived from SECRET_KEY (which may be rotated).
AUDIT_CHAIN_KEY = env("AUDIT_CHAIN_KEY")
# 国密: SM4 keys from the environment or the key-management service, never a default.
if CRYPTO_SUITE == "gm" and not (SM4_KEYS or KMS_URL):
    raise ImproperlyConfigured("CRYPTO_SUITE=gm needs SM4_KEYS or KMS_URL.")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# A second factor for federation admins, rights-protection staff, the three administrators and
# superusers, whatever the environment says (SECURITY.md "Two-factor").
REQUIRE_2FA = True
# The API schema and docs only for logged-in users.
API_SCHEMA_PUBLIC = False

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL", default="redis://127.0.0.1:6379/1"),
    }
}
# Django's own Redis cache adds with SET NX and counts with INCR, both atomic; django-ratelimit's
# check knows only django-redis by name (W001).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
