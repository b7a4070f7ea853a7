"""Report counts against stories with known counts, through the gate, with suppression."""

import pytest

from archive.models import Borough, StoryPage, Theme
from consent.withdrawal import withdraw
from reuse import reports
from search.models import Passage
from tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_AUTO_QUEUE = False


def story(theme, borough, *, passages=1, uses=("public_website", "reports"), **kw):
    made = make_story(themes=[theme.slug], borough=borough, consent={"uses": list(uses)}, **kw)
    for i in range(passages):
        passage = Passage.objects.create(story=made, start=i * 30, end=i * 30 + 30, text="w")
        passage.themes.add(theme)
    return made


@pytest.fixture
def archive():
    """Theme A in Liverpool: 6 stories of 2 passages; theme B: 5 in Liverpool, 5 in Wirral;
    and stories that must not be counted."""
    a, b = Theme.objects.all()[:2]
    for _ in range(6):
        story(a, "liverpool", passages=2)
    for _ in range(5):
        story(b, "liverpool")
    wirral = [story(b, "wirral") for _ in range(5)]
    story(a, "liverpool", uses=("public_website", "training"))  # no consent to reports
    story(a, "liverpool", live=False)  # not published
    ids = {slug: Borough.objects.get(slug=slug).pk for slug in ("liverpool", "wirral")}
    return a.pk, b.pk, ids["liverpool"], ids["wirral"], wirral


def shown(table):
    return {(r, c): n.shown for (r, c), n in table.cells.items() if n.count}


def test_counts_only_what_the_gate_permits_for_quotes(report_writer, archive, django_user_model):
    a, b, liverpool, wirral, _stories = archive
    counts = reports.counts(reports.ReportFilters(), report_writer)
    assert shown(counts.stories) == {(a, liverpool): "6", (b, liverpool): "5", (b, wirral): "5"}
    assert counts.stories.row_total(b).shown == "10"
    assert counts.stories.total.shown == "16"
    assert shown(counts.passages) == {(a, liverpool): "12", (b, liverpool): "5", (b, wirral): "5"}
    assert counts.passages.total.shown == "22"
    assert len(counts.story_ids) == 16
    # Other axes, filtered by a theme.
    by_kind = reports.ReportFilters.from_params(
        {"rows": "borough", "columns": "kind", "theme": Theme.objects.get(pk=b).slug}
    )
    counts = reports.counts(by_kind, report_writer)
    assert shown(counts.stories) == {(liverpool, "vox-pop"): "5", (wirral, "vox-pop"): "5"}
    assert counts.stories.total.shown == "10"
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert reports.counts(reports.ReportFilters(), nobody).stories.total.shown == "0"


def test_a_narrowing_takes_the_story_out_and_suppresses_what_is_left(report_writer, archive):
    a, b, liverpool, wirral, stories = archive
    withdraw(stories[0].consent, "uses", uses=["reports"])
    counts = reports.counts(reports.ReportFilters(), report_writer)
    table = counts.stories
    assert table.cell(b, wirral).shown == "fewer than 5"  # 4 stories
    assert table.cell(b, liverpool).shown == "fewer than 5"  # or 9 - 5 would give it away
    # ...and so on until no shown total has exactly one hidden value (a tiny table: all of it).
    assert table.cell(a, liverpool).shown == "fewer than 5"
    assert table.total.shown == "15"
    assert stories[0].pk not in counts.story_ids


def test_a_label_an_editor_left_off_a_story_is_not_counted_for_it(report_writer, archive):
    # A story is counted under the labels it shows (its own and its passages', less those an
    # editor left off); its passages keep their own labels, as theme pages' moments do.
    a, _b, liverpool, _wirral, _stories = archive
    left_off = StoryPage.objects.filter(themes=a).first()
    left_off.themes.clear()  # now linked to theme a by its passages only
    assert (
        shown(reports.counts(reports.ReportFilters(), report_writer).stories)[(a, liverpool)] == "6"
    )
    left_off.excluded_themes.add(Theme.objects.get(pk=a))
    left_off.save_revision().publish()

    counts = reports.counts(reports.ReportFilters(), report_writer)
    assert counts.stories.cells[(a, liverpool)].count == 5
    assert counts.passages.cells[(a, liverpool)].count == 12
    slug = Theme.objects.get(pk=a).slug
    filtered = reports.counts(reports.ReportFilters.from_params({"theme": slug}), report_writer)
    assert left_off.pk not in filtered.story_ids
