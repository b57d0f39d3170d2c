"""Embeds: third-party content an editor pastes as a URL.

An embed is stored in the body as a small element the HTML policy keeps,
never as the provider's iframe or script:

    <figure class="embed" data-embed-provider="youtube" data-embed-url="https://…">
      <a href="https://…">YouTube: https://…</a>
    </figure>

Providers are recognised from the URL alone, with no network: the providers
listed here by hand, whose player address can be worked out from the URL, then
the providers of micawber's bundled oEmbed list, which are named but can only
be shown as a link. A URL nobody recognises is not an embed.

The public page turns each embed into a click-to-load placeholder
(`render_placeholders`): nothing from the provider loads until the reader
asks, and the page's Content-Security-Policy allows frames from exactly the
providers on it (`frame_origins`). Feeds carry embeds as plain links
(`as_links`).
"""

import html
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, urlsplit

from django.utils.html import format_html
from micawber.providers import bootstrap_basic

MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    privacy_url: str = ""


@dataclass(frozen=True)
class Embed:
    provider: Provider
    url: str
    # The player's address, or "" when only a link can be shown.
    frame_src: str = ""


def _youtube(m, url):
    return f"https://www.youtube-nocookie.com/embed/{m['id']}"


def _vimeo(m, url):
    return f"https://player.vimeo.com/video/{m['id']}?dnt=1"


def _x(m, url):
    return f"https://platform.twitter.com/embed/Tweet.html?id={m['id']}&dnt=true"


def _instagram(m, url):
    return f"https://www.instagram.com/{m['kind']}/{m['code']}/embed/"


def _tiktok(m, url):
    return f"https://www.tiktok.com/player/v1/{m['id']}"


def _bluesky(m, url):
    return f"https://embed.bsky.app/embed/{m['actor']}/app.bsky.feed.post/{m['rkey']}"


def _mastodon(m, url):
    return f"https://{m['host']}/@{m['user']}/{m['id']}/embed"


def _spotify(m, url):
    return f"https://open.spotify.com/embed/{m['kind']}/{m['id']}"


def _soundcloud(m, url):
    return f"https://w.soundcloud.com/player/?url={quote(url, safe='')}"


def _datawrapper(m, url):
    version = f"{m['version']}/" if m["version"] else ""
    return f"https://datawrapper.dwcdn.net/{m['id']}/{version}"


def _flourish(m, url):
    return f"https://flo.uri.sh/{m['kind']}/{m['id']}/embed"


def _google_maps_embed(m, url):
    return url


def _google_maps_place(m, url):
    return (
        f"https://maps.google.com/maps?q={m['lat']},{m['lng']}"
        f"&z={int(float(m['zoom']))}&output=embed"
    )


GOOGLE = "https://policies.google.com/privacy"
# (provider, pattern for the whole URL, player address from the match), most
# specific first. Mastodon is any server's "/@user/123" post, so it comes last.
KNOWN = [
    (
        Provider("youtube", "YouTube", GOOGLE),
        r"https://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:[^#]*&)?v=|embed/"
        r"|shorts/|live/)|youtu\.be/)(?P<id>[\w-]{11})(?:[?&#/].*)?",
        _youtube,
    ),
    (
        Provider("vimeo", "Vimeo", "https://vimeo.com/privacy"),
        r"https://(?:www\.|player\.)?vimeo\.com/(?:video/)?(?P<id>\d+)(?:[/?#].*)?",
        _vimeo,
    ),
    (
        Provider("x", "X (Twitter)", "https://x.com/en/privacy"),
        r"https://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w{1,15}/status(?:es)?"
        r"/(?P<id>\d+)(?:[/?#].*)?",
        _x,
    ),
    (
        Provider(
            "instagram", "Instagram", "https://privacycenter.instagram.com/policy"
        ),
        r"https://(?:www\.)?instagram\.com/(?:[\w.]+/)?(?P<kind>p|reel|tv)"
        r"/(?P<code>[\w-]+)/?(?:[?#].*)?",
        _instagram,
    ),
    (
        Provider("tiktok", "TikTok", "https://www.tiktok.com/legal/privacy-policy"),
        r"https://(?:www\.)?tiktok\.com/@[\w.-]+/video/(?P<id>\d+)(?:[/?#].*)?",
        _tiktok,
    ),
    (
        Provider(
            "bluesky", "Bluesky", "https://bsky.social/about/support/privacy-policy"
        ),
        r"https://bsky\.app/profile/(?P<actor>[\w.:-]+)/post/(?P<rkey>\w+)/?",
        _bluesky,
    ),
    (
        Provider("spotify", "Spotify", "https://www.spotify.com/legal/privacy-policy/"),
        r"https://open\.spotify\.com/(?:intl-[\w-]+/)?(?P<kind>track|album|playlist"
        r"|episode|show|artist)/(?P<id>\w+)(?:[?#].*)?",
        _spotify,
    ),
    (
        Provider("soundcloud", "SoundCloud", "https://soundcloud.com/pages/privacy"),
        r"https://(?:www\.|m\.)?soundcloud\.com/[\w-]+/(?!sets/?$)[\w-]+"
        r"(?:/[\w-]+)?/?(?:[?#].*)?",
        _soundcloud,
    ),
    (
        Provider("datawrapper", "Datawrapper", "https://www.datawrapper.de/privacy"),
        r"https://(?:datawrapper\.dwcdn\.net|www\.datawrapper\.de/_)"
        r"/(?P<id>\w{5})(?:/(?P<version>\d+))?/?(?:[?#].*)?",
        _datawrapper,
    ),
    (
        Provider("flourish", "Flourish", "https://flourish.studio/privacy/"),
        r"https://(?:public\.flourish\.studio|flo\.uri\.sh)/(?P<kind>visualisation"
        r"|story)/(?P<id>\d+)(?:/embed)?/?(?:[?#].*)?",
        _flourish,
    ),
    (
        Provider("googlemaps", "Google Maps", GOOGLE),
        r"https://(?:www\.)?google\.com/maps/embed\?pb=[^\s\"'<>]+",
        _google_maps_embed,
    ),
    (
        Provider("googlemaps", "Google Maps", GOOGLE),
        r"https://(?:www\.|maps\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?/maps/"
        r"(?:place/[^/?#]+/|search/[^/?#]+/)?@(?P<lat>-?\d{1,2}(?:\.\d+)?),"
        r"(?P<lng>-?\d{1,3}(?:\.\d+)?),(?P<zoom>\d{1,2}(?:\.\d+)?)z(?:[/?#].*)?",
        _google_maps_place,
    ),
    (
        Provider("mastodon", "Mastodon"),
        r"https://(?P<host>(?:[a-z0-9-]+\.)+[a-z]{2,})/@(?P<user>\w+)/(?P<id>\d+)/?",
        _mastodon,
    ),
]
KNOWN = [(provider, re.compile(pattern), player) for provider, pattern, player in KNOWN]
PROVIDERS = {provider.key: provider for provider, _, _ in KNOWN}
# oEmbed endpoints whose host does not name the provider.
OEMBED_NAMES = {"graph.facebook.com/v16.0/instagram_oembed": "instagram"}


@cache
def bundled_providers():
    """[(compiled pattern, Provider)] from micawber's bundled oEmbed list.

    Only the patterns are used: nothing is fetched.
    """
    found = []
    for pattern, oembed in bootstrap_basic():
        endpoint = oembed.endpoint.removeprefix("https://")
        key = OEMBED_NAMES.get(endpoint) or _name_from_host(urlsplit(oembed.endpoint))
        provider = PROVIDERS.get(key) or Provider(key, key.capitalize())
        found.append((pattern, provider))
    return found


def _name_from_host(parts):
    labels = (parts.hostname or "").split(".")
    return labels[-2] if len(labels) > 1 else labels[0]


def recognise(url):
    """The Embed for `url`, or None if it is no provider's address."""
    url = (url or "").strip()
    if len(url) > MAX_URL_LENGTH or not re.fullmatch(r"https?://[^\s\"'<>\\]+", url):
        return None
    if url.startswith("http://"):
        url = "https://" + url.removeprefix("http://")
    for provider, pattern, player in KNOWN:
        if match := pattern.fullmatch(url):
            return Embed(provider, url, player(match, url))
    for pattern, provider in bundled_providers():
        if pattern.match(url):
            return Embed(provider, url)
    return None


@cache
def provider_keys():
    known = {p.key for p, _, _ in KNOWN}
    return frozenset(known | {p.key for _, p in bundled_providers()})


# The opening tag of a stored embed as the HTML policy writes it: attributes
# double-quoted, a quote inside a value escaped.
EMBED_OPEN = re.compile(r'<figure(?P<attrs>(?:\s[\w-]+(?:="[^"]*")?)*)\s*>')
EMBED_ELEMENT = re.compile(
    r'<figure(?P<attrs>(?:\s[\w-]+(?:="[^"]*")?)*)\s*>(?:(?!<figure\b).)*?</figure>',
    re.S,
)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def stored_embed(attrs):
    """The Embed a stored figure's attributes describe, or None."""
    values = dict(ATTRIBUTE.findall(attrs))
    if "embed" not in values.get("class", "").split():
        return None
    return recognise(html.unescape(values.get("data-embed-url", "")))


def render_placeholders(body):
    """The body with each embed preceded by its click-to-load placeholder.

    The stored figure's link stays as it is, under the button. The player's
    address is in `data-embed-frame`, which the HTML policy never lets into a
    stored body: only this function writes it, so it names what the page may
    frame.
    """
    if 'class="embed' not in body:
        return body

    def placeholder(match):
        embed = stored_embed(match["attrs"])
        if embed is None:
            return match[0]
        name = embed.provider.name
        if not embed.frame_src:
            return format_html(
                '<figure class="embed embed--link" data-embed-provider="{}">',
                embed.provider.key,
            )
        host = urlsplit(embed.frame_src).hostname
        privacy = (
            format_html(
                ' <a href="{}" rel="noopener noreferrer">{}’s privacy policy</a>.',
                embed.provider.privacy_url,
                name,
            )
            if embed.provider.privacy_url
            else ""
        )
        return format_html(
            '<figure class="embed embed--{key}" data-embed-provider="{key}" '
            'data-embed-frame="{frame}" data-embed-title="{name} content">'
            '<div class="embed__consent"><p class="embed__note">This is content '
            "from {name}. Loading it connects you to {host}, which may set cookies "
            "and record your visit.{privacy}</p>"
            '<button type="button" class="embed__load">Load {name} content</button>'
            "</div>",
            key=embed.provider.key,
            frame=embed.frame_src,
            name=name,
            host=host,
            privacy=privacy,
        )

    return EMBED_OPEN.sub(placeholder, body)


def as_links(body):
    """The body with each embed as a paragraph holding a link to it (feeds)."""
    if 'class="embed' not in body:
        return body

    def link(match):
        embed = stored_embed(match["attrs"])
        if embed is None:
            return match[0]
        return format_html(
            '<p><a href="{url}">{name}: {url}</a></p>',
            url=embed.url,
            name=embed.provider.name,
        )

    return EMBED_ELEMENT.sub(link, body)


FRAME_ATTRIBUTE = b' data-embed-frame="'
ORIGIN = re.compile(rb"https://[a-z0-9.-]+(?::\d+)?(?=[/?#\"])")


def frame_origins(page):
    """The origins of the players a rendered page (bytes) may frame, sorted.

    Only attributes count: text that merely reads like one (a `"` needs no
    escaping in text) is outside any tag.
    """
    found = set()
    at = page.find(FRAME_ATTRIBUTE)
    while at != -1:
        in_tag = page.rfind(b"<", 0, at) > page.rfind(b">", 0, at)
        start = at + len(FRAME_ATTRIBUTE)
        if in_tag and (origin := ORIGIN.match(page, start)):
            found.add(origin[0].decode())
        at = page.find(FRAME_ATTRIBUTE, start)
    return tuple(sorted(found))
