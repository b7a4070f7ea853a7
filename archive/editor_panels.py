"""Panels of the story editor whose content belongs to the apps above archive: the player
and transcript status (transcription), the label suggestions (search).

StoryPage places each panel by name; the app that owns its content registers a template and
a context function in its AppConfig.ready(). Archive cannot import those apps (the layers in
pyproject.toml), so they come to it. A panel nobody registered is not shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wagtail.admin.panels import Panel


@dataclass(frozen=True)
class PanelContent:
    template_name: str
    # (story, request) -> the template's context; the story is saved (it has a pk).
    context: Callable[[Any, Any], dict]


_contents: dict[str, PanelContent] = {}


def register(name: str, template_name: str, context: Callable[[Any, Any], dict]) -> None:
    _contents[name] = PanelContent(template_name, context)


class StoryEditorPanel(Panel):
    def __init__(self, name: str, **kwargs):
        self.name = name
        super().__init__(**kwargs)

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "name": self.name}

    @property
    def clean_name(self):
        return self.name

    class BoundPanel(Panel.BoundPanel):
        @property
        def content(self) -> PanelContent | None:
            return _contents.get(self.panel.name)

        @property
        def template_name(self):  # type: ignore[override] - chosen by the registering app
            return self.content.template_name if self.content else ""

        def is_shown(self):
            # A new story has nothing to play or suggest until it is saved.
            story = self.instance
            return bool(self.content and story is not None and story.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            if self.content:  # is_shown() said so; rendered only then
                context.update(self.content.context(self.instance, self.request))
            return context
