"""Related links: the candidates' rows read from indexes alone.

The ranking statement (`articles.related_ranking`, PostgreSQL) looks up some
40,000 candidates per chunk of 500 articles, twice each:

- whether the candidate is published, with its section and publication time:
  a partial index of the published articles' ids holding those two columns
  (4 MB at 100,000 articles, against the article table's 160 MB), PostgreSQL
  only (SQLite has no covering indexes, and ranks on the client);
- which of the article's words the candidate holds: `(article, word)` instead
  of `(article)` alone, so they are read without the rows. It serves the
  foreign key as the old index did.

Built with the migration: seconds at 100,000 articles.
"""

import django.db.models.deletion
from django.db import migrations, models

FORWARD = [
    "CREATE INDEX IF NOT EXISTS related_live_candidate_idx ON articles_article "
    "(id) INCLUDE (section_id, published_at) WHERE status = 'published'",
]
BACKWARD = ["DROP INDEX IF EXISTS related_live_candidate_idx"]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_search_word_pairs")]

    operations = [
        migrations.AddIndex(
            model_name="relatedword",
            index=models.Index(
                fields=["article", "word"], name="related_word_article_idx"
            ),
        ),
        migrations.AlterField(
            model_name="relatedword",
            name="article",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="articles.article",
            ),
        ),
        migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False),
    ]
