"""A merged tag's name stays an alias of the survivor: imports and editors
spelling it get the survivor, its address keeps its 301."""

import csv

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import publishing
from articles.editorial.tagging import merge_tags
from articles.models import Article, Tag, TagAlias
from tests.factories import make_article
from tests.ingest.test_import_articles import run_import
from tests.staff import change_data, change_url, login, make_user

pytestmark = pytest.mark.django_db

FIELDS = ["source_uri", "headline", "body", "published_at", "status", "authors"]


@pytest.fixture
def editor_client(client):
    return login(client, make_user("Editor"))


@pytest.fixture
def merged():
    """ "Climate Crisis" merged into "Climate change"."""
    make_article(tags=["Climate change"])
    make_article(tags=["Climate Crisis"])
    target = Tag.objects.get(name="Climate change")
    merge_tags([Tag.objects.get(name="Climate Crisis")], target)
    return target


def write_csv(path, tag_lists):
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([*FIELDS, "tags"])
        for n, tags in enumerate(tag_lists, 1):
            writer.writerow(
                [f"csv:{n}", f"Story {n}", "<p>Text.</p>", "2024-04-02 09:00"]
                + ["published", "Ann Lee", ";".join(tags)]
            )
    return path


def tags_of(source_uri):
    return sorted(Article.objects.get(source_uri=source_uri).tags.names())


def test_a_merge_records_the_name_and_keeps_the_address(client, merged):
    (alias,) = TagAlias.objects.all()
    assert (alias.name, alias.key, alias.tag) == (
        "Climate Crisis",
        "climate crisis",
        merged,
    )
    old = client.get("/tag/climate-crisis/")
    assert old.status_code == 301 and old["Location"] == merged.get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_an_import_spelling_the_merged_tag_lands_on_the_survivor(tmp_path):
    make_article(tags=["Climate change"])
    make_article(tags=["Climate Crisis"])
    target = Tag.objects.get(name="Climate change")
    merge_tags([Tag.objects.get(name="Climate Crisis")], target)
    path = write_csv(
        tmp_path / "wire.csv",
        [["CLIMATE CRISIS"], ["  climate   crisis ", "Floods"], ["#climate crisis"]],
    )
    ok, _, err = run_import(path)
    assert ok, err
    assert tags_of("csv:1") == ["Climate change"]
    assert tags_of("csv:2") == ["Climate change", "Floods"]
    assert tags_of("csv:3") == ["Climate change"]
    assert not Tag.objects.filter(key="climate crisis").exists()
    # Never respelt by the alias's spelling, however well cased.
    assert Tag.objects.get(pk=target.pk).name == "Climate change"


@pytest.mark.django_db(transaction=True)
def test_a_batch_looks_aliases_up_once(tmp_path):
    for n in range(6):
        make_article(tags=[f"Old name {n}", f"New name {n}"])
        merge_tags(
            [Tag.objects.get(name=f"Old name {n}")],
            Tag.objects.get(name=f"New name {n}"),
        )
    path = write_csv(
        tmp_path / "wire.csv",
        [[f"old name {n}", f"Fresh {n}"] for n in range(6)],
    )
    with CaptureQueriesContext(connection) as queries:
        ok, _, err = run_import(path)
    assert ok, err
    alias_reads = [q for q in queries if "articles_tagalias" in q["sql"]]
    assert len(alias_reads) == 1
    assert tags_of("csv:5") == ["Fresh 4", "New name 4"]


def test_a_name_and_its_alias_together_tag_the_article_once(merged):
    article = make_article()
    publishing.update(article, by=None, tags=["Climate crisis", "climate change"])
    assert list(article.tags.names()) == ["Climate change"]


def test_an_editor_typing_the_merged_name_gets_the_survivor(editor_client, merged):
    article = make_article()
    response = editor_client.post(
        change_url(article), change_data(article, tags="climate crisis, Floods")
    )
    assert response.status_code == 302
    assert sorted(article.tags.names()) == ["Climate change", "Floods"]
    assert not Tag.objects.filter(key="climate crisis").exists()


def test_the_tag_page_lists_aliases_and_one_can_be_removed(
    editor_client, merged, tmp_path
):
    page = editor_client.get(f"/admin/articles/tag/{merged.pk}/change/")
    assert page.status_code == 200
    alias = TagAlias.objects.get()
    delete_url = f"/admin/articles/tagalias/{alias.pk}/delete/"
    html = page.content.decode()
    assert "Climate Crisis" in html and delete_url in html

    response = editor_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not TagAlias.objects.exists()
    # The name is free again: the article form makes a tag of it.
    article = make_article()
    editor_client.post(
        change_url(article), change_data(article, tags='"Climate Crisis"')
    )
    assert list(article.tags.names()) == ["Climate Crisis"]


def test_aliases_are_made_by_merges_only(editor_client, merged):
    assert editor_client.get("/admin/articles/tagalias/add/").status_code == 403
    listing = editor_client.get("/admin/articles/tagalias/")
    assert listing.status_code == 200
    assert "Climate Crisis" in listing.content.decode()


def test_a_reporter_sees_no_aliases(client, merged):
    login(client, make_user("Reporter"))
    assert client.get("/admin/articles/tagalias/").status_code == 403
    page = client.get(f"/admin/articles/tag/{merged.pk}/change/")
    assert page.status_code == 200
    assert "Climate Crisis" not in page.content.decode()


def test_a_new_tag_cannot_take_an_alias_name(editor_client, merged):
    response = editor_client.post(
        "/admin/articles/tag/add/", {"name": "CLIMATE CRISIS", "slug": "cc"}
    )
    assert response.status_code == 200
    assert "was merged into the tag “Climate change”" in response.content.decode()
    assert not Tag.objects.filter(slug="cc").exists()


def test_renaming_a_tag_to_its_alias_drops_the_alias(editor_client, merged):
    response = editor_client.post(
        f"/admin/articles/tag/{merged.pk}/change/",
        {"name": "Climate crisis", "slug": merged.slug},
    )
    assert response.status_code == 302
    assert Tag.objects.get(pk=merged.pk).name == "Climate crisis"
    assert not TagAlias.objects.exists()


def test_merging_back_turns_the_names_round(merged):
    TagAlias.objects.all().delete()  # an editor removed the alias, then…
    make_article(tags=["Climate crisis"])
    crisis = Tag.objects.get(name="Climate crisis")
    merge_tags([Tag.objects.get(name="Climate change")], crisis)
    assert dict(TagAlias.objects.values_list("key", "tag")) == {
        "climate change": crisis.pk
    }


def test_a_second_merge_carries_earlier_aliases(merged):
    make_article(tags=["Global warming"])
    warming = Tag.objects.get(name="Global warming")
    merge_tags([merged], warming)
    assert dict(TagAlias.objects.values_list("name", "tag")) == {
        "Climate Crisis": warming.pk,
        "Climate change": warming.pk,
    }


def test_suggestions_offer_the_survivor_for_an_alias(editor_client, merged):
    response = editor_client.get("/admin/articles/tag/suggest/", {"q": "climate cr"})
    assert response.status_code == 200
    assert [r["name"] for r in response.json()["results"]] == ["Climate change"]


def test_the_tag_page_reads_its_aliases_in_one_query(
    editor_client, merged, django_assert_num_queries
):
    url = f"/admin/articles/tag/{merged.pk}/change/"
    editor_client.get(url)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(url)
    for n in range(5):
        make_article(tags=[f"Other {n}"])
        merge_tags([Tag.objects.get(name=f"Other {n}")], merged)
    with django_assert_num_queries(len(few)):
        page = editor_client.get(url)
    assert page.content.decode().count(">Remove</a>") == 6
