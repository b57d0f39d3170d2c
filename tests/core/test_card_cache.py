"""Story cards are rendered once per article version and never outlive a change.

Each page is rendered once (its cards kept), then the story is changed the way
the newsroom changes it, and the page rendered again must show the change: a
card kept from before the write would be a stale headline at best and, for a
withdrawn or embargoed story, a leak. The page cache is off here, so what is
checked is the card memory alone (tests/delivery checks the pages).
"""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from articles import freshness, publishing
from articles.bylines import BylineRow
from articles.models import Article, Byline
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def story():
    desk = make_section(name="Harbour Desk", slug="harbour")
    ada = make_author(name="Ada Reporter", slug="ada")
    for _ in range(3):  # other stories on the same pages
        make_article(section=desk, authors=[ada], tags=["Harbour"])
    return make_article(
        headline="Ferry returns to the harbour",
        deck="The old crossing reopens.",
        section=desk,
        authors=[ada],
        tags=["Harbour"],
        published_at=timezone.now() - timedelta(minutes=5),
    )


PAGES = ["/", "/section/harbour/", "/tag/harbour/", "/author/ada/"]


def shown(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def render_all(client):
    return {url: shown(client, url) for url in PAGES}


def test_pages_are_the_same_with_their_cards_kept(client, story):
    first = render_all(client)
    assert len(caches["cards"]._cache) > 0  # the cards were kept
    assert render_all(client) == first
    for url, html in first.items():
        assert "Ferry returns to the harbour" in html, url


def test_an_edited_story_shows_its_new_card_everywhere(client, story):
    render_all(client)
    publishing.update(story, by=None, headline="Ferry crossing delayed again")
    for url, html in render_all(client).items():
        assert "Ferry crossing delayed again" in html, url
        assert "Ferry returns to the harbour" not in html, url


def test_a_new_byline_shows_on_the_cards_that_show_bylines(client, story):
    grace = make_author(name="Grace Hopper")
    render_all(client)
    publishing.update(story, by=None, authors=[grace])
    html = shown(client, "/section/harbour/")
    card = html[html.index("Ferry returns") :][:600]
    assert "Grace Hopper" in card and "Ada Reporter" not in card


@pytest.mark.parametrize(
    "change",
    [
        lambda story: publishing.withdraw(story, by=None, reason="Legal advice."),
        lambda story: publishing.unpublish(story, by=None),
        lambda story: publishing.embargo(
            story, by=None, until=timezone.now() + timedelta(hours=3)
        ),
    ],
    ids=["withdrawn", "unpublished", "embargoed"],
)
def test_a_story_taken_down_leaves_every_page(client, story, change):
    render_all(client)
    change(story)
    for url in PAGES:
        assert "Ferry returns to the harbour" not in shown(client, url), url


def test_a_story_held_back_outside_the_write_path_is_not_shown(client, story):
    """The card memory never decides what is shown: the visibility rule does,
    even for a row changed without a new version."""
    render_all(client)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    for url in PAGES:
        assert "Ferry returns to the harbour" not in shown(client, url), url


def test_a_draft_never_gets_a_card(client, story):
    make_article(
        headline="Draft about the harbour",
        section=story.section,
        status=Article.Status.DRAFT,
        published_at=None,
        tags=["Harbour"],
    )
    for url, html in render_all(client).items():
        assert "Draft about the harbour" not in html, url


def test_a_renamed_section_shows_on_the_cards(client, story):
    render_all(client)
    story.section.name = "Coast Desk"
    story.section.save()
    freshness.pages_changed()  # as the section admin does (RetiresPages)
    html = shown(client, "/tag/harbour/")
    card = html[html.index("Ferry returns") - 800 :][:800]
    assert "Coast Desk" in card and "Harbour Desk" not in card


def test_an_authors_page_shows_the_role_on_cards_kept_for_other_pages(client, story):
    """The same story's card on an author's page carries that author's role."""
    photographer = make_author(name="Lens Person", slug="lens")
    publishing.update(
        story,
        by=None,
        authors=[
            BylineRow(story.bylines.get().author_id),
            BylineRow(photographer, Byline.Role.PHOTOGRAPHER),
        ],
    )
    render_all(client)
    html = shown(client, "/author/lens/")
    card = html[html.index("Ferry returns") :][:800]
    assert "card__badge" in card
    assert "card__badge" not in shown(client, "/author/ada/")


def test_the_related_stories_under_an_article_are_kept_cards_too(
    client, story, monkeypatch
):
    from articles import card_cache
    from articles.related import refresh_related

    refresh_related(story)
    url = story.get_absolute_url()
    first = shown(client, url)
    rendered = []
    real = card_cache.render
    monkeypatch.setattr(
        card_cache,
        "render",
        lambda *args: rendered.append(args[1].pk) or real(*args),
    )
    assert shown(client, url) == first
    assert rendered == []  # every related card came from memory
    publishing.update(
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .exclude(pk=story.pk)
        .first(),
        by=None,
        headline="A new headline for a related story",
    )
    assert "A new headline for a related story" in shown(client, url)


def card_html(row):
    from django.template import Context, Template

    return Template("{% load cards %}{% card row with_byline=True %}").render(
        Context({"row": row})
    )


def page_rows():
    from articles.card_cache import card_rows

    return card_rows(Article.objects.published().values_list("pk", "version"))


def test_a_story_withdrawn_after_its_page_was_read_gets_no_card(story):
    # A listing reads ids and versions first and its articles only for the
    # cards not kept: the story may be withdrawn in between.
    rows = page_rows()
    publishing.withdraw(story, by=None, reason="Legal advice.")
    cards = [card_html(row) for row in rows]
    assert len(cards) == 4
    assert [card for card in cards if "Ferry returns" in card] == []
    assert sum(bool(card) for card in cards) == 3
    assert all("Ada Reporter" in card for card in cards if card)


def test_a_story_changed_after_its_page_was_read_is_not_kept_as_that_version(
    story,
):
    rows = page_rows()
    publishing.update(story, by=None, headline="Ferry crossing delayed again")
    row = next(row for row in rows if row.pk == story.pk)
    assert "Ferry crossing delayed again" in card_html(row)
    # Its key is the version read before the change: the card is shown, not kept.
    assert len(caches["cards"]._cache) == 0


def footer(html):
    return html[html.index('<footer class="site-footer">') :]


def test_the_footer_shows_a_renamed_section_at_once(client, story):
    assert "Harbour Desk" in footer(shown(client, "/"))
    story.section.name = "Coast Desk"
    story.section.save()
    freshness.pages_changed()  # as the section admin does (RetiresPages)
    for url in PAGES:
        assert "Coast Desk" in footer(shown(client, url)), url
        assert "Harbour Desk" not in footer(shown(client, url)), url


def test_the_footer_of_a_site_without_newsletters_links_to_none(
    client, story, settings
):
    assert "site-footer__newsletters" in footer(shown(client, "/"))
    settings.ROOT_URLCONF = "tests.core.urls_without_newsletters"
    assert "site-footer__newsletters" not in footer(shown(client, "/"))
