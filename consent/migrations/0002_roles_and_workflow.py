"""The four groups and what each may do, and the story workflow: a consent check by
moderators, then editorial review by editors.

Permissions are normally created after migrations finish, so they are made here first;
then the groups are given exactly what their role needs and no more."""

from django.db import migrations

ADMIN = ("wagtailadmin", "access_admin")
CONSENT_ADMIN = [
    ("consent", f"{verb}_{model}")
    for model in ("consentrecord", "contributor")
    for verb in ("add", "change", "view")
] + [("consent", f"view_{model}") for model in ("withdrawal", "auditentry", "tombstone")]

GROUPS = {
    "Editors": {
        "permissions": [
            ADMIN,
            ("consent", "moderate_stories"),
            ("consent", "withdraw_on_behalf"),
            ("consent", "clip_for_training"),
            ("consent", "quote_in_reports"),
            *CONSENT_ADMIN,
        ],
        "pages": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
        "media": ["add_media", "change_media"],
    },
    "Moderators": {
        "permissions": [
            ADMIN,
            ("consent", "moderate_stories"),
            ("consent", "withdraw_on_behalf"),
            ("consent", "view_consentrecord"),
            ("consent", "view_contributor"),
            ("consent", "view_auditentry"),
        ],
        "pages": ["change_page", "lock_page"],
        "media": ["change_media"],
    },
    # Trainers and report writers reuse stories only as far as consent allows; the gate
    # checks these permissions alongside each story's consent.
    "Trainers": {
        "permissions": [ADMIN, ("consent", "clip_for_training")],
        "pages": [],
        "media": [],
    },
    "Report writers": {
        "permissions": [ADMIN, ("consent", "quote_in_reports")],
        "pages": [],
        "media": [],
    },
}


def _make_permissions(apps):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_groups(apps, schema_editor):
    _make_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    groups = {}
    for name, grant in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        for app_label, codename in grant["permissions"]:
            group.permissions.add(_permission(apps, app_label, codename))
        for codename in grant["pages"]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_permission(apps, "wagtailcore", codename)
            )
        for codename in grant["media"]:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=_permission(apps, "wagtailmedia", codename),
            )
    _create_workflow(apps, groups)


def _create_workflow(apps, groups):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    ConsentCheckTask = apps.get_model("consent", "ConsentCheckTask")
    Page = apps.get_model("wagtailcore", "Page")

    def content_type(app_label, model):
        return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]

    check = ConsentCheckTask.objects.create(
        name="Consent check", content_type=content_type("consent", "consentchecktask")
    )
    check.groups.set([groups["Moderators"], groups["Editors"]])
    # The final review re-checks consent too: approving it publishes the story, and consent
    # may have lapsed or been narrowed since the first check.
    review = ConsentCheckTask.objects.create(
        name="Editorial review", content_type=content_type("consent", "consentchecktask")
    )
    review.groups.set([groups["Editors"], groups["Moderators"]])
    workflow = Workflow.objects.create(name="Story: consent check, then editorial review")
    WorkflowTask.objects.create(workflow=workflow, task=check, sort_order=0)
    WorkflowTask.objects.create(workflow=workflow, task=review, sort_order=1)
    story_index = Page.objects.filter(slug="stories", depth=3).first()
    if story_index is not None:
        WorkflowPage.objects.update_or_create(page=story_index, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0001_records_and_withdrawals"),
        ("archive", "0003_site_tree"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailmedia", "0005_alter_media_options"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
