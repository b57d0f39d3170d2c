"""Work recorded before tasks existed is kept, in the new shape, and due at once."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0007_pending_work")]
AFTER = [("articles", "0008_pending_work_queue")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_pending_work_left_by_an_import_survives_the_migration():
    apps = migrate(BEFORE)
    try:
        Article = apps.get_model("articles", "Article")
        PendingWork = apps.get_model("articles", "PendingWork")
        section = apps.get_model("articles", "Section").objects.create(
            name="News", slug="news"
        )
        picture = apps.get_model("articles", "Image").objects.create(
            file="images/a.jpg", alt="A picture", width=40, height=30
        )
        shown, plain = (
            Article.objects.create(
                headline=slug, slug=slug, body="<p>Text.</p>", section=section, **extra
            )
            for slug, extra in (("shown", {"hero_image": picture}), ("plain", {}))
        )
        for kind, article in (
            ("related", shown),
            ("renditions", shown),
            ("renditions", plain),  # its picture was never stored
        ):
            PendingWork.objects.create(kind=kind, article=article)

        PendingWork = migrate(AFTER).get_model("articles", "PendingWork")
        assert sorted(
            PendingWork.objects.values_list(
                "kind", "article_id", "image_id", "queued_at"
            )
        ) == [
            ("related", shown.pk, None, None),
            ("renditions", None, picture.pk, None),
        ]
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
