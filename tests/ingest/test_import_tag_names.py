"""Tag spellings from imports: `#hashtag` is `hashtag`, and the better display
name wins unless an editor chose the name."""

import json

import pytest

from articles.models import Article, Tag
from tests.factories import make_article
from tests.ingest.test_import_articles import run_import, tags_of
from tests.staff import login, make_user

pytestmark = pytest.mark.django_db


def import_tags(tmp_path, *names, uri="urn:example:tags"):
    """Import one ninjs story carrying `names` as its subjects."""
    path = tmp_path / f"{uri.rsplit(':', 1)[-1]}.json"
    path.write_text(
        json.dumps(
            {
                "uri": uri,
                "type": "text",
                "headlines": [{"value": f"Story {uri}"}],
                "bodies": [{"contenttype": "text/html", "value": "<p>Body.</p>"}],
                "subjects": [{"name": name} for name in names],
            }
        )
    )
    ok, _, err = run_import(path)
    assert ok, err
    return Article.objects.get(source_uri=uri)


def test_a_hashtag_is_the_tag_of_the_same_name(tmp_path):
    existing = make_article(tags=["MeToo"])
    article = import_tags(tmp_path, "#MeToo", "#metoo", "＃MeToo")
    assert tags_of(article) == ["MeToo"]
    assert list(Tag.objects.values_list("name", flat=True)) == ["MeToo"]
    assert article.tags.get() == existing.tags.get()


def test_a_new_hashtag_is_named_without_its_mark(tmp_path):
    article = import_tags(tmp_path, "#ClimateStrike")
    assert tags_of(article) == ["ClimateStrike"]


def test_distinct_tags_that_only_differ_by_punctuation_stay_distinct(tmp_path):
    article = import_tags(tmp_path, "C", "C#", "C++", ".NET", "NET", "Yahoo!", "Yahoo")
    assert tags_of(article) == sorted(
        ["C", "C#", "C++", ".NET", "NET", "Yahoo!", "Yahoo"]
    )


@pytest.mark.parametrize("first", ["CLIMATE CHANGE", "climate change"])
def test_a_properly_cased_spelling_replaces_a_single_case_one(tmp_path, first):
    import_tags(tmp_path, first, uri="urn:example:one")
    import_tags(tmp_path, "#Climate Change", uri="urn:example:two")
    assert list(Tag.objects.values_list("name", flat=True)) == ["Climate Change"]


@pytest.mark.parametrize(
    "later", ["CLIMATE CHANGE", "climate change", "#climate change"]
)
def test_a_single_case_spelling_never_replaces_a_properly_cased_one(tmp_path, later):
    import_tags(tmp_path, "Climate Change", uri="urn:example:one")
    import_tags(tmp_path, later, uri="urn:example:two")
    assert list(Tag.objects.values_list("name", flat=True)) == ["Climate Change"]


def test_a_name_an_editor_chose_is_never_replaced(client, tmp_path):
    import_tags(tmp_path, "nato", uri="urn:example:one")
    tag = Tag.objects.get()
    editor = login(client, make_user("Editor"))
    response = editor.post(
        f"/admin/articles/tag/{tag.pk}/change/", {"name": "NATO", "slug": tag.slug}
    )
    assert response.status_code == 302
    import_tags(tmp_path, "Nato", uri="urn:example:two")
    assert list(Tag.objects.values_list("name", flat=True)) == ["NATO"]
