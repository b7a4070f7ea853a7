"""Create the boroughs, themes, dimensions and glossary from the strategy's own text."""

from django.db import migrations
from django.utils.text import slugify


def create_taxonomy(apps, schema_editor):
    from archive.strategy.parser import taxonomy

    Borough = apps.get_model("archive", "Borough")
    Theme = apps.get_model("archive", "Theme")
    Dimension = apps.get_model("archive", "Dimension")
    GlossaryTerm = apps.get_model("archive", "GlossaryTerm")
    data = taxonomy()

    for borough in data["boroughs"]:
        Borough.objects.update_or_create(
            slug=borough["slug"],
            defaults={"name": borough["name"], "description": borough["description"]},
        )
    for kind, items in [
        ("principle", data["principles"]),
        ("vision", data["vision"]),
        ("outcome", data["outcomes"]),
        ("key_issue", data["key_issues"]),
    ]:
        for order, item in enumerate(items, start=1):
            Theme.objects.update_or_create(
                kind=kind,
                name=item["name"],
                defaults={
                    "slug": slugify(item["name"])[:255],
                    "summary": item["summary"],
                    "sort_order": order,
                },
            )
    for order, item in enumerate(data["dimensions"], start=1):
        Dimension.objects.update_or_create(
            name=item["name"],
            defaults={
                "slug": slugify(item["name"]),
                "definition": item["definition"],
                "aim": item["aim"],
                "sort_order": order,
            },
        )
    for item in data["glossary"]:
        GlossaryTerm.objects.update_or_create(
            term=item["term"],
            defaults={"slug": slugify(item["term"])[:255], "definition": item["definition"]},
        )


def remove_taxonomy(apps, schema_editor):
    for name in ["GlossaryTerm", "Dimension", "Theme", "Borough"]:
        apps.get_model("archive", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(create_taxonomy, remove_taxonomy)]
