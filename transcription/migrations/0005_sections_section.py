"""Sections of a recording (OHMS-style index, issue 14), and the editorial groups' right to
write them, as they correct and redact transcripts (0002)."""

import django.db.models.deletion
from django.db import migrations, models

SECTIONS = [("transcription", f"{verb}_section") for verb in ("view", "change", "add", "delete")]
GRANTS = {"Editors": SECTIONS, "Moderators": SECTIONS}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0004_i13_moments_story_labels_from_passages"),
        ("transcription", "0004_editor_revisions"),
    ]

    operations = [
        migrations.CreateModel(
            name="Section",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "start",
                    models.FloatField(help_text="Seconds from the start of the recording"),
                ),
                ("title", models.CharField(max_length=255)),
                ("synopsis", models.TextField(blank=True)),
                (
                    "keywords",
                    models.CharField(
                        blank=True, help_text="Separated by commas or semicolons", max_length=500
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "dimensions",
                    models.ManyToManyField(
                        blank=True, related_name="sections", to="archive.dimension"
                    ),
                ),
                (
                    "recording",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sections",
                        to="archive.recording",
                    ),
                ),
                (
                    "themes",
                    models.ManyToManyField(blank=True, related_name="sections", to="archive.theme"),
                ),
            ],
            options={
                "ordering": ["recording", "start"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("recording", "start"), name="one_section_per_start"
                    )
                ],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
