"""Helpers of the authentication tests: cheap hashing parameters, a fixed clock, subjects."""

from __future__ import annotations

import datetime as dt
import uuid

from opeka.app import Opeka
from opeka.auth.passwords import PasswordParams
from opeka.processing import Actor

FAST = PasswordParams(time_cost=1, memory_cost=8, parallelism=1)
"""The cheapest argon2id parameters (the default costs ~55 ms a hash)."""

NOW = dt.datetime(2026, 11, 25, 10, 0, 0, tzinfo=dt.UTC)
GOOD_PASSWORD = "Correct-horse-7"
OTHER_PASSWORD = "Battery-staple-9"
IP = "203.0.113.7"


def at(minutes: float = 0, *, seconds: float = 0) -> dt.datetime:
    """A time ``minutes`` (and ``seconds``) after :data:`NOW`."""
    return NOW + dt.timedelta(minutes=minutes, seconds=seconds)


def collect(opeka: Opeka, category: str, email: str) -> uuid.UUID:
    """Collect a subject of ``category`` with ``email`` through the spine."""
    values = {"last_name": "Тестова", "first_name": "Анна", "email": email}
    if category == "visitor":
        values.pop("last_name")
    if category == "client":
        values["organization"] = "ООО «Пример»"
    purpose = "2.2.6" if category == "visitor" else "2.2.7"
    with opeka.processing(Actor.system("test"), purpose) as processing:
        return processing.collect(category=category, values=values, source="test")


def unique(prefix: str) -> str:
    """``prefix`` made unique (tests share a store per module)."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"
