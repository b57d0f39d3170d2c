"""Wire services change their stories: a kill (ninjs `pubstatus` withheld or
canceled) takes a story down everywhere, and a newer version under a new
identity that says which one it replaces updates that article."""

import json

import pytest

from articles.models import Article, Image, Revision
from tests.ingest.test_import_articles import FIXTURES, run_import

pytestmark = pytest.mark.django_db

KILLED = "This story was withdrawn by its source."


def item(uri, **fields):
    return {
        "uri": uri,
        "type": "text",
        "headline": "Council meets",
        "body_html": "<p>The council met.</p>",
        "by": "Ann Lee",
        "firstcreated": "2024-03-04T08:00:00Z",
        "subjects": [{"name": "Politics"}],
        **fields,
    }


def write(tmp_path, name, *items):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(i) for i in items) + "\n")
    return path


def listed(client, article):
    """Where a reader could still meet `article`: the front page, both feeds
    and the API."""
    found = []
    for url in ("/", "/feed/", "/feed/atom/", "/api/articles/"):
        response = client.get(url)
        assert response.status_code == 200, url
        if article.slug in response.content.decode():
            found.append(url)
    return found


class TestKills:
    @pytest.mark.parametrize("pubstatus", ["canceled", "withheld"])
    def test_a_kill_takes_a_story_down_everywhere_and_tells_readers_why(
        self, client, tmp_path, pubstatus
    ):
        run_import(write(tmp_path, "story.jsonl", item("urn:example:wire:1")))
        article = Article.objects.get()
        assert listed(client, article) == [
            "/",
            "/feed/",
            "/feed/atom/",
            "/api/articles/",
        ]
        assert client.get("/tag/politics/").status_code == 200
        kill = item("urn:example:wire:1", pubstatus=pubstatus)
        ok, out, err = run_import(write(tmp_path, "kill.jsonl", kill))
        assert ok, err
        assert "0 created, 1 updated" in out
        page = client.get(article.get_absolute_url())
        assert page.status_code == 410
        assert KILLED in page.content.decode()
        assert listed(client, article) == []
        assert client.get("/tag/politics/").status_code == 404  # nothing left there
        assert client.get(f"/api/articles/{article.pk}/").status_code == 404

    def test_a_kill_of_an_edited_story_goes_through_the_write_path(
        self, client, tmp_path
    ):
        run_import(write(tmp_path, "story.jsonl", item("urn:example:wire:1")))
        article = Article.objects.get()
        article.headline = "Council meets: budget agreed"
        article.save()
        kill = item("urn:example:wire:1", pubstatus="canceled")
        ok, out, err = run_import(write(tmp_path, "kill.jsonl", kill))
        assert ok, err
        assert "1 updated" in out
        page = client.get(article.get_absolute_url())
        assert page.status_code == 410
        assert KILLED in page.content.decode()
        latest = Revision.objects.filter(article=article).latest("number")
        assert latest.note == "Killed by the source"
        assert latest.data["headline"] == "Council meets: budget agreed"
        ok, out, _ = run_import(write(tmp_path, "kill.jsonl", kill))
        assert "0 updated, 1 unchanged" in out

    def test_a_newsml_cancel_is_a_kill_too(self, client):
        run_import(FIXTURES / "newsml" / "harbour_namespaced.xml")
        story = Article.objects.get(source_uri="urn:example:g2:harbour")
        story.headline = "Harbour closed"
        story.save()
        canceled = FIXTURES / "newsml" / "harbour_canceled.xml"
        ok, out, err = run_import(canceled, status="published")
        assert ok, err
        assert "1 updated" in out
        page = client.get(story.get_absolute_url())
        assert page.status_code == 410
        assert KILLED in page.content.decode()


class TestReplacements:
    def test_a_newer_version_under_a_new_uri_updates_the_story_it_replaces(
        self, client, tmp_path
    ):
        run_import(write(tmp_path, "first.jsonl", item("urn:example:wire:1")))
        article = Article.objects.get()
        newer = item(
            "urn:example:wire:1-v2",
            headline="Council agrees the budget",
            replacing=["urn:example:wire:1"],
        )
        ok, out, err = run_import(write(tmp_path, "newer.jsonl", newer))
        assert ok, err
        assert "0 created, 1 updated" in out
        assert Article.objects.count() == 1
        article.refresh_from_db()
        assert article.source_uri == "urn:example:wire:1-v2"
        page = client.get(article.get_absolute_url())
        assert page.status_code == 200
        assert "Council agrees the budget" in page.content.decode()
        ok, out, _ = run_import(write(tmp_path, "newer.jsonl", newer))
        assert "0 created, 0 updated, 1 unchanged" in out
        # A replacement of a story this site never had is a new story.
        other = item("urn:example:wire:2-v2", replacing=["urn:example:wire:2"])
        ok, out, _ = run_import(write(tmp_path, "other.jsonl", other))
        assert "1 created, 0 updated" in out
        assert Article.objects.count() == 2

    def test_a_replacement_with_the_same_words_still_takes_the_new_identity(
        self, tmp_path
    ):
        run_import(write(tmp_path, "first.jsonl", item("urn:example:wire:1")))
        same = item("urn:example:wire:1-v2", replaces=[{"uri": "urn:example:wire:1"}])
        ok, out, err = run_import(write(tmp_path, "same.jsonl", same))
        assert ok, err
        assert Article.objects.get().source_uri == "urn:example:wire:1-v2"

    def test_a_kill_under_a_new_uri_takes_down_the_story_it_replaces(
        self, client, tmp_path
    ):
        run_import(write(tmp_path, "first.jsonl", item("urn:example:wire:1")))
        kill = item(
            "urn:example:wire:1-kill",
            pubstatus="canceled",
            replacing=["urn:example:wire:1"],
        )
        ok, out, err = run_import(write(tmp_path, "kill.jsonl", kill))
        assert ok, err
        article = Article.objects.get()
        assert client.get(article.get_absolute_url()).status_code == 410


class TestPictureItems:
    def test_a_picture_item_goes_to_the_media_library_once(self, tmp_path):
        picture = {
            "uri": "urn:example:wire:photo-1",
            "type": "picture",
            "headline": "Harbour at dawn",
            "descriptions": [
                {"role": "caption", "value": "The harbour at dawn."},
                {"role": "creditline", "value": "Cy Li/TT"},
            ],
            "renditions": [
                {"name": "main", "href": "https://wire.example/p1.jpg", "width": 2000},
                {"name": "thumb", "href": "https://wire.example/p1t.jpg", "width": 200},
            ],
        }
        path = write(tmp_path, "picture.jsonl", picture)
        for _ in range(2):
            ok, out, err = run_import(path)
            assert ok, err
            assert (
                "line 1: a picture item, not an article: kept in the media library"
            ) in out
        image = Image.objects.get()
        assert image.source_uri == "urn:example:wire:photo-1"
        assert (image.caption, image.credit) == ("The harbour at dawn.", "Cy Li/TT")
        assert image.alt == "Harbour at dawn"
        assert [r["name"] for r in image.renditions] == ["main", "thumb"]
        assert not Article.objects.exists()
