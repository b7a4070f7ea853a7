"""Story labels follow confirmed passage labels (issue 13, part 4): an editor confirms once,
at the passage, and the story shows the union of its passages' labels and its own; the editor
can leave a label from passages off the story; the search indexes hear of each change."""

import pytest

from archive.models import Dimension, StoryPage, Theme
from search import indexing, suggestions
from search.models import Passage, Suggestion

from .helpers import add_passage, consented_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


@pytest.fixture
def queued():
    """The models whose index updates were queued, in order."""
    senders = []

    def record(sender, **kwargs):
        senders.append(sender)

    indexing.updates_queued.connect(record)
    yield senders
    indexing.updates_queued.disconnect(record)


@pytest.fixture
def story():
    story = consented_story("Rumours at the school gate", summary="Whispers about newcomers.")
    add_passage(story, "Everyone repeated the rumour about the hotel.", start=12, end=40)
    return story


def suggest(passage, **label):
    kind = "dimension" if "dimension" in label else "key_issue"
    return Suggestion.objects.create(passage=passage, label_kind=kind, **label)


def story_page(client, story):
    html = client.get(story.url).content.decode()
    return html[html.index("About this story") :]


def test_a_label_confirmed_on_a_passage_joins_its_story(client, story, queued):
    misinformation = Theme.objects.get(slug="misinformation")
    systemic = Dimension.objects.get(slug="systemic")
    passage = story.passages.get()
    assert "Misinformation" not in story_page(client, story)

    suggestions.decide(suggest(passage, theme=misinformation), None, confirm=True)
    suggestions.decide(suggest(passage, dimension=systemic), None, confirm=True)

    about = story_page(client, story)
    assert 'href="/stories/theme/misinformation/"' in about
    assert 'href="/stories/dimension/systemic/"' in about
    theme_page = client.get("/stories/theme/misinformation/").content.decode()
    assert "1 story" in theme_page and story.title in theme_page
    assert story.title in client.get("/stories/dimension/systemic/").content.decode()
    # The story's own index document is updated (its labels changed), not only the passage's.
    assert queued.count(StoryPage) == 2


def test_the_story_shows_the_union_of_its_own_labels_and_its_passages(client, story):
    story.themes.add(Theme.objects.get(slug="fear"))
    story.save()  # the story's own labels are written with the page
    second = add_passage(story, "They said the new family brought trouble.", start=40, end=70)
    story.passages.get(start=12).themes.add(Theme.objects.get(slug="misinformation"))
    second.themes.add(Theme.objects.get(slug="mistrust"))
    second.themes.add(Theme.objects.get(slug="misinformation"))
    linked = {theme.slug for theme in StoryPage.objects.get(pk=story.pk).linked_themes()}
    assert linked == {"fear", "misinformation", "mistrust"}
    about = story_page(client, story)
    assert about.count('href="/stories/theme/misinformation/"') == 1


def test_a_label_taken_off_every_passage_leaves_the_story(client, story, queued):
    passage = story.passages.get()
    mistrust = Theme.objects.get(slug="mistrust")
    passage.themes.add(mistrust)
    assert "Mistrust" in story_page(client, story)
    queued.clear()
    passage.themes.remove(mistrust)
    assert 'href="/stories/theme/mistrust/"' not in story_page(client, story)
    assert StoryPage in queued


def test_a_deleted_passage_takes_its_labels_from_the_story(
    client, story, django_capture_on_commit_callbacks
):
    story.passages.get().themes.add(Theme.objects.get(slug="mistrust"))
    with django_capture_on_commit_callbacks(execute=True):
        Passage.objects.filter(story=story).delete()
    assert not StoryPage.objects.get(pk=story.pk).passage_themes.exists()
    assert 'href="/stories/theme/mistrust/"' not in story_page(client, story)


def test_publishing_an_older_draft_never_brings_back_a_label_taken_off(client, story):
    passage = story.passages.get()
    mistrust = Theme.objects.get(slug="mistrust")
    passage.themes.add(mistrust)
    draft = StoryPage.objects.get(pk=story.pk).save_revision()
    passage.themes.remove(mistrust)
    draft.publish()
    assert 'href="/stories/theme/mistrust/"' not in story_page(client, story)


def test_the_editor_can_leave_a_label_from_passages_off_the_story(client, story):
    mistrust = Theme.objects.get(slug="mistrust")
    story.passages.get().themes.add(mistrust)
    story.excluded_themes.add(mistrust)
    story.save_revision().publish()
    assert 'href="/stories/theme/mistrust/"' not in story_page(client, story)
    theme_page = client.get("/stories/theme/mistrust/").content.decode()
    assert "0 stories" in theme_page
    # The moment itself keeps its label: it is still about mistrust.
    assert "1 moment in stories" in theme_page
    assert "Everyone repeated the rumour about the hotel." in theme_page


def test_the_editor_s_own_label_wins_over_leaving_it_off(client, story):
    fear = Theme.objects.get(slug="fear")
    story.themes.add(fear)
    story.excluded_themes.add(fear)
    story.passages.get().themes.add(fear)
    story.save_revision().publish()
    assert 'href="/stories/theme/fear/"' in story_page(client, story)


def test_leaving_off_a_dimension_works_the_same_way(client, story):
    systemic = Dimension.objects.get(slug="systemic")
    story.passages.get().dimensions.add(systemic)
    assert 'href="/stories/dimension/systemic/"' in story_page(client, story)
    story.excluded_dimensions.add(systemic)
    story.save_revision().publish()
    assert 'href="/stories/dimension/systemic/"' not in story_page(client, story)


def test_editors_find_the_choice_in_the_story_s_admin_form(client, story, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", password="x")
    client.force_login(editor)
    html = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert "Themes to leave off" in html
    assert "Dimensions to leave off" in html
    assert "confirmed on this story&#x27;s passages appear on the story too" in html


def test_the_story_is_indexed_under_its_linked_labels_less_those_left_off(story):
    # What search finds a story by (label_names) is what the story shows (issue 13, part 2).
    misinformation = Theme.objects.get(slug="misinformation")
    suggestions.decide(suggest(story.passages.get(), theme=misinformation), None, confirm=True)
    indexed = StoryPage.get_indexed_objects().get(pk=story.pk)
    assert "Misinformation" in indexed.label_names().split()

    story.excluded_themes.add(misinformation)
    story.save_revision().publish()

    indexed = StoryPage.get_indexed_objects().get(pk=story.pk)
    assert "Misinformation" not in indexed.label_names().split()


def test_search_filters_and_counts_a_story_without_the_label_left_off(story):
    # Search's filter and its facet counts say what the story page says (issue 13).
    from search import facts, services

    def mistrust_count(outcome):
        return {slug: n for slug, _name, n in outcome.facets["key_issue"]}.get("mistrust", 0)

    mistrust = Theme.objects.get(slug="mistrust")
    story.passages.get().themes.add(mistrust)
    assert services.search({"key_issue": "mistrust"}).total == 1
    assert mistrust_count(services.search({})) == 1

    story.excluded_themes.add(mistrust)
    story.save_revision().publish()
    facts.forget()  # as another process would: the kept counts must follow the change itself

    assert services.search({"key_issue": "mistrust"}).total == 0
    assert mistrust_count(services.search({})) == 0
