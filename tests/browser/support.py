"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's
live server. Playwright's own browser download cannot work on these machines.

The live server needs a transactional database, which is flushed after each test; the
site tree and taxonomy come from data migrations, so every browser test asks for a
serialized rollback, which restores them before it runs."""

import os
import shutil
import threading
from datetime import date
from pathlib import Path

import pytest
from django.core.files import File

from tests.conftest import require_part

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The WCAG 2.0, 2.1 and 2.2 A and AA rules, and axe's best practices (heading order,
# landmarks, ARIA roles an element allows...), which audits such as Lighthouse also run.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_TAGS = [*WCAG_TAGS, "best-practice"]
# A small phone: every public page must fit it without sideways scrolling (issue 15).
PHONE = {"width": 320, "height": 720}
STRATEGY_SECTIONS = ["principles", "vision", "outcomes", "key-issues", "dimensions", "glossary"]


# Every browser test module sets: pytestmark = BROWSER
BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="session")
def browser():
    require_part(CHROMIUM.exists(), "Chromium (/usr/bin/chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls our
    # fixtures make between page actions are still ordinary synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        # Inside Playwright, Django's per-context connections are new objects, which lack
        # the serialized copy of the migrated database that a serialized rollback restores.
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class GatedApp:
    """The live server's WSGI application, open only while a browser test runs.

    A page can send one last request as it closes: Wagtail's page editor releases its
    editing session by a beacon on pagehide, which Playwright neither reports nor waits
    for. Arriving during the next test's setup, its query is refused by pytest-django
    mid-transaction, which breaks the connection the live server shares with the tests.
    Closed, the gate answers such late requests itself; closing waits for those already
    inside, while their test's database is still there."""

    def __init__(self, app):
        self.app = app
        self.is_open = True
        self.inside = 0
        self.changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            if not self.is_open:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"Between browser tests."]
            self.inside += 1
        try:
            return self.app(environ, start_response)
        finally:
            with self.changed:
                self.inside -= 1
                self.changed.notify_all()

    def open(self):
        with self.changed:
            self.is_open = True

    def close(self, timeout=30):
        with self.changed:
            self.is_open = False
            if not self.changed.wait_for(lambda: self.inside == 0, timeout=timeout):
                raise RuntimeError("The live server was still answering a request.")


def live_server_gate(live_server) -> GatedApp:
    server = live_server.thread.httpd
    if not isinstance(server.get_app(), GatedApp):
        server.set_app(GatedApp(server.get_app()))
    return server.get_app()


@pytest.fixture
def open_live_server(live_server):
    """The live server, its gate open for this test and closed (after the requests already
    inside) before the test's database goes. Every test that talks to it asks for this."""
    gate = live_server_gate(live_server)
    gate.open()
    yield live_server
    gate.close()


@pytest.fixture
def page(browser, open_live_server, settings):
    live_server = open_live_server
    # The site's configured address is where it runs: links in receipts and e-mails go there.
    settings.SITE_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def browser_media(settings, tmp_path):
    """Media files in a fresh folder for this test; the live server reads the same settings."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def ready_recording(kind, title):
    """A Recording whose rendition is a real H.264/AAC MP4 (or AAC .m4a) made by ffmpeg,
    marked ready as the rendition task would leave it."""
    from archive.models import Recording
    from tests.factories import make_media_file

    require_part(shutil.which("ffmpeg"), "ffmpeg")
    path = make_media_file(kind, seconds=8, suffix=".mp4" if kind == "video" else ".m4a")
    recording = Recording(title=title, type=kind, duration=8, rendition_status="ready")
    recording.rendition_mime = "video/mp4" if kind == "video" else "audio/mp4"
    with path.open("rb") as handle:
        recording.file.save(path.name, File(handle), save=False)
        handle.seek(0)
        recording.rendition.save(path.name, File(handle), save=False)
    recording.save()
    return recording


@pytest.fixture
def archive_site(browser_media):
    """Published stories in Wirral (video) and Halton (audio), themed, plus a collection."""
    from archive.models import CollectionItem, CollectionPage, HomePage
    from consent.records import demo_consent
    from tests.factories import make_story

    video_story = make_story(
        title="Ferry queue",
        slug="ferry-queue",
        kind="vox-pop",
        borough="wirral",
        summary="A fictional commuter talks about a remark made in the ferry queue.",
        recorded_on=date(2026, 2, 3),
        is_fictional=True,
        themes=["fear"],
        dimensions=["interpersonal"],
        recording=ready_recording("video", "Ferry queue interview"),
    )
    audio_story = make_story(
        title="The job interview",
        slug="the-job-interview",
        kind="oral-history",
        borough="halton",
        summary="A fictional account of being turned away from a job.",
        recorded_on=date(2026, 1, 20),
        is_fictional=True,
        themes=["mistrust"],
        dimensions=["institutional"],
        recording=ready_recording("audio", "Job interview memories"),
    )
    for story in (video_story, audio_story):
        demo_consent(story)  # fictional stories, shown and played as real consent would allow
    home = HomePage.objects.get()
    collection = CollectionPage(
        title="Everyday encounters", slug="everyday", introduction="Two stories."
    )
    home.add_child(instance=collection)
    for position, story in enumerate([video_story, audio_story]):
        CollectionItem.objects.create(collection=collection, story=story, sort_order=position)
    return {"video": video_story, "audio": audio_story, "collection": collection}


def public_pages(site):
    """Every public page type, on the archive_site fixture's stories."""
    return {
        "home": "/",
        "story index": "/stories/",
        "browse by borough": "/stories/borough/wirral/",
        "browse by borough, no stories": "/stories/borough/knowsley/",
        "browse by kind": "/stories/kind/vox-pop/",
        "browse by theme": "/stories/theme/fear/",
        "browse by dimension": "/stories/dimension/interpersonal/",
        "story with video": site["video"].url,
        "story with audio": site["audio"].url,
        "strategy": "/strategy/",
        **{f"strategy: {slug}": f"/strategy/{slug}/" for slug in STRATEGY_SECTIONS},
        "collection": site["collection"].url,
        "search": "/search/?q=ferry",
        "contribute": "/contribute/",
        "withdraw": f"/contribute/withdraw/{site['video'].consent.reference}/",
        "not found": "/stories/no-such-story/",
    }


def run_axe(page):
    """Run axe-core from node_modules on the page (WCAG A and AA rules and best practices);
    returns its violations. Evaluated through the DevTools protocol rather than added as a
    <script>, which the page's Content-Security-Policy rightly refuses."""
    require_part(AXE.exists(), "axe-core (npm ci)")
    page.evaluate(AXE.read_text())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return results["violations"]


def describe_violations(url, violations):
    lines = []
    for violation in violations:
        lines.append(f"{url}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


def assert_fits_and_accessible(page, state=""):
    """Nothing scrolls sideways at the page's width, and axe finds no violation. `state`
    names what the page is showing, for the message."""
    where = f"{page.url} {state}".strip()
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, where
    violations = run_axe(page)
    assert violations == [], describe_violations(where, violations)
