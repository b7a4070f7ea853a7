"""The page tree: a home page, the story index, the strategy pages and the site.

Pages are built with historical models, so the tree paths are set by hand, as
Wagtail's own project template does."""

from django.db import migrations

SECTIONS = [
    ("principles", "The principles"),
    ("vision", "The vision"),
    ("outcomes", "The outcomes"),
    ("key-issues", "Key issues: fear, misinformation and mistrust"),
    ("dimensions", "The five dimensions of racism"),
    ("glossary", "Glossary"),
]

HOME_INTRODUCTION = (
    "Stories of racism told by the people who lived them, across Halton, Knowsley, Liverpool, "
    "St Helens, Sefton and Wirral. The Liverpool City Region Anti-Racism Strategy asks for "
    "the sharing of stories to support change: this archive keeps them safe, and shares them "
    "only in the ways their tellers agreed to."
)


def build_tree(apps, schema_editor):
    from archive.strategy.parser import read_strategy, section_introductions

    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    intros = section_introductions(read_strategy())
    locale = Locale.objects.get_or_create(language_code="en")[0]

    def make(model_name, path, title, slug, url_path, numchild=0, **fields):
        model = apps.get_model("archive", model_name)
        content_type = ContentType.objects.get_or_create(
            app_label="archive", model=model_name.lower()
        )[0]
        return model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=path,
            depth=len(path) // 4,
            numchild=numchild,
            url_path=url_path,
            locale=locale,
            live=True,
            **fields,
        )

    # Replace Wagtail's "Welcome" page with the archive's home page.
    Page.objects.filter(depth=2, slug="home").delete()
    home = make(
        "HomePage",
        "00010001",
        "Lived Experience Archive",
        "home",
        "/home/",
        numchild=2,
        introduction=HOME_INTRODUCTION,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    make(
        "StoryIndexPage",
        "000100010001",
        "Stories",
        "stories",
        "/home/stories/",
        introduction="Vox pops, oral histories and borough films from across the city region.",
    )
    make(
        "StrategyPage",
        "000100010002",
        "About the strategy",
        "strategy",
        "/home/strategy/",
        numchild=len(SECTIONS),
        introduction=intros["strategy"],
    )
    for number, (section, title) in enumerate(SECTIONS, start=1):
        make(
            "StrategyPage",
            f"000100010002{number:04d}",
            title,
            section,
            f"/home/strategy/{section}/",
            section=section,
            introduction=intros[section],
        )
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page_id=home.id, is_default_site=True)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0002_taxonomy_from_strategy"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(build_tree, migrations.RunPython.noop)]
