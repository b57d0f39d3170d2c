"""The editors' pages stay cheap however big an article or the archive gets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_change_form_with_8_authors_and_20_tags(admin_client):
    article = make_article(
        authors=[make_author() for _ in range(8)], tags=[f"tag {i}" for i in range(20)]
    )
    url = f"/admin/articles/article/{article.pk}/change/"
    admin_client.get(url)
    assert queries_for(admin_client, url) <= 25


@pytest.mark.parametrize(
    "query",
    ["", "?q=Headline", "?status__exact=published", "?visibility=scheduled", "?o=5"],
)
def test_changelist_queries_do_not_grow_with_filters(admin_client, query):
    section = make_section()
    for _ in range(60):
        make_article(section=section, authors=[make_author(), make_author()])
    url = f"/admin/articles/article/{query}"
    admin_client.get(url)
    assert queries_for(admin_client, url) <= 12


def test_byline_rows_still_show_their_authors(admin_client):
    authors = [make_author(name=f"Writer {i}") for i in range(3)]
    article = make_article(authors=authors)
    html = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content
    for author in authors:
        assert (
            f'<option value="{author.pk}" selected>{author.name}</option>'.encode()
            in html
        )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL-only indexes")
def test_the_list_order_and_headline_search_have_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'articles_article'"
        )
        indexes = dict(cursor.fetchall())
    assert "published_at DESC NULLS LAST" in indexes["article_admin_order_idx"]
    assert "gin_trgm_ops" in indexes["article_headline_trgm_idx"]
    assert "upper" in indexes["article_slug_upper_idx"].lower()


def test_change_form_queries_do_not_grow_with_authors_tags_links_or_archive(
    admin_client,
):
    from articles.models import RelatedLink

    small = make_article(tags=["one"])
    small_url = f"/admin/articles/article/{small.pk}/change/"
    admin_client.get(small_url)
    before = queries_for(admin_client, small_url)

    section = make_section()
    archive = [make_article(section=section, tags=[f"t{i}"]) for i in range(30)]
    big = make_article(
        section=section,
        authors=[make_author() for _ in range(8)],
        tags=[f"tag {i}" for i in range(20)],
    )
    for position, target in enumerate(archive[:10]):
        RelatedLink.objects.create(
            article=big, target=target, kind=RelatedLink.Kind.PINNED, position=position
        )
    big_url = f"/admin/articles/article/{big.pk}/change/"
    admin_client.get(big_url)
    assert queries_for(admin_client, big_url) == before
    assert queries_for(admin_client, small_url) == before
