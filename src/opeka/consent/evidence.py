"""The evidence kept with a consent record: form id, the network it came from, a browser hash.

The operator must be able to prove a consent (152-FZ art. 9 p. 3) without keeping more personal
data than that proof needs:

- **IP address: truncated, in clear.** IPv4 to its /24, IPv6 to its /48 (``203.0.113.0/24``,
  ``2001:db8:1::/48``): the network an ISP or an organisation holds, not a device. It is kept in
  clear rather than HMAC'd because evidence must be *shown*: an inspector or a court compares it
  with the web server's or the provider's records, which a keyed hash would make impossible
  without handing over the key; and a keyed hash of a prefix (2²⁴ IPv4 /24s) would be
  enumerable by whoever holds the key anyway, so it would hide nothing from the one party able
  to compute it.
- **User agent: SHA-256, never the string.** Enough to confirm "this browser string" when the
  subject or a log shows it; the string itself is a fingerprinting aid and is not stored.
- **Form id**: which form (or paper form number) the consent was given on; never values.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass

IPV4_PREFIX = 24
IPV6_PREFIX = 48
_FORM_ID = re.compile(r"^[\w.:/№ -]{1,100}$")
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def truncate_ip(address: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of ``address``; an IPv4-mapped IPv6 counts as IPv4.

    Raises ValueError (without echoing the input) when it is not an IP address.
    """
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        raise ValueError("not an IP address") from None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def hash_user_agent(user_agent: str) -> str:
    """SHA-256 (hex) of the user-agent string as received."""
    return hashlib.sha256(user_agent.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Evidence:
    """What proves how a consent was obtained (stored as is; build it with :meth:`collect`)."""

    form_id: str | None = None
    ip_prefix: str | None = None
    user_agent_sha256: str | None = None

    def __post_init__(self) -> None:
        if self.form_id is not None and not _FORM_ID.match(self.form_id):
            raise ValueError("form id must be 1-100 letters, digits, spaces or _.:/№-")
        if self.ip_prefix is not None and self.ip_prefix != _network(self.ip_prefix):
            raise ValueError("ip_prefix must be a /24 (IPv4) or /48 (IPv6) network")
        if self.user_agent_sha256 is not None and not _SHA256_HEX.match(self.user_agent_sha256):
            raise ValueError("user_agent_sha256 must be 64 lowercase hex digits")

    @classmethod
    def collect(
        cls, *, form_id: str | None = None, ip: str | None = None, user_agent: str | None = None
    ) -> Evidence:
        """Evidence from a request: the IP is truncated and the user agent hashed here."""
        return cls(
            form_id=form_id,
            ip_prefix=truncate_ip(ip) if ip else None,
            user_agent_sha256=hash_user_agent(user_agent) if user_agent else None,
        )


def _network(prefix: str) -> str | None:
    try:
        network = ipaddress.ip_network(prefix, strict=True)
    except ValueError:
        return None
    expected = IPV4_PREFIX if network.version == 4 else IPV6_PREFIX
    return str(network) if network.prefixlen == expected else None
