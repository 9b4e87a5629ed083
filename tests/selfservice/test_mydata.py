"""«Мои данные»: every field held, its purposes, source, recipients; rectification journaled."""

from __future__ import annotations

import pytest
from tests.selfservice.support import email, entries, person, register

from opeka.app import Opeka
from opeka.auth.context import Auth
from opeka.policy.errors import SubjectBlocked
from opeka.processing.actor import Actor
from opeka.selfservice import mydata
from opeka.selfservice.errors import EmailUnavailable, InvalidForm


def test_my_data_shows_every_field_with_its_purposes_and_source(opeka: Opeka, auth: Auth) -> None:
    done = register(opeka, auth, values=person(phone="+7 916 000-11-22"), consents=("2.2.2",))
    with opeka.unit_of_work() as uow:
        data = mydata.my_data(uow, subject_id=done.subject_id)
    values = {held.code: held.value for held in data.fields}
    assert values["phone"] == "+79160001122"
    assert set(values) == {"last_name", "first_name", "email", "phone"}
    first_name = next(h for h in data.fields if h.code == "first_name")
    assert [p.id for p in first_name.purposes] == ["2.2.1", "2.2.2", "2.2.6", "2.2.7"]
    assert data.source == "портал: регистрация"
    assert data.recipients == ()
    reads = [e for e in entries(opeka, done.subject_id) if e.action == "извлечение"]
    assert reads[-1].purpose == "legal.subject_rights"
    assert reads[-1].actor == f"subject:{done.subject_id}"


def test_a_consent_to_transfer_lists_its_recipients(opeka: Opeka, auth: Auth) -> None:
    done = register(opeka, auth, consents=("2.2.5",))
    with opeka.unit_of_work() as uow:
        data = mydata.my_data(uow, subject_id=done.subject_id)
    assert {r.code for r in data.recipients} == {"rights_holder", "distributor", "reseller"}
    assert all(r.countries == ("RU",) for r in data.recipients)


def test_an_edit_is_journaled_as_rectification_at_the_subjects_request(
    opeka: Opeka, auth: Auth
) -> None:
    done = register(opeka, auth, values=person(phone="+7 916 000-11-22", city="Тверь"))
    values = person(phone="+7 916 999-88-77")
    values.update({"last_name": "Иванова", "first_name": "Мария"})
    with opeka.unit_of_work() as uow:
        current = mydata.my_data(uow, subject_id=done.subject_id)
        values["email"] = next(h.value for h in current.fields if h.code == "email")
        result = mydata.rectify(uow, subject_id=done.subject_id, values=values)
    assert result.updated == ("phone",)
    assert result.erased == ("city",)
    journal = entries(opeka, done.subject_id)
    update = next(e for e in journal if e.action == "уточнение")
    assert update.fields == ("phone",)
    assert update.reason == "уточнение по заявлению субъекта (портал)"
    assert update.purpose == "legal.subject_rights"
    assert update.actor == f"subject:{done.subject_id}"
    erase = next(e for e in journal if e.action == "удаление")
    assert erase.fields == ("city",)


def test_a_mandatory_field_cannot_be_emptied(opeka: Opeka, auth: Auth) -> None:
    done = register(opeka, auth)
    with opeka.unit_of_work() as uow, pytest.raises(InvalidForm) as caught:
        mydata.rectify(uow, subject_id=done.subject_id, values={"first_name": "Мария"})
    assert {"last_name", "email"} <= set(caught.value.errors)
    refused = [e for e in entries(opeka, done.subject_id) if e.result == "refused"]
    assert refused[-1].action == "уточнение"


def test_the_email_of_another_account_is_refused(opeka: Opeka, auth: Auth) -> None:
    taken = email("taken")
    register(opeka, auth, values=person(taken))
    done = register(opeka, auth)
    with opeka.unit_of_work() as uow, pytest.raises(EmailUnavailable):
        mydata.rectify(uow, subject_id=done.subject_id, values=person(taken))


def test_a_blocked_subject_still_sees_their_data(opeka: Opeka, auth: Auth) -> None:
    done = register(opeka, auth)
    with opeka.processing(Actor.system("test"), "legal.subject_rights") as p:
        p.block(done.subject_id, reason="тест")
    with opeka.processing(Actor.system("test"), "2.2.7") as p, pytest.raises(SubjectBlocked):
        p.read(done.subject_id)
    with opeka.unit_of_work() as uow:
        data = mydata.my_data(uow, subject_id=done.subject_id)
    assert data.status == "blocked"
    assert {h.code for h in data.fields} >= {"last_name", "email"}
