"""Nothing lost (issue 15), in Chromium at 320 px: a recording is uploaded ahead of the form
with tus, and kept when the form comes back with an error, so the contributor fixes the
field and sends without choosing it again; an upload cut off by a dropped connection
carries on from the server's offset, not from zero, with a labelled progress bar. No
sideways scroll and 0 axe violations on each page seen."""

from tests.browser.support import BROWSER, PHONE, assert_fits_and_accessible

pytestmark = BROWSER


def fill_all_but_the_title(page):
    page.get_by_label("Tell us in a few sentences").fill("A remark on the number 14.")
    page.get_by_label("Which borough is your story from?").select_option(label="Knowsley")
    page.get_by_label("Which language is your recording in?").select_option("en")
    page.get_by_label("A made-up name (a pseudonym)").check()
    page.get_by_label("The made-up name to use").fill("Jo")
    page.get_by_label("On the public website, where anyone can see it").check()
    page.get_by_label("My voice and face may be played").check()
    page.get_by_label("I have read the consent form above and agree").check()


def test_a_form_error_keeps_the_upload_and_the_story_is_made_from_it(page, browser_media):
    from archive.models import Recording, StoryPage
    from tests.factories import make_media_file

    page.set_viewport_size(PHONE)
    page.goto("/contribute/")
    media = make_media_file("audio", seconds=2)
    page.get_by_label("Your recording", exact=True).set_input_files(str(media))
    kept = page.locator("[data-kept-upload]")
    kept.get_by_text(media.name, exact=True).wait_for()
    assert "uploaded and kept" in kept.inner_text()
    fill_all_but_the_title(page)
    page.get_by_role("button", name="Send my story").click()

    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert "uploaded and kept" in kept.inner_text() and media.name in kept.inner_text()
    assert page.get_by_text("You do not need to choose it again").is_visible()
    assert page.get_by_label(f"Remove {media.name} (choose another above)").is_visible()
    assert_fits_and_accessible(page)

    page.get_by_label("Give your story a title").fill("Told on the bus")
    page.get_by_role("button", name="Send my story").click()
    page.wait_for_url("**/contribute/thanks/")

    story = StoryPage.objects.get(title="Told on the bus")
    (recording,) = [each.recording for each in story.story_recordings.all()]
    assert recording.type == "audio" and recording.duration > 0  # probed by content
    assert Recording.objects.count() == 1
    assert not any((browser_media / "staged-uploads").iterdir())  # stored once


def test_an_interrupted_upload_carries_on_from_the_servers_offset(page, browser_media, settings):
    from tests.factories import make_media_file

    chunk = 16 * 1024
    settings.STAGED_UPLOAD_CHUNK_BYTES = chunk
    media = make_media_file("video", seconds=4, suffix=".mp4")
    size = media.stat().st_size
    assert size > 3 * chunk
    patches = []  # (Upload-Offset, bytes that reached the server) of each PATCH

    def drop_the_second_chunk(route):
        request = route.request
        if request.method != "PATCH":
            route.continue_()
            return
        offset = int(request.headers["upload-offset"])
        if len(patches) == 1:
            patches.append((offset, 0))
            page.context.set_offline(True)  # the phone loses its signal mid-upload
            route.abort("internetdisconnected")
            return
        patches.append((offset, len(request.post_data_buffer or b"")))
        route.continue_()

    page.set_viewport_size(PHONE)
    page.route("**/contribute/uploads/*", drop_the_second_chunk)
    page.goto("/contribute/")
    page.get_by_label("Your recording", exact=True).set_input_files(str(media))

    waiting = page.get_by_role(
        "progressbar", name=f"Waiting for a connection to carry on uploading {media.name}"
    )
    waiting.wait_for()
    assert int(waiting.get_attribute("value")) == 100 * chunk // size  # one chunk is up
    status = page.locator("[aria-live=polite][data-upload-status]")
    assert "The connection was lost" in status.text_content()
    assert_fits_and_accessible(page)

    page.context.set_offline(False)
    page.locator("[data-kept-upload]").get_by_text(media.name, exact=True).wait_for()
    assert f"{media.name} is uploaded and kept" in status.text_content()

    offsets = [offset for offset, _ in patches]
    assert offsets[:3] == [0, chunk, chunk]  # the lost chunk is sent again, not the first
    assert offsets == sorted(offsets) and offsets.count(0) == 1
    assert sum(sent for _, sent in patches) == size  # every byte reached the server once
    (staged,) = (browser_media / "staged-uploads").iterdir()
    assert (staged / "data").read_bytes() == media.read_bytes()
