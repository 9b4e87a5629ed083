"""Password hashing (argon2id) and the password policy.

Parameters (:data:`DEFAULT_PARAMS`): argon2id, 2 passes over 64 MiB with 2 lanes, 16-byte salt,
32-byte hash — about 55 ms per hash or check on one core of the reference machine (2 vCPU EPYC,
see BENCHMARKS.md), above OWASP's minimum (19 MiB, 2 passes) and memory-hard enough that a GPU
gains little. The parameters are written into every hash (PHC string), so they can be raised
later: :meth:`PasswordHasher.verify` checks an old hash with its own parameters and returns a
fresh hash under the current ones, which the caller stores (the upgrade path).

Passwords are normalised to NFKC before hashing and checking (the same password typed with
composed or decomposed letters matches). For an unknown login the caller runs
:meth:`PasswordHasher.dummy_verify`, which costs what a real check costs, so that response time
does not tell which logins exist.

Policy (:func:`check_policy`): 10–128 characters; not all of one character class (lower-case
letters, upper-case letters, digits, others); not the login or e-mail itself.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from opeka.auth.errors import PasswordRejected

MIN_LENGTH = 10
MAX_LENGTH = 128
MAX_INPUT = 4 * MAX_LENGTH  # NFKC may expand a character to several


@dataclass(frozen=True, slots=True)
class PasswordParams:
    """argon2id cost parameters (memory in KiB)."""

    time_cost: int = 2
    memory_cost: int = 64 * 1024
    parallelism: int = 2
    hash_len: int = 32
    salt_len: int = 16


DEFAULT_PARAMS = PasswordParams()


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of a check: ``rehash`` is a new hash to store when the parameters changed."""

    valid: bool
    rehash: str | None = None


def normalize(password: str) -> str:
    """The form a password is hashed in (NFKC)."""
    return unicodedata.normalize("NFKC", password)


@dataclass(slots=True)
class PasswordHasher:
    """Hashes and checks passwords with one set of parameters."""

    params: PasswordParams = DEFAULT_PARAMS
    _hasher: argon2.PasswordHasher = field(init=False, repr=False)
    _dummy: str | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        p = self.params
        self._hasher = argon2.PasswordHasher(
            time_cost=p.time_cost,
            memory_cost=p.memory_cost,
            parallelism=p.parallelism,
            hash_len=p.hash_len,
            salt_len=p.salt_len,
            type=argon2.Type.ID,
        )

    def hash(self, password: str) -> str:
        """The PHC string of ``password`` under the current parameters."""
        return self._hasher.hash(normalize(password))

    def verify(self, stored: str, password: str) -> Verification:
        """Check ``password`` against ``stored``; an unreadable hash never matches.

        An input far longer than any password the policy admits is refused unhashed.
        """
        if len(password) > MAX_INPUT:
            return Verification(valid=False)
        candidate = normalize(password)
        try:
            self._hasher.verify(stored, candidate)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return Verification(valid=False)
        if self._hasher.check_needs_rehash(stored):
            return Verification(valid=True, rehash=self._hasher.hash(candidate))
        return Verification(valid=True)

    def dummy_verify(self, password: str) -> None:
        """Spend the time of a real check, for a login that does not exist."""
        if self._dummy is None:
            self._dummy = self._hasher.hash("opeka dummy password")
        self.verify(self._dummy, password)


def hash_password(password: str, *, params: PasswordParams = DEFAULT_PARAMS) -> str:
    """Hash ``password`` with argon2id under ``params``."""
    return PasswordHasher(params).hash(password)


def verify_password(
    stored: str, password: str, *, params: PasswordParams = DEFAULT_PARAMS
) -> Verification:
    """Check ``password``; ``rehash`` is set when ``stored`` used other parameters."""
    return PasswordHasher(params).verify(stored, password)


def _classes(password: str) -> set[str]:
    kinds = set()
    for char in password:
        if char.isdigit():
            kinds.add("digit")
        elif char.islower():
            kinds.add("lower")
        elif char.isupper():
            kinds.add("upper")
        else:
            kinds.add("other")
    return kinds


def check_policy(password: str, *, identifiers: tuple[str, ...] = ()) -> None:
    """Refuse a new password that breaks the policy (:class:`PasswordRejected`, ru + en).

    ``identifiers`` are the login and e-mail the password may not equal (case-insensitive).
    """
    text = normalize(password)
    if len(text) < MIN_LENGTH:
        raise PasswordRejected(
            "too_short",
            message_en=f"the password must be at least {MIN_LENGTH} characters",
            message_ru=f"пароль должен быть не короче {MIN_LENGTH} символов",
        )
    if len(text) > MAX_LENGTH:
        raise PasswordRejected(
            "too_long",
            message_en=f"the password must be at most {MAX_LENGTH} characters",
            message_ru=f"пароль должен быть не длиннее {MAX_LENGTH} символов",
        )
    if len(_classes(text)) < 2:
        raise PasswordRejected(
            "one_class",
            message_en="use at least two kinds: lower-case, upper-case, digits, other characters",
            message_ru="используйте хотя бы два вида символов: строчные, заглавные, цифры, другие",
        )
    folded = text.strip().casefold()
    if any(folded == normalize(i).strip().casefold() for i in identifiers if i):
        raise PasswordRejected(
            "equals_login",
            message_en="the password may not be the login or e-mail",
            message_ru="пароль не должен совпадать с логином или адресом электронной почты",
        )
