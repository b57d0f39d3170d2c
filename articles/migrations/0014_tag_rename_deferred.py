"""Search: a tag renamed in a transaction that defers its vectors (an import,
`articles.ingest.vectors`) sets the vectors of the articles carrying it to
NULL, for the sweeper, instead of recomputing every one of them inline.

An import respelling a tag ("golf" to "Golf") may touch thousands of
articles; outside such a transaction a rename still recomputes them at once,
as in 0002_search. Until its vector is back, search matches an article on one
computed on the fly, as for any article still without one.
"""

from django.db import migrations

RENAMED = """
    SELECT link.content_object_id FROM articles_articletag link
    JOIN renamed_tags tag ON tag.id = link.tag_id
    WHERE tag.name IS DISTINCT FROM (
        SELECT before.name FROM old_tags before WHERE before.id = tag.id
    )
"""


def function(deferred):
    """The rename trigger's function; `deferred`, what a deferring transaction
    does to the articles carrying the tag."""
    return f"""
    CREATE OR REPLACE FUNCTION articles_tag_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('newsroom.search_vector_deferred', true) = 'on' THEN
            {deferred}
        ELSE
            UPDATE articles_article article
            SET search_vector = articles_search_vector(
                article.id, article.headline, article.deck, article.body
            )
            WHERE article.id IN ({RENAMED});
        END IF;
        RETURN NULL;
    END
    $$
    """


FORWARD = function(
    f"UPDATE articles_article SET search_vector = NULL WHERE id IN ({RENAMED});"
)
# As 0002_search: recomputed, deferral or not.
BACKWARD = function(
    "UPDATE articles_article article SET search_vector = articles_search_vector("
    "article.id, article.headline, article.deck, article.body) "
    f"WHERE article.id IN ({RENAMED});"
)


def run(statement):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_embargo_index"),
    ]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
