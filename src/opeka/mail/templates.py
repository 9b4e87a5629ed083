"""Mail texts, kept in one place: ``templates/<name>.txt`` (Jinja2, plain text).

A template's first line is ``Subject: <subject>``, then a blank line, then the body: Russian
first, English second. Autoescaping is off (the output is plain text), so the values must be
plain one-line text: :func:`render` refuses line breaks, control characters and ``<``/``>`` in
any value, which keeps headers and bodies free of injected lines or markup.
"""

from __future__ import annotations

from collections.abc import Mapping

from jinja2 import Environment, PackageLoader, StrictUndefined

from opeka.mail.errors import TemplateValueRefused
from opeka.mail.message import OutgoingMail

_ENV = Environment(
    loader=PackageLoader("opeka.mail", "templates"),
    autoescape=False,  # noqa: S701  (plain-text mail; values are checked by _check)
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
_SUBJECT = "Subject: "


def _check(values: Mapping[str, object]) -> None:
    for name, value in values.items():
        text = str(value)
        if any(c in "<>" or (ord(c) < 32 and c != "\t") or ord(c) == 127 for c in text):
            raise TemplateValueRefused(f"the template value `{name}` is not plain one-line text")


def render(name: str, **values: object) -> tuple[str, str]:
    """The subject and body of template ``name`` filled with ``values``."""
    _check(values)
    text = _ENV.get_template(f"{name}.txt").render(**values)
    head, _, body = text.partition("\n\n")
    if not head.startswith(_SUBJECT) or "\n" in head:
        raise ValueError(f"template {name}: the first line must be `Subject: …`, then a blank line")
    return head.removeprefix(_SUBJECT).strip(), body


def password_reset(*, to: str, link: str, minutes: int, site: str, operator: str) -> OutgoingMail:
    """The mail with a password-reset link (valid ``minutes``, single use)."""
    subject, body = render(
        "password_reset", link=link, minutes=minutes, site=site, operator=operator
    )
    return OutgoingMail(to=to, subject=subject, text=body)


def password_changed(*, to: str, site: str, operator: str) -> OutgoingMail:
    """The notice that the account's password was changed."""
    subject, body = render("password_changed", site=site, operator=operator)
    return OutgoingMail(to=to, subject=subject, text=body)
