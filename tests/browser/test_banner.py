"""The banner in a real browser (Debian's Chromium via Playwright) on the demo shop.

A real Opeka (SQLite, a temporary data directory) serves the demo under its strict CSP from a
uvicorn thread; each test gets a fresh browser context (no cookies). With
``OPEKA_SCREENSHOTS=1`` the tests also write the screenshots of ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from sqlalchemy import func, select
from tests.conftest import make_settings

from opeka.app import Opeka
from opeka.cookies.config import banner_config
from opeka.cookies.events import StoredEvent, events_for
from opeka.db.cookies import analytics_page
from opeka.ops.init import initialise
from opeka.web.app import create_app
from opeka.web.cookies_routes import demo_router, include

T = TypeVar("T")
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
GPC_SCRIPT = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium (/usr/bin/chromium) is missing"
    ),
]


@dataclass(frozen=True)
class Site:
    """The running demo: its address and the Opeka behind it."""

    url: str
    opeka: Opeka

    def events(self, consent_id: str, *, at_least: int = 1) -> list[StoredEvent]:
        """The stored decisions of ``consent_id``, waiting for the beacon to land."""
        return wait_for(lambda: self._events(consent_id), at_least)

    def _events(self, consent_id: str) -> list[StoredEvent]:
        with self.opeka.data_engine.connect() as conn:
            return events_for(conn, consent_id=uuid.UUID(hex=consent_id))

    def pageviews(self) -> int:
        with self.opeka.data_engine.connect() as conn:
            total = conn.execute(select(func.sum(analytics_page.c.views))).scalar()
        return int(total or 0)


def wait_for(read: Callable[[], list[T]], at_least: int) -> list[T]:
    deadline = time.monotonic() + 5
    found = read()
    while len(found) < at_least and time.monotonic() < deadline:
        time.sleep(0.05)
        found = read()
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings = make_settings(tmp_path_factory.mktemp("browser"), "sqlite")
    initialise(settings)
    opeka = Opeka(settings)
    app = create_app(opeka, periodic=False, routers=[])
    include(app, opeka)
    app.include_router(demo_router())
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield Site(f"http://127.0.0.1:{port}", opeka)
    server.should_exit = True
    thread.join(timeout=10)
    opeka.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def open_context(browser: Browser, *, gpc: bool = False) -> BrowserContext:
    context = browser.new_context(
        viewport={"width": 1100, "height": 760},
        extra_http_headers={"Sec-GPC": "1"} if gpc else {},
    )
    if gpc:
        context.add_init_script(GPC_SCRIPT)
    return context


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context; fails the test on a CSP violation or a script error."""
    context = open_context(browser)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if "Refused" in m.text else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    yield tab
    context.close()
    assert problems == []


def shot(page: Page, name: str) -> None:
    if os.environ.get("OPEKA_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name))


def cookies(page: Page) -> dict[str, str]:
    return {c["name"]: c["value"] for c in page.context.cookies()}


def consent_id(page: Page) -> str:
    return cookies(page)["opeka_consent"].split(".")[1]


def analytics_running(page: Page) -> bool:
    return bool(page.evaluate("() => !!(window.shopAnalytics && window.shopAnalytics.running)"))


def open_demo(page: Page, site: Site, path: str = "/demo/") -> None:
    page.goto(site.url + path)
    page.wait_for_selector(".opeka-cc__box")


def test_before_consent_no_analytics_ran_and_no_analytics_cookie_exists(
    page: Page, site: Site
) -> None:
    open_demo(page, site)
    dialog = page.get_by_role("dialog")
    assert dialog.get_attribute("aria-modal") == "true"
    assert dialog.get_attribute("aria-labelledby") == "opeka-cc-t"
    assert page.evaluate("() => window.shopAnalytics") is None
    assert "shop_visitor" not in cookies(page)
    assert "opeka_consent" not in cookies(page)
    assert page.locator("script[data-category='analytics'][type='text/plain']").count() == 2
    shot(page, "banner-ru.png")
    page.set_viewport_size({"width": 390, "height": 800})
    shot(page, "banner-mobile.png")


def test_accepting_runs_analytics_and_stores_the_proof(page: Page, site: Site) -> None:
    views_before = site.pageviews()
    open_demo(page, site)
    page.get_by_role("button", name="Принять все", exact=True).click()
    page.wait_for_function("() => window.shopAnalytics && window.shopAnalytics.running")
    assert "shop_visitor" in cookies(page)
    [event] = site.events(consent_id(page))
    config = banner_config(site.opeka.policy)
    assert event.method == "banner_accept_all"
    assert event.granted == config.optional
    assert (event.policy_version, event.cookie_version) == ("2026.1", config.version)
    assert event.language == "ru"
    assert wait_for(lambda: [1] if site.pageviews() > views_before else [], 1)
    page.wait_for_selector("#analytics-status:has-text('работает')")
    shot(page, "shop-after-accept.png")


def test_withdrawing_stops_analytics_and_removes_its_cookie(page: Page, site: Site) -> None:
    open_demo(page, site)
    page.get_by_role("button", name="Принять все", exact=True).click()
    page.wait_for_function("() => window.shopAnalytics && window.shopAnalytics.running")
    page.get_by_role("button", name="Настройки cookie").click()
    page.get_by_label("Аналитика").uncheck()
    shot(page, "banner-settings.png")
    page.get_by_role("button", name="Сохранить выбор").click()
    page.wait_for_function("() => !window.shopAnalytics.running")
    assert "shop_visitor" not in cookies(page)
    events = site.events(consent_id(page), at_least=2)
    assert [e.method for e in events] == ["banner_accept_all", "withdraw"]
    assert events[-1].denied == ("analytics",)
    page.reload()
    page.wait_for_function("() => window.opekaConsent && window.opekaConsent.get()")
    assert page.evaluate("() => window.shopAnalytics") is None
    assert page.locator(".opeka-cc__box").count() == 0


def test_with_gpc_analytics_stays_off_until_ticked(browser: Browser, site: Site) -> None:
    context = open_context(browser, gpc=True)
    page = context.new_page()
    open_demo(page, site)
    assert "Global Privacy Control" in page.locator(".opeka-cc__gpc").inner_text()
    shot(page, "banner-gpc.png")
    page.get_by_role("button", name="Принять все, кроме аналитики").click()
    page.wait_for_selector(".opeka-cc__box", state="detached")
    assert page.evaluate("() => window.shopAnalytics") is None
    assert "shop_visitor" not in cookies(page)
    [event] = site.events(consent_id(page))
    assert (event.method, event.gpc, event.denied) == ("gpc", True, ("analytics",))
    page.get_by_role("button", name="Настройки cookie").click()
    page.get_by_label("Аналитика").check()
    page.get_by_role("button", name="Сохранить выбор").click()
    page.wait_for_function("() => window.shopAnalytics && window.shopAnalytics.running")
    events = site.events(consent_id(page), at_least=2)
    assert (events[-1].method, events[-1].gpc) == ("custom", True)
    context.close()


def active(page: Page) -> str:
    return str(
        page.evaluate(
            "() => { const a = document.activeElement;"
            " return (a.closest('.opeka-cc') ? 'in:' : 'out:') +"
            " (a.getAttribute('data-act') || a.id || a.className || a.tagName); }"
        )
    )


def test_the_banner_works_by_keyboard_alone(page: Page, site: Site) -> None:
    open_demo(page, site)
    assert active(page) == "in:opeka-cc__box"
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        seen.append(active(page))
    assert all(s.startswith("in:") for s in seen)  # the focus stays in the dialog
    assert {"in:accept", "in:reject", "in:more", "in:close"} <= set(seen)
    shot(page, "banner-keyboard.png")
    page.keyboard.press("Shift+Tab")
    assert active(page).startswith("in:")
    page.keyboard.press("Escape")
    assert page.locator(".opeka-cc").count() == 0
    assert "opeka_consent" not in cookies(page)  # closing decides nothing
    for _ in range(30):  # walk the page to the settings link
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.hasAttribute('data-opeka-settings')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_selector(".opeka-cc__cats:not([hidden])")
    while active(page) != "in:opeka-cc-analytics":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    while active(page) != "in:save":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.shopAnalytics && window.shopAnalytics.running")
    assert page.evaluate("() => document.activeElement.hasAttribute('data-opeka-settings')")
    [event] = site.events(consent_id(page))
    assert (event.method, event.granted) == ("custom", ("analytics",))


def test_the_banner_asks_again_after_a_new_notice_or_an_expiry(page: Page, site: Site) -> None:
    config = banner_config(site.opeka.policy)
    now = int(time.time())
    ident = uuid.uuid4().hex
    for version, at, asked in (
        ("0" * 12, now, True),
        (config.version, now - (config.expiry_days + 1) * 86400, True),
        (config.version, now, False),
    ):
        page.context.clear_cookies()
        value = f"1.{ident}.{version}.{at}.analytics"
        page.context.add_cookies([{"name": "opeka_consent", "value": value, "url": site.url}])
        page.goto(site.url + "/demo/")
        page.wait_for_function("() => window.opekaConsent")
        page.wait_for_load_state("networkidle")
        assert (page.locator(".opeka-cc__box").count() == 1) is asked
        assert analytics_running(page) is not asked


def test_the_cart_cookie_needs_consent_to_stored_information(page: Page, site: Site) -> None:
    open_demo(page, site)
    page.get_by_role("button", name="Только необходимые").click()
    page.locator("[data-product='shchit']").click()
    assert "shop_cart" not in cookies(page)
    assert page.locator("#cart-note").is_visible()
    page.get_by_role("button", name="Настройки cookie").click()
    page.get_by_label("Хранение информации, предоставляемой веб-сайту").check()
    page.get_by_role("button", name="Сохранить выбор").click()
    page.wait_for_function("() => document.cookie.includes('shop_cart=shchit')")
    assert page.locator("#cart-count").inner_text() == "1"


def test_the_banner_speaks_english_on_an_english_page(page: Page, site: Site) -> None:
    open_demo(page, site, "/demo/?lang=en")
    expect(page.locator("#opeka-cc-t")).to_have_text("Cookies on this website")
    assert page.get_by_role("button", name="Accept all", exact=True).is_visible()
    page.get_by_role("button", name="Customise").click()
    shot(page, "banner-en-settings.png")
    page.get_by_role("button", name="Necessary only").click()
    [event] = site.events(consent_id(page))
    assert (event.method, event.language) == ("reject_all", "en")


NONCE_PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8">
<script async src="/cookies/banner.js" nonce="r4nd0m"></script></head><body><main>Nonce</main>
<script type="text/plain" data-category="analytics" nonce="r4nd0m">window.ownNonceRan = 1</script>
<script type="text/plain" data-category="analytics">window.injectedRan = true</script>
</body></html>"""
NONCE_CSP = (
    "default-src 'self'; script-src 'nonce-r4nd0m'; style-src 'nonce-r4nd0m'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'"
)


def test_under_a_nonce_csp_the_banner_styles_itself_and_lends_no_nonce(
    browser: Browser, site: Site
) -> None:
    context = open_context(browser)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Refused" in m.text else None)
    page.route(
        site.url + "/nonce.html",
        lambda route: route.fulfill(
            body=NONCE_PAGE,
            content_type="text/html",
            headers={"content-security-policy": NONCE_CSP},
        ),
    )
    page.goto(site.url + "/nonce.html")
    box = page.locator(".opeka-cc__box")
    box.wait_for()
    assert box.evaluate("b => getComputedStyle(b).position") == "relative"  # banner.css applied
    page.get_by_role("button", name="Принять все", exact=True).click()
    page.wait_for_function("() => window.ownNonceRan === 1")
    assert page.evaluate("() => window.injectedRan") is None
    assert not [m for m in refused if "style" in m]  # the banner's CSS was allowed
    context.close()


def test_the_open_banner_follows_the_page_when_it_switches_language(page: Page, site: Site) -> None:
    open_demo(page, site)
    assert page.locator("#opeka-cc-t").inner_text() == "Файлы cookie на этом сайте"
    page.evaluate("() => { document.documentElement.lang = 'en'; }")
    expect(page.locator("#opeka-cc-t")).to_have_text("Cookies on this website")
    assert page.locator(".opeka-cc__box").count() == 1
