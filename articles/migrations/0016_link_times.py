"""Bylines and tag rows: the article's publication time, with an index on
(author or tag, time), so that an author's or a tag's page reads its newest
stories from the index instead of walking every newest story checking it for
the byline or the tag.

Existing rows are filled here, one UPDATE per table; the write path keeps
them from then on.

On PostgreSQL the tag links' search trigger (0002_search) recomputed the
search vector of every article whose link rows an UPDATE touched, both
before and after: filling the time would have recomputed the whole archive's
vectors twice (nearly seven minutes at 100,000 articles), and every
publication-time change its story's. It now recomputes only the articles of
links whose tag or article changed, which a time never does.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

RECOMPUTE = """
    UPDATE articles_article article
    SET search_vector = articles_search_vector(
        article.id, article.headline, article.deck, article.body
    )
    WHERE article.id IN ({ids})
"""

# The articles of the links an UPDATE gave another tag or article, before and
# after (transition tables: one statement, however many rows).
MOVED = """
    SELECT content_object_id FROM (
        (SELECT id, tag_id, content_object_id FROM new_links
         EXCEPT SELECT id, tag_id, content_object_id FROM old_links)
        UNION ALL
        (SELECT id, tag_id, content_object_id FROM old_links
         EXCEPT SELECT id, tag_id, content_object_id FROM new_links)
    ) AS moved
"""


def link_trigger(on_update):
    """The tag links' trigger function, recomputing on an UPDATE the articles
    `on_update` (SQL) selects."""
    return f"""
    CREATE OR REPLACE FUNCTION articles_articletag_search_vector()
    RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {RECOMPUTE.format(ids="SELECT content_object_id FROM new_links")};
        ELSIF TG_OP = 'DELETE' THEN
            {RECOMPUTE.format(ids="SELECT content_object_id FROM old_links")};
        ELSE
            {RECOMPUTE.format(ids=on_update)};
        END IF;
        RETURN NULL;
    END
    $$
    """


FORWARD = link_trigger(MOVED)
# Every article an UPDATE touched, before or after (0002_search recomputed
# the ones after, then the ones before).
BACKWARD = link_trigger(
    "SELECT content_object_id FROM new_links"
    " UNION SELECT content_object_id FROM old_links"
)


def run(statement):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement, params=None)

    return operation


def fill_link_times(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    time = Article.objects.filter(pk=OuterRef("article_id")).values("published_at")
    apps.get_model("articles", "Byline").objects.update(published_at=Subquery(time))
    time = Article.objects.filter(pk=OuterRef("content_object_id")).values(
        "published_at"
    )
    apps.get_model("articles", "ArticleTag").objects.update(published_at=Subquery(time))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_related_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="articletag",
            name="published_at",
            field=models.DateTimeField(
                editable=False,
                help_text="The article's publication time, kept here by the write "
                "path for the tag's page to read its stories newest first from an "
                "index.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="byline",
            name="published_at",
            field=models.DateTimeField(
                editable=False,
                help_text="The article's publication time, kept here by the write "
                "path for the author's page to read its stories newest first from "
                "an index.",
                null=True,
            ),
        ),
        migrations.RunPython(run(FORWARD), run(BACKWARD)),
        migrations.RunPython(fill_link_times, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="articletag",
            index=models.Index(
                fields=["tag", "-published_at", "-content_object"],
                name="article_tag_listing_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(
                fields=["author", "-published_at", "-article"],
                name="byline_listing_idx",
            ),
        ),
    ]
