"""PostgreSQL: a narrow table of every index entry's searchable vector, kept by triggers.

Wagtail's index entry rows are wide (about 1.3 kB: the title and body vectors, the autocomplete
vector and the plain text for fuzzy search), and its search matches `title || body`, joining
two vectors for every row it tests. For a common word that is a scan of the whole table: 300
ms at 200,000 passages, once to rank and once to count. `search_document` holds only what
ranking and matching read: the entry's id, its object, and `title || body` computed once, when
the entry is written. The object's key is also kept as a number when it is one, so the join to
a model with an integer key compares integers, not text.

Statement triggers with transition tables keep it exact however an entry is written (upstream's
bulk upsert, its raw deletes, a TRUNCATE by the test runner), in the writer's transaction. It is
not a Django model: nothing but the search backend reads it (search/backends/postgres.py).
Only on PostgreSQL. The GIN index of migration 0004 on `title || body` is no longer read."""

from django.db import migrations

ENTRY = "wagtailsearch_indexentry"

CREATE = f"""
CREATE TABLE IF NOT EXISTS search_document (
    entry_id integer PRIMARY KEY,
    content_type_id integer NOT NULL,
    object_id varchar(50) NOT NULL,
    object_key bigint,
    vector tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS search_document_vector ON search_document USING gin (vector);
CREATE INDEX IF NOT EXISTS search_document_object_key ON search_document (object_key, content_type_id);
CREATE INDEX IF NOT EXISTS search_document_object_id ON search_document (object_id, content_type_id);

CREATE OR REPLACE FUNCTION search_document_upsert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_document (entry_id, content_type_id, object_id, object_key, vector)
    SELECT id, content_type_id, object_id,
           CASE WHEN object_id ~ '^-?[0-9]{{1,18}}$' THEN object_id::bigint END,
           title || body
    FROM changed
    ON CONFLICT (entry_id) DO UPDATE SET
        content_type_id = EXCLUDED.content_type_id,
        object_id = EXCLUDED.object_id,
        object_key = EXCLUDED.object_key,
        vector = EXCLUDED.vector;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_document_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_document d USING removed r WHERE d.entry_id = r.id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_document_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE search_document;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS search_document_inserted ON {ENTRY};
CREATE TRIGGER search_document_inserted AFTER INSERT ON {ENTRY}
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_document_upsert();
DROP TRIGGER IF EXISTS search_document_updated ON {ENTRY};
CREATE TRIGGER search_document_updated AFTER UPDATE ON {ENTRY}
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_document_upsert();
DROP TRIGGER IF EXISTS search_document_deleted ON {ENTRY};
CREATE TRIGGER search_document_deleted AFTER DELETE ON {ENTRY}
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION search_document_delete();
DROP TRIGGER IF EXISTS search_document_truncated ON {ENTRY};
CREATE TRIGGER search_document_truncated AFTER TRUNCATE ON {ENTRY}
    FOR EACH STATEMENT EXECUTE FUNCTION search_document_truncate();

INSERT INTO search_document (entry_id, content_type_id, object_id, object_key, vector)
SELECT id, content_type_id, object_id,
       CASE WHEN object_id ~ '^-?[0-9]{{1,18}}$' THEN object_id::bigint END, title || body
FROM {ENTRY}
ON CONFLICT (entry_id) DO NOTHING;
ANALYZE search_document;
DROP INDEX IF EXISTS search_entry_text_gin;
"""  # noqa: S608 - DDL from constants only (ENTRY): no value from outside reaches it

DROP = f"""
DROP TRIGGER IF EXISTS search_document_inserted ON {ENTRY};
DROP TRIGGER IF EXISTS search_document_updated ON {ENTRY};
DROP TRIGGER IF EXISTS search_document_deleted ON {ENTRY};
DROP TRIGGER IF EXISTS search_document_truncated ON {ENTRY};
DROP FUNCTION IF EXISTS search_document_upsert();
DROP FUNCTION IF EXISTS search_document_delete();
DROP FUNCTION IF EXISTS search_document_truncate();
DROP TABLE IF EXISTS search_document;
CREATE INDEX IF NOT EXISTS search_entry_text_gin ON {ENTRY} USING gin ((title || body));
"""


def _run(schema_editor, sql):
    # One script, with function bodies: run as it is, without parameters.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def create(apps, schema_editor):
    _run(schema_editor, CREATE)


def drop(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_search_indexes")]

    operations = [migrations.RunPython(create, drop)]
