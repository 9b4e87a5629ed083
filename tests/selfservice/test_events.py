"""The events a visitor may register for."""

from __future__ import annotations

import pytest

from opeka.selfservice.errors import UnknownEvent
from opeka.selfservice.events import EVENTS, event


def test_events_have_unique_codes_and_unknown_ones_are_refused() -> None:
    assert len({e.code for e in EVENTS}) == len(EVENTS)
    assert event(EVENTS[0].code) is EVENTS[0]
    with pytest.raises(UnknownEvent):
        event("nope")
