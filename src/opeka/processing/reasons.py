"""Why data are destroyed: reason codes tied to the article of 152-FZ (Order 179 p. 3 "и")."""

from __future__ import annotations

from types import MappingProxyType

DESTRUCTION_REASONS = MappingProxyType(
    {
        "withdrawal": "отзыв согласия субъекта (152-ФЗ ст. 21 ч. 5; политика п. 5.3)",
        "purpose_achieved": "достижение цели обработки (152-ФЗ ст. 21 ч. 4)",
        "unlawful": "невозможность обеспечить правомерность обработки (152-ФЗ ст. 21 ч. 3)",
        "unlawfully_obtained": (
            "данные незаконно получены или не являются необходимыми (152-ФЗ ст. 20 ч. 3)"
        ),
        "demand": "требование субъекта об уничтожении (152-ФЗ ст. 14 ч. 1, ст. 21 ч. 5.1)",
        "retention_expired": "истечение срока хранения (152-ФЗ ст. 5 ч. 7)",
    }
)


def destruction_reason(code: str) -> str:
    """The legal wording of a reason code; ValueError names the accepted codes."""
    try:
        return DESTRUCTION_REASONS[code]
    except KeyError:
        accepted = ", ".join(DESTRUCTION_REASONS)
        raise ValueError(f"unknown destruction reason `{code}`; use one of: {accepted}") from None
