"""PBKDF2-HMAC-SM3 passwords for 国密 (GB/T 39786), used when CRYPTO_SUITE is "gm".

hashlib reaches SM3 through OpenSSL; settings put this hasher first only when the platform
offers it. Old hashes (argon2, pbkdf2_sha256) keep verifying and are upgraded at the next login,
which Django does for any hasher that is not the first.
"""

import hashlib

from django.contrib.auth.hashers import PBKDF2PasswordHasher


def sm3(data: bytes = b""):
    """A hashlib-style constructor: Django's pbkdf2 calls hashlib.pbkdf2_hmac(digest().name, …),
    so this makes it hashlib.pbkdf2_hmac("sm3", …)."""
    return hashlib.new("sm3", data)


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sm3"
    digest = staticmethod(sm3)
