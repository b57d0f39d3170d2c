"""Articles: a partial index on embargoed_until, so the next go-live
(`ArticleQuerySet.scheduled()`, looked up as every write or import batch
retires pages) is two index reads instead of a scan of every article."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0012_tag_aliases"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("embargoed_until__isnull", False)),
                fields=["embargoed_until"],
                name="article_embargo_idx",
            ),
        ),
    ]
