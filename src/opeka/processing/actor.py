"""Who performs an operation: a staff member, an API client, the subject, or the system."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ActorKind = Literal["staff", "api", "subject", "system", "cli"]
_ID = re.compile(r"^[A-Za-z0-9_.:@-]{1,64}$")


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor as the journal names it: ``kind:id`` (no personal data in the id)."""

    kind: ActorKind
    id: str

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError("actor id must be 1-64 characters of letters, digits and _.:@-")

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def staff(cls, login: str) -> Actor:
        """A member of the operator's staff."""
        return cls("staff", login)

    @classmethod
    def system(cls, job: str) -> Actor:
        """Opeka itself (a scheduled job)."""
        return cls("system", job)

    @classmethod
    def cli(cls, user: str) -> Actor:
        """An operator at the command line."""
        return cls("cli", user)
