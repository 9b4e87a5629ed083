"""Publishing consent documents: idempotent, versions superseded, who must consent again."""

from __future__ import annotations

import uuid
from pathlib import Path

from tests.consent.support import (
    POSITION,
    POSITION_EDITED,
    STAFF,
    current_version,
    edited_policy,
    new_client,
)

from opeka.app import Opeka
from opeka.consent import records, registry
from opeka.consent.documents import render_documents
from opeka.policy.loader import load_policy
from opeka.policy.schema import Policy

ADDRESS = 'address: "123456, г. Москва, ул. Примерная, д. 1" '


def publish(opeka: Opeka, policy: Policy) -> list[registry.Change]:
    with opeka.unit_of_work() as uow:
        return registry.publish(uow.data, policy)


def give(opeka: Opeka, sid: uuid.UUID, document_id: str) -> None:
    with opeka.unit_of_work() as uow:
        records.give(
            uow,
            actor=STAFF,
            subject_id=sid,
            document_id=document_id,
            version=current_version(opeka, document_id),
            channel="paper",
        )


def reconsent(opeka: Opeka) -> list[tuple[uuid.UUID, str]]:
    with opeka.data_engine.connect() as conn:
        return list(registry.reconsent_needed(conn))


def test_init_publishes_every_document_and_publishing_again_changes_nothing(
    opeka: Opeka,
) -> None:
    rendered = render_documents(opeka.policy)
    assert publish(opeka, opeka.policy) == []  # `opeka init` published them
    with opeka.data_engine.connect() as conn:
        listed = registry.listing(conn)
        assert [(d.id, d.version, d.text_hash) for d in listed] == sorted(
            (d.id, d.version, d.text_hash) for d in rendered
        )
        stored = registry.text(conn, rendered[0].id, rendered[0].version)
        html = registry.text(conn, rendered[0].id, rendered[0].version, fmt="html")
    assert stored == rendered[0].text
    assert html == rendered[0].html


def test_a_material_change_makes_new_versions_supersedes_the_old_and_asks_for_reconsent(
    opeka: Opeka, tmp_path: Path
) -> None:
    publish(opeka, opeka.policy)
    client = new_client(opeka)
    give(opeka, client, "consent:2.2.8:client")  # lists the position
    give(opeka, client, "consent:2.2.3:client")  # lists it too
    assert reconsent(opeka) == []
    old = current_version(opeka, "consent:2.2.8:client")

    changes = publish(opeka, load_policy(edited_policy(tmp_path, POSITION, POSITION_EDITED)))

    assert {c.document_id for c in changes} == {
        d.id for d in render_documents(opeka.policy) if "position" in d.fields
    }
    assert all(c.material and c.kind == "material" for c in changes)
    new = current_version(opeka, "consent:2.2.8:client")
    assert new != old
    with opeka.data_engine.connect() as conn:
        superseded = registry.get(conn, "consent:2.2.8:client", old)
    assert superseded is not None
    assert not superseded.current
    assert superseded.reconsent_required
    assert reconsent(opeka) == [(client, "2.2.3"), (client, "2.2.8")]


def test_consenting_to_the_new_version_takes_the_subject_off_the_reconsent_list(
    opeka: Opeka, tmp_path: Path
) -> None:
    publish(opeka, opeka.policy)
    client = new_client(opeka)
    give(opeka, client, "consent:2.2.8:client")
    publish(opeka, load_policy(edited_policy(tmp_path, POSITION, POSITION_EDITED)))
    assert reconsent(opeka) == [(client, "2.2.8")]
    give(opeka, client, "consent:2.2.8:client")
    assert reconsent(opeka) == []


def test_a_withdrawn_consent_is_not_asked_again(opeka: Opeka, tmp_path: Path) -> None:
    publish(opeka, opeka.policy)
    client = new_client(opeka)
    give(opeka, client, "consent:2.2.8:client")
    with opeka.unit_of_work() as uow:
        records.withdraw(uow, actor=STAFF, subject_id=client, purposes=["2.2.8"], channel="email")
    publish(opeka, load_policy(edited_policy(tmp_path, POSITION, POSITION_EDITED)))
    assert reconsent(opeka) == []


def test_a_wording_change_makes_a_new_version_but_consents_stay_valid(
    opeka: Opeka, tmp_path: Path
) -> None:
    publish(opeka, opeka.policy)
    client = new_client(opeka)
    give(opeka, client, "consent:2.2.8:client")
    changes = publish(opeka, load_policy(edited_policy(tmp_path, "address: null ", ADDRESS)))
    assert len(changes) == len(render_documents(opeka.policy))
    assert {c.kind for c in changes} == {"wording"}
    assert not any(c.material for c in changes)
    assert reconsent(opeka) == []


def test_a_policy_version_bump_alone_keeps_every_published_version(
    opeka: Opeka, tmp_path: Path
) -> None:
    publish(opeka, opeka.policy)
    before = current_version(opeka, "consent:2.2.8:visitor")
    bumped = load_policy(edited_policy(tmp_path, 'version: "2026.1"', 'version: "2026.2"'))
    assert publish(opeka, bumped) == []
    assert current_version(opeka, "consent:2.2.8:visitor") == before


def test_going_back_to_an_earlier_text_makes_that_version_current_again(
    opeka: Opeka, tmp_path: Path
) -> None:
    publish(opeka, opeka.policy)
    original = current_version(opeka, "consent:2.2.8:client")
    client = new_client(opeka)
    give(opeka, client, "consent:2.2.8:client")
    publish(opeka, load_policy(edited_policy(tmp_path, POSITION, POSITION_EDITED)))
    assert reconsent(opeka) == [(client, "2.2.8")]
    changes = publish(opeka, opeka.policy)
    assert {c.kind for c in changes} == {"material"}
    assert current_version(opeka, "consent:2.2.8:client") == original
    assert reconsent(opeka) == []


def test_a_purpose_that_no_longer_rests_on_consent_retires_its_documents(
    opeka: Opeka, tmp_path: Path
) -> None:
    publish(opeka, opeka.policy)
    edited = edited_policy(
        tmp_path,
        '    clause: "2.2.9"\n    basis: consent',
        '    clause: "2.2.9"\n    basis: legitimate_interest',
    )
    changes = publish(opeka, load_policy(edited))
    assert sorted((c.document_id, c.kind, c.new_version) for c in changes) == [
        ("consent:2.2.9:registered", "retired", None),
        ("consent:2.2.9:visitor", "retired", None),
    ]
    with opeka.data_engine.connect() as conn:
        assert registry.current(conn, "consent:2.2.9:visitor") is None
        assert len(registry.listing(conn)) == 8
        assert len(registry.listing(conn, include_superseded=True)) == 10
