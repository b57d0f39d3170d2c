"""Search vectors an import may compute a moment later, on a second connection.

The article trigger of 0004 computes the weighted vector of every row it
writes (1.5-2.5 ms for a 700-word body), which is most of an import's
database time. A transaction that sets

    SELECT set_config('newsroom.search_vector_deferred', 'on', true)

(`articles.importers.vectors`; the setting ends with the transaction) writes
its articles with no vector (NULL) instead, and the importer computes them
right after each batch commits, on its own connection, while it reads the
next batch. Every other writer (the admin, QuerySet.update(), raw SQL) is
unchanged: its vectors are computed as the row is written.

Until its vector arrives an article is still found: search matches rows with
a NULL vector by computing it on the fly, and this partial index finds those
few rows (also after an import that was killed before it finished them; the
next import computes whatever is left).
"""

from django.db import migrations

VECTOR = "articles_search_vector(NEW.id, NEW.headline, NEW.deck, NEW.body)"

DEFERRED = f"""
    CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('newsroom.search_vector_deferred', true) = 'on' THEN
            NEW.search_vector := NULL;
        ELSE
            NEW.search_vector := {VECTOR};
        END IF;
        RETURN NEW;
    END
    $$
"""

IMMEDIATE = f"""
    CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := {VECTOR};
        RETURN NEW;
    END
    $$
"""

FORWARD = [
    DEFERRED,
    "CREATE INDEX article_search_pending_idx ON articles_article (id) "
    "WHERE search_vector IS NULL",
]

BACKWARD = [
    "DROP INDEX IF EXISTS article_search_pending_idx",
    IMMEDIATE,
    "UPDATE articles_article SET search_vector = articles_search_vector("
    "id, headline, deck, body) WHERE search_vector IS NULL",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    """Let an import defer its articles' search vectors (no model changes)."""

    dependencies = [("articles", "0004_search")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]
