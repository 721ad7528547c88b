"""The automated accessibility sweep: every page in Chromium, checked by axe-core.

Chromium is Debian's (``/usr/bin/chromium``, or ``A11Y_CHROMIUM``), driven by Playwright; Playwright's
own browser downloads are never used. axe-core and a listener for ``securitypolicyviolation`` events
are added to every document as init scripts through the DevTools protocol, which the page's
Content-Security-Policy does not govern, so the site's strict CSP stays in force while the sweep
runs and any violation of it is recorded.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, sync_playwright
from playwright.sync_api import Page as BrowserPage

from asiointi.accounts.testing import login_booth_device, login_staff

from .routes import ANONYMOUS, BOOTH_DEVICE, ROLES, Page, Plan, demo_booth, form_state, plan, role_user

AXE_DIR = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1"
AXE_SCRIPT = AXE_DIR / "axe.min.js"
CHROMIUM = Path(os.environ.get("A11Y_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
WCAG_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: Impacts that fail the sweep on an admin page (a product page fails on any violation).
ADMIN_FAILING_IMPACTS = frozenset({"serious", "critical"})
NAVIGATION_TIMEOUT_MS = 30_000
#: Browsers that share the pages; two keep both cores of a small machine busy.
WORKERS = int(os.environ.get("A11Y_WORKERS", "2"))

_CSP_LISTENER = """
window.__a11yCsp = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__a11yCsp.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} in ${event.sourceFile || document.URL}:${event.lineNumber}`
  );
});
"""

_RUN_AXE = """
async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((node) => node.target.join(' ')),
  }));
}
"""

#: What axe-core does not check about a page's structure (read in the page, judged in Python).
_STRUCTURE = """
() => {
  const outside = 'article, aside, main, nav, section, [role=main]';
  const top = (selector, role) => Array.from(document.querySelectorAll(`${selector}, [role=${role}]`))
    .filter((el) => el.getAttribute('role') === role || !el.parentElement.closest(outside)).length;
  const tabbable = Array.from(document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable=true]'
  )).filter((el) => {
    if (el.disabled || el.tabIndex < 0 || el.closest('[inert]')) return false;
    if (el.type === 'hidden') return false;
    const style = getComputedStyle(el);
    return style.display !== 'none' && style.visibility !== 'hidden' && el.getClientRects().length > 0;
  });
  const first = tabbable.find((el) => el.tabIndex > 0) || tabbable[0];
  const href = first && first.tagName === 'A' ? first.getAttribute('href') || '' : '';
  const target = href.startsWith('#') && href.length > 1 ? document.getElementById(href.slice(1)) : null;
  return {
    lang: document.documentElement.getAttribute('lang') || '',
    title: document.title.trim(),
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main, [role=main]').length,
    banner: top('header', 'banner'),
    contentinfo: top('footer', 'contentinfo'),
    navigation: document.querySelectorAll('nav, [role=navigation]').length,
    skip: target !== null && (target.matches('main, [role=main]') || target.closest('main, [role=main]') !== null
      || target.querySelector('main, [role=main]') !== null || /content/.test(target.id)),
    first: first ? first.outerHTML.slice(0, 120) : '',
  };
}
"""


def structure_problems(found: Mapping[str, Any], language: str, admin: bool) -> list[str]:
    """What is wrong with a page's structure: ``lang`` not the page's language, no title, not
    exactly one ``h1``, no skip link as the first focusable element, or missing landmarks (one
    main; on the product's pages also a banner, a content info and a navigation)."""
    problems: list[str] = []
    if found["lang"].split("-")[0].lower() != language:
        problems.append(f"html lang is {found['lang']!r}, not {language!r}")
    if not found["title"]:
        problems.append("no title")
    if found["h1"] != 1:
        problems.append(f"{found['h1']} h1 elements, not one")
    if not found["skip"]:
        problems.append(f"the first focusable element is not a skip link to the content: {found['first']}")
    if found["main"] != 1:
        problems.append(f"{found['main']} main landmarks, not one")
    if not admin:
        for landmark in ("banner", "contentinfo"):
            if found[landmark] != 1:
                problems.append(f"{found[landmark]} {landmark} landmarks, not one")
        if not found["navigation"]:
            problems.append("no navigation landmark")
    return problems


_NO_VALIDATE = "() => document.querySelectorAll('form').forEach((form) => { form.noValidate = true; })"


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str | None
    help: str
    targets: tuple[str, ...]

    @property
    def nodes(self) -> int:
        return len(self.targets)


@dataclass
class Check:
    """The result of one page in one language as one role."""

    route: str
    url: str
    language: str
    role: str
    admin: bool
    state: str = ""
    status: int | None = None
    #: The status the page should answer with (a form with errors may answer 400).
    expected_status: int = 200
    violations: list[Violation] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    #: Problems of structure that axe-core does not report (see :func:`structure_problems`).
    structure: list[str] = field(default_factory=list)
    title: str = ""
    error: str = ""
    #: Seconds spent opening the page (and submitting its form) and running axe-core.
    load_seconds: float = 0.0
    axe_seconds: float = 0.0

    @property
    def failing(self) -> list[Violation]:
        """The violations that fail the sweep: all on the product's pages, the serious and
        critical ones on Django's admin pages."""
        if not self.admin:
            return list(self.violations)
        return [v for v in self.violations if v.impact in ADMIN_FAILING_IMPACTS]

    @property
    def ok(self) -> bool:
        return (
            self.status == self.expected_status
            and not self.error
            and not self.failing
            and not self.csp
            and not self.structure
        )


#: The database file right after the first :func:`load_demo` of this run (SQLite only): the next
#: tests copy it back in well under a second instead of building the demo again for many seconds.
_DEMO_SNAPSHOT: list[Path] = []


def load_demo() -> None:
    """The demo data with one month of transactions (the sweep's database). Each test of a run
    starts from the same data: on SQLite the first load is kept as a snapshot and copied back with
    SQLite's online backup (the live server's own connections see the new pages at their next
    query); on another database the demo is loaded anew."""
    connection.ensure_connection()
    if connection.vendor != "sqlite":
        call_command("load_demo", months=1, stdout=StringIO())
        return
    raw = connection.connection
    if _DEMO_SNAPSHOT and _DEMO_SNAPSHOT[0].exists():
        with closing(sqlite3.connect(_DEMO_SNAPSHOT[0])) as snapshot:
            snapshot.backup(raw)
        return
    call_command("load_demo", months=1, stdout=StringIO())
    folder = tempfile.mkdtemp(prefix="asiointi-a11y-")
    atexit.register(shutil.rmtree, folder, True)
    path = Path(folder) / "demo.sqlite3"
    with closing(sqlite3.connect(path)) as snapshot:
        raw.backup(snapshot)
    _DEMO_SNAPSHOT[:] = [path]


def session_cookies(roles: Iterable[str] = ROLES) -> dict[str, str]:
    """A session key per signed-in role of ``roles``: its demo account (see
    :func:`a11y.routes.role_user`), signed in with the password and the second factor, or for a
    booth's screen the device session of a newly paired screen of the demo point's booth."""
    keys: dict[str, str] = {}
    for role in roles:
        if role == ANONYMOUS:
            continue
        client = Client()
        if role == BOOTH_DEVICE:
            login_booth_device(client, demo_booth())
        else:
            user = role_user(role)
            if user is None:
                raise LookupError(f"The demo data has no user for the role {role}.")
            login_staff(client, user)
        keys[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


def launch(playwright: Any) -> Browser:
    if not CHROMIUM.exists():
        raise FileNotFoundError(
            f"Chromium is not at {CHROMIUM}. Install Debian's package (apt-get install chromium) "
            "or point A11Y_CHROMIUM to it."
        )
    browser: Browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=list(CHROMIUM_FLAGS), headless=True
    )
    return browser


def _context(browser: Browser, base_url: str, session_key: str | None) -> BrowserContext:
    context = browser.new_context(base_url=base_url)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    context.add_init_script(script=_CSP_LISTENER)
    context.add_init_script(path=AXE_SCRIPT)
    if session_key:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base_url}])
    return context


#: True once a page has drawn what it draws by script: nothing is marked ``aria-busy="true"`` (the
#: API documentation is busy while Swagger UI draws its operations).
SETTLED = "() => !document.querySelector('[aria-busy=\"true\"]')"


def _path_of(url: str) -> str:
    """The path and query of an absolute URL."""
    parts = url.split("/", 3)
    return "/" + parts[3] if len(parts) > 3 else "/"


def check_page(tab: BrowserPage, page: Page, url: str | None = None) -> Check:
    """Open ``page`` (or ``url``) in ``tab``, bring a form into its error state if the page asks
    for one, and run axe-core."""
    check = Check(page.route, url or page.path, page.language, page.role, page.admin, page.state)
    started = time.monotonic()
    try:
        response = tab.goto(check.url, wait_until="load")
        tab.wait_for_function(SETTLED)
        # The page seen: where a redirect led (an appointment's page leads to "Manage your
        # appointment" without the proof), so that one page with one title is one page.
        check.url = _path_of(tab.url)
        check.status = response.status if response else None
        state = form_state(page)
        if state is not None:
            check.expected_status = state.status
            tab.evaluate(_NO_VALIDATE)
            for selector, value in state.fill:
                tab.fill(selector, value)
            with tab.expect_navigation(wait_until="load") as navigation:
                tab.click(state.submit)
            submitted = navigation.value
            check.status = submitted.status if submitted else None
            check.url = _path_of(tab.url)
        check.load_seconds = time.monotonic() - started
        found: list[dict[str, Any]] = tab.evaluate(_RUN_AXE, list(WCAG_TAGS))
        check.axe_seconds = time.monotonic() - started - check.load_seconds
        check.violations = [Violation(v["rule"], v["impact"], v["help"], tuple(v["targets"])) for v in found]
        check.csp = list(tab.evaluate("() => window.__a11yCsp || []"))
        found_structure: dict[str, Any] = tab.evaluate(_STRUCTURE)
        check.title = found_structure["title"]
        check.structure = structure_problems(found_structure, page.language, page.admin)
    except Exception as error:
        check.error = f"{type(error).__name__}: {error}"
    return check


def sweep(
    base_url: str, pages: Sequence[Page], sessions: Sequence[Mapping[str, str]], workers: int = WORKERS
) -> list[Check]:
    """Check ``pages`` on the server at ``base_url``. ``workers`` browsers share the pages (the
    server renders while axe-core runs); ``sessions`` holds, per worker, a session key per
    signed-in role (one session is never used by two browsers at once)."""
    workers = max(1, min(workers, len(sessions)))
    shares: list[list[Page]] = [[] for _worker in range(workers)]
    for index, page in enumerate(p for p in pages if not p.state):
        shares[index % workers].append(page)
    # The error states of one form are sent by one browser, one after another: the sign-in lets
    # only one try at a time go ahead from an address with failures.
    forms = list(dict.fromkeys(page.route for page in pages if page.state))
    for page in pages:
        if page.state:
            shares[forms.index(page.route) % workers].append(page)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda i: _sweep_share(base_url, shares[i], sessions[i]), range(workers)))
    order = {id(page): index for index, page in enumerate(pages)}
    checked = [pair for share in results for pair in share]
    return [check for _page, check in sorted(checked, key=lambda pair: order[id(pair[0])])]


def _sweep_share(
    base_url: str, pages: Sequence[Page], sessions: Mapping[str, str]
) -> list[tuple[Page, Check]]:
    """One browser (its own Playwright, as the sync API is per thread) checks ``pages``."""
    checked: list[tuple[Page, Check]] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for role in _roles(pages):
                context = _context(browser, base_url, sessions.get(role) if role != ANONYMOUS else None)
                tab = context.new_page()
                for page in pages:
                    if page.role == role:
                        checked.append((page, check_page(tab, page)))
                context.close()
        finally:
            browser.close()
    return checked


def _roles(pages: Iterable[Page]) -> list[str]:
    return list(dict.fromkeys(page.role for page in pages))


def run(base_url: str) -> tuple[Plan, list[Check]]:
    """Load the demo data, plan every page, sign the roles in and sweep."""
    load_demo()
    # Signing in first also writes the rows that the sign-in logs (audit, django-axes) show.
    sessions = [session_cookies() for _worker in range(WORKERS)]
    planned = plan()
    return planned, sweep(base_url, planned.pages, sessions)


def duplicate_titles(checks: Sequence[Check]) -> dict[tuple[str, str, str], list[str]]:
    """Titles shared by different pages of the product (routes, or one route's different objects)
    in one language for one role: (language, role, title) -> the URLs. A form in its error state
    is the same page as the form."""
    urls: dict[tuple[str, str, str], set[str]] = {}
    for check in checks:
        if not check.admin and not check.state and check.title:
            # One page with different query strings (a filled-in code, a filter) is one page.
            path = check.url.split("?", 1)[0]
            urls.setdefault((check.language, check.role, check.title), set()).add(path)
    return {key: sorted(found) for key, found in urls.items() if len(found) > 1}
