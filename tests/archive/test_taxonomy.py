"""The taxonomy comes from the strategy's own text, created by a data migration."""

import pytest

from archive.models import Borough, Dimension, GlossaryTerm, Theme, ThemeKind

pytestmark = pytest.mark.django_db


def test_six_boroughs_of_the_city_region():
    assert list(Borough.objects.values_list("name", flat=True)) == [
        "Halton",
        "Knowsley",
        "Liverpool",
        "Sefton",
        "St Helens",
        "Wirral",
    ]


def test_five_dimensions_in_the_strategys_order_with_definitions_and_aims():
    dimensions = list(Dimension.objects.all())
    assert [d.name for d in dimensions] == [
        "Internalised",
        "Interpersonal",
        "Institutional",
        "Structural",
        "Systemic",
    ]
    interpersonal = dimensions[1]
    assert interpersonal.definition == (
        "Racist acts and microaggressions carried out by one person against another."
    )
    assert all(d.aim.startswith("To ") for d in dimensions)


def test_themes_are_the_strategys_principles_vision_outcomes_and_key_issues():
    counts = {kind: Theme.objects.filter(kind=kind).count() for kind in ThemeKind.values}
    assert counts == {"principle": 4, "vision": 8, "outcome": 10, "key_issue": 3}
    assert list(Theme.objects.filter(kind=ThemeKind.KEY_ISSUE).values_list("name", flat=True)) == [
        "Fear",
        "Misinformation",
        "Mistrust",
    ]
    assert Theme.objects.filter(name="Community trust and confidence in institutions").exists()
    fear = Theme.objects.get(name="Fear")
    assert fear.summary.startswith("There exists a real fear in holding open and honest")


def test_glossary_terms_are_joined_across_page_breaks():
    asylum = GlossaryTerm.objects.get(term="Asylum Seeker")
    assert "and formally applied for protection" in asylum.definition
    assert GlossaryTerm.objects.count() >= 40
