"""Extending a term once, with a reasoned notice; every refusal path."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.requests.support import STAFF, load, msk, open_request, reasons, verify

from opeka.app import Opeka
from opeka.requests import service, store
from opeka.requests.errors import (
    AlreadyExtended,
    ExtensionTooLate,
    IdentifiersInText,
    NotExtendable,
    TransitionRefused,
)
from opeka.requests.extension import ExtensionNotice, extend

D = dt.date
REASON = "сведения хранятся в архиве и требуют дополнительной выборки"


def extend_(opeka: Opeka, ref: str, today: dt.date, reason: str = REASON) -> ExtensionNotice:
    with opeka.unit_of_work() as uow:
        return extend(uow, request_id=ref, reason=reason, actor=STAFF, today=today)


def test_an_access_request_is_extended_once_by_five_working_days(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2025, 12, 26))
    notice = extend_(shared, row.number, D(2026, 1, 20))
    assert (notice.due, notice.extended_due) == (D(2026, 1, 21), D(2026, 1, 28))
    stored = load(shared, row.id)
    assert stored.extended_due_date == D(2026, 1, 28)
    assert stored.effective_due == D(2026, 1, 28)
    assert stored.extension_reason == REASON
    assert stored.due_date == D(2026, 1, 21)  # the original deadline is kept
    assert reasons(shared, row.number)[-1] == (
        f"запрос {row.number}: срок продлён до 2026-01-28, направлено мотивированное уведомление"
    )
    with shared.data_engine.connect() as conn:
        assert store.events(conn, row.id)[-1].event == "extended"


def test_the_notice_is_reasoned_and_in_russian(shared: Opeka) -> None:
    row = open_request(shared, "question", msk(2025, 12, 26))
    text = extend_(shared, row.number, D(2026, 1, 21)).text_ru  # the last day is still in time
    assert f"№ {row.number}" in text
    assert "полученный 26.12.2025" in text
    assert "на 5 рабочих дней — до 28.01.2026 включительно" in text
    assert "первоначальный срок — 21.01.2026" in text
    assert "ч. 3 ст. 14" in text
    assert f"Причина продления: {REASON}" in text
    assert text.endswith("«КМ АССИСТЕНС»")


def test_a_stop_demand_is_extended_under_its_own_article(shared: Opeka) -> None:
    row = open_request(shared, "stop_processing", msk(2025, 12, 26))
    notice = extend_(shared, row.number, D(2026, 1, 12))
    assert notice.extended_due == D(2026, 1, 28)
    assert "ч. 5.1 ст. 21" in notice.text_ru


def test_an_unverified_request_can_be_extended(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    assert row.verified_at is None
    assert extend_(shared, row.number, D(2026, 2, 3)).extended_due == D(2026, 2, 24)


def test_a_second_extension_is_refused(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2025, 12, 26))
    extend_(shared, row.number, D(2026, 1, 20))
    with pytest.raises(AlreadyExtended):
        extend_(shared, row.number, D(2026, 1, 21))
    assert load(shared, row.id).extended_due_date == D(2026, 1, 28)


def test_a_kind_without_extension_is_refused(shared: Opeka) -> None:
    row = open_request(shared, "rectification", msk(2026, 2, 2))
    with pytest.raises(NotExtendable):
        extend_(shared, row.number, D(2026, 2, 3))


def test_an_extension_after_the_deadline_is_refused(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2025, 12, 26))
    with pytest.raises(ExtensionTooLate):
        extend_(shared, row.number, D(2026, 1, 22))
    assert load(shared, row.id).extended_due_date is None


def test_a_closed_request_cannot_be_extended(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    with shared.unit_of_work() as uow:
        service.refuse(uow, request_id=row.id, reason="запрос отозван заявителем", actor=STAFF)
    with pytest.raises(TransitionRefused):
        extend_(shared, row.number, D(2026, 2, 3))


def test_a_reason_with_a_phone_is_refused(shared: Opeka) -> None:
    row = open_request(shared, "access", msk(2026, 2, 2))
    verify(shared, row.id)
    with pytest.raises(IdentifiersInText):
        extend_(shared, row.number, D(2026, 2, 3), reason="звонили по +7 999 123-45-67")
