"""The gate's matrix: every surface x role x consent state. Each cell asserts what a
person in that role actually gets: the page, the player, the media file, listings,
search indexing, clipping and quoting."""

import pytest
from django.urls import reverse

from archive.models import Recording, StoryPage
from consent import gate
from consent.gate import Use

from .conftest import ROLES, STATES, make_user, story_in_state

pytestmark = pytest.mark.django_db

# What each role may do with a story in each state. Editors moderate: they may see and
# hear anything not withdrawn, but reuse (clip, quote, index) follows consent for everyone.
# The contributor owns the story and may see it until they withdraw it.
#                      state:  given  narrowed  expired  withdrawn
EXPECTED = {
    (Use.SHOW, "anonymous"): (True, False, False, False),
    (Use.SHOW, "contributor"): (True, True, True, False),
    (Use.SHOW, "trainer"): (True, False, False, False),
    (Use.SHOW, "report writer"): (True, False, False, False),
    (Use.SHOW, "editor"): (True, True, True, False),
    (Use.PLAY, "anonymous"): (True, False, False, False),
    (Use.PLAY, "contributor"): (True, True, True, False),
    (Use.PLAY, "trainer"): (True, False, False, False),
    (Use.PLAY, "report writer"): (True, False, False, False),
    (Use.PLAY, "editor"): (True, True, True, False),
    (Use.INDEX, "anonymous"): (True, False, False, False),
    (Use.CLIP, "anonymous"): (False, False, False, False),
    (Use.CLIP, "contributor"): (False, False, False, False),
    (Use.CLIP, "trainer"): (True, True, False, False),  # narrowed keeps training
    (Use.CLIP, "report writer"): (False, False, False, False),
    (Use.CLIP, "editor"): (True, True, False, False),
    (Use.QUOTE, "anonymous"): (False, False, False, False),
    (Use.QUOTE, "trainer"): (False, False, False, False),
    (Use.QUOTE, "report writer"): (True, False, False, False),
    (Use.QUOTE, "editor"): (True, False, False, False),
    (Use.EXPORT, "anonymous"): (False, False, False, False),
    (Use.EXPORT, "contributor"): (True, True, True, False),
    (Use.EXPORT, "trainer"): (False, False, False, False),
    (Use.EXPORT, "editor"): (True, True, True, False),
}


@pytest.fixture
def people(django_user_model):
    return {role: make_user(django_user_model, role) for role in ROLES}


@pytest.fixture
def stories(people):
    return {
        state: story_in_state(state, contributor_user=people["contributor"], title=f"Story {state}")
        for state in STATES
    }


@pytest.mark.parametrize("use, role", list(EXPECTED))
def test_may_and_permitted_agree_on_every_cell(use, role, people, stories):
    user = people[role]
    allowed = gate.permitted(use, StoryPage.objects.all(), user)
    for state, expected in zip(STATES, EXPECTED[(use, role)], strict=True):
        story = stories[state]
        assert gate.may(use, story, user) is expected, (use, role, state)
        assert allowed.filter(pk=story.pk).exists() is expected, (use, role, state)


def test_a_story_with_no_consent_record_is_used_by_nobody(people):
    from tests.factories import make_story

    story = make_story(consent=False)
    for role in ROLES:
        for use in (Use.SHOW, Use.PLAY, Use.INDEX, Use.CLIP, Use.QUOTE):
            expected = role == "editor" and use in (Use.SHOW, Use.PLAY)
            assert gate.may(use, story, people[role]) is False or expected


def test_archive_only_stories_are_never_public(people):
    from tests.factories import make_story

    story = make_story(consent={"uses": ["archive_only"]})
    for use in (Use.SHOW, Use.PLAY, Use.INDEX, Use.CLIP, Use.QUOTE):
        for role in ("anonymous", "trainer", "report writer"):
            assert not gate.may(use, story, people[role])
    assert not gate.permitted(Use.SHOW, StoryPage.objects.filter(pk=story.pk)).exists()


def test_drafts_are_not_public_even_with_consent(people):
    from tests.factories import make_story

    story = make_story(live=False)
    assert not gate.may(Use.SHOW, story, people["anonymous"])
    assert gate.may(Use.SHOW, story, people["editor"])


def test_passages_follow_their_story(people, stories):
    """Anything with a `story` (a transcript passage, a clip) is judged by its story."""

    class Passage:
        def __init__(self, story):
            self.story = story

    assert gate.may(Use.SHOW, Passage(stories["given"]), None)
    assert not gate.may(Use.SHOW, Passage(stories["narrowed"]), None)
    assert gate.may(Use.CLIP, Passage(stories["narrowed"]), people["trainer"])


# For someone who holds the role each use needs (a trainer, a report writer), never a
# moderator nor the teller: what `allows` answers when no user is given.
HOLDER = {Use.SHOW: "anonymous", Use.INDEX: "anonymous", Use.CLIP: "trainer"}
HOLDER[Use.QUOTE] = "report writer"


@pytest.mark.parametrize("use", list(HOLDER))
def test_allows_answers_for_whoever_holds_the_role(use, stories):
    expected = EXPECTED[(use, HOLDER[use])]
    for state, allowed in zip(STATES, expected, strict=True):
        assert gate.allows(use, stories[state]) is allowed, (use, state)
    held = gate.permitted(use, StoryPage.objects.all(), role_held=True)
    wanted = {stories[state].pk for state, allowed in zip(STATES, expected, strict=True) if allowed}
    assert set(held.values_list("pk", flat=True)) & {s.pk for s in stories.values()} == wanted


def test_the_permission_names_are_the_gates(people):
    assert people["trainer"].has_perm(gate.CLIP_PERMISSION)
    assert people["report writer"].has_perm(gate.QUOTE_PERMISSION)
    assert people["editor"].has_perm(gate.MODERATE_PERMISSION)
    assert not people["trainer"].has_perm(gate.MODERATE_PERMISSION)


# --- the same matrix, through what people actually get over HTTP --------------------------


def _client_for(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_story_pages_and_listings_over_http(client, role, people, stories):
    client = _client_for(client, people[role])
    listing = client.get("/stories/").content.decode()
    for state, shown in zip(STATES, EXPECTED[(Use.SHOW, role)], strict=True):
        story = stories[state]
        assert client.get(story.url).status_code == (200 if shown else 404), (role, state)
        public = EXPECTED[(Use.SHOW, "anonymous")][STATES.index(state)]
        # Listings are the public website: they show only what anyone may see, plus
        # (for editors and the contributor) what the gate lets them see.
        assert (story.title in listing) is shown or (story.title in listing) is public


@pytest.mark.parametrize("role", ROLES)
def test_media_files_over_http(client, role, people, ffmpeg, media_root):
    from tests.factories import make_recording

    client = _client_for(client, people[role])
    for state, playable in zip(STATES, EXPECTED[(Use.PLAY, role)], strict=True):
        recording = make_recording("audio")
        story_in_state(state, contributor_user=people["contributor"], recording=recording)
        url = reverse("archive:recording", args=[recording.key, "stream"])
        assert client.get(url).status_code == (200 if playable else 404), (role, state)
        allowed = gate.permitted(Use.PLAY, Recording.objects.filter(pk=recording.pk), people[role])
        assert allowed.exists() is playable


def test_transcript_only_consent_shows_the_story_but_never_plays_it(client, ffmpeg, media_root):
    from tests.factories import make_story

    story = make_story(recording="audio", consent={"media_mode": "transcript-only"})
    recording = story.story_recordings.get().recording
    assert client.get(story.url).status_code == 200
    stream = reverse("archive:recording", args=[recording.key, "stream"])
    assert client.get(stream).status_code == 404
    assert f"/recordings/{recording.key}/stream" not in client.get(story.url).content.decode()
