"""Editors find the strategy's taxonomy under one "Strategy taxonomy" menu in the admin."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def test_taxonomy_menu_groups_the_four_snippets(editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert "Strategy taxonomy" in html
    for url in ["borough", "theme", "dimension", "glossaryterm"]:
        assert f"/admin/snippets/archive/{url}/" in html


def test_themes_can_be_filtered_by_kind(editor_client):
    response = editor_client.get("/admin/snippets/archive/theme/", {"kind": "key_issue"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Misinformation" in html and "Truth and History" not in html


@pytest.mark.parametrize("model", ["borough", "dimension", "glossaryterm"])
def test_each_taxonomy_listing_opens(editor_client, model):
    assert editor_client.get(f"/admin/snippets/archive/{model}/").status_code == 200
