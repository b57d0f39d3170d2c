"""Follow-up work an import owes its articles, recorded with them.

Related links and the renditions of new pictures come after an import's
batch commits; a run killed in between left them undone for good, since the
next run finds those articles unchanged. Each batch now records the work in
its own transaction, and the work deletes its record when done
(articles/importers/followup.py).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_admin_scale_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="PendingWork",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("related", "Related links"),
                            ("renditions", "Renditions of the hero picture"),
                        ],
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "pending work",
            },
        ),
    ]
