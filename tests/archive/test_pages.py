"""Every public page type through Django's test client: what a visitor is shown."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from archive.models import (
    Borough,
    CollectionItem,
    CollectionPage,
    Dimension,
    HomePage,
    Recording,
    StoryIndexPage,
    StoryPage,
    StoryRecording,
    StrategyPage,
    Theme,
)
from consent.records import demo_consent

pytestmark = pytest.mark.django_db


def make_story(title, borough="wirral", kind="oral-history", live=True, **fields):
    index = StoryIndexPage.objects.get(slug="stories")
    story = StoryPage(
        title=title,
        kind=kind,
        summary=fields.pop("summary", f"A summary of {title}."),
        borough=Borough.objects.get(slug=borough),
        recorded_on=fields.pop("recorded_on", datetime.date(2026, 3, 14)),
        live=live,
        **fields,
    )
    index.add_child(instance=story)
    demo_consent(story)  # no consent record, no public page: the gate's rule
    return story


def attach_recording(story, media_type="video", ready=True, title="Interview"):
    recording = Recording(title=title, type=media_type, duration=8)
    recording.file.save("original.mp4", ContentFile(b"not played here"), save=False)
    if ready:
        recording.rendition.save("web.mp4", ContentFile(b"not played here"), save=False)
        recording.rendition_mime = "video/mp4" if media_type == "video" else "audio/mp4"
        recording.rendition_status = "ready"
    recording.save()
    StoryRecording.objects.create(story=story, recording=recording)
    return recording


@pytest.fixture
def story(client):
    story = make_story("Told to go home at the bus stop", is_fictional=True)
    story.themes.add(Theme.objects.get(name="Fear"))
    story.dimensions.add(Dimension.objects.get(name="Interpersonal"))
    story.save()
    return story


def test_home_page_offers_every_way_to_browse(client, story):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Lived Experience Archive" in html
    for borough in Borough.objects.all():
        assert f'href="/stories/borough/{borough.slug}/"' in html
    for kind in ["vox-pop", "oral-history", "borough-film"]:
        assert f'href="/stories/kind/{kind}/"' in html
    assert 'href="/stories/dimension/interpersonal/"' in html
    assert 'href="/stories/theme/fear/"' in html
    assert "Told to go home at the bus stop" in html  # latest stories


def test_layout_has_landmarks_skip_link_and_no_crown_or_gds_font(client):
    html = client.get("/").content.decode()
    assert '<html lang="en-GB"' in html
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    assert "<header" in html and "<footer" in html and "<main" in html
    assert 'aria-label="Main menu"' in html
    assert "govuk-crest" not in html and "govuk-logo" not in html
    assert 'href="/stories/"' in html and 'href="/strategy/"' in html


def test_stylesheet_uses_a_system_font_and_no_gds_transport():
    from django.contrib.staticfiles import finders

    css = open(finders.find("archive/css/archive.css")).read()
    assert "GDS Transport" not in css and "@font-face" not in css
    assert "system-ui" in css


def test_footer_says_when_fictional_stories_are_shown(client):
    cache.clear()  # the answer is cached for a minute
    make_story("A real-seeming story", is_fictional=False)
    assert "fictional demo stories" not in client.get("/").content.decode()
    make_story("An invented story", is_fictional=True)
    cache.clear()
    assert "fictional demo stories" in client.get("/stories/").content.decode()


def test_story_index_lists_stories_with_facets(client, story):
    response = client.get("/stories/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "All stories" in html and "1 story" in html
    assert "Told to go home at the bus stop" in html
    # Filters with counts (search.browse, issue 15); the borough and theme pages keep links.
    assert 'name="borough" type="checkbox" value="wirral"' in html and "Wirral (1)" in html
    assert "Fear (1)" in html and "Apply filters" in html
    assert (
        'href="/stories/theme/misinformation/"'
        in client.get("/stories/theme/fear/").content.decode()
    )
    assert "Fictional demo story" in html


@pytest.mark.parametrize(
    "url, heading, shown",
    [
        ("/stories/borough/wirral/", "Stories from Wirral", True),
        ("/stories/borough/halton/", "Stories from Halton", False),
        ("/stories/kind/oral-history/", "Oral histories", True),
        ("/stories/kind/vox-pop/", "Vox pop", False),
        ("/stories/theme/fear/", "Stories about Fear", True),
        ("/stories/theme/mistrust/", "Stories about Mistrust", False),
        ("/stories/dimension/interpersonal/", "Stories about interpersonal racism", True),
        ("/stories/dimension/structural/", "Stories about structural racism", False),
    ],
)
def test_browse_filters(client, story, url, heading, shown):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert heading in html
    assert ("Told to go home at the bus stop" in html) is shown
    assert 'aria-current="page"' in html  # the chosen facet is marked
    if not shown:
        assert "There are no stories here yet." in html


def test_browse_pages_through_many_stories(client):
    for number in range(StoryIndexPage.per_page + 1):
        make_story(f"Story number {number}", borough="sefton")
    first = client.get("/stories/borough/sefton/").content.decode()
    assert "25 stories" in first and 'rel="next"' in first
    second = client.get("/stories/borough/sefton/?page=2").content.decode()
    assert 'rel="prev"' in second and second.count('class="archive-card"') == 1


@pytest.mark.parametrize(
    "url",
    [
        "/stories/borough/atlantis/",
        "/stories/kind/documentary/",
        "/stories/theme/no-such-theme/",
        "/stories/dimension/no-such-dimension/",
        "/stories/no-such-story/",
        "/no-such-page/",
    ],
)
def test_unknown_slugs_are_a_plain_404(client, story, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "Traceback" not in html


def test_story_page_shows_player_and_details(client, story):
    recording = attach_recording(story)
    response = client.get(story.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fictional demo story" in html
    assert "<video" in html and "controls" in html and 'preload="metadata"' in html
    assert f'src="/recordings/{recording.key}/stream"' in html
    assert 'href="/stories/borough/wirral/"' in html
    assert 'href="/stories/kind/oral-history/"' in html
    assert 'href="/stories/theme/fear/"' in html
    assert 'href="/stories/dimension/interpersonal/"' in html
    assert "English" in html and "14 March 2026" in html


def test_audio_story_plays_in_a_player_that_can_show_captions(client, story):
    attach_recording(story, media_type="audio")
    html = client.get(story.url).content.decode()
    assert "archive-player--audio" in html and 'aria-label="Audio: Interview"' in html


def test_story_page_says_when_a_recording_is_still_processing(client, story):
    attach_recording(story, ready=False)
    html = client.get(story.url).content.decode()
    assert "still being processed" in html
    assert "<video" not in html


def test_draft_story_is_not_found(client):
    draft = make_story("Not yet published", live=False)
    response = client.get("/stories/not-yet-published/")
    assert response.status_code == 404
    assert "Not yet published" not in client.get("/stories/").content.decode()
    assert draft.pk


def test_strategy_pages_quote_the_strategy(client):
    response = client.get("/strategy/")
    html = response.content.decode()
    assert response.status_code == 200
    for section in StrategyPage.objects.filter(depth=4):
        assert f'href="/strategy/{section.slug}/"' in html


@pytest.mark.parametrize(
    "slug, expected",
    [
        ("principles", "principle"),
        ("vision", "vision"),
        ("outcomes", "outcome"),
        ("key-issues", "key_issue"),
    ],
)
def test_strategy_sections_list_their_themes_as_quotes(client, slug, expected):
    html = client.get(f"/strategy/{slug}/").content.decode()
    assert "<blockquote" in html and "Quoted from" in html
    for theme in Theme.objects.filter(kind=expected):
        assert theme.name in html.replace("&#x27;", "'")
        assert f'href="/stories/theme/{theme.slug}/"' in html


def test_dimensions_section_quotes_definitions_and_aims(client):
    html = client.get("/strategy/dimensions/").content.decode()
    interpersonal = Dimension.objects.get(name="Interpersonal")
    assert interpersonal.definition in html
    assert 'href="/stories/dimension/interpersonal/"' in html
    assert html.count("<blockquote") >= 10


def test_glossary_lists_terms(client):
    html = client.get("/strategy/glossary/").content.decode()
    assert "Asylum Seeker" in html and "<dl" in html


def test_collection_page_lists_its_live_stories_in_order(client, story):
    second = make_story("Second story in the collection", borough="halton")
    hidden = make_story("Withdrawn from view", live=False)
    home = HomePage.objects.get()
    collection = CollectionPage(title="Stories about work", slug="work", introduction="At work.")
    home.add_child(instance=collection)
    for position, item in enumerate([second, story, hidden]):
        CollectionItem.objects.create(collection=collection, story=item, sort_order=position)
    html = client.get("/work/").content.decode()
    assert "Stories about work" in html and "2 stories" in html
    assert html.index("Second story in the collection") < html.index("Told to go home")
    assert "Withdrawn from view" not in html
    assert 'href="/work/"' in client.get("/").content.decode()  # header link


def test_server_error_page_is_plain(client, settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html and "Traceback" not in html
