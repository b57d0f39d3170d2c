"""The editors' desk, workflow filters, and related links explained."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import RelatedLink
from articles.related import refresh_related
from tests.factories import make_article, make_section
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    return login(client, make_user("Editor"))


def test_the_desk_shows_what_waits_for_review_and_what_goes_live_next(editor_client):
    make_article(headline="Awaiting an editor", status="review", published_at=None)
    make_article(
        headline="Out tomorrow", published_at=timezone.now() + timedelta(days=1)
    )
    make_article(
        headline="Out next week", published_at=timezone.now() + timedelta(days=7)
    )
    html = editor_client.get("/admin/articles/article/dashboard/").content.decode()
    review = html.split('id="in-review"')[1].split("</section>")[0]
    scheduled = html.split('id="scheduled"')[1].split("</section>")[0]
    assert "Awaiting an editor" in review
    assert scheduled.index("Out tomorrow") < scheduled.index("Out next week")
    index = editor_client.get("/admin/").content.decode()
    assert "/admin/articles/article/dashboard/" in index


def test_workflow_filter_has_in_review_and_scheduled(editor_client):
    make_article(headline="Awaiting an editor", status="review", published_at=None)
    make_article(
        headline="Out tomorrow", published_at=timezone.now() + timedelta(days=1)
    )
    review = editor_client.get("/admin/articles/article/?workflow=review")
    assert "Awaiting an editor" in review.content.decode()
    assert "Out tomorrow" not in review.content.decode()
    scheduled = editor_client.get("/admin/articles/article/?workflow=scheduled")
    assert "Out tomorrow" in scheduled.content.decode()
    assert "Scheduled for" in scheduled.content.decode()


def test_related_links_show_why_and_editors_pin_or_exclude_them(editor_client):
    section = make_section()
    article = make_article(section=section, tags=["Wrencroft trial"])
    first = make_article(
        section=section, headline="Trial opens", tags=["Wrencroft trial"]
    )
    second = make_article(
        section=section, headline="Witness speaks", tags=["Wrencroft trial"]
    )
    refresh_related(article)
    html = editor_client.get(change_url(article)).content.decode()
    assert "shared tags: Wrencroft trial" in html and "score" in html

    links = {link.target_id: link for link in article.related_links.all()}
    data = change_data(
        article,
        **{
            "related_links-TOTAL_FORMS": "2",
            "related_links-INITIAL_FORMS": "2",
            "related_links-0-id": links[second.pk].pk,
            "related_links-0-article": article.pk,
            "related_links-0-target": second.pk,
            "related_links-0-kind": "pinned",
            "related_links-0-position": "0",
            "related_links-1-id": links[first.pk].pk,
            "related_links-1-article": article.pk,
            "related_links-1-target": first.pk,
            "related_links-1-kind": "excluded",
            "related_links-1-position": "0",
        },
    )
    assert editor_client.post(change_url(article), data).status_code == 302
    kinds = dict(article.related_links.values_list("target_id", "kind"))
    assert kinds[second.pk] == RelatedLink.Kind.PINNED
    assert kinds[first.pk] == RelatedLink.Kind.EXCLUDED
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "Witness speaks" in page and "Trial opens" not in page
