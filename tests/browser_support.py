"""Driving the real editor in Debian's Chromium through Playwright (async API,
so that two users can type at the same moment).

A test module loads the fixtures with `pytest_plugins = ["tests.browser_support"]`
and, so that its asserts are rewritten, reaches everything else through them.

The browser tests need /usr/bin/chromium (never a downloaded browser) and the
built bundle. Without them they skip with the reason, unless REQUIRE_SERVICES=1
(CI), where they fail, as tests/services.py does for Redis and PostgreSQL.
"""

import asyncio
import contextlib
import os
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import pytest_asyncio

from tests.live_server import (
    PROJECT_DIR,
    LiveServer,
    daphne_processes,
    migrated_sqlite_url,
    server_env,
)
from tests.services import service_unavailable

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_DIR / "tests" / "artifacts"
BUNDLE = PROJECT_DIR / "frontend" / "dist" / "cowrite" / "app.js"
PASSWORD = "pw-for-browser-tests-1"
WAIT_MS = 15_000
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
USERS = ("alice", "bob", "carol")


def require_chromium() -> None:
    """Skip (or fail, with REQUIRE_SERVICES=1) when the browser or the bundle is missing."""
    if not os.path.exists(CHROMIUM):
        service_unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    if not BUNDLE.exists():
        service_unavailable(f"{BUNDLE} is missing: run `npm run build` in frontend/ first")


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator:
    """Yield a headless Debian Chromium driven by Playwright."""
    require_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


def api(server: LiveServer, token: str, method: str, path: str, body=None):
    """Call the REST API as the token's user; return the body, failing on an error status."""
    status, answer = server.request(method, f"/api/{path}", body, token=token)
    assert 200 <= status < 300, (status, answer)
    return answer


def server_text(server: LiveServer, token: str, document_id: str) -> str:
    return api(server, token, "GET", f"documents/{document_id}/content/?format=text")["content"]


@dataclass
class Writer:
    """One signed-in user in a browser context of their own, on one page."""

    name: str
    token: str
    context: object
    page: object
    server: LiveServer
    errors: list[str] = field(default_factory=list)

    async def open_document(self, document_id: str) -> None:
        await self.page.goto(f"{self.server.http_url}/documents/{document_id}/")
        await self.wait_connected()

    async def wait_connected(self) -> None:
        await self.page.wait_for_selector('#editor-page[data-connection="online"]', timeout=WAIT_MS)

    async def wait_saved(self) -> None:
        await self.page.wait_for_selector(
            '#editor-page[data-connection="online"][data-synchronized="true"]', timeout=WAIT_MS
        )

    async def text(self) -> str:
        return await self.page.evaluate("cowrite.quill.getText()")

    async def stats(self) -> dict:
        return await self.page.evaluate("cowrite.client.stats")

    async def status(self) -> str:
        return await self.page.inner_text("#save-status")

    async def click_end_of_line(self, line: int = 1) -> None:
        await self.page.click(f".ql-editor > :nth-child({line})")
        await self.page.keyboard.press("End")

    async def type(self, text: str, delay: float = 0) -> None:
        await self.page.keyboard.type(text, delay=delay)

    async def sideways_overflow(self) -> int:
        """Return by how many pixels the page is wider than the window (0 or less: it fits)."""
        return await self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )

    async def screenshot(self, name: str) -> Path:
        """Save the whole page as tests/artifacts/<name>.png (git-ignored) for people to look at."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        await self.page.screenshot(path=str(path), full_page=True)
        return path


async def sign_in(browser, server: LiveServer, name: str, token: str, **options) -> Writer:
    """Open a new browser context and sign in through the real login form."""
    context = await browser.new_context(**options)
    page = await context.new_page()
    writer = Writer(name, token, context, page, server)
    page.on("pageerror", lambda error: writer.errors.append(str(error)))
    await page.goto(f"{server.http_url}/accounts/login/")
    await page.fill('input[name="username"]', name)
    await page.fill('input[name="password"]', PASSWORD)
    await page.click('button[type="submit"]')
    await page.wait_for_url(re.compile(r"/$"), timeout=WAIT_MS)
    return writer


async def eventually(
    check: Callable[[], Awaitable[bool]], what: str, seconds: float = WAIT_MS / 1000
) -> None:
    """Poll `check` until it holds; fail saying `what` did not happen after `seconds`."""
    deadline = time.monotonic() + seconds
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        await asyncio.sleep(0.05)


async def converged(writers: list[Writer], document_id: str) -> str:
    """Wait until every writer is saved and shows the server's text; return that text."""
    for writer in writers:
        await writer.wait_saved()
    server, token = writers[0].server, writers[0].token

    async def same_everywhere() -> bool:
        expected = server_text(server, token, document_id)
        texts = [await writer.text() for writer in writers]
        return all(text == expected for text in texts)

    await eventually(same_everywhere, "every editor shows the server's text")
    for writer in writers:
        assert not writer.errors, f"{writer.name}'s page raised: {writer.errors}"
    return server_text(server, token, document_id)


# Fixtures: a browser test module loads them with `pytest_plugins = ["tests.browser_support"]`.


@pytest.fixture(scope="session")
def browser_server() -> LiveServer:
    """One Daphne (SQLite, the in-memory layer) for every browser test."""
    require_chromium()
    with (
        migrated_sqlite_url() as database_url,
        daphne_processes(server_env(database_url)) as (live,),
    ):
        yield live


@pytest.fixture(scope="session")
def browser_users(browser_server) -> dict[str, str]:
    """The API token of each of alice, bob and carol (all with PASSWORD)."""
    return {name: browser_server.create_user(name, PASSWORD) for name in USERS}


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def chromium_browser():
    async with chromium() as launched:
        yield launched


@dataclass
class Stage:
    """What a browser test works with: the server, the users' tokens, and sign-ins."""

    server: LiveServer
    tokens: dict[str, str]
    browser: object
    opened: list[Writer] = field(default_factory=list)

    async def sign_in(self, name: str, phone: bool = False) -> Writer:
        """Sign `name` in, in a browser context of their own (phone-sized with `phone`)."""
        options = PHONE if phone else {}
        writer = await sign_in(self.browser, self.server, name, self.tokens[name], **options)
        self.opened.append(writer)
        return writer

    converged = staticmethod(converged)
    eventually = staticmethod(eventually)

    def api(self, method: str, path: str, body=None, as_user: str = "alice"):
        return api(self.server, self.tokens[as_user], method, path, body)

    def text(self, document_id: str) -> str:
        return server_text(self.server, self.tokens["alice"], document_id)


@pytest_asyncio.fixture(loop_scope="session")
async def stage(chromium_browser, browser_server, browser_users):
    """A Stage whose browser contexts all close after the test."""
    stage = Stage(browser_server, browser_users, chromium_browser)
    yield stage
    for writer in stage.opened:
        await writer.context.close()
