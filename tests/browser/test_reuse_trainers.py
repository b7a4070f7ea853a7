"""Trainers in a real browser: making a clip by choosing words with the mouse and with the
keyboard, editing a reel by keyboard, and the presenter by keyboard and offline; axe finds
no violation on the clip maker, the trainer's clips, the reel or the presenter."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.support import BROWSER, describe_violations, run_axe

pytestmark = BROWSER

FOCUSED = "() => ({id: document.activeElement.id, text: document.activeElement.innerText})"


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


@pytest.fixture
def signed_in_trainer(page, live_server):
    from tests.reuse.conftest import make_trainer

    trainer = make_trainer()
    client = Client()
    client.force_login(trainer)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return trainer


def word_box(page, index):
    return page.locator(f"#word-{index}").bounding_box()


def test_making_a_clip_by_selecting_words_with_the_mouse_and_with_the_keyboard(
    page, signed_in_trainer, browser_media
):
    from reuse.models import Clip
    from tests.reuse.conftest import make_transcribed_story

    story = make_transcribed_story(kind="video", seconds=5)
    url = reverse("reuse:clip_maker", args=[story.pk])

    # The mouse: drag from w2 to w6, as one selects text.
    page.goto(url)
    violations = run_axe(page)
    assert violations == [], describe_violations(url, violations)
    page.locator("#clip-words").scroll_into_view_if_needed()
    first, last = word_box(page, 2), word_box(page, 6)
    page.mouse.move(first["x"] + 2, first["y"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] - 2, last["y"] + last["height"] / 2, steps=5)
    page.mouse.up()
    status = page.locator("#clip-status")
    expect(status).to_contain_text("0:01.0 to 0:03.4")
    assert page.locator("[role=option][aria-selected=true]").all_inner_texts() == [
        "w2", "w3", "w4", "w5", "w6"
    ]  # fmt: skip
    page.get_by_role("button", name="Make the clip").click()
    page.wait_for_url("**/reuse/clips/**")
    assert page.get_by_role("heading", name="My clips (1)").is_visible()
    violations = run_axe(page)  # the trainer's clips, and finding more
    assert violations == [], describe_violations(page.url, violations)
    clip = Clip.objects.get()
    assert (clip.start, clip.end, clip.excerpt) == (1.0, 3.4, "w2 w3 w4 w5 w6")

    # The keyboard: Tab to the words, arrows move, Shift+arrows extend, P previews, Enter makes.
    page.goto(url)
    assert "Shift" in page.locator("#clip-keys").inner_text()  # the keys are said on screen
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED)["id"].startswith("word-"):
            break
    assert page.evaluate(FOCUSED)["id"] == "word-0"
    for key in ["ArrowRight"] * 3 + ["Shift+ArrowRight"] * 2:
        page.keyboard.press(key)
    expect(status).to_contain_text("0:01.5 to 0:02.9")
    page.get_by_role("button", name="End 1 s later").focus()
    page.keyboard.press("Enter")
    expect(status).to_contain_text("0:01.5 to 0:03.9")
    page.locator("#word-4").focus()
    page.keyboard.press("p")  # preview exactly the clip, and stop at its end
    video = page.locator("video").element_handle()
    page.wait_for_function("v => !v.paused", arg=video)
    page.wait_for_function("v => v.paused && v.currentTime > 3.5", arg=video, timeout=10_000)
    assert page.evaluate("() => document.querySelector('video').currentTime") <= 4.0
    page.keyboard.press("Enter")
    page.wait_for_url("**/reuse/clips/**")
    newest = Clip.objects.order_by("-pk").first()
    assert (newest.start, newest.end) == (1.5, 3.9)


def test_editing_a_reel_by_keyboard(page, signed_in_trainer, browser_media):
    from archive.models import Recording
    from reuse import reels
    from reuse.models import Clip
    from tests.factories import make_story

    reel = reels.create_reel(signed_in_trainer, "Induction")
    for title in ("First clip", "Second clip"):
        story = make_story(title=f"Story for {title}")
        recording = Recording.objects.create(title=title, type="audio", file="none.m4a")
        clip = Clip.objects.create(
            owner=signed_in_trainer, story=story, recording=recording, start=0, end=2, title=title
        )
        reels.add_clip(reel, clip, signed_in_trainer)
    page.goto(reverse("reuse:reel", args=[reel.pk]))
    violations = run_axe(page)
    assert violations == [], describe_violations(page.url, violations)

    button = page.locator("[data-label='First clip']").get_by_role("button", name="Move down")
    button.focus()
    page.keyboard.press("Enter")
    announce = page.locator("#reel-announce")
    announce.filter(has_text="Moved “First clip” to place 2 of 2.").wait_for()
    assert page.evaluate(FOCUSED)["text"].startswith("Move down")  # focus stays on the button
    assert page.locator(".reel-item h3").all_inner_texts() == [
        "Clip: Second clip",
        "Clip: First clip",
    ]
    assert [i.clip.title for i in reel.items.all()] == ["Second clip", "First clip"]

    page.locator("#add-slide-text").focus()
    page.keyboard.type("What would you have said?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    slide = page.locator("[data-label='Slide: What would you have said?']")
    slide.get_by_role("button", name="Move up").focus()
    page.keyboard.press("Enter")
    announce.filter(has_text="to place 2 of 3").wait_for()
    assert [i.kind for i in reel.items.all()] == ["clip", "slide", "clip"]


def test_the_presenter_by_keyboard_with_axe_and_offline(page, signed_in_trainer, browser_media):
    from reuse import clipping, clips, reels
    from tests.reuse.conftest import make_transcribed_story

    story = make_transcribed_story(kind="audio", seconds=4)
    reel = reels.create_reel(signed_in_trainer, "Session one")
    for start, end in ((0.0, 1.4), (1.5, 2.9)):
        clip = clips.make_clip(signed_in_trainer, story, start, end)
        clipping.cut(clip)
        reels.add_clip(reel, clip, signed_in_trainer)
        if start == 0.0:
            reels.add_slide(reel, "What did you notice?")

    page.goto(reverse("reuse:presenter", args=[reel.pk]))
    page.wait_for_selector("body[data-offline=ready]")
    violations = run_axe(page)
    assert not violations, describe_violations("presenter", violations)
    assert "larger captions" in page.locator("#presenter-help").inner_text()
    assert page.get_by_role("button", name="Full screen").is_visible()
    assert page.locator(".presenter__credit").first.inner_text() == "Told by Anonymous" or (
        page.locator(".presenter__credit").first.inner_text().startswith("Told by ")
    )

    page.context.set_offline(True)
    page.keyboard.press("ArrowRight")
    assert page.locator(".presenter__item:not([hidden]) .presenter__slide").inner_text() == (
        "What did you notice?"
    )
    page.keyboard.press("+")
    assert "presenter--cues-4" in page.evaluate("() => document.body.className")
    page.keyboard.press("n")
    visible = page.locator(".presenter__item:not([hidden]) video")
    assert visible.evaluate("v => v.src.startsWith('blob:')")
    page.keyboard.press("k")
    page.wait_for_function("v => !v.paused && v.currentTime > 0.3", arg=visible.element_handle())
    assert visible.evaluate("v => v.textTracks[0].mode") == "showing"
    page.keyboard.press("k")
    page.wait_for_function("v => v.paused", arg=visible.element_handle())
    violations = run_axe(page)
    assert not violations, describe_violations("presenter, offline", violations)


def test_the_reels_list_an_export_and_a_share_link_have_no_axe_violations(
    page, signed_in_trainer, browser_media, live_server, settings
):
    from reuse import exporting, sharing
    from tests.reuse.conftest import make_export_reel, make_transcribed_story

    settings.REUSE_EXPORT_SIZE, settings.REUSE_EXPORT_PRESET = (320, 180), "ultrafast"
    reel = make_export_reel(signed_in_trainer, [make_transcribed_story()])
    export, _created = exporting.request_export(reel, signed_in_trainer, burn_captions=True)
    exporting.export_reel(export)
    link = sharing.create_link(reel, signed_in_trainer, hours=3, label="Tuesday session")

    for url in (
        reverse("reuse:reels"),
        reverse("reuse:export", args=[export.pk]),
        reverse("reuse:share", args=[link.token]),  # what a session's participants open
    ):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        violations = run_axe(page)
        assert not violations, describe_violations(url, violations)
    assert page.locator("video").count() == 1
