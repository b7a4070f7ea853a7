"""The recorder's questions come from the strategy's key issues the archive holds."""

import pytest

from archive.models import Theme, ThemeKind
from archive.prompts import OPENING, WHAT_WOULD_HELP, recording_prompts

pytestmark = pytest.mark.django_db


def test_one_question_per_key_issue_between_the_opening_and_what_would_help():
    prompts = recording_prompts()
    assert prompts[0] == OPENING and prompts[-1] == WHAT_WOULD_HELP
    assert [prompt.split(":")[0] for prompt in prompts[1:-1]] == [
        "Fear",
        "Misinformation",
        "Mistrust",
    ]


def test_a_key_issue_the_archive_does_not_hold_is_not_asked_about():
    Theme.objects.filter(kind=ThemeKind.KEY_ISSUE, slug="misinformation").delete()
    prompts = recording_prompts()
    assert len(prompts) == 4
    assert not [prompt for prompt in prompts if "misinformation" in prompt.lower()]


def test_the_contribute_page_lists_them_for_the_recorder(client):
    page = client.get("/contribute/").content.decode()
    assert "data-recorder hidden" in page  # shown only by the script
    for prompt in recording_prompts():
        assert prompt.replace("'", "&#x27;") in page
