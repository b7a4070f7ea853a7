"""axe-core (the npm package in node_modules) finds no WCAG 2.0, 2.1 or 2.2 A or AA
violation on any public page type, in a real browser."""

from tests.browser.support import BROWSER, describe_violations, run_axe

pytestmark = BROWSER

STRATEGY_SECTIONS = ["principles", "vision", "outcomes", "key-issues", "dimensions", "glossary"]


def public_pages(site):
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
        "not found": "/stories/no-such-story/",
    }


def test_every_public_page_type_has_no_wcag_violations(page, archive_site):
    report, checked = [], []
    for name, url in public_pages(archive_site).items():
        response = page.goto(url)
        expected = 404 if name == "not found" else 200
        assert response.status == expected, f"{name} ({url}) answered {response.status}"
        violations = run_axe(page)
        checked.append(name)
        if violations:
            report.append(f"--- {name}\n{describe_violations(url, violations)}")
    assert not report, "axe-core found WCAG violations:\n" + "\n".join(report)
    assert len(checked) == 18


def test_mobile_width_has_no_wcag_violations(page, archive_site):
    """At a phone's width the menu collapses behind a button; that must pass too."""
    page.set_viewport_size({"width": 375, "height": 800})
    report = []
    for url in ["/", archive_site["video"].url, "/stories/borough/wirral/"]:
        page.goto(url)
        violations = run_axe(page)
        if violations:
            report.append(describe_violations(url, violations))
    assert not report, "axe-core found WCAG violations:\n" + "\n".join(report)


def test_the_checker_reports_what_it_finds(page, live_server):
    """A guard for the test above: axe really runs, and a violation is reported readably."""
    page.goto("/no-such-page/")
    page.evaluate(
        "() => document.querySelector('main').append(Object.assign("
        "document.createElement('img'), {src: '/static/archive/favicon.svg'}))"
    )
    violations = run_axe(page)
    assert [v["id"] for v in violations] == ["image-alt"]
    assert "image-alt (critical)" in describe_violations("/no-such-page/", violations)
