"""Record in the browser (issue 15), at phone size, in Chromium with its fake microphone
playing espeak-ng's speech: the contributor reads the strategy's questions, records by
keyboard, hears the recording back, keeps it and sends the consent form. The recording
reaches the form's file field and so goes through the same probe and rendition as an
upload, and Whisper transcribes it. Every recorder state fits 320 px with 0 axe
violations; without scripts the recorder is not shown."""

import base64
import subprocess

import pytest

from tests.browser.support import (
    BROWSER,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    assert_fits_and_accessible,
)
from tests.conftest import require_part
from tests.factories import make_media_file
from tests.transcription.conftest import speech

pytestmark = BROWSER
SPOKEN = "People describe what happened to them and how it changed their lives."


@pytest.fixture
def microphone_wav(tmp_path):
    """espeak-ng's sentence as 48 kHz mono 16-bit WAV, the form Chromium's fake capture reads."""
    wav = tmp_path / "microphone.wav"
    args = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(speech(SPOKEN))]
    subprocess.run([*args, "-ar", "48000", "-ac", "1", "-c:a", "pcm_s16le", str(wav)], check=True)
    return wav


@pytest.fixture
def recording_page(browser, open_live_server, settings, microphone_wav):
    """A phone-sized page in a Chromium whose microphone and camera are fakes allowed
    without asking (the session's browser has no fake devices)."""
    live_server = open_live_server
    settings.SITE_URL = live_server.url
    with_devices = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={microphone_wav}",
            "--autoplay-policy=no-user-gesture-required",
        ],
    )
    context = with_devices.new_context(base_url=live_server.url, viewport=PHONE)
    context.grant_permissions(["microphone", "camera"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()
    with_devices.close()


def focused_text(page):
    return page.evaluate("document.activeElement.textContent").strip()


def read_the_questions(page):
    shown = page.locator("[data-recorder-prompt]:visible")
    assert page.get_by_text("Question 1 of 5", exact=True).is_visible()
    assert shown.inner_text().startswith("Tell us what happened")
    assert page.get_by_role("button", name="Previous question").is_disabled()
    page.get_by_role("button", name="Next question").click()
    assert page.get_by_text("Question 2 of 5", exact=True).is_visible()
    assert shown.inner_text().startswith("Fear: has fear of using the wrong words")
    # A screen reader hears the new question, not only its number.
    announced = page.locator("[data-recorder-prompt-announce][aria-live=polite]")
    assert announced.inner_text().startswith("Question 2 of 5: Fear: has fear")
    # By keyboard to the last question: focus moves off the Next button as it is disabled.
    page.get_by_role("button", name="Next question").focus()
    for _question in range(3):
        page.keyboard.press("Enter")
    assert shown.inner_text().startswith("What would help?")
    assert focused_text(page) == "Previous question"


def record_by_keyboard(page, seconds, start="Start recording"):
    page.get_by_role("button", name=start, exact=True).focus()
    page.keyboard.press("Enter")
    stop = page.get_by_role("button", name="Stop recording")
    stop.wait_for()
    assert focused_text(page) == "Stop recording"
    assert page.get_by_role("status").inner_text().startswith("Recording.")
    page.wait_for_timeout(seconds * 1000)
    assert page.get_by_role("timer").inner_text() >= f"0:0{seconds - 1}"
    assert_fits_and_accessible(page, "recording")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Listen to your recording").wait_for()
    assert focused_text(page) == "Listen to your recording"  # focus follows the gone button
    assert "Recording stopped after" in page.get_by_role("status").inner_text()
    # Keep it or record again: no third way while it waits.
    assert not page.get_by_role("button", name="Start a new recording").is_visible()


def watch_the_file_field(page):
    """Note each file handed to the form's file field, before the upload script takes it
    (it sends the file ahead with tus and empties the field): a capturing listener runs
    before the field's own."""
    page.evaluate(
        """() => document.addEventListener("change", event => {
            if (event.target.name === "recordings" && event.target.files.length) {
                window.handedFiles = [...event.target.files];
            }
        }, true)"""
    )


def handed_files(page):
    return page.evaluate(
        "() => (window.handedFiles || []).map(file => [file.name, file.type, file.size])"
    )


def recorded_video(page, tmp_path):
    """The kept video, as handed to the form's file field, into a file here."""
    name, kind, encoded = page.evaluate(
        """() => window.handedFiles[0].arrayBuffer().then(buffer => {
            const bytes = new Uint8Array(buffer);
            let text = "";
            for (let at = 0; at < bytes.length; at += 0x8000) {
                text += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
            }
            return [window.handedFiles[0].name, window.handedFiles[0].type, btoa(text)];
        })"""
    )
    assert (name, kind) == ("story-recording.webm", "video/webm")
    path = tmp_path / name
    path.write_bytes(base64.b64decode(encoded))
    return path


def play_back(page):
    player = page.locator("audio[data-recorder-audio]")
    duration = player.evaluate(
        """audio => new Promise(done => {
            const check = () => Number.isFinite(audio.duration) && audio.duration > 0
                ? done(audio.duration) : setTimeout(check, 100);
            check();
        })"""
    )
    # It plays: a second of it goes by (a function, not a string: the CSP forbids eval).
    played = player.evaluate(
        """audio => audio.play().then(() => new Promise(done => {
            const check = () => audio.currentTime > 1
                ? done(audio.currentTime) : setTimeout(check, 100);
            check();
        })).then(time => { audio.pause(); return time; })"""
    )
    assert played > 1
    return duration


def whisper_tiny_en():
    from transcription import modelstore

    try:
        modelstore.verify("tiny.en")
    except modelstore.ModelError as error:
        require_part(False, f"Whisper tiny.en ({error})")


def fill_the_consent_form(page):
    page.get_by_label("Give your story a title").fill("Recorded on my phone")
    page.get_by_label("Tell us in a few sentences").fill("What happened at the bus stop.")
    page.get_by_label("Which borough is your story from?").select_option(label="Sefton")
    page.get_by_label("Which language is your recording in?").select_option("en")
    page.get_by_label("On the public website, where anyone can see it").check()
    page.get_by_label("My voice and face may be played").check()
    page.get_by_label("I have read the consent form above and agree").check()


def test_a_story_recorded_in_the_browser_is_sent_probed_and_transcribed(
    recording_page, browser_media, settings, tmp_path
):
    from archive.models import StoryPage
    from tests.factories import make_recording
    from transcription.models import Status, Transcript
    from transcription.tasks import transcribe_recording

    page = recording_page
    page.goto("/contribute/")
    assert page.get_by_role("heading", name="Or record your story here").is_visible()
    assert_fits_and_accessible(page, "ready to record")
    read_the_questions(page)

    # A video first, kept, then recorded again as sound only: only the new one is sent.
    watch_the_file_field(page)
    page.get_by_label("Sound and pictures (microphone and camera)").check()
    record_by_keyboard(page, seconds=3)
    assert page.locator("video[data-recorder-video]").is_visible()
    page.get_by_role("button", name="Keep this recording").click()
    chrome_video = recorded_video(page, tmp_path)
    page.get_by_role("button", name="Record again").click()
    assert focused_text(page) == "Start a new recording"
    assert page.get_by_label("Your recording", exact=True).evaluate("i => i.files.length") == 0
    # The upload script dropped it too: not uploading, not kept (the story gets one recording).
    page.wait_for_function(
        "() => !document.querySelector('[data-kept-upload], .upload-progress__item')"
    )
    page.get_by_label("Sound only (microphone)").check()

    record_by_keyboard(page, seconds=4, start="Start a new recording")
    # At least the 4 s waited (more on a busy machine: axe runs while it records).
    duration = play_back(page)
    assert 3.5 <= duration < 60
    assert_fits_and_accessible(page, "listening back")

    page.get_by_role("button", name="Keep this recording").click()
    assert focused_text(page) == "Your recording is ready to send"
    handed = handed_files(page)
    assert [(name, kind) for name, kind, _size in handed] == [
        ("story-recording.webm", "audio/webm")
    ]
    assert_fits_and_accessible(page, "kept")

    fill_the_consent_form(page)
    page.get_by_role("button", name="Send my story").click()
    page.wait_for_url("**/contribute/thanks/")

    story = StoryPage.objects.get(title="Recorded on my phone")
    assert not story.live  # a draft, waiting for moderation
    recording = story.story_recordings.get().recording
    assert (recording.type, recording.container, recording.audio_codec) == (
        "audio",
        "webm",
        "opus",
    )
    assert recording.duration == pytest.approx(duration, abs=0.5)  # as the player showed
    assert recording.is_ready  # the rendition was made, as for an upload

    # Chromium's video, kept then replaced above, is accepted and converted as an upload is.
    video = make_recording(chrome_video, title="Chromium's video")
    assert (video.type, video.container, video.video_codec, video.audio_codec) == (
        "video",
        "webm",
        "vp8",
        "opus",
    )
    assert video.is_ready and 2.5 <= video.duration < 60

    whisper_tiny_en()
    settings.TRANSCRIPTION_ENGINES = {
        "default": {
            "ENGINE": "transcription.engines.faster.FasterWhisperEngine",
            "MODEL": "tiny.en",
        }
    }
    transcribe_recording.call(recording.pk)
    transcript = Transcript.objects.get(recording=recording)
    assert transcript.status == Status.DONE
    assert transcript.segments.exists()


@pytest.fixture
def plain_context(browser, open_live_server):
    """Pages in the session's Chromium, which has no microphone or camera to give."""
    live_server = open_live_server
    contexts = []

    def new(**options):
        contexts.append(browser.new_context(base_url=live_server.url, viewport=PHONE, **options))
        contexts[-1].set_default_timeout(15_000)
        return contexts[-1]

    yield new
    for context in contexts:
        context.close()


def assert_the_file_field_works(page):
    """The chosen file is taken: kept in the field for the form (without scripts), or sent
    ahead by the upload script, which shows it uploading or uploaded and kept."""
    field = page.get_by_label("Your recording", exact=True)
    field.set_input_files(str(make_media_file("audio", seconds=2)))
    page.wait_for_function(
        """() => document.querySelector('input[name=recordings]').files.length === 1
            || document.querySelector('[data-kept-upload], .upload-progress__item')"""
    )


def test_when_recording_cannot_work_the_file_field_still_does(plain_context, browser_media):
    # Without scripts the recorder is not shown at all.
    page = plain_context(java_script_enabled=False).new_page()
    page.goto("/contribute/")
    assert not page.get_by_role("heading", name="Or record your story here").is_visible()
    assert_the_file_field_works(page)

    # No microphone given: a plain message, and the Start button to try again.
    page = plain_context().new_page()
    page.goto("/contribute/")
    page.get_by_role("button", name="Start recording").click()
    message = page.get_by_role("alert")
    message.wait_for()
    assert message.inner_text().startswith("We could not use your microphone")
    assert focused_text(page) == "Start recording"
    assert_fits_and_accessible(page, "microphone refused")
    assert_the_file_field_works(page)

    # A browser that cannot record: the message instead of the recorder's buttons.
    context = plain_context()
    context.add_init_script("delete window.MediaRecorder")
    page = context.new_page()
    page.goto("/contribute/")
    assert (
        page.get_by_role("alert")
        .inner_text()
        .startswith("Recording on this page does not work in this browser")
    )
    assert not page.get_by_role("button", name="Start recording").is_visible()
    assert_fits_and_accessible(page, "no MediaRecorder")
    assert_the_file_field_works(page)
