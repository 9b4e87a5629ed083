"""Synthetic subjects for tests (fictional names; e-mails on example.org, phones in +7 999)."""

from __future__ import annotations

import random


def client_values(i: int) -> dict[str, str]:
    """A valid client (policy 1.1.4) with unique e-mail and phone."""
    return {
        "last_name": f"Тестов{_suffix(i)}",
        "first_name": "Пётр",
        "organization": f"ООО «Пример {i}»",
        "position": "инженер",
        "email": f"client{i}@example.org",
        "phone": f"+7 999 {i // 10000 % 1000:03d}-{i // 100 % 100:02d}-{i % 100:02d}",
        "purchase_invoice_number": f"INV-{i:07d}",
    }


def visitor_values(i: int) -> dict[str, str]:
    """A valid visitor (policy 1.1.2)."""
    return {"first_name": "Анна", "email": f"visitor{i}@example.org"}


def _suffix(i: int) -> str:
    letters = "абвгдежзиклмнопрстуфхцчшэюя"
    rng = random.Random(i)
    return "".join(rng.choice(letters) for _ in range(4))
