"""Real, playable media for the fictional demo stories, made offline.

Speech comes from espeak-ng; a borough film is that speech over a title card drawn with
Pillow and looped into H.264 by ffmpeg. Nothing is downloaded. Each file is cached under
var/demo-cache by a hash of what went into it, so a second `load_demo` is quick, and
written under a temporary name first so an interrupted run never caches half a file."""

import hashlib
import json
import shutil
import subprocess
import textwrap
import uuid
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from .stories import SPOKEN_LABEL

# Bump when the way media is made changes, so stale cached files are not reused.
MEDIA_VERSION = 2
CARD_SIZE = (1280, 720)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# Colours from the GOV.UK palette the site uses, so the cards match the pages.
BACKGROUND = "#0b0c0c"
TEXT = "#ffffff"
LABEL_BACKGROUND = "#ffdd00"
LABEL_TEXT = "#0b0c0c"
SUFFIX = {"vox-pop": ".mp3", "oral-history": ".m4a", "borough-film": ".mp4"}
ENCODE = {
    ".mp3": ["-c:a", "libmp3lame", "-b:a", "96k"],
    ".m4a": ["-c:a", "aac", "-b:a", "96k"],
}


class DemoMediaError(Exception):
    """A tool the demo needs is missing or failed; the message says which."""


def cache_dir():
    return Path(getattr(settings, "DEMO_CACHE_DIR", settings.BASE_DIR / "var" / "demo-cache"))


def media_for(story):
    """The path of a playable file for `story` (a dict from stories.STORIES)."""
    suffix = SUFFIX[story["kind"]]
    key = hashlib.sha256(
        json.dumps(
            [
                MEDIA_VERSION,
                story["title"],
                story["borough"],
                story["kind"],
                story["voice"],
                story["language"],
                story["script"],
            ]
        ).encode()
    ).hexdigest()[:16]
    target = cache_dir() / f"{story['slug']}-{key}{suffix}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        _build(story, target)
    return target


def _build(story, target):
    work = target.with_name(f".partial-{uuid.uuid4().hex}")
    work.mkdir()
    try:
        speech = _speak(story, work / "speech.wav")
        partial = work / f"out{target.suffix}"
        if story["kind"] == "borough-film":
            _film(story, speech, _title_card(story, work / "card.png"), partial)
        else:
            _ffmpeg(["-i", str(speech), *ENCODE[target.suffix], str(partial)])
        partial.replace(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _speak(story, wav):
    espeak = shutil.which("espeak-ng")
    if not espeak:
        raise DemoMediaError("espeak-ng is missing: run `make system-deps` to install it.")
    # The recording itself says it is fictional, not only the page around it.
    text = f"{SPOKEN_LABEL[story['language']]} {story['script']}"
    _run([espeak, "-v", story["voice"], "-s", "150", "-w", str(wav), text])
    return wav


def _title_card(story, png):
    from archive.models import StoryKind

    image = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = 80
    draw.rectangle([0, 0, CARD_SIZE[0], 90], fill=LABEL_BACKGROUND)
    draw.text((margin, 22), "FICTIONAL DEMO CONTENT", font=_font(40, bold=True), fill=LABEL_TEXT)
    y = 200
    for line in textwrap.wrap(story["title"], 30):
        draw.text((margin, y), line, font=_font(72, bold=True), fill=TEXT)
        y += 90
    borough = story["borough"].replace("-", " ").title()
    kind = StoryKind(story["kind"]).label
    draw.text((margin, y + 30), f"{kind} · {borough}", font=_font(40), fill=TEXT)
    draw.text(
        (margin, CARD_SIZE[1] - 90),
        "Lived Experience Archive · not a real person's story",
        font=_font(30),
        fill=TEXT,
    )
    image.save(png)
    return png


def _font(size, bold=False):
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)  # fonts-dejavu-core missing: plainer, still legible


def _film(story, speech, card, target):
    _ffmpeg(
        [
            "-loop",
            "1",
            "-framerate",
            "5",
            "-i",
            str(card),
            "-i",
            str(speech),
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-tune",
            "stillimage",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "96k",
            # -t, not -shortest: with a looped image -shortest overshoots the sound.
            "-t",
            f"{_duration(speech):.3f}",
            "-movflags",
            "+faststart",
            str(target),
        ]
    )


def _duration(path):
    import ffmpeg

    return float(ffmpeg.probe(str(path))["format"]["duration"])


def _ffmpeg(args):
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        raise DemoMediaError("ffmpeg is missing: run `make system-deps` to install it.")
    _run([ffmpeg, "-nostdin", "-v", "error", "-y", *args])


def _run(args):
    # S603: `args` is ffmpeg's path from shutil.which and arguments this module writes; no shell.
    done = subprocess.run(args, capture_output=True, timeout=300, check=False)  # noqa: S603
    if done.returncode != 0:
        tool = Path(args[0]).name
        detail = done.stderr.decode("utf-8", "replace").strip()[-500:]
        raise DemoMediaError(f"{tool} failed making demo media: {detail}")
