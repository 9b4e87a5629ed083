"""The fast path for plain e-mail addresses agrees with email-validator on everything it takes."""

from __future__ import annotations

import string

from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from opeka.policy.values import _plain_email

ATOM = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-"
LABEL = string.ascii_letters + string.digits + "-"

local_parts = st.lists(st.text(ATOM, min_size=1, max_size=12), min_size=1, max_size=4).map(".".join)
labels = st.one_of(
    st.text(LABEL, min_size=1, max_size=20), st.sampled_from(["ab--cd", "a-b", "x1"])
)
domains = st.builds(
    lambda parts, tld: ".".join([*parts, tld]),
    st.lists(labels, min_size=1, max_size=3),
    st.text(string.ascii_letters, min_size=2, max_size=8),
)


@settings(max_examples=400, deadline=None)
@given(local=local_parts, domain=domains)
def test_fast_path_accepts_only_what_the_library_accepts_with_the_same_result(
    local: str, domain: str
) -> None:
    address = f"{local}@{domain}"
    fast = _plain_email(address)
    if fast is None:
        return
    checked = validate_email(address, check_deliverability=False)
    assert fast == f"{checked.local_part}@{checked.domain.lower()}"


@given(st.text(max_size=40))
def test_fast_path_never_accepts_what_the_library_refuses(text: str) -> None:
    fast = _plain_email(text)
    if fast is None:
        return
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:  # pragma: no cover - a failure is the test failing
        raise AssertionError("fast path accepted an address the library refuses") from exc


def test_special_use_and_punycode_domains_go_to_the_library() -> None:
    assert _plain_email("a@host.local") is None
    assert _plain_email("a@xn--80ak6aa92e.com") is None
    assert _plain_email("a@ab--cd.com") is None  # the library refuses it
    assert _plain_email("Ivan.Petrov@Example.ORG") == "Ivan.Petrov@example.org"
