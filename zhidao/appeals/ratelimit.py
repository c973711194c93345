"""Fixed-window rate limits for the public appeal pages, kept in Django's cache.

Keys never hold a raw IP address: they use the HMAC of it (`hash_ip`), the same value an appeal
keeps for 30 days for abuse protection.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

# (limit, window in seconds)
APPEALS_PER_IP = (5, 3600)
APPEALS_PER_POSTER = (30, 3600)
LOOKUPS_PER_IP = (20, 600)


def hash_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def _key(scope: str, ident: str, window: int) -> str:
    return f"appeals:rl:{scope}:{ident}:{int(time.time()) // window}"


def is_limited(scope: str, ident: str | None, rule: tuple[int, int]) -> bool:
    """True when `ident` has already used its `limit` hits of the current window."""
    if not ident:
        return False
    limit, window = rule
    return (cache.get(_key(scope, ident, window)) or 0) >= limit


def hit(scope: str, ident: str | None, rule: tuple[int, int]) -> None:
    if not ident:
        return
    _, window = rule
    key = _key(scope, ident, window)
    if cache.add(key, 1, timeout=window + 5):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)


def submission_limited(ip_hash: str | None, poster_token: str) -> bool:
    """Whether this address or this poster has used up its appeals of the hour."""
    return is_limited("appeal-ip", ip_hash, APPEALS_PER_IP) or is_limited(
        "appeal-poster", poster_token, APPEALS_PER_POSTER
    )


def count_submission(ip_hash: str | None, poster_token: str) -> None:
    hit("appeal-ip", ip_hash, APPEALS_PER_IP)
    hit("appeal-poster", poster_token, APPEALS_PER_POSTER)


def lookup_limited(ip_hash: str | None) -> bool:
    """Count one look-up of a ticket code; True when the address has used up its look-ups."""
    if is_limited("lookup-ip", ip_hash, LOOKUPS_PER_IP):
        return True
    hit("lookup-ip", ip_hash, LOOKUPS_PER_IP)
    return False
