"""Imported stories show the source's "Updated" time (ninjs `versioncreated`),
never the time of the import."""

import io
import json
import re
from datetime import UTC, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db


def iso(moment):
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def import_story(tmp_path, **dates):
    item = {
        "uri": "urn:example:updates:1",
        "headline": "Ferry timetable changes",
        "body_html": "<p>Boats leave every ten minutes.</p>",
        "by": "Ann Lee",
        **{key: iso(value) for key, value in dates.items()},
    }
    source = tmp_path / "story.jsonl"
    source.write_text(json.dumps(item) + "\n")
    call_command("import_articles", str(source), stdout=io.StringIO())
    return Article.objects.get(source_uri=item["uri"])


def shown_update(client, article):
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    match = re.search(
        r'class="dateline__updated">Updated <time datetime="([^"]+)"',
        page.content.decode(),
    )
    return match and match[1]


@pytest.mark.parametrize("saved_after", [timedelta(0), timedelta(minutes=10)])
def test_a_story_not_updated_at_the_source_shows_no_update(
    client, tmp_path, saved_after
):
    published = timezone.now() - timedelta(days=3)
    article = import_story(
        tmp_path, firstpublished=published, versioncreated=published + saved_after
    )
    assert shown_update(client, article) is None


def test_a_story_updated_at_the_source_shows_that_time(client, tmp_path):
    published = (timezone.now() - timedelta(days=3)).replace(microsecond=0)
    updated = published + timedelta(hours=5)
    article = import_story(tmp_path, firstpublished=published, versioncreated=updated)
    assert shown_update(client, article) == timezone.localtime(updated).isoformat()


def test_an_unreadable_update_time_is_a_warning_not_a_failure(tmp_path):
    item = {
        "uri": "urn:example:updates:2",
        "headline": "Ferry timetable changes",
        "body_html": "<p>Boats leave every ten minutes.</p>",
        "firstpublished": "2024-03-01T07:00:00Z",
        "versioncreated": "yesterday-ish",
        "by": "Ann Lee",
    }
    source = tmp_path / "story.jsonl"
    source.write_text(json.dumps(item) + "\n")
    out = io.StringIO()
    call_command("import_articles", str(source), stdout=out)
    assert "1 created" in out.getvalue()
    assert "versioncreated ignored: unreadable date 'yesterday-ish'" in out.getvalue()
