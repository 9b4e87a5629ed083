"""Mail texts from templates: Russian first, English second; values are plain one-line text."""

from __future__ import annotations

import pytest

from opeka.mail import templates
from opeka.mail.errors import TemplateValueRefused
from opeka.mail.message import OutgoingMail

LINK = "https://www.wwgroup.ru/portal/reset?token=abc-DEF_123"
SITE = "www.wwgroup.ru"
OPERATOR = "ООО «КМ АССИСТЕНС»"


def test_the_reset_mail_carries_the_link_and_its_lifetime_in_both_languages() -> None:
    mail = templates.password_reset(
        to="anna@example.org", link=LINK, minutes=30, site=SITE, operator=OPERATOR
    )
    assert mail.subject == "Сброс пароля / Password reset"
    assert mail.text.count(LINK) == 2
    assert "30 минут" in mail.text
    assert "30 minutes" in mail.text
    assert mail.text.index("Здравствуйте") < mail.text.index("Hello")
    assert "{{" not in mail.text


def test_the_password_changed_notice_is_bilingual() -> None:
    mail = templates.password_changed(to="anna@example.org", site=SITE, operator=OPERATOR)
    assert mail.subject.startswith("Пароль изменён / ")
    assert mail.text.index("изменён") < mail.text.index("changed")


@pytest.mark.parametrize(
    "link",
    [
        "https://x/\nBcc: victim@example.org",
        "https://x/\r\n",
        "<script>alert(1)</script>",
        "https://x/\x00",
    ],
)
def test_a_value_with_line_breaks_or_markup_is_refused(link: str) -> None:
    with pytest.raises(TemplateValueRefused, match="link") as caught:
        templates.password_reset(to="a@example.org", link=link, minutes=30, site=SITE, operator="x")
    assert link not in str(caught.value)


def test_a_missing_value_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(Exception, match="undefined"):
        templates.render("password_reset", link=LINK, minutes=30, site=SITE)


def test_a_header_may_not_carry_a_line_break() -> None:
    with pytest.raises(ValueError, match="line breaks"):
        OutgoingMail(to="a@example.org\nBcc: b@example.org", subject="s", text="t")
    with pytest.raises(ValueError, match="e-mail address"):
        OutgoingMail(to="nobody", subject="s", text="t")


def test_the_repr_leaves_the_recipient_out() -> None:
    mail = OutgoingMail(to="anna@example.org", subject="Тема", text="текст")
    assert "anna@example.org" not in repr(mail)


def test_the_e_mail_form_is_utf8_plain_text() -> None:
    mail = OutgoingMail(to="anna@example.org", subject="Сброс пароля", text="Здравствуйте!\n")
    message = mail.to_email(sender="Opeka <noreply@wwgroup.ru>")
    assert message["To"] == "anna@example.org"
    assert str(message["Subject"]) == "Сброс пароля"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message["Message-ID"].endswith("@wwgroup.ru>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content() == "Здравствуйте!\n"
