"""Whether a subject still has a legal basis for processing after a withdrawal.

The rule (152-FZ art. 9 p. 2 and art. 21 p. 5; policy 5.3), decided in this order:

1. Withdrawing consent *to processing as a whole* (every purpose at once) is what policy 5.3
   describes: it entails deleting the account and destroying the records — **no basis**, whatever
   else the category is under. (Duties the law itself imposes, such as keeping accounting
   documents, are for the destruction request's executor to honour, not a reason to keep the
   subject active.)
2. Otherwise a basis remains if the subject still has an **active consent** for another purpose;
3. or if its category is under a purpose that rests on a **standing basis**: a non-statutory
   purpose whose legal basis is one of art. 6 p. 1 points 2–6 or 11 (a law or treaty, justice,
   public services, a contract with the subject, vital interests, publication required by law)
   — e.g. a client's contract, purpose 2.2.7.

Not standing: consent itself (point 1); the operator's legitimate interests (point 7), which yield
to the subject's demand to stop (art. 21 p. 5.1) and cannot keep data the subject asked to be
rid of; depersonalised research (point 9), which needs no identifiable data; statutory purposes
(``statutory: true``), which exist to answer the subject's own requests and do not justify
keeping the data otherwise. A basis whose article cannot be read is not standing (the subject's
side of the doubt).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from opeka.policy.schema import Policy, Purpose

STANDING_POINTS = frozenset({"2", "3", "3.1", "4", "5", "6", "11"})
"""Points of 152-FZ art. 6 p. 1 that keep a basis after consent is withdrawn."""

_POINT = re.compile(r"ст\.\s*6\s+ч\.\s*1\s+п\.\s*(\d+(?:\.\d+)?)")


def article_point(article: str) -> str | None:
    """The point of art. 6 p. 1 a legal basis cites ("152-ФЗ ст. 6 ч. 1 п. 5" → "5")."""
    found = _POINT.search(article)
    return found.group(1) if found else None


def is_standing(policy: Policy, purpose: Purpose) -> bool:
    """True if ``purpose`` keeps a subject's data lawful without consent (rule 3 above)."""
    if purpose.statutory:
        return False
    basis = policy.legal_bases.get(purpose.basis)
    if basis is None or basis.requires_consent:
        return False
    return article_point(basis.article) in STANDING_POINTS


def remaining_basis(
    policy: Policy, *, category: str, active_consents: Collection[str], withdrew_all: bool
) -> bool:
    """Whether a basis remains after a withdrawal (the rule in the module docstring)."""
    if withdrew_all:
        return False
    if active_consents:
        return True
    return any(
        is_standing(policy, purpose)
        for purpose in policy.purposes.values()
        if category in purpose.subject_categories
    )
