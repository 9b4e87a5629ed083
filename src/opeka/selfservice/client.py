"""Who submitted a form, as far as the proof of a consent needs it: address, browser, language."""

from __future__ import annotations

from dataclasses import dataclass

from opeka.consent.evidence import Evidence, hash_user_agent, truncate_ip


@dataclass(frozen=True, slots=True, repr=False)
class Client:
    """The submitting client (``repr`` hides the address)."""

    ip: str | None = None
    user_agent: str | None = None
    language: str = "ru"

    def __repr__(self) -> str:
        return f"Client(language={self.language!r})"

    def evidence(self, form_id: str) -> Evidence:
        """The consent evidence of a submission of ``form_id``: /24 or /48 network, UA hash."""
        try:
            prefix = truncate_ip(self.ip) if self.ip else None
        except ValueError:  # not an IP address (a test client, a unix socket): keep none
            prefix = None
        agent = hash_user_agent(self.user_agent) if self.user_agent else None
        return Evidence(form_id=form_id, ip_prefix=prefix, user_agent_sha256=agent)
