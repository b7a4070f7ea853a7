"""Stemming for the embedded SQLite default: rebuild Wagtail's FTS5 table with the porter
tokenizer, so "policing" finds "police" as it does on the search engine (issue 5).

Only touches SQLite, and only the FTS table; the triggers that fill it refer to it by name."""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"
STEMMED = "tokenize = 'porter unicode61 remove_diacritics 2'"


def _exists(cursor, name):
    cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [name])
    return cursor.fetchone() is not None


def rebuild(tokenizer):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            if not _exists(cursor, f"{TABLE}_fts"):
                return  # SQLite without FTS5: Wagtail uses its fallback backend
            options = f", {tokenizer}" if tokenizer else ""
            cursor.execute(f"DROP TABLE {TABLE}_fts")
            cursor.execute(
                f"CREATE VIRTUAL TABLE {TABLE}_fts USING fts5(autocomplete, body, title{options})"
            )
            cursor.execute(
                f"INSERT INTO {TABLE}_fts(rowid, title, body, autocomplete) "  # noqa: S608 - TABLE is a constant
                f"SELECT id, title, body, autocomplete FROM {TABLE}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_passages_suggestions_pending"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(rebuild(STEMMED), rebuild(""))]
