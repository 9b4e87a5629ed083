"""The submitting client's consent evidence: a truncated network, a browser hash, no address."""

from __future__ import annotations

from opeka.selfservice.client import Client


def test_evidence_truncates_the_address_and_hashes_the_browser() -> None:
    evidence = Client(ip="198.51.100.23", user_agent="UA/1").evidence("portal:test")
    assert evidence.ip_prefix == "198.51.100.0/24"
    assert evidence.user_agent_sha256 is not None
    assert len(evidence.user_agent_sha256) == 64
    assert evidence.form_id == "portal:test"


def test_evidence_of_a_client_without_an_ip_keeps_no_address() -> None:
    assert Client(ip="testclient").evidence("portal:test").ip_prefix is None


def test_the_client_repr_hides_the_address() -> None:
    assert "198.51" not in repr(Client(ip="198.51.100.23"))
