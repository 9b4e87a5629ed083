"""Which purposes a request may name: consents to withdraw, processing to stop."""

from __future__ import annotations

from collections.abc import Sequence

from opeka.policy.rules import Rules
from opeka.requests.errors import InvalidPurposes
from opeka.requests.kinds import RequestKind
from opeka.requests.store import ALL_PURPOSES

__all__ = ["check_purposes", "consent_purposes"]


def consent_purposes(rules: Rules) -> tuple[str, ...]:
    """The policy's purposes that rest on consent (what a withdrawal can withdraw)."""
    return tuple(
        pid
        for pid, purpose in rules.policy.purposes.items()
        if rules.basis(purpose).requires_consent
    )


def check_purposes(rules: Rules, kind: RequestKind, purposes: Sequence[str]) -> tuple[str, ...]:
    """The purposes of a request of ``kind``, checked and deduplicated in policy order.

    A withdrawal needs at least one consent-based purpose, or ``*`` for every consent; a
    demand to stop processing may name non-statutory purposes; other kinds name none.
    """
    given = tuple(dict.fromkeys(p.strip() for p in purposes if p.strip()))
    if kind is RequestKind.WITHDRAWAL:
        if given == (ALL_PURPOSES,):
            return given
        allowed = consent_purposes(rules)
        what_ru = "отзыв согласия: укажите цели, основанные на согласии"
    elif kind is RequestKind.STOP_PROCESSING:
        if not given:
            return ()
        allowed = tuple(p for p, spec in rules.policy.purposes.items() if not spec.statutory)
        what_ru = "прекращение обработки: укажите цели из политики"
    elif given:
        raise InvalidPurposes(
            f"a request of kind {kind} names no purposes",
            message_ru="для запроса этого вида цели не указываются",
        )
    else:
        return ()
    wrong = [p for p in given if p not in allowed]
    if not given or wrong:
        listed = ", ".join(allowed)
        raise InvalidPurposes(
            f"{kind} needs purposes among: {listed} (or * for all consents)"
            if kind is RequestKind.WITHDRAWAL
            else f"{kind} may name purposes among: {listed}",
            message_ru=f"{what_ru} ({listed})",
        )
    return tuple(p for p in allowed if p in given)
