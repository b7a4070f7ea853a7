"""Indexes that let PostgreSQL answer Wagtail's database search without reading every entry.

Wagtail's PostgreSQL backend (modelsearch 1.3) matches `(title || body) @@ query`, which the
separate GIN indexes on title and body cannot serve, and joins an entry to its object by
`object_id = (pk)::varchar(50)`, which the primary key cannot serve: at 200,000 passages every
search scanned both tables (about 500 ms however rare the word). A GIN index on the same
expression and an index on each searched table's key as text let the planner go from the
matching entries to their rows (36 ms for a word in 4,000 passages). Only on PostgreSQL."""

from django.db import migrations

INDEXES = [
    ("search_entry_text_gin", "wagtailsearch_indexentry", "USING gin ((title || body))"),
    ("search_passage_id_text", "search_passage", "(((id)::varchar(50)))"),
    ("search_storypage_id_text", "archive_storypage", "(((page_ptr_id)::varchar(50)))"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_facet_version"),
        ("archive", "0003_site_tree"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
