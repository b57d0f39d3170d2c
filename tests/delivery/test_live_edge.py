"""A live story at the edge: its endpoint carries the article's surrogate key
and a short s-maxage, and every entry purges what an article update does."""

import pytest

from articles import publishing
from articles.delivery.surrogate_keys import key
from articles.models import Article, PendingWork
from tests.delivery.test_edge import keys_of, purged
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

PURGE = PendingWork.Kind.PURGE


@pytest.fixture
def story():
    return make_article(
        headline="Harbour storm live",
        slug="harbour-storm",
        section=make_section(name="World", slug="world"),
        authors=[make_author(name="Ada", slug="ada")],
        tags=["Harbour"],
    )


def live_url(article):
    return article.get_absolute_url() + "live.json"


def test_the_endpoint_carries_the_articles_key_and_a_short_s_maxage(
    client, edge, settings, story, midnight
):
    settings.NEWSROOM_EDGE_LIVE_MAX_AGE = 15
    publishing.add_live_entry(story, by=None, text="Waves over the wall.")
    for attempt in ("miss", "hit"):
        response = client.get(live_url(story))
        assert response.status_code == 200, attempt
        assert response["xkey"] == key("a", "harbour-storm"), attempt
        assert response["Cache-Tag"] == key("a", "harbour-storm"), attempt
        control = response["Cache-Control"]
        assert "s-maxage=15" in control, (attempt, control)
        assert "max-age=60" in control
    page = client.get(story.get_absolute_url())
    assert "s-maxage=86400" in page["Cache-Control"]  # the page keeps its own


def test_a_drafts_endpoint_is_not_tagged(client, edge):
    draft = make_article(status=Article.Status.DRAFT)
    publishing.add_live_entry(draft, by=None, text="Not yet.")
    response = client.get(live_url(draft))
    assert response.status_code == 404
    assert "xkey" not in response


@pytest.mark.parametrize("write", ["add", "edit", "pin", "end"])
def test_every_entry_write_purges_what_an_update_does(
    edge, story, write, django_capture_on_commit_callbacks
):
    entry = publishing.add_live_entry(story, by=None, text="First.")
    PendingWork.objects.filter(kind=PURGE).delete()
    for server in edge.values():
        server.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if write == "add":
            publishing.add_live_entry(story, by=None, text="Second.")
        elif write == "edit":
            publishing.edit_live_entry(entry, by=None, text="First, corrected.")
        elif write == "pin":
            publishing.pin_live_entry(entry, by=None)
        else:
            publishing.end_live_coverage(story, by=None)
    assert purged(edge) == {"soft": keys_of(story, "world"), "hard": set()}
    assert not PendingWork.objects.filter(kind=PURGE).exists()


def test_entries_on_a_draft_purge_nothing(edge, django_capture_on_commit_callbacks):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.add_live_entry(draft, by=None, text="Prepared.")
    assert all(not server.requests for server in edge.values())
