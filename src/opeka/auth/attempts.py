"""One sign-in attempt, for staff and portal accounts alike.

1. The attempt is counted against the per-IP, per-account and global limits and refused
   (:class:`TooManyAttempts`) if any is exceeded — before any password is checked.
2. The account is looked up. None (or inactive): a dummy check of the same cost, then
   :class:`InvalidCredentials`. Locked: :class:`AccountLocked`.
3. The password is checked outside any transaction (it takes ~50 ms, and on SQLite a write
   transaction holds the database's write lock).
4. A failure adds to the account's failure counter; at ``lockout_after`` the account is locked
   for ``lockout_seconds`` and the counter starts again. A success clears the counter, the lock
   and the account's rate-limit windows, stamps ``last_login_at`` and stores a re-hash if the
   parameters changed.

The counters must survive the failure they count, so this module owns its transactions: each
step commits on the engine given (the one exception to "services never commit", as the spine's
refusals are journaled despite the rollback).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, update

from opeka.auth.context import Auth
from opeka.auth.errors import AccountLocked, InvalidCredentials, TooManyAttempts
from opeka.ops import logs

log = logs.get("auth")


@dataclass(frozen=True, slots=True, repr=False)
class Holder:
    """The account a login names: its table and key, password hash, lock and state."""

    table: Table
    key_column: str
    key: Any
    password_hash: str
    locked_until: dt.datetime | None
    active: bool = True

    def __repr__(self) -> str:
        return f"Holder({self.table.name}, {self.key!s})"


def guard(
    engine: Engine, *, auth: Auth, realm: str, account: str, ip: str, now: dt.datetime
) -> None:
    """Count the attempt against every limit; :class:`TooManyAttempts` if one is exceeded."""
    conf, limiter = auth.config, auth.limiter
    with engine.begin() as conn:
        decisions = [
            limiter.check(conn, key=f"{realm}:ip:{ip}", limit=conf.login_per_ip, now=now),
            limiter.check(
                conn, key=f"{realm}:account:{account}", limit=conf.login_per_account, now=now
            ),
            limiter.check(conn, key=f"{realm}:global", limit=conf.login_global, now=now),
        ]
    waits = [d.retry_after_seconds for d in decisions if not d.allowed]
    if waits:
        raise TooManyAttempts(max(waits))


def sign_in(
    engine: Engine,
    *,
    auth: Auth,
    realm: str,
    account: str,
    ip: str,
    password: str,
    find: Callable[[], Holder | None],
    now: dt.datetime,
) -> Holder:
    """Run one attempt (see the module docstring); the holder on success."""
    guard(engine, auth=auth, realm=realm, account=account, ip=ip, now=now)
    holder = find()
    if holder is None or not holder.active:
        auth.passwords.dummy_verify(password)
        raise InvalidCredentials
    if holder.locked_until is not None and holder.locked_until > now:
        raise AccountLocked(holder.locked_until, now=now)
    check = auth.passwords.verify(holder.password_hash, password)
    if not check.valid:
        _failed(engine, auth, holder, now)
        raise InvalidCredentials
    table = holder.table
    values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if check.rehash is not None:
        values["password_hash"] = check.rehash
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c[holder.key_column] == holder.key).values(values))
        auth.limiter.reset(conn, key=f"{realm}:account:{account}")
    return holder


def _failed(engine: Engine, auth: Auth, holder: Holder, now: dt.datetime) -> None:
    table = holder.table
    match = table.c[holder.key_column] == holder.key
    with engine.begin() as conn:
        failed = conn.execute(
            update(table)
            .where(match)
            .values(failed_logins=table.c.failed_logins + 1)
            .returning(table.c.failed_logins)
        ).scalar()
        if failed is not None and failed >= auth.config.lockout_after:
            until = now + dt.timedelta(seconds=auth.config.lockout_seconds)
            conn.execute(update(table).where(match).values(failed_logins=0, locked_until=until))
            log.warning("%s %s locked after %d failed sign-ins", table.name, holder.key, failed)
