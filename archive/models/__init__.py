from .media import Recording, RenditionStatus
from .pages import (
    CollectionItem,
    CollectionPage,
    HomePage,
    StoryIndexPage,
    StoryKind,
    StoryPage,
    StoryRecording,
    StrategyPage,
)
from .taxonomy import Borough, Dimension, GlossaryTerm, Theme, ThemeKind

__all__ = [
    "Borough",
    "CollectionItem",
    "CollectionPage",
    "Dimension",
    "GlossaryTerm",
    "HomePage",
    "Recording",
    "RenditionStatus",
    "StoryIndexPage",
    "StoryKind",
    "StoryPage",
    "StoryRecording",
    "StrategyPage",
    "Theme",
    "ThemeKind",
]
