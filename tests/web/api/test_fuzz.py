"""Schemathesis against ``/api/openapi.json``: no 5xx, and every answer as the schema says it.

Each operation is called with a valid key (every scope; purposes 2.2.7 and
legal.subject_rights) through three sources of cases: Schemathesis' coverage cases (boundary
and invalid values of every parameter and body member, missing headers), the operation's
documented examples, and Hypothesis-generated valid and invalid requests — where half of the
path ids are replaced by a real subject, consent record or request so that the calls reach the
spine and not only "not found". Bounded to run in a few seconds per backend.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.factories import client_values
from tests.web.api.support import CONTRACT, DUTY, make_key

from opeka.app import Opeka
from opeka.consent import records, registry
from opeka.processing import Actor
from opeka.requests import service

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
EXAMPLES_PER_OPERATION = 12
FUZZ = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def real_ids(shared: Opeka) -> dict[str, str]:
    """Ids of a real subject, consent record and request, to put into some paths."""
    staff = Actor.staff("fuzz")
    with shared.processing(staff, CONTRACT) as p:
        sid = p.collect(category="client", values=client_values(777_001), source="fuzz")
    with shared.unit_of_work() as uow:
        document = registry.current(uow.data, "consent:2.2.8:client")
        assert document is not None
        record = records.give(
            uow,
            actor=staff,
            document_id=document.id,
            version=document.version,
            channel="api",
            subject_id=sid,
        )
        request = service.open_request(
            uow,
            kind="access",
            channel="api",
            received_at=dt.datetime.now(dt.UTC),
            subject_id=sid,
            actor=staff,
        )
    return {"subject_id": str(sid), "record_id": str(record.id), "request_id": str(request.id)}


@pytest.fixture(scope="module")
def api_schema(app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def call(case: Case[Any], token: str, purpose: str) -> None:
    """Call with the key and an allowed purpose; fail on a 5xx or a non-conforming answer."""
    headers = {"Authorization": f"Bearer {token}", "X-Opeka-Purpose": purpose}
    case.call_and_validate(headers=headers, checks=CHECKS)


def test_no_operation_answers_5xx_or_outside_its_schema(
    api_schema: schemathesis.BaseSchema, shared: Opeka, real_ids: dict[str, str]
) -> None:
    token = make_key(shared, purposes=[CONTRACT, DUTY]).token
    found = [result.ok() for result in api_schema.get_all_operations() if isinstance(result, Ok)]
    operations = [op for op in found if op.path != "/api/v1/health"]  # nothing to negate there
    assert len(operations) == 12
    for operation in operations:
        config = api_schema.config.generation_for(operation=operation)
        for case in api_schema.iter_coverage_cases(
            operation, generation_modes=MODES, generation_config=config
        ):
            call(case, token, CONTRACT)
        for strategy in api_schema.get_strategies_from_examples(operation):
            examples(strategy, token)
        for mode in MODES:
            fuzz(operation.as_strategy(mode), token, real_ids)


def examples(strategy: st.SearchStrategy[Case[Any]], token: str) -> None:
    """The operation's documented examples, as they are."""

    @settings(FUZZ, max_examples=5)
    @given(case=strategy)
    def run(case: Case[Any]) -> None:
        call(case, token, CONTRACT)

    run()


def fuzz(strategy: st.SearchStrategy[Case[Any]], token: str, real_ids: dict[str, str]) -> None:
    """Generated requests; half of them about real objects, under either allowed purpose."""

    @FUZZ
    @given(case=strategy, purpose=st.sampled_from([CONTRACT, DUTY]), real=st.booleans())
    def run(case: Case[Any], purpose: str, real: bool) -> None:
        if real and case.path_parameters:
            for name in case.path_parameters:
                case.path_parameters[name] = real_ids.get(name, case.path_parameters[name])
        call(case, token, purpose)

    run()
