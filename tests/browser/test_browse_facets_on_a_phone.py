"""Browse with facets on a phone (issue 15): at 320 px a visitor chooses a borough, then a
kind; each time the list and the other facets' counts follow, the address holds the choices,
nothing scrolls sideways and axe-core finds no violation."""

from datetime import date

from tests.browser.support import BROWSER, PHONE, assert_fits_and_accessible

pytestmark = BROWSER


def test_two_facets_narrow_the_list_and_change_the_counts(page, archive_site):
    from tests.factories import make_story

    make_story(
        title="Park bench", borough="wirral", kind="oral-history", recorded_on=date(2026, 1, 5)
    )
    page.set_viewport_size(PHONE)
    page.goto("/stories/")
    assert page.get_by_role("heading", name="3 stories").is_visible()
    assert_fits_and_accessible(page)

    page.locator("summary", has_text="Borough").click()
    page.get_by_label("Wirral (2)").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/stories/?borough=wirral")
    assert page.get_by_role("heading", name="2 stories").is_visible()
    # Kinds now counted among Wirral's stories: one vox pop, one oral history.
    page.locator("summary", has_text="Kind of story").click()
    assert page.get_by_label("Oral history (1)").is_visible()
    assert page.get_by_label("Vox pop (1)").is_visible()
    page.get_by_label("Oral history (1)").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/stories/?borough=wirral&kind=oral-history")
    assert page.get_by_role("heading", name="1 story", exact=True).is_visible()
    assert page.get_by_role("link", name="Park bench").is_visible()
    # Boroughs counted among oral histories: Halton's job interview is one.
    assert page.get_by_label("Halton (1)").count() == 1
    assert page.get_by_label("Wirral (1)").is_checked()
    assert_fits_and_accessible(page)
