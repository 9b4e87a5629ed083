"""The wired authentication services: keys, password hasher, rate limiter, cookie sealer.

Built once per process next to :class:`~opeka.app.Opeka` (``Auth.from_opeka(opeka)``) and
passed to the service functions, which take it as the keyword ``auth``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from opeka.auth.config import AuthConfig
from opeka.auth.cookie import CookieSealer
from opeka.auth.keys import AuthKeys, keyed_digest
from opeka.auth.passwords import PasswordHasher
from opeka.auth.ratelimit import RateLimiter
from opeka.policy.schema import Policy
from opeka.vault.keyfiles import MasterKey

if TYPE_CHECKING:
    from opeka.app import Opeka


@dataclass(frozen=True, slots=True)
class Auth:
    """What authentication needs, built from the master key, the policy and the config."""

    config: AuthConfig
    policy: Policy
    keys: AuthKeys
    passwords: PasswordHasher
    limiter: RateLimiter
    cookies: CookieSealer

    @classmethod
    def create(cls, *, master: MasterKey, policy: Policy, config: AuthConfig | None = None) -> Auth:
        """Derive the keys and build the services."""
        config = config or AuthConfig()
        keys = AuthKeys.from_master(master)
        return cls(
            config=config,
            policy=policy,
            keys=keys,
            passwords=PasswordHasher(config.password),
            limiter=RateLimiter(keys.rate_limit),
            cookies=CookieSealer(keys.cookie),
        )

    @classmethod
    def from_opeka(cls, opeka: Opeka, config: AuthConfig | None = None) -> Auth:
        """The services for a wired Opeka."""
        return cls.create(master=opeka.master, policy=opeka.policy, config=config)

    def user_agent_hash(self, user_agent: str | None) -> bytes | None:
        """The keyed hash a session keeps of its User-Agent header (None when absent)."""
        return keyed_digest(self.keys.user_agent, user_agent) if user_agent else None
