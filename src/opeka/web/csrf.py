"""CSRF protection for every HTML form: a signed double-submit token.

A random value lives in an ``HttpOnly; SameSite=Strict`` cookie; each form carries an HMAC of it
under a key derived from the master key. A cross-site page can neither read the cookie nor
compute the HMAC, so a forged POST lacks a matching token. The token is checked on the server
for every state-changing form route (:func:`verify`), never only in templates.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

CSRF_COOKIE = "opeka_csrf"
FIELD = "csrf_token"


class CsrfError(Exception):
    """The form's CSRF token is missing or does not match."""


def _mac(key: bytes, value: str) -> str:
    digest = hmac.new(key, value.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def cookie_value(request: Request) -> str:
    """The request's CSRF cookie value, or a fresh one to set on the response."""
    current = request.cookies.get(CSRF_COOKIE, "")
    if 20 <= len(current) <= 64 and current.replace("-", "").replace("_", "").isalnum():
        return current
    value: str = getattr(request.state, "csrf_cookie", "") or secrets.token_urlsafe(24)
    request.state.csrf_cookie = value
    return value


def token(request: Request, key: bytes) -> str:
    """The token to put in a form (and remember the cookie to set)."""
    return _mac(key, cookie_value(request))


def set_cookie(request: Request, response: Response, *, secure: bool) -> None:
    """Set the CSRF cookie if this request created one."""
    fresh = getattr(request.state, "csrf_cookie", None)
    if fresh and request.cookies.get(CSRF_COOKIE) != fresh:
        response.set_cookie(
            CSRF_COOKIE, fresh, httponly=True, samesite="strict", secure=secure, path="/"
        )


def verify(request: Request, submitted: str | None, key: bytes) -> None:
    """Raise :class:`CsrfError` unless ``submitted`` matches the request's CSRF cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted:
        raise CsrfError("missing CSRF token")
    if not hmac.compare_digest(_mac(key, cookie), submitted):
        raise CsrfError("CSRF token does not match")
