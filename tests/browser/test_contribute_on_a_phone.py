"""The contribution form on a phone (issue 15): at 320 px nothing scrolls sideways, on the
form nor on the receipt with its long private link; the made-up name and the guardian's
fields appear only once they apply; the end date is typed as day, month and year, which
reads the same in every browser; axe-core finds no violation."""

from datetime import date

from tests.browser.support import BROWSER, PHONE, assert_fits_and_accessible

pytestmark = BROWSER


def test_fields_appear_when_they_apply_and_the_receipt_fits(page, browser_media):
    from consent.models import ConsentRecord
    from tests.factories import make_media_file

    page.set_viewport_size(PHONE)
    page.goto("/contribute/")
    made_up_name = page.get_by_label("The made-up name to use")
    guardian = page.get_by_label("Parent or guardian's full name")
    assert not made_up_name.is_visible() and not guardian.is_visible()
    assert_fits_and_accessible(page)

    page.get_by_label("Your recording", exact=True).set_input_files(
        str(make_media_file("audio", seconds=2))
    )
    page.get_by_label("Give your story a title").fill("Told on the bus")
    page.get_by_label("Tell us in a few sentences").fill("A remark on the number 14.")
    page.get_by_label("Which borough is your story from?").select_option(label="Knowsley")
    page.get_by_label("Which language is your recording in?").select_option("en")
    page.get_by_label("A made-up name (a pseudonym)").check()
    assert made_up_name.is_visible()
    made_up_name.fill("Jo")
    page.get_by_label("I am under 18").check()
    assert guardian.is_visible()
    guardian.fill("Pat Jones")
    page.get_by_label("As their parent or guardian, I agree to these uses").check()
    page.get_by_label("On the public website, where anyone can see it").check()
    page.get_by_label("My voice and face may be played").check()
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2030")
    page.get_by_label("I have read the consent form above and agree").check()
    assert_fits_and_accessible(page)
    page.get_by_role("button", name="Send my story").click()
    page.wait_for_url("**/contribute/thanks/")
    assert_fits_and_accessible(page)  # the long private link wraps

    record = ConsentRecord.objects.get()
    assert record.expires_on == date(2030, 12, 31)
    assert record.guardian_name == "Pat Jones"


def test_a_date_that_is_not_real_gets_a_plain_message_and_keeps_the_boxes(page, browser_media):
    page.set_viewport_size(PHONE)
    page.goto("/contribute/")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2031")
    page.get_by_role("button", name="Send my story").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    message = "Enter a real date in numbers: day, month and year, for example 31 12 2030."
    assert page.get_by_role("link", name=message).is_visible()
    assert page.get_by_label("Month").input_value() == "2"
    assert_fits_and_accessible(page)
