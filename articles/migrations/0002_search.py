"""PostgreSQL full-text search: a stored, weighted search vector with a GIN index.

`articles_article.search_vector` is kept current by triggers, so every write
path (admin, import, QuerySet.update(), raw SQL) keeps it right:

- on the article row: headline (weight A), deck (B), tag names (B) and the
  body with its markup removed (C);
- on tag links and tag renames: the affected articles are recomputed, once
  per statement (transition tables), so bulk inserts of links stay cheap.

An import may defer its articles' vectors: a transaction that sets

    SELECT set_config('newsroom.search_vector_deferred', 'on', true)

(`articles.ingest.vectors`; the setting ends with the transaction) writes its
articles with no vector (NULL), and the importer computes them right after
each batch commits, on its own connection. Every other writer is unchanged.
Until its vector arrives an article is still found: search matches rows with
a NULL vector by computing it on the fly, and a partial index finds those few
rows (also after an import that was killed before it finished them; the next
import computes whatever is left).

The column is not part of the Django model; only articles/search.py reads it.
On other databases this migration does nothing (search falls back to a
simple match there).
"""

from django.db import migrations

CONFIG = "english"  # the same as articles.search.SEARCH_CONFIG

VECTOR = f"""
    setweight(to_tsvector('{CONFIG}', coalesce(headline, '')), 'A')
    || setweight(to_tsvector('{CONFIG}', coalesce(deck, '')), 'B')
    || setweight(to_tsvector('{CONFIG}', coalesce((
        SELECT string_agg(tag.name, ' ')
        FROM articles_articletag link
        JOIN articles_tag tag ON tag.id = link.tag_id
        WHERE link.content_object_id = article_id
    ), '')), 'B')
    || setweight(to_tsvector('{CONFIG}', regexp_replace(
        coalesce(body, ''), '<[^>]*>', ' ', 'g'
    )), 'C')
"""

# Recompute the vectors of the articles whose ids `ids` (SQL) selects.
RECOMPUTE = """
    UPDATE articles_article article
    SET search_vector = articles_search_vector(
        article.id, article.headline, article.deck, article.body
    )
    WHERE article.id IN ({ids})
"""

RENAMED = """
    SELECT link.content_object_id FROM articles_articletag link
    JOIN renamed_tags tag ON tag.id = link.tag_id
    WHERE tag.name IS DISTINCT FROM (
        SELECT before.name FROM old_tags before WHERE before.id = tag.id
    )
"""

FORWARD = [
    "ALTER TABLE articles_article ADD COLUMN search_vector tsvector",
    f"""
    CREATE FUNCTION articles_search_vector(
        article_id bigint, headline text, deck text, body text
    ) RETURNS tsvector
    LANGUAGE sql STABLE AS $$ SELECT {VECTOR} $$
    """,
    # The article's own row: computed before it is written, so an insert or
    # an edit costs one computation.
    # ...unless the transaction deferred it (an import; see the docstring).
    """
    CREATE FUNCTION articles_article_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('newsroom.search_vector_deferred', true) = 'on' THEN
            NEW.search_vector := NULL;
        ELSE
            NEW.search_vector := articles_search_vector(
                NEW.id, NEW.headline, NEW.deck, NEW.body
            );
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF headline, deck, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()
    """,
    # Tag links: once per statement, over the articles it touched (transition
    # tables), so a bulk insert of many links recomputes each article once.
    f"""
    CREATE FUNCTION articles_articletag_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            {RECOMPUTE.format(ids="SELECT content_object_id FROM new_links")};
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            {RECOMPUTE.format(ids="SELECT content_object_id FROM old_links")};
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_articletag_search_vector_insert
    AFTER INSERT ON articles_articletag REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION articles_articletag_search_vector()
    """,
    """
    CREATE TRIGGER articles_articletag_search_vector_update
    AFTER UPDATE ON articles_articletag
    REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION articles_articletag_search_vector()
    """,
    """
    CREATE TRIGGER articles_articletag_search_vector_delete
    AFTER DELETE ON articles_articletag REFERENCING OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION articles_articletag_search_vector()
    """,
    # Tag renames: the articles carrying the tag.
    f"""
    CREATE FUNCTION articles_tag_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        {RECOMPUTE.format(ids=RENAMED)};
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_tag_search_vector
    AFTER UPDATE ON articles_tag
    REFERENCING OLD TABLE AS old_tags NEW TABLE AS renamed_tags
    FOR EACH STATEMENT EXECUTE FUNCTION articles_tag_search_vector()
    """,
    "CREATE INDEX article_search_idx ON articles_article USING GIN (search_vector)",
    "CREATE INDEX article_search_pending_idx ON articles_article (id) "
    "WHERE search_vector IS NULL",
]

BACKWARD = [
    "DROP INDEX IF EXISTS article_search_pending_idx",
    "DROP INDEX IF EXISTS article_search_idx",
    "DROP TRIGGER IF EXISTS articles_tag_search_vector ON articles_tag",
    "DROP FUNCTION IF EXISTS articles_tag_search_vector()",
    *(
        f"DROP TRIGGER IF EXISTS articles_articletag_search_vector_{event} "
        "ON articles_articletag"
        for event in ("insert", "update", "delete")
    ),
    "DROP FUNCTION IF EXISTS articles_articletag_search_vector()",
    "DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_vector()",
    "DROP FUNCTION IF EXISTS articles_search_vector(bigint, text, text, text)",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    """The PostgreSQL full-text search vector and its index (no model changes)."""

    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]
