"""axe-core finds no WCAG 2.x A or AA violation, nor any of its best-practice rules
(issue 10: an ARIA role the h2 did not allow, a skipped heading level), on the search page
in each of its states, the strategy's words' ones included (issue 13)."""

from tests.browser.support import BROWSER, describe_violations, run_axe

pytestmark = BROWSER


def test_search_page_states_have_no_wcag_or_best_practice_violations(page, archive_site):
    urls = {
        "no query": "/search/",
        "results with a passage-less story": "/search/?q=ferry",
        "filtered": "/search/?q=interview&borough=halton&kind=oral-history",
        "nothing found": "/search/?q=zebra+crossing&dimension=systemic",
        "malformed": "/search/?q=%22((NOT&page=x",
        # The strategy's words (issue 13): its page as the first result, "did you mean".
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
    page.goto("/search/?q=ferry")
    assert page.get_by_role("link", name="Ferry queue").count() == 1
    page.goto("/search/?q=mistrst")
    page.get_by_role("link", name="mistrust", exact=True).click()  # did you mean
    assert page.get_by_role("link", name="The job interview").count() == 1
