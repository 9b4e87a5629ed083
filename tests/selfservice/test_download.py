"""The subject's JSON copy: values, purposes, sources, consents."""

from __future__ import annotations

import json

from tests.selfservice.support import entries, person, register

from opeka.app import Opeka
from opeka.auth.context import Auth
from opeka.selfservice.download import FORMAT, data_copy


def test_the_copy_holds_values_purposes_sources_and_consents(opeka: Opeka, auth: Auth) -> None:
    done = register(opeka, auth, values=person(city="Казань"), consents=("2.2.3",))
    with opeka.unit_of_work() as uow:
        copy = data_copy(uow, subject_id=done.subject_id)
    json.dumps(copy)  # serialisable as is
    assert copy["format"] == FORMAT
    assert copy["subject"]["id"] == str(done.subject_id)
    assert copy["sources"] == ["портал: регистрация"]
    city = next(f for f in copy["fields"] if f["code"] == "city")
    assert city["value"] == "Казань"
    assert "2.2.3" in city["purposes"]
    assert copy["purposes"]["2.2.3"]["basis_article"] == "152-ФЗ ст. 6 ч. 1 п. 1"
    assert [c["purpose"] for c in copy["consents"]] == ["2.2.3"]
    assert copy["consents"][0]["event"] == "given"
    assert entries(opeka, done.subject_id)[-1].action == "извлечение"
