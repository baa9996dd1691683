"""Fixtures of the docs tests: the built site, a local HTTP server for it, headless Chromium."""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Route,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from imagegen_spec.core.events import EVENT_STREAM, EventStream
from imagegen_spec.core.operation import Operation
from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.docs import site as site_module
from imagegen_spec.docs.redoc import build_reference
from imagegen_spec.docs.site import SiteReport, build_site
from imagegen_spec.docs.stream import sse_transcript

CHROMIUM_VARIABLE = "IMAGEGEN_CHROMIUM"
"""A Chromium (or Chrome) executable to use instead of the one found on PATH."""
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
NO_CHROMIUM = (
    "browser tests need Chromium: `apt-get install -y --no-install-recommends chromium` (as "
    f".ci/run does) or set {CHROMIUM_VARIABLE}=/path/to/chromium"
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
)
LOOPBACK = "127.0.0.1"
SCREENSHOTS = REPO_ROOT / "reports" / "screenshots"
ColorScheme = Literal["light", "dark"]
Settle = Literal["networkidle", "load"]
PAINTED_JS = """async () => {
  await document.fonts.ready;
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""
"""Resolves once the fonts are loaded and two frames have been painted."""
SUMMARY_MARKDOWN = """\
# Conformance summary

| variant | checks passed | checks failed |
|---|---|---|
| azure | 41 | 0 |

Raw <script>alert(1)</script> HTML in a summary is shown as text, never run.
"""


@pytest.fixture(scope="session")
def conformance_summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A conformance summary where the runner would leave one (a tmp stand-in for reports/)."""
    path = tmp_path_factory.mktemp("reports") / "conformance" / "summary.md"
    path.parent.mkdir()
    path.write_text(SUMMARY_MARKDOWN, encoding="utf-8")
    return path


_REDOC_PAGES: dict[tuple[str, str], str] = {}
"""Redoc's page of each (derived spec, options) that Redocly built in this session."""


def _build_reference_once(
    spec: Path, output: Path, options: Mapping[str, Any] | None = None
) -> None:
    key = (spec.read_text(encoding="utf-8"), json.dumps(options, sort_keys=True))
    if key not in _REDOC_PAGES:
        build_reference(spec, output, options)
        _REDOC_PAGES[key] = output.read_text(encoding="utf-8")
    else:
        output.write_text(_REDOC_PAGES[key], encoding="utf-8")


def reuse_redoc_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let `build_site` run Redocly once per session for a spec and options (~1-2 s a run).

    A later build of the same derived spec with the same options gets the page Redocly wrote
    the first time; everything else of the build runs as it is.
    """
    monkeypatch.setattr(site_module, "build_reference", _build_reference_once)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, conformance_summary: Path) -> SiteReport:
    """The whole site, built once per session into a tmp dir (with the conformance summary)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        reuse_redoc_pages(monkeypatch)
        return build_site(
            tmp_path_factory.mktemp("site"), conformance_candidates=(conformance_summary,)
        )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


@pytest.fixture(scope="session")
def site_url(site: SiteReport) -> Iterator[str]:
    """The site served over HTTP on 127.0.0.1 (a free port), for the session."""
    handler = functools.partial(_QuietHandler, directory=str(site.out_dir))
    server = ThreadingHTTPServer((LOOPBACK, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def is_local(url: str) -> bool:
    """Whether a request stays on the machine: 127.0.0.1, or `data:`/`about:`/`file:` URLs."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "about", "file"):
        return True
    if parts.scheme == "blob":
        return is_local(url.removeprefix("blob:"))
    return parts.scheme in ("http", "https") and parts.hostname == LOOPBACK


def find_chromium() -> Path | None:
    """The Chromium to drive: ${IMAGEGEN_CHROMIUM}, else the first of CHROMIUM_NAMES on PATH."""
    chosen = os.environ.get(CHROMIUM_VARIABLE)
    if chosen:
        return Path(chosen)
    found = next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    return Path(found) if found else None


def require_chromium() -> Path:
    """The Chromium to drive; without one, skip (fail in CI) with one line saying what to do."""
    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(NO_CHROMIUM, pytrace=False)
        pytest.skip(NO_CHROMIUM)
    return chromium


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Without a browser, skip each browser test (fail it in CI) before its fixtures run.

    Raised here, not in the `browser` fixture, every skip has the same origin, so the summary
    (`-ra`) folds them into one line saying how to enable them.
    """
    if "browser" in getattr(item, "fixturenames", ()):
        require_chromium()


# Package scope: Playwright's sync API keeps an event loop running in the main thread while it is
# open, which would break later tests that call asyncio.run(); it must close with tests/docs.
@pytest.fixture(scope="package")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """The machine's headless Chromium, driven by Playwright, with a fresh profile directory.

    Without one the browser tests skip, with one line saying how to enable them; in CI
    (`CI=true`) they fail instead, so a green CI always ran them.
    """
    chromium = require_chromium()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=tmp_path_factory.mktemp("chromium-profile"),
            executable_path=chromium,
            headless=True,
            args=list(CHROMIUM_FLAGS),
            viewport={"width": 1280, "height": 900},
        )

        def keep_local(route: Route) -> None:
            # Recorded by the visit's request listener first; never let it leave the machine.
            if is_local(route.request.url):
                route.continue_()
            else:
                route.abort()

        # Generous: a shared, loaded machine can take seconds to load a Redoc page.
        context.set_default_timeout(30_000)
        context.route("**/*", keep_local)
        try:
            yield context
        finally:
            context.close()


@dataclass
class Visit:
    """A fresh page, with every request it made and every console error it logged."""

    page: Page
    base_url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def open(
        self,
        relative: str,
        *,
        width: int = 1280,
        scheme: ColorScheme = "light",
        settle: Settle = "networkidle",
    ) -> None:
        """Load a page of the site at a viewport width and colour scheme.

        The scheme is the reader's `prefers-color-scheme`, set before the page loads. `settle`
        "networkidle" waits until no request has been open for 500 ms, so `assert_clean` sees
        every request the page makes; "load" is for a page another test already loads that way:
        it waits for the load event, the fonts and two painted frames (styles and layout done).
        """
        self.page.set_viewport_size({"width": width, "height": 900})
        self.page.emulate_media(color_scheme=scheme)
        response = self.page.goto(self.base_url + relative, wait_until=settle)
        assert response is not None and response.ok, f"{relative}: expected HTTP 200"
        if settle == "load":
            self.page.evaluate(PAINTED_JS)

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        """Save a screenshot (of the whole page, or of the first screen) under reports/screenshots/.

        A whole page 400 px wide can be 24,000 px tall and take seconds to encode.
        """
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=full_page)
        return path

    def assert_clean(self) -> None:
        """No console error, and no request that left 127.0.0.1."""
        remote = [url for url in self.requests if not is_local(url)]
        assert not remote, f"expected every request to stay on {LOOPBACK}, got {remote}"
        assert not self.console_errors, f"expected no console errors, got {self.console_errors}"


@pytest.fixture
def visit(browser: BrowserContext, site_url: str) -> Iterator[Visit]:
    """A new page of the session's browser, recording its requests and console errors."""
    page = browser.new_page()
    found = Visit(page, site_url)

    def on_request(request: Request) -> None:
        found.requests.append(request.url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            found.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def on_page_error(error: PlaywrightError) -> None:
        found.console_errors.append(f"uncaught: {error}")

    browser.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        yield found
    finally:
        browser.remove_listener("request", on_request)
        page.close()


def choose_media_type(visit: Visit, switch: Locator, media_type: str) -> None:
    """Pick a media type from one of Redoc's media type menus."""
    switch.scroll_into_view_if_needed()
    switch.click()
    visit.page.get_by_role("menuitem", name=media_type, exact=True).first.click()


def assert_stream_shown(visit: Visit, op: Operation) -> None:
    """The 200's event stream: each event's name, the first event's fields, the transcript."""
    stream = EventStream.of(op)
    assert stream is not None
    body_switch = visit.page.locator("button:has([data-testid=dropdown-item-media-type])").first
    choose_media_type(visit, body_switch, EVENT_STREAM)
    choose_media_type(visit, visit.page.get_by_label("Response media type").first, EVENT_STREAM)
    events = [event for event in (stream.partial, stream.completed) if event is not None]
    text = visit.page.inner_text("body")
    for event in events:
        assert event.name in text, f"{op.variant}: expected the event {event.name} named"
    for name in events[0].properties:
        shown = visit.page.get_by_text(name, exact=True)
        assert shown.count() > 0 and shown.first.is_visible(), (
            f"{op.variant}: expected the field {name} of {events[0].name} drawn"
        )
    codes = visit.page.eval_on_selector_all("pre", "pres => pres.map(p => p.textContent)")
    transcript = " ".join(sse_transcript(op).split())
    assert transcript in [" ".join(code.split()) for code in codes], (
        f"{op.variant}: expected the example event sequence in the response sample"
    )
