"""Fixtures of the consent tests (helpers are in tests/consent/support.py)."""

from __future__ import annotations

import pytest

from opeka.app import Opeka
from opeka.consent import registry


@pytest.fixture
def published(opeka: Opeka) -> Opeka:
    """An Opeka whose consent documents are published."""
    with opeka.unit_of_work() as uow:
        registry.publish(uow.data, opeka.policy)
    return opeka
