"""Signal handlers, connected in SearchConfig.ready(): every indexed change becomes a queued
index update (asking the consent gate when it is applied), and transcript changes rebuild
the story's passages."""

from .models import IndexAction


def indexed_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return  # fixtures: `manage.py search_reconcile` indexes them afterwards
    from . import indexing

    indexing.queue(instance)


def indexed_deleted(sender, instance, **kwargs):
    from . import indexing

    indexing.queue(instance, IndexAction.DELETE)


def story_saved(sender, instance, raw=False, **kwargs):
    """A story's borough, kind, language or consent may have changed: its passages copy them."""
    if raw:
        return
    from . import indexing, passages
    from .models import Passage

    indexing.queue_many(Passage, passages.sync_story_facts(instance))


def consent_changed(sender, instance, raw=False, **kwargs):
    """Consent given, narrowed, expired or withdrawn: the gate's answers for the story change."""
    if raw or not instance.story_id:
        return
    from archive.models import StoryPage

    from . import indexing

    story = StoryPage.objects.filter(pk=instance.story_id).first()
    if story is not None:
        indexing.queue(story)
        story_saved(StoryPage, story)


def transcript_changed(sender, instance, raw=False, **kwargs):
    """A transcript finished, a segment was corrected or a redaction added or removed."""
    if raw:
        return
    recording_id = _recording_id(instance)
    if recording_id is None:
        return
    from archive.models import StoryPage

    from .tasks import rebuild_passages

    for story_id in StoryPage.objects.filter(
        story_recordings__recording_id=recording_id
    ).values_list("pk", flat=True):
        rebuild_passages.enqueue(story_id)


def section_text_changed(sender, instance, raw=False, **kwargs):
    """A section was written or removed, or a redaction changed what its words may show: the
    stories of its recording are found by their sections' words (issue 14)."""
    if raw:
        return
    from transcription.models import Section

    recording_id = (
        instance.recording_id if isinstance(instance, Section) else _recording_id(instance)
    )
    if recording_id is None:
        return
    from archive.models import StoryPage

    from . import indexing

    stories = StoryPage.objects.filter(story_recordings__recording_id=recording_id)
    indexing.queue_many(StoryPage, list(stories.values_list("pk", flat=True)))


def _recording_id(instance):
    from transcription.models import Redaction, Segment, Status, Task, Transcript

    if isinstance(instance, Transcript):
        done = instance.status == Status.DONE and instance.task == Task.TRANSCRIBE
        return instance.recording_id if done else None
    if isinstance(instance, Segment):
        return instance.transcript.recording_id if instance.corrected else None
    if isinstance(instance, Redaction):
        try:
            return instance.segment.transcript.recording_id
        except (Segment.DoesNotExist, Transcript.DoesNotExist):
            return None  # deleted with its transcript: the rebuild comes from that change
    return None


def labels_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A story's or passage's confirmed themes or dimensions changed: their names are indexed
    with it (issue 13), so it is queued again. From the label's side (`theme.stories.add`),
    the stories or passages named are."""
    from . import indexing

    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if not reverse:
        if action != "pre_clear":
            indexing.queue(instance)
        return
    if action == "pre_clear":
        # After the clear the links are gone: find the stories or passages now, queue them
        # once it is done (a task may apply the queue at once).
        instance._search_cleared = _linked(sender, instance, model)
        return
    if action == "post_clear":
        pks = instance.__dict__.pop("_search_cleared", [])
    else:
        pks = list(pk_set or ())
    indexing.queue_many(model, pks)


def label_renamed(sender, instance, raw=False, **kwargs):
    """A theme or dimension was saved (perhaps renamed): what is linked to it is indexed again."""
    if raw or kwargs.get("created"):
        return
    from archive.models import StoryPage

    from . import indexing
    from .models import Passage

    for model in (StoryPage, Passage):
        through = getattr(model, "themes" if sender.__name__ == "Theme" else "dimensions").through
        indexing.queue_many(model, _linked(through, instance, model))


def _linked(through, label, model):
    """The keys of `model` rows linked to `label` through the `through` table."""
    fields = {f.related_model: f for f in through._meta.get_fields() if f.is_relation}
    source, target = fields[type(label)], fields[model]
    return list(
        through.objects.filter(**{source.attname: label.pk}).values_list(target.attname, flat=True)
    )
