"""Acts are kept three years, then the retention job removes them, journaled without names."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from tests.documents.support import collect_clients, destroy_with_act, journal, name_of

from opeka.app import Opeka
from opeka.db.documents import destruction_act, destruction_act_subject
from opeka.documents import acts
from opeka.documents.act_model import retain_until
from opeka.documents.retention import purge_expired
from opeka.journal.entry import Action


def test_purge_removes_only_expired_acts_and_journals_it(opeka: Opeka) -> None:
    expired, _ = destroy_with_act(opeka, *collect_clients(opeka, 1, 2))
    kept, _ = destroy_with_act(opeka, *collect_clients(opeka, 3))
    today = dt.date(2030, 6, 1)
    with opeka.data_engine.begin() as conn:
        conn.execute(
            update(destruction_act)
            .where(destruction_act.c.number == expired)
            .values(retain_until=today - dt.timedelta(days=1))
        )
        conn.execute(
            update(destruction_act)
            .where(destruction_act.c.number == kept)
            .values(retain_until=today)  # its last day: kept
        )
    before = len(journal(opeka))
    with opeka.unit_of_work() as uow:
        assert purge_expired(uow, today=today) == [expired]
    with opeka.data_engine.connect() as conn:
        assert [r.number for r in acts.list_acts(conn)] == [kept]
        entries = conn.execute(
            select(func.count()).where(destruction_act_subject.c.act_number == expired)
        ).scalar_one()
    assert entries == 0
    (record,) = journal(opeka)[before:]
    assert record.action == Action.DESTROY.value
    assert record.subject_id is None
    assert record.fields == ()
    assert expired in record.reason
    assert "п. 8" in record.reason
    assert name_of(1) not in record.reason


def test_nothing_expired_means_nothing_removed_or_journaled(opeka: Opeka) -> None:
    destroy_with_act(opeka, *collect_clients(opeka, 4))
    before = len(journal(opeka))
    with opeka.unit_of_work() as uow:
        assert purge_expired(uow, today=dt.date(2026, 12, 1)) == []
    assert len(journal(opeka)) == before


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_an_act_is_kept_three_years_to_the_day(day: dt.date) -> None:
    until = retain_until(day)
    assert until.year == day.year + 3
    assert 3 * 365 <= (until - day).days <= 3 * 365 + 1
    assert (until.month, until.day) == (day.month, day.day) or (day.month, day.day) == (2, 29)
