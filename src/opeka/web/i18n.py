"""Language of the pages: Russian by default, English on request (policy 6.2 preferences cookie).

The preferences cookie ``opeka_lang`` is a "preferences" cookie of policy 6.2; it is set only when
the person switches the language. Texts are pairs (Russian, English) kept next to the code that
shows them; :func:`pick` chooses one.
"""

from __future__ import annotations

from typing import Literal

from starlette.requests import Request

Language = Literal["ru", "en"]
LANG_COOKIE = "opeka_lang"


def language(request: Request) -> Language:
    """The page language: the preferences cookie if set to ``en``, else Russian."""
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "ru"


def pick(lang: Language, ru: str, en: str) -> str:
    """The text for ``lang``."""
    return en if lang == "en" else ru
