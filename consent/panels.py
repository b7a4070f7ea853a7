"""The consent summary editors see at the top of every story in the Wagtail editor."""

from django.urls import reverse
from wagtail.admin.panels import Panel


class ConsentSummaryPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "Consent")
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "consent_summary"

    class BoundPanel(Panel.BoundPanel):
        template_name = "consent/admin/summary_panel.html"

        def get_context_data(self, parent_context=None):
            from .models import ConsentRecord

            context = super().get_context_data(parent_context)
            story = self.instance
            record = None
            if story is not None and story.pk:
                record = ConsentRecord.objects.filter(story_id=story.pk).first()
            context["record"] = record
            context["withdraw_url"] = (
                reverse("consent_admin:withdraw", args=[record.pk]) if record else ""
            )
            context["record_url"] = (
                reverse("consent_admin:record", args=[record.pk]) if record else ""
            )
            context["paper_url"] = reverse("consent_admin:paper")
            return context
