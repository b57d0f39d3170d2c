"""PostgreSQL full-text search: a stored, weighted search vector with a GIN index.

`articles_article.search_vector` is kept current by triggers, so every write
path (admin, import, QuerySet.update(), raw SQL) keeps it right:

- on the article row: headline (weight A), deck (B), tag names (B) and the
  body with its markup removed (C);
- on tag links and tag renames: the affected articles are recomputed.

The column is not part of the Django model; only articles/search.py reads it.
On other databases this migration does nothing (search falls back to a
simple match there).
"""

from django.db import migrations

CONFIG = "english"  # the same as articles.search.SEARCH_CONFIG

FORWARD = [
    "ALTER TABLE articles_article ADD COLUMN search_vector tsvector",
    f"""
    CREATE FUNCTION articles_article_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('{CONFIG}', coalesce(NEW.headline, '')), 'A')
            || setweight(to_tsvector('{CONFIG}', coalesce(NEW.deck, '')), 'B')
            || setweight(to_tsvector('{CONFIG}', coalesce((
                SELECT string_agg(tag.name, ' ')
                FROM articles_articletag link
                JOIN articles_tag tag ON tag.id = link.tag_id
                WHERE link.content_object_id = NEW.id
            ), '')), 'B')
            || setweight(to_tsvector('{CONFIG}', regexp_replace(
                coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g'
            )), 'C');
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()
    """,
    """
    CREATE FUNCTION articles_articletag_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE articles_article SET id = id WHERE id = NEW.content_object_id;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE articles_article SET id = id WHERE id = OLD.content_object_id;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_articletag_search_vector
    AFTER INSERT OR UPDATE OR DELETE ON articles_articletag
    FOR EACH ROW EXECUTE FUNCTION articles_articletag_search_vector()
    """,
    """
    CREATE FUNCTION articles_tag_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE articles_article SET id = id WHERE id IN (
            SELECT content_object_id FROM articles_articletag WHERE tag_id = NEW.id
        );
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_tag_search_vector
    AFTER UPDATE OF name ON articles_tag
    FOR EACH ROW EXECUTE FUNCTION articles_tag_search_vector()
    """,
    "CREATE INDEX article_search_idx ON articles_article USING GIN (search_vector)",
    "UPDATE articles_article SET id = id",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_tag_search_vector ON articles_tag",
    "DROP FUNCTION IF EXISTS articles_tag_search_vector()",
    "DROP TRIGGER IF EXISTS articles_articletag_search_vector ON articles_articletag",
    "DROP FUNCTION IF EXISTS articles_articletag_search_vector()",
    "DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_vector()",
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

    dependencies = [("articles", "0003_editorial_roles")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]
