"""The auth cookie of policy 6.3: "a unique code and the sign-in time in an encrypted cookie".

Value: base64url (no padding) of ``version (1) ‖ nonce (12) ‖ AES-256-GCM(plaintext) ‖ tag (16)``
where the plaintext is ``version (1) ‖ kind (1) ‖ session code (32) ‖ sign-in time (8, seconds
since the epoch, big-endian)`` and the associated data names the format and its version. The key
is derived from the master key (:mod:`opeka.auth.keys`); the browser sees only ciphertext.

:meth:`CookieSealer.open_` returns None for anything it cannot vouch for — bad base64, a
non-canonical encoding, a wrong length, an unknown version or kind, a failed tag (tampering or
another key) — and never says which. The code it yields is then looked up server-side
(:mod:`opeka.auth.sessions`), which alone decides whether the session is alive.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
import struct
from dataclasses import dataclass
from typing import Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from opeka.auth.principals import PrincipalKind

VERSION = 1
CODE_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
_PLAIN = struct.Struct(f">BB{CODE_BYTES}sQ")
_SEALED_BYTES = 1 + NONCE_BYTES + _PLAIN.size + TAG_BYTES
_MAX_TEXT = 4 * _SEALED_BYTES // 3 + 4
_KINDS = {PrincipalKind.SUBJECT: 1, PrincipalKind.STAFF: 2}
_KIND_OF = {code: kind for kind, code in _KINDS.items()}


def _associated(version: int) -> bytes:
    return b"opeka/auth-cookie/v" + str(version).encode()


@dataclass(frozen=True, slots=True, repr=False)
class CookieContents:
    """What an auth cookie carries (``repr`` hides the code)."""

    kind: PrincipalKind
    code: bytes
    login_at: dt.datetime

    def __repr__(self) -> str:
        return f"CookieContents(kind={self.kind!s}, login_at={self.login_at.isoformat()})"


class CookieSealer:
    """Seals and opens auth cookies under one key."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, *, kind: PrincipalKind, code: bytes, login_at: dt.datetime) -> str:
        """The cookie value for a session code and its sign-in time."""
        if len(code) != CODE_BYTES:
            raise ValueError(f"a session code is {CODE_BYTES} bytes")
        seconds = int(login_at.timestamp())
        plain = _PLAIN.pack(VERSION, _KINDS[kind], code, seconds)
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plain, _associated(VERSION))
        return _encode(bytes([VERSION]) + nonce + sealed)

    def open_(self, value: str) -> CookieContents | None:
        """The contents of a cookie this key sealed, or None (any fault, never which)."""
        raw = _decode(value)
        if raw is None or len(raw) != _SEALED_BYTES or raw[0] != VERSION:
            return None
        nonce, sealed = raw[1 : 1 + NONCE_BYTES], raw[1 + NONCE_BYTES :]
        try:
            plain = self._aead.decrypt(nonce, sealed, _associated(VERSION))
        except InvalidTag:
            return None
        version, kind, code, seconds = _PLAIN.unpack(plain)
        if version != VERSION or kind not in _KIND_OF:
            return None
        return CookieContents(
            kind=_KIND_OF[kind],
            code=code,
            login_at=dt.datetime.fromtimestamp(seconds, dt.UTC),
        )


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(value: str) -> bytes | None:
    """Strict base64url: only the canonical encoding of some bytes is accepted."""
    if not isinstance(value, str) or len(value) > _MAX_TEXT or not value.isascii():
        return None
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if _encode(raw) == value else None


COOKIE_NAMES = {PrincipalKind.SUBJECT: "opeka_session", PrincipalKind.STAFF: "opeka_staff"}


@dataclass(frozen=True, slots=True)
class CookieAttributes:
    """How the web layer sets the auth cookie (a session cookie: policy 6.3, expiry 0 days)."""

    name: str
    secure: bool
    http_only: bool = True
    same_site: Literal["lax", "strict", "none"] = "lax"
    path: str = "/"
    max_age: int | None = None

    def set_cookie_arguments(self) -> dict[str, object]:
        """Keyword arguments of Starlette's ``Response.set_cookie`` (add ``value``)."""
        return {
            "key": self.name,
            "max_age": self.max_age,
            "path": self.path,
            "secure": self.secure,
            "httponly": self.http_only,
            "samesite": self.same_site,
        }


def cookie_attributes(kind: PrincipalKind, *, tls: bool) -> CookieAttributes:
    """The cookie's attributes: HttpOnly, SameSite=Lax, Path=/, Secure under TLS.

    Under TLS the name takes the ``__Host-`` prefix, which browsers accept only with Secure,
    Path=/ and no Domain: a sibling sub-domain cannot plant or overwrite the cookie.
    """
    name = COOKIE_NAMES[kind]
    return CookieAttributes(name=f"__Host-{name}" if tls else name, secure=tls)
