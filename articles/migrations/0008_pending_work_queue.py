"""Pending work is handed to a task queue, and a sweeper hands over again what
was lost (articles/tasks.py).

`queued_at` says when a task for the work was last enqueued (empty: the queue
refused it), `attempts` how many times. Renditions are now the work of a
picture, not of the article that shows it: the admin and the demo store
pictures no article shows yet. Work recorded before this migration was never
enqueued, so it is left with no `queued_at`: the sweeper's first round hands
it over.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def checked_now(schema_editor):
    """Foreign keys checked per statement, not at commit: PostgreSQL refuses to
    alter a table with checks still pending (the constraint added below)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def renditions_of_pictures(apps, schema_editor):
    checked_now(schema_editor)
    PendingWork = apps.get_model("articles", "PendingWork")
    PendingWork.objects.update(queued_at=None)
    for work in PendingWork.objects.filter(kind="renditions").select_related(
        "article"
    ):
        if work.article.hero_image_id:
            work.image_id = work.article.hero_image_id
            work.article = None
            work.save(update_fields=["image", "article"])
        else:
            work.delete()


def renditions_of_articles(apps, schema_editor):
    checked_now(schema_editor)
    PendingWork = apps.get_model("articles", "PendingWork")
    PendingWork.objects.exclude(
        kind__in=["related", "renditions"]
    ).update(kind="related")
    for work in PendingWork.objects.filter(kind="renditions"):
        article = (
            apps.get_model("articles", "Article")
            .objects.filter(hero_image_id=work.image_id)
            .first()
        )
        if article is None:
            work.delete()
        else:
            work.article = article
            work.save(update_fields=["article"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_pending_work"),
    ]

    operations = [
        migrations.AddField(
            model_name="pendingwork",
            name="attempts",
            field=models.PositiveIntegerField(
                default=1, help_text="How many times a task for it was enqueued."
            ),
        ),
        migrations.AddField(
            model_name="pendingwork",
            name="image",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="articles.image",
            ),
        ),
        migrations.AddField(
            model_name="pendingwork",
            name="queued_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                help_text="When a task for it was last enqueued; empty if the "
                "queue refused it.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="pendingwork",
            name="article",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="articles.article",
            ),
        ),
        migrations.AlterField(
            model_name="pendingwork",
            name="kind",
            field=models.CharField(
                choices=[
                    ("related", "Related links"),
                    ("around", "Related links, and those of its closest neighbours"),
                    ("renditions", "Renditions of a picture"),
                ],
                max_length=10,
            ),
        ),
        migrations.RunPython(renditions_of_pictures, renditions_of_articles),
        migrations.AddConstraint(
            model_name="pendingwork",
            constraint=models.CheckConstraint(
                condition=models.Q(("image__isnull", False), ("kind", "renditions"))
                | models.Q(
                    models.Q(("kind", "renditions"), _negated=True),
                    ("article__isnull", False),
                ),
                name="pending_work_has_its_object",
            ),
        ),
    ]
