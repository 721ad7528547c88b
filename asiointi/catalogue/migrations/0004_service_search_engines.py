"""The full-text engines beside the service finder's index (asiointi/catalogue/finder.py).

On PostgreSQL: the pg_trgm extension, a tsvector column ``document`` (written by the catalogue's
services under the finnish, swedish, english and simple configurations) with a GIN index, and a
table of the index's distinct words with a trigram GIN index, where a misspelt word of a query finds
the words it was meant to be (pg_trgm similarity). On SQLite: an FTS5 table whose row ids
are the services' ids. ``manage.py finder_rebuild`` fills them."""

from django.db import migrations

PG_CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE catalogue_servicesearchentry ADD COLUMN IF NOT EXISTS document tsvector;
CREATE INDEX IF NOT EXISTS servicesearchentry_document_idx
    ON catalogue_servicesearchentry USING gin (document);
CREATE TABLE IF NOT EXISTS catalogue_service_word (word text PRIMARY KEY);
CREATE INDEX IF NOT EXISTS service_word_trgm_idx ON catalogue_service_word USING gin (word gin_trgm_ops);
"""
PG_DROP = """
DROP TABLE IF EXISTS catalogue_service_word;
DROP INDEX IF EXISTS servicesearchentry_document_idx;
ALTER TABLE catalogue_servicesearchentry DROP COLUMN IF EXISTS document;
"""
SQLITE_CREATE = """
CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_service_fts
    USING fts5(names, keywords, terms, tokenize = 'unicode61 remove_diacritics 0')
"""
SQLITE_DROP = "DROP TABLE IF EXISTS catalogue_service_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_service_search_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
