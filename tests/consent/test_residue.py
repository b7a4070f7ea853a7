"""After a withdrawal, not one copy of the story remains: a canary word put in the title,
summary, file name and transcript of a published, indexed, reused and edited story is
found 0 times in every database table, every search index, the media folder, the cache and
the log lines written while withdrawing."""

import pytest
from django.core.cache import cache, caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from archive.models import CollectionItem, CollectionPage, HomePage, StoryPage

from .conftest import contribution_data, make_media_file, make_user

pytestmark = pytest.mark.django_db

CANARY = "Quillowmere"


def scan_database():
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(_text(value) for value in row)
                if CANARY.lower() in text.lower():
                    hits.append((table, text[:200]))
    return hits + scan_sessions()


def _text(value):
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("latin-1")
    return str(value)


def scan_sessions():
    # Session data is signed and base64-encoded: decode it before looking.
    from django.contrib.sessions.models import Session

    return [("django_session", key) for key, data in
            ((s.session_key, str(s.get_decoded())) for s in Session.objects.all())
            if CANARY.lower() in data.lower()]


def scan_media(root):
    hits = []
    for path in root.rglob("*"):
        if CANARY.lower() in path.name.lower():
            hits.append(str(path))
        elif path.is_file() and CANARY.lower().encode() in path.read_bytes().lower():
            hits.append(str(path))
    return hits


def scan_cache():
    backend = caches["default"]
    store = getattr(backend, "_cache", {})  # LocMemCache: {key: pickled value}
    return [key for key, value in store.items()
            if CANARY.lower() in key.lower() or CANARY.lower().encode() in bytes(value).lower()]


def scan_search_indexes():
    from wagtail.search.backends import get_search_backends

    from search.models import Passage

    hits = []
    for backend in get_search_backends(with_auto_update=False):
        for model in (StoryPage, Passage):
            found = backend.search(CANARY, model.objects.all())
            if found.count():
                hits.append((type(backend).__name__, model.__name__, found.count()))
    return hits


def test_withdrawal_leaves_no_trace(client, media_root, ffmpeg, django_user_model, caplog):
    # 1. Contributed through the portal, with the canary everywhere the contributor types.
    path = make_media_file("audio")
    data = contribution_data(
        title=f"The {CANARY} bus stop",
        summary=f"Words about {CANARY} that only this story has.",
        full_name=f"Ada {CANARY}",
    )
    data["recordings"] = [SimpleUploadedFile(f"{CANARY}-interview.mp3", path.read_bytes())]
    client.post("/contribute/", data)
    html = client.get(reverse("consent:receipt")).content.decode()
    code = html.split('data-testid="withdrawal-code">')[1].split("<")[0]
    story = StoryPage.objects.get(title=data["title"])
    recording = story.story_recordings.get().recording

    # 2. Transcribed: a transcript holds the canary too.
    from transcription.models import Segment, Transcript

    transcript = Transcript.objects.create(recording=recording, status="done", language="en")
    Segment.objects.create(transcript=transcript, start=0, end=2,
                           text=f"I waited at the {CANARY} stop and he shouted at me.")

    # 3. Edited and previewed in the admin, moderated and published (revisions, log entries).
    editor = make_user(django_user_model, "editor")
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    story.title = f"The {CANARY} bus stop, edited"
    story.save_revision(user=editor, log_action=True).publish(user=editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert client.get(edit_url).status_code == 200
    client.post(reverse("wagtailadmin_pages:preview_on_edit", args=[story.pk]), {
        "title": f"{CANARY} preview title", "slug": story.slug, "kind": story.kind,
        "summary": "x", "borough": story.borough_id, "language": "en",
        "story_recordings-TOTAL_FORMS": "0", "story_recordings-INITIAL_FORMS": "0",
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
    })

    # 4. Reused: in a collection, and read by the public (which fills caches).
    collection = HomePage.objects.get().add_child(
        instance=CollectionPage(title="Everyday encounters", slug="everyday"))
    CollectionItem.objects.create(collection=collection, story=story)
    client.logout()
    story = StoryPage.objects.get(pk=story.pk)
    assert client.get(story.url).status_code == 200
    client.get(collection.url)
    client.get("/stories/")
    cache.set("rendered-story-fragment", f"<h1>{CANARY}</h1>")  # as a template cache would

    tables = {table for table, _row in scan_database()}
    # Each place Wagtail and the apps keep copies really held the canary beforehand.
    for table in ["wagtailcore_page", "wagtailcore_revision", "wagtailcore_pagelogentry",
                  "wagtailadmin_formstate", "archive_recording", "transcription_segment",
                  "consent_contributor", "wagtailsearch_indexentry"]:
        assert any(table in name for name in tables), (table, sorted(tables))
    assert scan_cache()

    # 5. Withdrawn by link and code.
    record = story.consent
    caplog.clear()
    caplog.set_level("INFO")
    response = client.post(reverse("consent:withdraw", args=[record.reference]),
                           {"code": code, "scope": "full"})
    assert response.status_code == 302

    # 6. Nothing is left.
    assert scan_database() == []
    assert scan_search_indexes() == []
    assert scan_media(media_root) == []
    assert scan_cache() == []
    assert CANARY not in caplog.text  # nor in the application log written while withdrawing
