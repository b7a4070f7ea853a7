"""The search page with the strategy's words (issue 13), in a browser: a theme's page as the
first result, "did you mean", both with no axe-core violation (WCAG 2.x A/AA, best practice)."""

from tests.browser.support import BROWSER, describe_violations, run_axe

pytestmark = BROWSER


def test_theme_card_and_did_you_mean_are_accessible_and_lead_somewhere(page, archive_site):
    urls = {
        "a theme named": "/search/?q=mistrust",
        "a dimension named, no story": "/search/?q=structural+racism",
        "a misspelling": "/search/?q=mistrst",
    }
    report = []
    for name, url in urls.items():
        response = page.goto(url)
        assert response.status == 200, f"{name} answered {response.status}"
        violations = run_axe(page)
        if violations:
            report.append(f"--- {name}\n{describe_violations(url, violations)}")
    assert not report, "axe-core found violations:\n" + "\n".join(report)

    page.goto("/search/?q=mistrst")
    page.get_by_role("link", name="mistrust", exact=True).click()
    assert page.get_by_role("link", name="The job interview").count() == 1
    page.get_by_role("link", name="Mistrust", exact=True).click()
    assert "/stories/theme/mistrust/" in page.url
