from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
        from wagtail.search.index import get_indexed_models

        from archive import editor_panels, links
        from archive.models import Borough, Dimension, GlossaryTerm, StoryPage, Theme
        from consent.models import ConsentRecord
        from consent.purge import written_with
        from consent.withdrawal import register_purge
        from transcription.models import Redaction, Section, Segment, Transcript

        from . import browse, moments, purge, signals, story_panel, tasks, vocabulary, withdrawal
        from .backends.changes import install_change_triggers
        from .indexing import updates_queued

        # What database searches keep in memory is renewed when a table they read changes.
        post_migrate.connect(
            install_change_triggers, sender=self, dispatch_uid="search-change-triggers"
        )

        # Wagtail's AUTO_UPDATE is off in settings; these keep every index current instead.
        for model in get_indexed_models():
            uid = f"search-index-{model._meta.label_lower}"
            post_save.connect(signals.indexed_saved, sender=model, dispatch_uid=uid)
            post_delete.connect(signals.indexed_deleted, sender=model, dispatch_uid=uid)
        post_save.connect(signals.story_saved, sender=StoryPage, dispatch_uid="search-story-facts")
        post_save.connect(
            signals.consent_changed, sender=ConsentRecord, dispatch_uid="search-consent"
        )
        # Stories and passages are found by their confirmed labels' names (issue 13).
        from .models import Passage

        for model in (StoryPage, Passage):
            for name in ("themes", "dimensions"):
                through = getattr(model, name).through
                uid = f"search-labels-{through._meta.label_lower}"
                m2m_changed.connect(signals.labels_changed, sender=through, dispatch_uid=uid)
        for model in (Theme, Dimension):
            uid = f"search-label-renamed-{model._meta.label_lower}"
            post_save.connect(signals.label_renamed, sender=model, dispatch_uid=uid)
        # The strategy's words for query expansion and "did you mean" are read again.
        for model in (Theme, Dimension, GlossaryTerm, Borough):
            uid = f"search-vocabulary-{model._meta.label_lower}"
            post_save.connect(vocabulary.forget, sender=model, dispatch_uid=uid)
            post_delete.connect(vocabulary.forget, sender=model, dispatch_uid=uid)
        for model in (Transcript, Segment, Redaction):
            uid = f"search-passages-{model._meta.label_lower}"
            post_save.connect(signals.transcript_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(
            signals.transcript_changed, sender=Redaction, dispatch_uid="search-unredact"
        )
        # Stories are found by their sections' words, redacted as the transcript (issue 14).
        for model in (Section, Redaction):
            uid = f"search-sections-{model._meta.label_lower}"
            post_save.connect(signals.section_text_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(signals.section_text_changed, sender=model, dispatch_uid=uid)
        # Queued index updates are applied by a task, in the worker.
        updates_queued.connect(tasks.start_applying, dispatch_uid="search-apply-updates")
        # Story labels follow confirmed passage labels; archive's pages show moments and
        # related stories through the finders registered here (archive.links).
        moments.register()
        # The browse page's facets and counts come from search's engine (issue 15).
        links.register_browse(browse.browse)
        # Withdrawal must reach every index before the contributor is told it is done.
        withdrawal.register()
        # What the deletes leave in the index's files goes in the purge that follows (issue 10).
        register_purge("merge deleted documents out of every search index", order=10)(
            purge.expunge_deleted
        )
        # PostgreSQL: search_document is written by triggers on Wagtail's index entries.
        written_with("wagtailsearch_indexentry", "search_document")
        # The story editor shows its passages' label suggestions to confirm or reject.
        editor_panels.register("suggestions", "search/admin/story_panel.html", story_panel.context)
