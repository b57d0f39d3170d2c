"""Tag hygiene in the admin: merge, rename, counts, suggestions."""

import pytest

from articles.models import RelatedLink, Tag, TagRedirect
from tests.factories import make_article, make_author, make_section
from tests.staff import login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    return login(client, make_user("Editor"))


def merge(client, tags, target=None):
    data = {"action": "merge_tags", "_selected_action": [t.pk for t in tags]}
    if target is not None:
        data.update(apply="1", target=target.pk)
    return client.post("/admin/articles/tag/", data)


def test_merge_asks_which_tag_to_keep_then_retags_and_redirects(
    editor_client, client, django_capture_on_commit_callbacks
):
    section = make_section()
    putin = make_article(section=section, tags=["Vladimir Putin", "Kremlin"])
    shouty = make_article(section=section, tags=["RUSSIAN PRESIDENT PUTIN"])
    both = make_article(tags=["RUSSIAN PRESIDENT PUTIN", "Vladimir Putin"])
    keep = Tag.objects.get(name="Vladimir Putin")
    drop = Tag.objects.get(name="RUSSIAN PRESIDENT PUTIN")
    old_slug = drop.slug

    page = merge(editor_client, [keep, drop])
    assert page.status_code == 200
    assert "Choose the tag to keep" in page.content.decode()
    assert Tag.objects.filter(pk=drop.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):  # the related links task
        merge(editor_client, [keep, drop], target=keep)
    assert not Tag.objects.filter(pk=drop.pk).exists()
    for article in (putin, shouty, both):
        assert "Vladimir Putin" in article.tags.names()
        assert "RUSSIAN PRESIDENT PUTIN" not in article.tags.names()

    response = client.get(f"/tag/{old_slug}/")
    assert response.status_code == 301
    assert response["Location"] == f"/tag/{keep.slug}/"
    # Related links see the merged tag once the merge commits.
    assert RelatedLink.objects.filter(article=shouty, target=putin).exists()
    assert (
        "Vladimir Putin" in RelatedLink.objects.get(article=shouty, target=putin).reason
    )


def test_merge_needs_two_tags(editor_client):
    make_article(tags=["Solo"])
    response = merge(editor_client, list(Tag.objects.all()))
    assert response.status_code == 302
    assert Tag.objects.count() == 1


def test_renaming_moves_the_address_and_keeps_the_old_one(editor_client, client):
    make_article(tags=["Brexit talks"])
    tag = Tag.objects.get()
    response = editor_client.post(
        f"/admin/articles/tag/{tag.pk}/change/",
        {"name": "EU negotiations", "slug": tag.slug},
    )
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.name == "EU negotiations" and tag.slug == "eu-negotiations"
    assert client.get("/tag/eu-negotiations/").status_code == 200
    old = client.get("/tag/brexit-talks/")
    assert old.status_code == 301 and old["Location"] == "/tag/eu-negotiations/"


def test_renaming_back_drops_the_redirect(editor_client, client):
    make_article(tags=["Alpha"])
    tag = Tag.objects.get()
    url = f"/admin/articles/tag/{tag.pk}/change/"
    editor_client.post(url, {"name": "Beta", "slug": "alpha"})
    editor_client.post(url, {"name": "Alpha", "slug": "beta"})
    assert client.get("/tag/alpha/").status_code == 200
    assert not TagRedirect.objects.filter(old_slug="alpha").exists()
    assert client.get("/tag/beta/").status_code == 301


def test_renaming_into_an_existing_tag_points_to_merge(editor_client):
    make_article(tags=["Vladimir Putin", "Putin"])
    tag = Tag.objects.get(name="Putin")
    response = editor_client.post(
        f"/admin/articles/tag/{tag.pk}/change/",
        {"name": "vladimir  PUTIN", "slug": tag.slug},
    )
    assert response.status_code == 200
    assert "Merge selected tags" in response.content.decode()


def test_unknown_tag_is_still_a_404(client):
    assert client.get("/tag/never-was/").status_code == 404


def test_tag_list_shows_article_counts(editor_client):
    for _ in range(3):
        make_article(tags=["Counted"])
    html = editor_client.get("/admin/articles/tag/").content.decode()
    assert '<td class="field-article_count">3</td>' in html


def test_reporters_cannot_merge_or_rename(client):
    make_article(tags=["One", "Two"])
    login(client, make_user("Reporter"))
    html = client.get("/admin/articles/tag/").content.decode()
    assert "merge_tags" not in html
    merge(client, list(Tag.objects.all()), target=Tag.objects.first())
    assert Tag.objects.count() == 2
    tag = Tag.objects.first()
    response = client.post(
        f"/admin/articles/tag/{tag.pk}/change/", {"name": "Renamed", "slug": "x"}
    )
    assert response.status_code == 403


class TestSuggestions:
    def test_suggestions_match_the_start_of_a_name_most_used_first(self, editor_client):
        make_article(tags=["Climate change", "Climbing"])
        make_article(tags=["Climate change"])
        response = editor_client.get("/admin/articles/tag/suggest/", {"q": "cli"})
        assert response["Content-Type"] == "application/json"
        assert [r["name"] for r in response.json()["results"]] == [
            "Climate change",
            "Climbing",
        ]
        assert response.json()["results"][0]["count"] == 2

    def test_suggestions_are_for_staff_only(self, client):
        response = client.get("/admin/articles/tag/suggest/", {"q": "cli"})
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_the_tags_field_is_wired_to_the_suggestions(self, editor_client):
        html = editor_client.get("/admin/articles/article/add/").content.decode()
        assert 'data-suggest-url="/admin/articles/tag/suggest/"' in html
        assert "admin/newsroom/tag-suggest.js" in html


def test_a_tag_too_long_is_a_form_error_not_a_silent_cut(admin_client):
    from .test_admin import article_form

    long_tag = "Referendum " + "x" * 139
    section = make_section()
    response = admin_client.post(
        "/admin/articles/article/add/",
        article_form(section, [make_author()], tags=f"Audit, {long_tag}"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["tags"] == [
        "The tag “Referendum " + "x" * 29 + "…” is 150 characters "
        "long; a tag can have at most 100."
    ]
    assert not Tag.objects.exists()


def test_a_tag_of_exactly_the_limit_is_kept_whole(admin_client):
    from .test_admin import article_form

    tag = "y" * 100
    response = admin_client.post(
        "/admin/articles/article/add/",
        article_form(make_section(), [make_author()], tags=tag),
    )
    assert response.status_code == 302
    assert list(Tag.objects.values_list("name", flat=True)) == [tag]
