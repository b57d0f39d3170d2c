"""Embeds: recognised from the URL, kept by the HTML policy, shown to readers as
click-to-load placeholders, with the page's CSP opened for those players only."""

import feedparser
import pytest

from articles.embeds import recognise
from articles.sanitize import sanitize_body
from tests.factories import make_article

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
VIMEO = "https://vimeo.com/76979871"


def embed(url, provider="youtube"):
    return (
        f'<figure class="embed" data-embed-provider="{provider}" '
        f'data-embed-url="{url}"><a href="{url}">{url}</a></figure>'
    )


@pytest.mark.parametrize(
    "url, provider, player",
    [
        (YOUTUBE, "youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://youtu.be/dQw4w9WgXcQ?t=42",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (VIMEO, "vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://x.com/jack/status/20",
            "x",
            "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true",
        ),
        (
            "https://twitter.com/jack/status/20",
            "x",
            "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true",
        ),
        (
            "https://www.instagram.com/p/CxYz123/",
            "instagram",
            "https://www.instagram.com/p/CxYz123/embed/",
        ),
        (
            "https://www.tiktok.com/@scout2015/video/6718335390845095173",
            "tiktok",
            "https://www.tiktok.com/player/v1/6718335390845095173",
        ),
        (
            "https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l",
            "bluesky",
            "https://embed.bsky.app/embed/bsky.app/app.bsky.feed.post/3l6oveex3ii2l",
        ),
        (
            "https://mastodon.social/@Gargron/109318421306416016",
            "mastodon",
            "https://mastodon.social/@Gargron/109318421306416016/embed",
        ),
        (
            "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
            "spotify",
            "https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC",
        ),
        (
            "https://soundcloud.com/forss/flickermood",
            "soundcloud",
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood",
        ),
        (
            "https://datawrapper.dwcdn.net/abCDe/3/",
            "datawrapper",
            "https://datawrapper.dwcdn.net/abCDe/3/",
        ),
        (
            "https://public.flourish.studio/visualisation/123456/",
            "flourish",
            "https://flo.uri.sh/visualisation/123456/embed",
        ),
        (
            "https://www.google.com/maps/embed?pb=!1m18!1m12",
            "googlemaps",
            "https://www.google.com/maps/embed?pb=!1m18!1m12",
        ),
        (
            "https://www.google.com/maps/place/Berlin/@52.52,13.40,12z/data=x",
            "googlemaps",
            "https://maps.google.com/maps?q=52.52,13.40&z=12&output=embed",
        ),
    ],
)
def test_listed_providers_are_recognised_from_the_url_alone(url, provider, player):
    found = recognise(url)
    assert (found.provider.key, found.frame_src) == (provider, player)


@pytest.mark.parametrize(
    "url, name",
    [
        ("https://www.flickr.com/photos/bees/2341623661/", "Flickr"),
        ("https://www.reddit.com/r/news/comments/abc/title/", "Reddit"),
        ("https://www.dailymotion.com/video/x7tgad0", "Dailymotion"),
    ],
)
def test_the_bundled_oembed_list_names_more_providers_shown_as_links(url, name):
    found = recognise(url)
    assert (found.provider.name, found.frame_src) == (name, "")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/story",
        "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
        'https://www.youtube.com/watch?v=dQw4w9WgXcQ" onload="x',
        "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
        "https://evil.example/?https://youtu.be/dQw4w9WgXcQ",
        "",
    ],
)
def test_anything_else_is_no_embed(url):
    assert recognise(url) is None


class TestPolicy:
    def test_keeps_the_embed_element_and_its_link(self):
        stored = sanitize_body(embed(YOUTUBE))
        assert stored == (
            f'<figure class="embed" data-embed-provider="youtube" '
            f'data-embed-url="{YOUTUBE}"><a href="{YOUTUBE}" '
            f'rel="noopener noreferrer">{YOUTUBE}</a></figure>'
        )

    def test_strips_iframes_scripts_and_handlers_smuggled_inside(self):
        hostile = (
            f'<figure class="embed tracker" data-embed-provider="youtube" '
            f'data-embed-url="{YOUTUBE}" onclick="steal()" '
            f'data-embed-frame="https://evil.example/">'
            '<iframe src="https://evil.example/frame">fallback <b>text</b></iframe>'
            '<script src="https://evil.example/x.js">steal()</script>'
            f'<a href="{YOUTUBE}">watch</a></figure>'
        )
        stored = sanitize_body(hostile)
        assert "evil" not in stored
        assert "iframe" not in stored and "script" not in stored
        assert "onclick" not in stored and "tracker" not in stored
        assert "fallback" not in stored
        assert f'<a href="{YOUTUBE}" rel="noopener noreferrer">watch</a>' in stored

    def test_an_unknown_address_is_dropped_leaving_the_plain_link(self):
        stored = sanitize_body(embed("https://evil.example/x", provider="bogus"))
        assert stored == (
            '<figure class="embed"><a href="https://evil.example/x" '
            'rel="noopener noreferrer">https://evil.example/x</a></figure>'
        )

    def test_other_classes_leave_no_trace(self):
        stored = sanitize_body(
            '<figure class="wp-block-image"><img src="https://x.example/a.jpg" alt="">'
            '</figure><p><span class="x">a</span></p>'
        )
        assert stored == (
            '<figure><img src="https://x.example/a.jpg" alt=""></figure><p>a</p>'
        )

    def test_keeps_a_picture_with_caption_and_credit(self):
        picture = (
            '<figure class="picture"><img src="/media/images/a.jpg" alt="A quay" '
            'width="800" height="450"><figcaption>The quay at dawn '
            "<small>Ada Marsh</small></figcaption></figure>"
        )
        assert sanitize_body(picture) == picture


def policy(response):
    """The response's Content-Security-Policy as {directive: value}."""
    directives = response["Content-Security-Policy"].split(";")
    return dict((d.strip().split(" ", 1) + [""])[:2] for d in directives)


class TestArticlePage:
    def test_shows_a_placeholder_and_no_player(self, client):
        article = make_article(body=sanitize_body("<p>Watch.</p>" + embed(YOUTUBE)))
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        assert (
            '<button type="button" class="embed__load">Load YouTube content</button>'
            in page
        )
        assert "<iframe" not in page
        assert (
            'data-embed-frame="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"'
            in page
        )
        assert "policies.google.com/privacy" in page
        assert f'<a href="{YOUTUBE}" rel="noopener noreferrer">' in page  # fallback

    def test_csp_frames_exactly_the_players_on_the_page(self, client):
        article = make_article(
            body=sanitize_body(embed(YOUTUBE) + embed(VIMEO, "vimeo") + embed(YOUTUBE))
        )
        csp = policy(client.get(article.get_absolute_url()))
        assert csp["frame-src"] == (
            "'self' https://player.vimeo.com https://www.youtube-nocookie.com"
        )
        assert csp["script-src"] == "'self'"

        plain = make_article()
        csp = policy(client.get(plain.get_absolute_url()))
        assert "frame-src" not in csp
        assert csp["default-src"] == "'self'"

    def test_cached_page_keeps_its_csp(self, client, django_assert_num_queries):
        article = make_article(body=sanitize_body(embed(VIMEO, "vimeo")))
        first = client.get(article.get_absolute_url())
        with django_assert_num_queries(0):  # from the page cache
            again = client.get(article.get_absolute_url())
        assert first.status_code == again.status_code == 200
        assert again["ETag"] == first["ETag"]
        assert policy(again)["frame-src"] == "'self' https://player.vimeo.com"

    def test_text_that_looks_like_a_placeholder_opens_nothing(self, client):
        body = sanitize_body(
            '<p>Text: data-embed-frame="https://evil.example/" '
            '<span data-embed-frame="https://evil.example/">x</span></p>'
        )
        assert ' data-embed-frame="https://evil.example/"' in body  # as text
        article = make_article(body=body)
        assert "frame-src" not in policy(client.get(article.get_absolute_url()))

    def test_shows_a_picture_with_its_caption_and_credit(self, client):
        picture = (
            '<figure class="picture"><img src="/media/images/a.jpg" alt="A quay" '
            'width="800" height="450"><figcaption>The quay at dawn '
            "<small>Ada Marsh</small></figcaption></figure>"
        )
        article = make_article(body=sanitize_body(picture))
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert picture in response.content.decode()

    def test_a_bundled_provider_is_a_link_without_a_button(self, client):
        flickr = "https://www.flickr.com/photos/bees/2341623661/"
        article = make_article(body=sanitize_body(embed(flickr, "flickr")))
        page = client.get(article.get_absolute_url()).content.decode()
        assert "embed__load" not in page
        assert f'<a href="{flickr}" rel="noopener noreferrer">' in page


def test_feeds_carry_embeds_as_links_and_pictures_at_full_addresses(client, settings):
    settings.SITE_URL = "https://news.example"
    picture = (
        '<figure class="picture"><img src="/media/images/a.jpg" alt="A quay"></figure>'
    )
    make_article(body=sanitize_body("<p>Watch.</p>" + embed(YOUTUBE) + picture))
    for url in ("/feed/", "/feed/atom/"):
        response = client.get(url)
        assert response.status_code == 200
        content = feedparser.parse(response.content).entries[0].content[0].value
        assert content.startswith(
            f'<p>Watch.</p><p><a href="{YOUTUBE}">YouTube: {YOUTUBE}</a></p>'
        )
        assert 'src="https://news.example/media/images/a.jpg"' in content


def test_ninjs_keeps_the_safe_element(client):
    body = sanitize_body("<p>Watch.</p>" + embed(YOUTUBE))
    article = make_article(body=body)
    response = client.get(f"/api/articles/{article.pk}/")
    assert response.status_code == 200
    assert response.json()["bodies"][0]["value"] == body
