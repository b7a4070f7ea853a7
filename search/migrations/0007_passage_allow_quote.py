"""Passages say whether report writers may quote them (issue 12: the quote finder), so
passages allowed only for reports are indexed too. Existing passages take the gate's answer
for someone holding the report writer's role."""

from django.db import migrations, models


def allow_quotes(apps, schema_editor):
    from consent import gate

    Passage = apps.get_model("search", "Passage")
    quotable = gate.story_condition(gate.Use.QUOTE, None, "story__", role_held=True)
    Passage.objects.filter(quotable).update(allow_quote=True)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_drop_facet_version"),
        ("consent", "0003_withdrawal_purge"),
    ]

    operations = [
        migrations.AddField(
            model_name="passage",
            name="allow_quote",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(allow_quotes, migrations.RunPython.noop),
    ]
