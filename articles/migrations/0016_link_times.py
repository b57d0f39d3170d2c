"""Bylines and tag rows: the article's publication time, with an index on
(author or tag, time), so that an author's or a tag's page reads its newest
stories from the index instead of walking every newest story checking it for
the byline or the tag.

Existing rows are filled here, one UPDATE per table (at 100,000 articles, a
few seconds); the write path keeps them from then on.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_link_times(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    time = Article.objects.filter(pk=OuterRef("article_id")).values("published_at")
    apps.get_model("articles", "Byline").objects.update(published_at=Subquery(time))
    time = Article.objects.filter(pk=OuterRef("content_object_id")).values(
        "published_at"
    )
    apps.get_model("articles", "ArticleTag").objects.update(
        published_at=Subquery(time)
    )


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
