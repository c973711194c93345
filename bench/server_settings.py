"""Settings of the bench-only gunicorn server (bench/server.py): the app's own settings, DEBUG
off, the app's URLs plus a bare "hello" view (bench/server_urls.py) that the app never mounts.

Like production: Redis as the cache (shared by the workers, prod.py's backend), static files
collected with whitenoise's compressed manifest storage into BENCH_STATIC_ROOT. BENCH_GZIP=true
adds Django's GZipMiddleware in front, standing in for the reverse proxy that compresses the
pages in production (the check-in page on a slow link); the throughput run leaves it off.
"""

import os

from zhidao.settings.dev import *  # noqa: F403
from zhidao.settings.dev import MIDDLEWARE, env

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.server_urls"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL", default="redis://127.0.0.1:6379/1"),
        # Other work on this machine shares the Redis server: the bench's keys stay apart.
        "KEY_PREFIX": "zhidao-bench",
    }
}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if env.bool("BENCH_GZIP", default=False):
    MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *MIDDLEWARE]
