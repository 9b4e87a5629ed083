"""The banner's notice, built from the policy's ``cookies`` section (policy 6.2–6.5).

The cookie-notice *version* is a hash of that section and of the policy's version: any change
to the cookie kinds, their texts or the policy makes every stored choice stale, so the banner
asks again. A choice also expires after ``expiry_days`` (default 182, at most 13 months).

Categories whose consent Global Privacy Control withholds (:data:`GPC_CATEGORIES`) stay off for
a browser sending GPC until the person turns them on one by one.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from opeka.policy.schema import Policy, Text

DEFAULT_EXPIRY_DAYS = 182
MAX_EXPIRY_DAYS = 396  # 13 months
GPC_CATEGORIES = frozenset({"analytics"})
COOKIE_NAME = "opeka_consent"
LANGUAGES = ("ru", "en")

UI: dict[str, Text] = {
    "title": Text(ru="Файлы cookie на этом сайте", en="Cookies on this website"),
    "intro": Text(
        ru="Cookie-файлы для входа на сайт нужны всегда. Остальные мы используем только "
        "с вашего согласия — выберите, какие разрешить. Изменить выбор можно в любой момент "
        "по ссылке «Настройки cookie».",
        en="Cookies for signing in are always needed. We use the others only with your "
        "consent — choose which to allow. You can change your choice at any time with the "
        "“Cookie settings” link.",
    ),
    "policy": Text(ru="Политика конфиденциальности, раздел 6", en="Privacy Policy, section 6"),
    "accept": Text(ru="Принять все", en="Accept all"),
    "accept_gpc": Text(ru="Принять все, кроме аналитики", en="Accept all but analytics"),
    "reject": Text(ru="Только необходимые", en="Necessary only"),
    "customise": Text(ru="Настроить", en="Customise"),
    "save": Text(ru="Сохранить выбор", en="Save my choice"),
    "close": Text(ru="Закрыть", en="Close"),
    "always": Text(ru="всегда включены", en="always on"),
    "categories": Text(ru="Категории cookie-файлов", en="Cookie categories"),
    "clause": Text(ru="п.", en="clause"),
    "gpc": Text(
        ru="Ваш браузер передаёт сигнал Global Privacy Control: аналитика выключена, "
        "пока вы сами её не включите.",
        en="Your browser sends Global Privacy Control: analytics stays off unless you "
        "turn it on yourself.",
    ),
}


@dataclass(frozen=True, slots=True)
class Category:
    """One cookie kind of the policy as the banner shows it."""

    code: str
    title: Text
    description: Text
    clause: str
    always_on: bool
    expiry_days: int


@dataclass(frozen=True)
class BannerConfig:
    """What the banner needs: the categories, the notice version and the choice's lifetime."""

    version: str
    policy_version: str
    expiry_days: int
    categories: tuple[Category, ...]
    policy_url: str = "/policy"

    @functools.cached_property
    def optional(self) -> tuple[str, ...]:
        """Codes of the categories that need consent, in the policy's order."""
        return tuple(c.code for c in self.categories if not c.always_on)

    @functools.cached_property
    def order(self) -> dict[str, int]:
        """The position of each optional category (decisions list them in this order)."""
        return {code: i for i, code in enumerate(self.optional)}

    def to_json(self, *, gpc: bool) -> dict[str, Any]:
        """The JSON the banner fetches (``gpc``: the request carried ``Sec-GPC: 1``)."""
        return {
            "v": self.version,
            "days": self.expiry_days,
            "gpc": gpc,
            "gpcOff": sorted(GPC_CATEGORIES & set(self.optional)),
            "lang": LANGUAGES[0],
            "events": "events",
            "policy": self.policy_url,
            "categories": [
                {
                    "code": c.code,
                    "on": c.always_on,
                    "clause": c.clause,
                    "title": c.title.model_dump(),
                    "text": c.description.model_dump(),
                }
                for c in self.categories
            ],
            "t": {
                lang: {key: getattr(text, lang) for key, text in UI.items()} for lang in LANGUAGES
            },
        }


def cookie_version(policy: Policy) -> str:
    """A short hash of the policy's version and its ``cookies`` section."""
    section = {code: kind.model_dump(mode="json") for code, kind in policy.cookies.items()}
    canonical = json.dumps(
        {"policy": policy.version, "cookies": section},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def banner_config(
    policy: Policy, *, expiry_days: int = DEFAULT_EXPIRY_DAYS, policy_url: str = "/policy"
) -> BannerConfig:
    """The banner's notice for ``policy``; always-on kinds come first."""
    if not 1 <= expiry_days <= MAX_EXPIRY_DAYS:
        raise ValueError(f"a cookie choice expires after 1 to {MAX_EXPIRY_DAYS} days")
    categories = [
        Category(
            code=code,
            title=kind.title,
            description=kind.description,
            clause=kind.clause,
            always_on=kind.always_on,
            expiry_days=kind.expiry_days,
        )
        for code, kind in policy.cookies.items()
    ]
    categories.sort(key=lambda c: not c.always_on)
    return BannerConfig(
        version=cookie_version(policy),
        policy_version=policy.version,
        expiry_days=expiry_days,
        categories=tuple(categories),
        policy_url=policy_url,
    )


def gpc_json(policy: Policy) -> dict[str, Any]:
    """``/.well-known/gpc.json``: this site honours Global Privacy Control."""
    return {"gpc": True, "lastUpdate": policy.effective_date.isoformat()}
