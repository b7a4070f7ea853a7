"""More words a story is found by, kept by an app above archive (transcription's sections,
issue 14). That app registers a source from its AppConfig.ready(), so archive never imports
it; the story's search index entry reads every source (StoryPage.indexed_text)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import StoryPage

Source = Callable[["StoryPage"], str]

_sources: dict[str, Source] = {}


def register_story_text(name: str, source: Source) -> Source:
    """Let `source(story)` add words to the story's index entry; registering a name again
    (ready() run twice) replaces it."""
    _sources[name] = source
    return source


def story_text(story: StoryPage) -> str:
    return " ".join(text for source in _sources.values() if (text := source(story)))
