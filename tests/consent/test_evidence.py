"""Consent evidence: IP truncated to its network, user agent hashed, form id checked."""

from __future__ import annotations

import hashlib
import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opeka.consent.evidence import Evidence, hash_user_agent, truncate_ip


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("10.1.2.3", "10.1.2.0/24"),
        ("2001:db8:abcd:12:34::1", "2001:db8:abcd::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        (" 192.0.2.255 ", "192.0.2.0/24"),
    ],
)
def test_ip_addresses_are_cut_to_their_network(address: str, network: str) -> None:
    assert truncate_ip(address) == network


@given(st.ip_addresses())
def test_every_address_lies_in_its_truncated_network_of_the_fixed_size(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    network = ipaddress.ip_network(truncate_ip(str(address)))
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    assert address in network
    assert network.prefixlen == (24 if network.version == 4 else 48)
    assert Evidence(ip_prefix=str(network)).ip_prefix == str(network)


def test_a_non_address_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="not an IP address") as info:
        truncate_ip("ivan@example.org")
    assert "ivan" not in str(info.value)


def test_the_user_agent_is_kept_only_as_its_sha256() -> None:
    agent = "Mozilla/5.0 (X11; Linux x86_64)"
    evidence = Evidence.collect(user_agent=agent, ip="203.0.113.5", form_id="question-form")
    assert evidence.user_agent_sha256 == hashlib.sha256(agent.encode()).hexdigest()
    assert evidence.user_agent_sha256 == hash_user_agent(agent)
    assert agent not in repr(evidence)
    assert "203.0.113.5" not in repr(evidence)


@pytest.mark.parametrize(
    "bad",
    [
        {"ip_prefix": "203.0.113.7/32"},
        {"ip_prefix": "203.0.0.0/16"},
        {"ip_prefix": "2001:db8::/64"},
        {"user_agent_sha256": "Mozilla/5.0"},
        {"form_id": "<script>"},
        {"form_id": ""},
    ],
)
def test_evidence_that_could_hold_more_than_the_proof_needs_is_refused(
    bad: dict[str, str],
) -> None:
    with pytest.raises(ValueError):
        Evidence(**bad)


def test_empty_evidence_is_allowed_for_paper_consents() -> None:
    assert Evidence.collect() == Evidence(None, None, None)
    assert Evidence(form_id="бумажная форма № 7").form_id == "бумажная форма № 7"
