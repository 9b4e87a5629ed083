"""Rate limits in the database: exact counting, windows, HMAC'd keys, several processes."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import uuid
from multiprocessing.synchronize import Barrier

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from tests.auth.support import IP, NOW, at, unique

from opeka.app import Opeka
from opeka.auth.context import Auth
from opeka.auth.keys import AuthKeys
from opeka.auth.ratelimit import Decision, Limit, RateLimiter, purge_expired
from opeka.db.auth import auth_rate_window
from opeka.settings import Settings
from opeka.vault.keyfiles import MasterKey

JOIN_TIMEOUT = 60.0


def hits(
    opeka: Opeka, limiter: RateLimiter, key: str, n: int, now: dt.datetime, *, limit: int = 3
) -> list[Decision]:
    found = []
    for _ in range(n):
        with opeka.data_engine.begin() as conn:
            found.append(limiter.hit(conn, key=key, limit=limit, window_seconds=60, now=now))
    return found


def test_hits_up_to_the_limit_pass_and_the_next_is_refused(opeka: Opeka, auth: Auth) -> None:
    decisions = hits(opeka, auth.limiter, unique("login:ip:"), 4, NOW)
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].retry_after_seconds >= 1


def test_keys_are_counted_apart(opeka: Opeka, auth: Auth) -> None:
    first, second = unique("login:ip:"), unique("login:ip:")
    hits(opeka, auth.limiter, first, 3, NOW)
    assert hits(opeka, auth.limiter, second, 1, NOW)[0].allowed


def test_fixed_window_starts_afresh(opeka: Opeka, auth: Auth) -> None:
    key = unique("form:question:")
    with opeka.data_engine.begin() as conn:
        for _ in range(3):
            auth.limiter.hit(conn, key=key, limit=3, window_seconds=60, now=NOW, sliding=False)
        refused = auth.limiter.hit(
            conn, key=key, limit=3, window_seconds=60, now=NOW, sliding=False
        )
        later = auth.limiter.hit(
            conn, key=key, limit=3, window_seconds=60, now=at(1), sliding=False
        )
    assert not refused.allowed
    assert refused.retry_after_seconds == 60  # NOW is on a window boundary
    assert later.allowed


def test_sliding_window_weighs_the_previous_window(opeka: Opeka, auth: Auth) -> None:
    key = unique("login:account:")
    hits(opeka, auth.limiter, key, 3, NOW)  # window [NOW, NOW+60) full
    # 15 s into the next window, 75% of the previous still counts: 2.25 + 1 > 3.
    assert not hits(opeka, auth.limiter, key, 1, at(seconds=75))[0].allowed
    # 50 s in, 1/6 of 3 = 0.5 counts; this window has 1 (refused) hit: 0.5 + 2 <= 3.
    assert hits(opeka, auth.limiter, key, 1, at(seconds=110))[0].allowed


def test_a_hit_after_retry_after_is_allowed(opeka: Opeka, auth: Auth) -> None:
    @given(
        burst=st.integers(min_value=1, max_value=10),
        offset=st.integers(min_value=0, max_value=119),
        limit=st.integers(min_value=1, max_value=4),
    )
    @settings(max_examples=30, deadline=None)
    def check(burst: int, offset: int, limit: int) -> None:
        key, when = f"k:{uuid.uuid4()}", at(seconds=offset)
        decisions = hits(opeka, auth.limiter, key, burst, when, limit=limit)
        refused = decisions[-1]
        if not refused.allowed:
            later = when + dt.timedelta(seconds=refused.retry_after_seconds)
            assert hits(opeka, auth.limiter, key, 1, later, limit=limit)[0].allowed

    check()


def test_keys_are_stored_only_as_hmacs(opeka: Opeka, auth: Auth) -> None:
    hits(opeka, auth.limiter, f"login:ip:{IP}", 1, NOW)
    with opeka.data_engine.connect() as conn:
        stored = [bytes(r[0]) for r in conn.execute(select(auth_rate_window.c.key_hmac))]
    assert auth.limiter.digest(f"login:ip:{IP}") in stored
    assert all(IP.encode() not in digest for digest in stored)
    if opeka.settings.is_sqlite:
        files = [opeka.settings.data_dir / n for n in ("opeka.db", "opeka.db-wal")]
        assert all(IP.encode() not in p.read_bytes() for p in files if p.exists())


def test_another_master_key_counts_another_key(auth: Auth) -> None:
    other = Auth.create(master=MasterKey.from_secret(bytes(32)), policy=auth.policy)
    assert other.limiter.digest("k") != auth.limiter.digest("k")


def test_reset_forgets_a_key(opeka: Opeka, auth: Auth) -> None:
    key = unique("k:")
    hits(opeka, auth.limiter, key, 4, NOW)
    with opeka.data_engine.begin() as conn:
        auth.limiter.reset(conn, key=key)
    assert hits(opeka, auth.limiter, key, 1, NOW)[0].allowed


def test_purge_deletes_windows_that_no_longer_count(opeka: Opeka, auth: Auth) -> None:
    key = unique("k:")
    past = NOW - dt.timedelta(days=30)
    hits(opeka, auth.limiter, key, 1, past)
    mine = select(auth_rate_window).where(auth_rate_window.c.key_hmac == auth.limiter.digest(key))
    with opeka.data_engine.begin() as conn:
        purge_expired(conn, now=past + dt.timedelta(seconds=119))
        assert conn.execute(mine).first() is not None  # the window still counts as "previous"
        assert purge_expired(conn, now=past + dt.timedelta(seconds=121)) >= 1
        assert conn.execute(mine).first() is None


def test_a_limit_needs_positive_numbers() -> None:
    with pytest.raises(ValueError, match="count >= 1"):
        Limit(0, 60)


def hammer(
    settings: Settings,
    key: str,
    tries: int,
    start: Barrier,
    results: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    """Body of one process: ``tries`` hits of one key at one instant, each its own transaction."""
    opeka = Opeka(settings)
    try:
        limiter = RateLimiter(AuthKeys.from_master(opeka.master).rate_limit)
        start.wait(timeout=JOIN_TIMEOUT)
        allowed = 0
        for _ in range(tries):
            with opeka.data_engine.begin() as conn:
                decision = limiter.hit(conn, key=key, limit=7, window_seconds=60, now=NOW)
            allowed += decision.allowed
        results.put(allowed)
    finally:
        opeka.close()


def test_processes_hitting_one_key_never_pass_more_than_the_limit(opeka: Opeka) -> None:
    context = multiprocessing.get_context("spawn")
    workers, tries = 2, 12
    start = context.Barrier(workers)
    results = context.Queue()
    key = unique("login:global:")
    processes = [
        context.Process(
            target=hammer, args=(opeka.settings, key, tries, start, results), daemon=True
        )
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    allowed = [results.get(timeout=JOIN_TIMEOUT) for _ in processes]
    for process in processes:
        process.join(JOIN_TIMEOUT)
        assert process.exitcode == 0
    assert sum(allowed) == 7
    with opeka.data_engine.connect() as conn:
        counted = select(auth_rate_window.c.hits).where(
            auth_rate_window.c.key_hmac
            == RateLimiter(AuthKeys.from_master(opeka.master).rate_limit).digest(key)
        )
        assert conn.execute(counted).scalar_one() == workers * tries
