"""The events a visitor may register for (purpose 2.2.9).

Kept as a constant: the operator's event list is content, not configuration of the processing;
the policy only says that registering for an event is a purpose. A registration stores which
event it is for in the subject's source, so no table is needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from opeka.policy.schema import Text
from opeka.selfservice.errors import UnknownEvent


@dataclass(frozen=True, slots=True)
class Event:
    """One event: a stable code, its title, date and place."""

    code: str
    title: Text
    date: dt.date
    place: Text


EVENTS: tuple[Event, ...] = (
    Event(
        "webinar-152fz-2026",
        Text(
            ru="Вебинар «152-ФЗ для интернет-магазина: что изменилось»",
            en="Webinar: 152-FZ for an online shop — what has changed",
        ),
        dt.date(2026, 3, 12),
        Text(ru="онлайн", en="online"),
    ),
    Event(
        "licensing-day-2026",
        Text(
            ru="День лицензирования: как купить и зарегистрировать ПО",
            en="Licensing day: buying and registering software",
        ),
        dt.date(2026, 4, 22),
        Text(ru="Москва", en="Moscow"),
    ),
    Event(
        "office-workshop-2026",
        Text(ru="Практикум «Офисный пакет для команды»", en="Workshop: an office suite for a team"),
        dt.date(2026, 5, 20),
        Text(ru="Санкт-Петербург", en="Saint Petersburg"),
    ),
)


def event(code: str) -> Event:
    """The event with ``code``, or :class:`UnknownEvent`."""
    for item in EVENTS:
        if item.code == code:
            return item
    raise UnknownEvent
