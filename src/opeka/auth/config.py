"""Tunables of authentication: password cost, rate limits, lockout, session and token lifetimes.

The defaults suit a small operator's site; tests pass cheaper password parameters.

==========================  =====================  ============================================
setting                     default                why
==========================  =====================  ============================================
``login_per_ip``            20 per 5 min           one address guessing across many accounts
``login_per_account``       10 per 15 min          many addresses guessing one account
``login_global``            600 per min            a spread-out attack on every account
``lockout_after``           10 failures in a row   then the account is locked ...
``lockout_seconds``         15 min                 ... for this long (counter starts again)
``staff_session``           idle 30 min, max 10 h  a working day in the console
``subject_session``         idle 1 h, max 24 h     the portal
``reset_ttl_seconds``       30 min                 a reset link's life (single use)
``reset_per_account``       3 per hour             reset mails one account may be sent
==========================  =====================  ============================================

Login limits count attempts, not only failures, and are checked *before* the password is:
parallel guesses cannot slip past a check that only failures would update.
"""

from __future__ import annotations

from dataclasses import dataclass

from opeka.auth.passwords import DEFAULT_PARAMS, PasswordParams
from opeka.auth.principals import PrincipalKind
from opeka.auth.ratelimit import Limit

LOGIN_PER_IP = Limit(20, 300)
LOGIN_PER_ACCOUNT = Limit(10, 900)
LOGIN_GLOBAL = Limit(600, 60)
RESET_PER_ACCOUNT = Limit(3, 3600)


@dataclass(frozen=True, slots=True)
class SessionTimeouts:
    """A session ends after ``idle_seconds`` unused or ``absolute_seconds`` after sign-in."""

    idle_seconds: int
    absolute_seconds: int


@dataclass(frozen=True, slots=True)
class AuthConfig:
    """Every tunable of :mod:`opeka.auth` (see the module docstring for the defaults)."""

    password: PasswordParams = DEFAULT_PARAMS
    login_per_ip: Limit = LOGIN_PER_IP
    login_per_account: Limit = LOGIN_PER_ACCOUNT
    login_global: Limit = LOGIN_GLOBAL
    lockout_after: int = 10
    lockout_seconds: int = 900
    staff_session: SessionTimeouts = SessionTimeouts(30 * 60, 10 * 3600)
    subject_session: SessionTimeouts = SessionTimeouts(60 * 60, 24 * 3600)
    touch_every_seconds: int = 60
    reset_ttl_seconds: int = 30 * 60
    reset_per_account: Limit = RESET_PER_ACCOUNT

    def timeouts(self, kind: PrincipalKind) -> SessionTimeouts:
        """The session timeouts of ``kind``."""
        return self.staff_session if kind is PrincipalKind.STAFF else self.subject_session
