"""A theme page with its moments, and a story page with related stories, pass axe-core's
WCAG 2.0-2.2 A/AA and best-practice rules in a real browser (issue 13, part 4)."""

from archive.models import Theme
from tests.browser.support import BROWSER, describe_violations, run_axe
from tests.search.helpers import add_passage, consented_story

pytestmark = BROWSER


def test_a_theme_page_with_moments_and_a_story_with_related_stories_pass_axe(page, settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False
    mistrust = Theme.objects.get(slug="mistrust")
    first = consented_story("Letters to the housing office", borough="wirral")
    second = consented_story("The council repairs", borough="sefton")
    for story in (first, second):
        for minute in range(12):
            passage = add_passage(
                story, f"The housing office ignored letter {minute}.", start=minute * 60
            )
            passage.themes.add(mistrust)
    report = []
    for url in ["/stories/theme/mistrust/", "/stories/theme/mistrust/?moments=2", first.url]:
        response = page.goto(url)
        assert response.status == 200
        violations = run_axe(page)
        if violations:
            report.append(describe_violations(url, violations))
    assert not report, "axe-core found violations:\n" + "\n".join(report)
    page.goto("/stories/theme/mistrust/")
    assert page.locator(".archive-moments li").count() == 10
    page.goto(first.url)
    assert page.get_by_role("heading", name="Related stories").is_visible()
    assert page.get_by_role("link", name="The council repairs").is_visible()
