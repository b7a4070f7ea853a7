"""axe-core (the npm package in node_modules) finds no WCAG 2.0, 2.1 or 2.2 A or AA
violation, and no violation of its best-practice rules, on any public page type, in a real
browser."""

from tests.browser.support import BROWSER, describe_violations, public_pages, run_axe

pytestmark = BROWSER


def test_every_public_page_type_has_no_wcag_or_best_practice_violations(page, archive_site):
    report, checked = [], []
    for name, url in public_pages(archive_site).items():
        response = page.goto(url)
        expected = 404 if name == "not found" else 200
        assert response.status == expected, f"{name} ({url}) answered {response.status}"
        violations = run_axe(page)
        checked.append(name)
        if violations:
            report.append(f"--- {name}\n{describe_violations(url, violations)}")
    assert not report, "axe-core found violations:\n" + "\n".join(report)
    assert len(checked) == 21


def test_mobile_width_has_no_wcag_violations(page, archive_site):
    """At a phone's width the menu collapses behind a button; that must pass too."""
    page.set_viewport_size({"width": 375, "height": 800})
    report = []
    for url in ["/", archive_site["video"].url, "/stories/borough/wirral/"]:
        page.goto(url)
        violations = run_axe(page)
        if violations:
            report.append(describe_violations(url, violations))
    assert not report, "axe-core found violations:\n" + "\n".join(report)


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
