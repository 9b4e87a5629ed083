"""The portal in a real browser (Debian's Chromium via Playwright), on a live server.

Register → sign in → edit the phone → the privacy officer sees the уточнение in the console's
journal; a visitor asks a question; the registration form works with the keyboard alone. With
``OPEKA_SCREENSHOTS=1`` the tests write ``docs/screenshots/portal-*.png``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from tests.auth.support import FAST
from tests.browser.conftest import NEEDS_CHROMIUM, live_server, screenshot, strict_page
from tests.conftest import make_settings

from opeka.app import Opeka
from opeka.auth import accounts, staff
from opeka.auth.config import AuthConfig
from opeka.auth.context import Auth
from opeka.auth.ratelimit import Limit
from opeka.mail.mailers import MemoryMailer
from opeka.ops.init import initialise
from opeka.web import console, portal
from opeka.web.app import create_app

pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]
PASSWORD = "Correct-horse-7"
OFFICER = "officer"
OFFICER_PASSWORD = "Officer-pass-42"
REGISTRATION_TAB_ORDER = [
    "f-last_name", "f-first_name", "f-patronymic", "f-phone", "f-mobile_phone",
    "f-delivery_address", "f-fax", "f-organization", "f-position", "f-email", "f-country",
    "f-city", "f-region", "f-password", "f-password_repeat",
    "doc-2-2-2", "cb-2-2-2", "doc-2-2-3", "cb-2-2-3", "doc-2-2-5", "cb-2-2-5",
    "doc-2-2-8", "cb-2-2-8", "doc-2-2-9", "cb-2-2-9", "submit",
]  # fmt: skip


@dataclass(frozen=True)
class Site:
    """The running portal and console, the Opeka behind them, and its mailbox."""

    url: str
    opeka: Opeka
    mailer: MemoryMailer


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings = make_settings(tmp_path_factory.mktemp("portal-browser"), "sqlite")
    initialise(settings)
    opeka = Opeka(settings)
    mailer = MemoryMailer()
    app: FastAPI = create_app(
        opeka,
        periodic=False,
        routers=[lambda o: portal.router(o, mailer=mailer), console.router],
    )
    app.state.auth = Auth.from_opeka(
        opeka,
        AuthConfig(password=FAST, login_per_ip=Limit(10_000, 300), login_global=Limit(10_000, 60)),
    )
    with opeka.data_engine.begin() as conn:
        staff.create_staff(
            conn,
            auth=app.state.auth,
            login=OFFICER,
            role="privacy_officer",
            password=OFFICER_PASSWORD,
        )
    with live_server(app) as url:
        yield Site(url, opeka, mailer)
    opeka.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A page of a fresh context; fails the test on a CSP violation or a script error."""
    with strict_page(chromium, 1100, 800) as tab:
        yield tab


def _fill_registration(page: Page, email: str) -> None:
    page.get_by_label("Фамилия").fill("Соколова")
    page.get_by_label("Имя", exact=False).first.fill("Елена")
    page.locator("#f-phone").fill("+7 916 123-45-67")
    page.locator("#f-email").fill(email)
    page.locator("#f-city").fill("Москва")
    page.locator("#f-password").fill(PASSWORD)
    page.locator("#f-password_repeat").fill(PASSWORD)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(f"{page.url.split('/portal')[0]}/portal/login?done=signed_out")


def test_register_sign_in_edit_phone_and_the_officer_sees_the_rectification(
    page: Page, site: Site
) -> None:
    email = f"elena-{uuid.uuid4().hex[:8]}@example.org"
    page.goto(f"{site.url}/portal/register")
    expect(page.locator(".consent-box input[type=checkbox]:checked")).to_have_count(0)
    _fill_registration(page, email)
    page.locator("#cb-2-2-2").check()
    screenshot(page, "portal-register.png")
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page).to_have_url(f"{site.url}/portal/me?done=registered")
    expect(page.get_by_role("status")).to_have_text("Учётная запись создана.")

    _sign_out(page)
    screenshot(page, "portal-login.png")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{site.url}/portal/me")

    page.get_by_role("link", name="Изменить данные").click()
    page.locator("#f-phone").fill("+7 903 765-43-21")
    page.get_by_role("button", name="Сохранить").click()
    expect(page).to_have_url(f"{site.url}/portal/me?done=rectified")
    expect(page.locator("table.my-data")).to_contain_text("+79037654321")
    screenshot(page, "portal-my-data.png")

    page.get_by_role("link", name="Мои согласия").first.click()
    expect(page.locator("#purpose-2-2-2")).to_contain_text("Согласие дано")
    screenshot(page, "portal-consents.png")

    holder = accounts.find_account(site.opeka, email=email)
    assert holder is not None
    subject_id = holder.key
    officer = page.context.browser
    assert officer is not None
    staff_context = officer.new_context(viewport={"width": 1300, "height": 800})
    desk = staff_context.new_page()
    desk.goto(f"{site.url}/console/login")
    desk.locator("input[name=login]").fill(OFFICER)
    desk.locator("input[name=password]").fill(OFFICER_PASSWORD)
    desk.get_by_role("button", name="Войти").click()
    desk.goto(f"{site.url}/console/journal?subject={subject_id}")
    row = desk.locator("table.journal tr", has_text="уточнение").first
    expect(row).to_contain_text("уточнение по заявлению субъекта (портал)")
    expect(row).to_contain_text("phone")
    expect(row).to_contain_text(f"subject:{subject_id}")
    staff_context.close()


def test_a_visitor_asks_a_question(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/portal/question")
    expect(page.locator("#f-question")).to_be_visible()
    page.locator("#f-first_name").fill("Игорь")
    page.locator("#f-email").fill(f"igor-{uuid.uuid4().hex[:8]}@example.org")
    page.locator("#f-organization").fill("ООО «Ромашка»")
    page.locator("#f-question").fill("Можно ли оплатить лицензию по счёту?")
    page.get_by_role("button", name="Отправить вопрос").click()
    expect(page.locator("#form-errors")).to_contain_text("Без согласия")
    page.locator("#f-question").fill("Можно ли оплатить лицензию по счёту?")
    page.locator(".consent-box input[type=checkbox]").check()
    screenshot(page, "portal-question.png")
    sent = len(site.mailer.sent)
    page.get_by_role("button", name="Отправить вопрос").click()
    expect(page).to_have_url(f"{site.url}/portal/sent?form=question")
    expect(page.get_by_role("status")).to_contain_text("Вопрос отправлен оператору")
    assert "Можно ли оплатить лицензию по счёту?" in site.mailer.sent[sent].text


def test_a_visitor_registers_for_an_event(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/portal/event")
    page.locator("#f-event").select_option("licensing-day-2026")
    page.locator("#f-first_name").fill("Ольга")
    page.locator("#f-last_name").fill("Миронова")
    page.locator("#f-email").fill(f"olga-{uuid.uuid4().hex[:8]}@example.org")
    page.locator("#f-city").fill("Москва")
    page.locator(".consent-box input[type=checkbox]").check()
    screenshot(page, "portal-event.png")
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page).to_have_url(f"{site.url}/portal/sent?form=event")


def _tab_to(page: Page) -> str:
    page.keyboard.press("Tab")
    return str(page.evaluate("() => document.activeElement.id || document.activeElement.type"))


def test_the_registration_form_works_with_the_keyboard_alone(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/portal/register")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    values = {
        "f-last_name": "Клавишина",
        "f-first_name": "Вера",
        "f-email": f"keys-{uuid.uuid4().hex[:8]}@example.org",
        "f-password": PASSWORD,
        "f-password_repeat": PASSWORD,
    }
    order = []
    for _ in REGISTRATION_TAB_ORDER:
        focused = _tab_to(page)
        order.append(focused)
        if focused in values:
            page.keyboard.type(values[focused])
        if focused == "cb-2-2-9":
            page.keyboard.press("Space")
        if focused == "submit":
            screenshot(page, "portal-register-keyboard.png", full_page=False)
    assert order == REGISTRATION_TAB_ORDER
    assert page.locator("#cb-2-2-9").is_checked()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site.url}/portal/me?done=registered")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip"
