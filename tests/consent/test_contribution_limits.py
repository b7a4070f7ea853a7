"""Issue 10, point 11: one anonymous POST cannot fill the worker's queue, a full queue asks
contributors to come back later, and editors' jobs run before contributors' on the real
database queue (django_tasks_db, the backend `manage.py db_worker` reads)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from archive.limits import BUSY_MESSAGE
from archive.models import Recording, RenditionStatus, StoryPage
from archive.services import accept_recording
from consent.models import ConsentRecord

from .conftest import contribution_data, make_user, upload

pytestmark = pytest.mark.django_db

URL = "/contribute/"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    """Jobs wait in the database, as in production, instead of running inline."""
    settings.TASKS = DATABASE_QUEUE


def renditions_queued():
    return DBTaskResult.objects.ready().filter(task_path="archive.tasks.make_rendition")


def copies(count):
    """`count` uploads of one real (ffmpeg-made) recording."""
    audio = upload("audio")
    data = audio.read()
    return [SimpleUploadedFile(f"take-{n}-{audio.name}", data) for n in range(count)]


def contribute(client, files, capture, **overrides):
    payload = contribution_data(**overrides)
    payload["recordings"] = files
    with capture(execute=True):
        return client.post(URL, payload)


def test_twenty_five_files_in_one_post_get_a_plain_message_and_nothing_is_made_or_queued(
    client, media_root, ffmpeg, database_queue, django_capture_on_commit_callbacks
):
    response = contribute(
        client, copies(25), django_capture_on_commit_callbacks, title="Twenty-five takes"
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "You chose 25 recordings. You can send up to 5 at a time" in html
    assert 'value="Twenty-five takes"' in html  # what was typed is kept
    assert Recording.objects.count() == 0
    assert not StoryPage.objects.filter(title="Twenty-five takes").exists()
    assert DBTaskResult.objects.count() == 0  # nor any other job
    assert not list(media_root.rglob("*.*"))  # no file of the 25 was stored


def test_five_files_are_accepted(
    client, media_root, ffmpeg, database_queue, django_capture_on_commit_callbacks
):
    response = contribute(client, copies(5), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Recording.objects.count() == 5
    assert renditions_queued().count() == 5  # one web version each, waiting for the worker


def test_files_past_the_limit_are_never_written_to_disk(rf, settings, tmp_path):
    """The upload handler drops the sixth file onward as it arrives (FILE_UPLOAD_TEMP_DIR
    stays empty even for files too big to keep in memory)."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    big = [SimpleUploadedFile(f"take-{n}.wav", b"x" * 4096) for n in range(8)]
    request = rf.post(URL, {"recordings": big})
    kept = request.FILES.getlist("recordings")
    assert len(kept) == 8
    assert [f.size for f in kept[5:]] == [4096] * 3
    assert all("Only 5 files can be sent at a time" in f.refusal for f in kept[5:])
    assert sum(1 for f in kept[:5] if hasattr(f, "temporary_file_path")) == 5
    assert not [f for f in kept[5:] if hasattr(f, "temporary_file_path")]


def test_far_too_many_files_are_refused_with_a_plain_page(client, media_root):
    files = [SimpleUploadedFile(f"{n}.wav", b"RIFF") for n in range(51)]
    payload = contribution_data()
    payload["recordings"] = files
    response = client.post(URL, payload)
    assert response.status_code == 400
    assert "Sorry, we could not read what you sent" in response.content.decode()
    assert Recording.objects.count() == 0


def waiting_anonymous_recordings(count):
    """Contributors' recordings whose web versions are still queued."""
    return [
        accept_recording(upload, title=f"Waiting {n}", user=AnonymousUser())
        for n, upload in enumerate(copies(count))
    ]


def test_over_the_overall_bound_new_contributions_are_asked_to_come_back(
    client, settings, media_root, ffmpeg
):
    settings.CONTRIBUTION_PENDING_LIMIT = 3
    waiting_anonymous_recordings(3)  # on_commit never fires here: they stay queued
    assert Recording.objects.filter(rendition_status=RenditionStatus.PENDING).count() == 3
    payload = contribution_data(title="Come back later")
    payload["recordings"] = [upload("audio")]
    response = client.post(URL, payload)
    html = response.content.decode()
    assert response.status_code == 503
    assert "We&#x27;re busy" in html and "Please try again later." in html
    assert 'value="Come back later"' in html and "ada@example.org" in html
    assert Recording.objects.count() == 3
    assert ConsentRecord.objects.count() == 0


def test_under_the_overall_bound_a_contribution_goes_through(client, settings, media_root, ffmpeg):
    settings.CONTRIBUTION_PENDING_LIMIT = 3
    waiting_anonymous_recordings(2)
    payload = contribution_data()
    payload["recordings"] = [upload("audio")]
    assert client.post(URL, payload).status_code == 302
    assert BUSY_MESSAGE  # the message above is this one


def test_one_contributor_cannot_take_the_whole_queue_and_others_still_get_through(
    client, settings, media_root, ffmpeg
):
    # Behind the proxy every request comes from its address; the header tells people apart.
    settings.TRUSTED_PROXY_HEADER = "X-Real-IP"
    settings.CONTRIBUTION_PENDING_PER_CONTRIBUTOR = 2
    settings.CONTRIBUTION_PENDING_LIMIT = 50

    def send(address, title, count=1):
        payload = contribution_data(title=title)
        payload["recordings"] = copies(count)
        # on_commit never fires here: their renditions stay queued, as behind a busy worker.
        return client.post(URL, payload, REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP=address)

    assert send("198.51.100.7", "First two", count=2).status_code == 302
    refused = send("198.51.100.7", "One too many")
    html = refused.content.decode()
    assert refused.status_code == 503
    assert "We are still working on the recordings you sent earlier" in html
    assert 'value="One too many"' in html  # what was typed is kept
    assert Recording.objects.count() == 2
    assert send("203.0.113.5", "Someone else").status_code == 302  # not turned away
    assert Recording.objects.count() == 3
    # The portal remembers whose recordings wait by a keyed hash, never the address itself.
    store = caches["ratelimit"]._cache
    assert not any(
        "198.51.100.7" in key or b"198.51.100.7" in bytes(value) for key, value in store.items()
    )


def test_a_contributors_share_frees_up_as_their_recordings_are_ready(
    client, settings, media_root, ffmpeg
):
    settings.CONTRIBUTION_PENDING_PER_CONTRIBUTOR = 1
    payload = contribution_data(title="Earlier")
    payload["recordings"] = copies(1)
    assert client.post(URL, payload).status_code == 302
    Recording.objects.update(rendition_status=RenditionStatus.READY)
    payload = contribution_data(title="Later")
    payload["recordings"] = copies(1)
    assert client.post(URL, payload).status_code == 302


def test_portal_jobs_are_queued_below_editors_jobs(
    client,
    media_root,
    ffmpeg,
    database_queue,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    contribute(client, [upload("audio")], django_capture_on_commit_callbacks)
    editor = make_user(django_user_model, "editor")
    with django_capture_on_commit_callbacks(execute=True):
        accept_recording(upload("audio"), title="Editor's upload", user=editor)
    priorities = {job.args_kwargs["args"][0]: job.priority for job in renditions_queued()}
    contributed = Recording.objects.get(uploaded_by_user__isnull=True)
    edited = Recording.objects.get(uploaded_by_user=editor)
    assert priorities == {contributed.pk: -10, edited.pk: 0}


# The worker commits as it goes, as in production: no test transaction around it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_editors_job_queued_after_twenty_anonymous_ones_is_run_first(
    media_root, ffmpeg, database_queue, django_user_model
):
    anonymous = waiting_anonymous_recordings(20)
    editor = make_user(django_user_model, "editor")
    edited = accept_recording(upload("audio"), title="Editor's upload", user=editor)
    assert renditions_queued().count() == 21

    # The saves also queued search-index updates; they are not what this test is about.
    DBTaskResult.objects.exclude(task_path="archive.tasks.make_rendition").delete()

    # The real worker takes one job off the real queue.
    call_command("db_worker", "--batch", "--max-tasks", "1", "--no-startup-delay")

    edited.refresh_from_db()
    assert edited.rendition_status == RenditionStatus.READY
    assert not Recording.objects.filter(
        pk__in=[r.pk for r in anonymous], rendition_status=RenditionStatus.READY
    ).exists()
    assert renditions_queued().count() == 20


def test_transcripts_of_contributed_recordings_queue_below_editors_and_a_rerun_goes_first(
    client,
    media_root,
    ffmpeg,
    database_queue,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    from transcription.tasks import queue_transcription

    contributed, edited_upload = copies(2)
    contributed = accept_recording(contributed, title="Contributed", user=AnonymousUser())
    editor = make_user(django_user_model, "editor")
    edited = accept_recording(edited_upload, title="Edited", user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        queue_transcription(contributed)
        queue_transcription(edited)
    jobs = DBTaskResult.objects.filter(task_path="transcription.tasks.transcribe_recording")
    assert {job.args_kwargs["args"][0]: job.priority for job in jobs} == {
        contributed.pk: -10,
        edited.pk: 0,
    }

    # An editor's "Run again" on the contributed recording's transcript is an editor's job.
    jobs.delete()
    client.force_login(django_user_model.objects.create_superuser("boss", "b@x.org", "pw"))
    transcript = contributed.transcripts.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/transcription/retry/{transcript.pk}/")
    assert [job.priority for job in jobs.all()] == [0]
