"""On PostgreSQL: no two active reservations of one resource overlap in time, enforced by the database
(btree_gist, an exclusion constraint over the resource and the half-open range [starts, holds_until)).
SQLite has no exclusion constraints; there the booking service checks inside its IMMEDIATE write
transaction (asiointi/scheduling/services.py)."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE scheduling_reservation ADD CONSTRAINT reservation_no_overlap
    EXCLUDE USING gist (resource_id WITH =, tstzrange(starts, holds_until, '[)') WITH &&)
    WHERE (active);
"""
DROP = "ALTER TABLE scheduling_reservation DROP CONSTRAINT IF EXISTS reservation_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_bookable_resources_and_appointments")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
