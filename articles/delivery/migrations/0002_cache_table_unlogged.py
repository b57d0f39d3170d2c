"""The database cache's table unlogged, on PostgreSQL.

What a cache holds can always be made again, so its writes need not wait for
the write-ahead log: a retirement (two small writes) commits in about half the
time, and a stored page is not written to the log at all. A crash empties the
table (every page is rendered again, stamps are made anew: freshness.py). An
unlogged table is not copied to read replicas: a database router must send the
cache's reads to the primary (or use Redis, as docs/deploy.md deploys it).
The table is emptied first, so it is not copied while app servers wait: the
pages it held are rendered again.
"""

from django.conf import settings
from django.db import migrations

DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


def cache_tables(connection):
    existing = set(connection.introspection.table_names())
    return [
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache["BACKEND"] == DATABASE_CACHE and cache["LOCATION"] in existing
    ]


def set_persistence(persistence):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        for table in map(schema_editor.quote_name, cache_tables(connection)):
            schema_editor.execute(f"TRUNCATE {table}")
            schema_editor.execute(f"ALTER TABLE {table} SET {persistence}")

    return run


class Migration(migrations.Migration):
    dependencies = [("delivery", "0001_cache_table")]
    operations = [
        migrations.RunPython(set_persistence("UNLOGGED"), set_persistence("LOGGED"))
    ]
