"""The console in a real browser (Debian's Chromium via Playwright), on a live server.

A privacy officer signs in, sees the overdue banner, finds a subject by e-mail (POST), unmasks
the e-mail for purpose 2.2.7 and finds that извлечение in the journal, verifies the journal,
and downloads an act of destruction; an administrator adds a staff user and an API key; the
sign-in form works with the keyboard alone; a subject gets a copy of their data in the portal
and the officer sees the request answered. With ``OPEKA_SCREENSHOTS=1`` the tests write
``docs/screenshots/console-*.png`` and ``portal-requests.png``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import insert
from tests.auth.support import FAST
from tests.browser.conftest import NEEDS_CHROMIUM, live_server, screenshot, strict_page
from tests.conftest import make_settings
from tests.factories import client_values

from opeka.app import Opeka
from opeka.auth import staff
from opeka.auth.config import AuthConfig
from opeka.auth.context import Auth
from opeka.auth.ratelimit import Limit
from opeka.cookies.analytics import today
from opeka.db.base import utcnow
from opeka.db.cookies import analytics_day, analytics_page
from opeka.documents import acts
from opeka.mail.mailers import MemoryMailer
from opeka.ops.init import initialise
from opeka.processing import Actor
from opeka.requests import service, store
from opeka.requests.journaling import DUTY
from opeka.selfservice import registration
from opeka.selfservice.client import Client
from opeka.web import console, portal
from opeka.web.app import create_app

pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]
ADMIN, ADMIN_PASSWORD = "admin", "Admin-pass-42"
OFFICER, OFFICER_PASSWORD = "officer", "Officer-pass-42"
SUBJECT_PASSWORD = "Correct-horse-7"
SEED = Actor.staff("import")
ANNA = {
    "last_name": "Смирнова",
    "first_name": "Анна",
    "organization": "ООО «Ромашка»",
    "position": "бухгалтер",
    "email": "anna.smirnova@example.org",
    "phone": "+7 916 200-30-40",
    "purchase_invoice_number": "INV-0000417",
}


@dataclass(frozen=True)
class Site:
    """The running console and portal, the Opeka behind them, and the seeded facts."""

    url: str
    opeka: Opeka
    anna: uuid.UUID
    act_number: str
    overdue_number: str
    portal_email: str


def _seed(opeka: Opeka, auth: Auth) -> tuple[uuid.UUID, str, str, str]:
    """Staff, clients, an overdue request, a destruction with its act, analytics, a portal user."""
    with opeka.data_engine.begin() as conn:
        for login, role, password in (
            (ADMIN, "administrator", ADMIN_PASSWORD),
            (OFFICER, "privacy_officer", OFFICER_PASSWORD),
        ):
            staff.create_staff(conn, auth=auth, login=login, role=role, password=password)
    with opeka.processing(SEED, "2.2.7") as p:
        anna = p.collect(category="client", values=ANNA, source="договор поставки")
        others = [
            p.collect(category="client", values=client_values(n), source="договор")
            for n in (101, 102, 103, 104)
        ]
    with opeka.unit_of_work() as uow:
        overdue = service.open_request(
            uow,
            kind="access",
            channel="paper",
            received_at=utcnow() - dt.timedelta(days=40),
            subject_id=others[0],
            actor=Actor.staff(OFFICER),
        )
        service.open_request(
            uow,
            kind="rectification",
            channel="email",
            received_at=utcnow() - dt.timedelta(days=2),
            subject_id=others[1],
            actor=Actor.staff(OFFICER),
        )
    with opeka.processing(Actor.staff(OFFICER), DUTY) as p:
        results = [
            p.destroy(sid, reason_code="withdrawal", capture_identifier=True) for sid in others[2:]
        ]
        number = acts.record_act(p.uow, results, Actor.staff(OFFICER))
    _analytics(opeka)
    email = f"maria-{uuid.uuid4().hex[:6]}@example.org"
    with opeka.unit_of_work() as uow:
        registration.register(
            uow,
            auth=auth,
            values={"last_name": "Иванова", "first_name": "Мария", "email": email},
            password=SUBJECT_PASSWORD,
            password_repeat=SUBJECT_PASSWORD,
            consent_versions={},
            client=Client(ip="203.0.113.9", user_agent="Mozilla/5.0 (test)", language="ru"),
        )
    return anna, number, overdue.number, email


def _analytics(opeka: Opeka) -> None:
    """Two weeks of page views (counts only, no personal data) for the analytics page."""
    last = today()
    days = [last - dt.timedelta(days=i) for i in range(14)]
    with opeka.data_engine.begin() as conn:
        conn.execute(
            insert(analytics_day),
            [
                {"day": d, "pageviews": 40 + 7 * (i % 5), "visitors": 12 + i}
                for i, d in enumerate(days)
            ],
        )
        conn.execute(
            insert(analytics_page),
            [
                {"day": d, "path": path, "views": views}
                for d in days
                for path, views in (("/catalog", 25), ("/licensing", 12), ("/contacts", 5))
            ],
        )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings = make_settings(tmp_path_factory.mktemp("console-browser"), "sqlite")
    initialise(settings)
    opeka = Opeka(settings)
    app: FastAPI = create_app(
        opeka,
        periodic=False,
        routers=[lambda o: portal.router(o, mailer=MemoryMailer()), console.router],
    )
    app.state.auth = Auth.from_opeka(
        opeka,
        AuthConfig(password=FAST, login_per_ip=Limit(10_000, 300), login_global=Limit(10_000, 60)),
    )
    anna, number, overdue, email = _seed(opeka, app.state.auth)
    with live_server(app) as url:
        yield Site(url, opeka, anna, number, overdue, email)
    opeka.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A page of a fresh context; fails the test on a CSP violation or a script error."""
    with strict_page(chromium, 1300, 860) as tab:
        yield tab


def _sign_in(page: Page, site: Site, login: str, password: str) -> None:
    page.goto(f"{site.url}/console/login")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{site.url}/console")


def _download(page: Page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    return Path(info.value.path()).read_bytes()


def test_the_officer_finds_unmasks_checks_the_journal_and_downloads_an_act(
    page: Page, site: Site
) -> None:
    page.goto(f"{site.url}/console/login")
    screenshot(page, "console-login.png")
    _sign_in(page, site, OFFICER, OFFICER_PASSWORD)
    banner = page.locator(".overdue-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Просрочены запросы субъектов: 1")
    screenshot(page, "console-dashboard.png")

    page.get_by_role("link", name="Субъекты").click()
    page.locator("input[name=query]").fill(ANNA["email"])
    page.locator("select[name=purpose]").select_option("2.2.7")
    page.get_by_role("button", name="Найти").click()
    assert page.url == f"{site.url}/console/subjects/search"  # the e-mail stayed in the body
    expect(page.locator("main")).to_contain_text("Найдено: 1")
    screenshot(page, "console-search.png")

    page.get_by_role("link", name=str(site.anna)).click()
    assert ANNA["email"] not in page.url
    expect(page.locator("td.masked").first).to_be_visible()
    expect(page.locator("main table.fields")).not_to_contain_text(ANNA["email"])
    screenshot(page, "console-card-masked.png")

    page.locator("form[action$='/unmask'] select[name=purpose]").select_option("2.2.7")
    page.locator("form[action$='/unmask'] input[value=email]").check()
    page.get_by_role("button", name="Раскрыть").click()
    expect(page.locator("td.unmasked")).to_have_text(ANNA["email"])
    screenshot(page, "console-card-unmasked.png")

    page.goto(f"{site.url}/console/subjects/{site.anna}")
    page.get_by_role("link", name="Записи журнала").click()
    row = page.locator("table.journal tr", has_text="раскрытие в консоли").first
    expect(row).to_contain_text("извлечение")
    expect(row).to_contain_text("email")
    expect(row).to_contain_text("2.2.7")
    expect(row).to_contain_text(f"staff:{OFFICER}")
    screenshot(page, "console-journal.png")
    page.get_by_role("button", name="Проверить целостность").click()
    expect(page.get_by_role("status")).to_contain_text("Журнал цел")

    page.get_by_role("link", name="Запросы", exact=True).click()
    expect(page.locator("tr.deadline-overdue")).to_contain_text(site.overdue_number)
    screenshot(page, "console-requests.png")

    page.get_by_role("link", name="Документы").click()
    expect(page.locator("table.acts")).to_contain_text(site.act_number)
    expect(page.locator("table.acts")).not_to_contain_text("Тестов")  # no names in the list
    screenshot(page, "console-documents.png")
    pdf = _download(page, f"PDF {site.act_number}")
    assert pdf.startswith(b"%PDF")

    page.get_by_role("link", name="Аналитика").click()
    expect(page.locator("figure.chart").first).to_be_visible()
    screenshot(page, "console-analytics.png")


def test_the_administrator_adds_a_staff_user_and_an_api_key(page: Page, site: Site) -> None:
    _sign_in(page, site, ADMIN, ADMIN_PASSWORD)
    expect(page.locator("nav")).not_to_contain_text("Документы")
    page.get_by_role("link", name="Сотрудники").click()
    page.locator("input[name=login]").fill("petrova")
    page.locator("form[action='/console/staff'] select[name=role]").select_option("support")
    page.locator("input[name=password]").fill("Support-pass-42")
    page.get_by_role("button", name="Добавить").click()
    expect(page.get_by_role("status")).to_have_text("Сотрудник добавлен.")
    expect(page.locator("table")).to_contain_text("petrova")
    screenshot(page, "console-staff.png")

    page.get_by_role("link", name="API-ключи").click()
    page.locator("input[name=name]").fill("Интернет-магазин")
    page.locator("input[name=scopes][value='subjects:read']").check()
    page.locator("input[name=purposes][value='2.2.7']").check()
    page.get_by_role("button", name="Создать").click()
    token = page.locator("code.token").inner_text()
    assert token.startswith("opk_")
    page.goto(f"{site.url}/console/apikeys")
    expect(page.locator("table")).to_contain_text("Интернет-магазин")
    expect(page.locator("code.token")).to_have_count(0)  # shown once only
    assert token not in page.content()


def _focus(page: Page) -> str:
    page.keyboard.press("Tab")
    return str(
        page.evaluate(
            "() => document.activeElement.name || document.activeElement.className"
            " || document.activeElement.tagName"
        )
    )


def test_the_sign_in_form_works_with_the_keyboard_alone(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/console/login")
    order = [_focus(page) for _ in range(6)]
    assert order == ["skip", "home", "lang", "login", "password", "BUTTON"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(OFFICER)
    page.keyboard.press("Tab")
    page.keyboard.type(OFFICER_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site.url}/console")
    expect(page.locator("h1")).to_have_text("Обзор")


def test_a_subject_gets_a_copy_and_the_officer_sees_the_request_answered(
    page: Page, site: Site
) -> None:
    page.goto(f"{site.url}/portal/login")
    page.locator("#f-email").fill(site.portal_email)
    page.locator("#f-password").fill(SUBJECT_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("link", name="Мои запросы").first.click()
    page.get_by_role("button", name="Получить копию моих данных").click()
    links = page.get_by_role("status")
    expect(links).to_contain_text("Копия ваших данных готова к скачиванию")
    number = page.locator("table.my-requests tbody th").first.inner_text()
    expect(page.locator("table.my-requests")).to_contain_text("исполняется")
    screenshot(page, "portal-requests.png")
    assert _download(page, "Скачать PDF").startswith(b"%PDF")

    staff_context = page.context.browser.new_context()  # type: ignore[union-attr]
    desk = staff_context.new_page()
    _sign_in(desk, site, OFFICER, OFFICER_PASSWORD)
    with site.opeka.data_engine.connect() as conn:
        request_id = store.require(conn, number).id
    desk.goto(f"{site.url}/console/requests/{request_id}")
    expect(desk.locator("main")).to_contain_text("исполнен")
    staff_context.close()
