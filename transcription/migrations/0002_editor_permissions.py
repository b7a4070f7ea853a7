"""Give the editorial groups what transcription and recordings need: editors correct and
redact transcripts and manage recordings; moderators correct and redact too.

wagtailmedia checks the custom media model's own permissions (archive.*_recording),
both per collection and, for the private original download, per model."""

from django.db import migrations

TRANSCRIPTION = [
    ("transcription", f"{verb}_{model}")
    for model in ("transcript", "segment", "redaction")
    for verb in ("view", "change", "add")
] + [("transcription", "delete_redaction"), ("transcription", "view_segmentrevision")]
RECORDINGS = [("archive", "add_recording"), ("archive", "change_recording")]
GRANTS = {"Editors": TRANSCRIPTION + RECORDINGS, "Moderators": TRANSCRIPTION}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_collection = Collection.objects.get(depth=1)
    for name, permissions in GRANTS.items():
        group = Group.objects.get(name=name)
        for app_label, codename in permissions:
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            group.permissions.add(permission)
            if app_label == "archive":
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )


class Migration(migrations.Migration):
    dependencies = [
        ("transcription", "0001_transcripts"),
        ("consent", "0002_roles_and_workflow"),
        ("archive", "0003_site_tree"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
