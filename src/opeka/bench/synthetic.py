"""Synthetic subjects for benchmarks: fictional, unique e-mails and phones, deterministic."""

from __future__ import annotations

import csv
import random
from pathlib import Path

LAST = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Волков", "Зайцев"]
FIRST = ["Иван", "Пётр", "Анна", "Мария", "Олег", "Елена", "Сергей", "Ольга"]
POSITIONS = ["инженер", "директор", "бухгалтер", "менеджер", "аналитик"]
COLUMNS = [
    "last_name",
    "first_name",
    "position",
    "organization",
    "email",
    "phone",
    "purchase_invoice_number",
]


def client_row(i: int, rng: random.Random) -> list[str]:
    """One client (policy 1.1.4); e-mail and phone unique per ``i``."""
    return [
        rng.choice(LAST),
        rng.choice(FIRST),
        rng.choice(POSITIONS),
        f"ООО «Компания {i % 5000}»",
        f"user{i}@example.org",
        "+7 " + _national(i),
        f"СЧ-{i:08d}",
    ]


def email_of(i: int) -> str:
    """The e-mail of synthetic subject ``i``."""
    return f"user{i}@example.org"


def phone_of(i: int) -> str:
    """The phone of synthetic subject ``i`` as a person might type it."""
    digits = _national(i).replace(" ", "").replace("-", "")
    return f"8 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}"


def _national(i: int) -> str:
    """Ten national digits unique for i < 10⁸ (mobile range 9xx)."""
    d = f"{i:08d}"
    return f"9{d[0:2]} {d[2:5]}-{d[5:7]}-{d[7]}0"


def write_clients_csv(path: Path, n: int, seed: int = 152) -> None:
    """A CSV of ``n`` clients with field codes as the header."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(n):
            writer.writerow(client_row(i, rng))
