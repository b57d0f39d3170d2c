"""Surrogate keys: what each public page shows, named for an edge cache.

Every public page carries a short list of keys (`keys_for`): the article it
is (`a…`), the listing it is (`home`, `feed`, a section's `s…`, a tag's
`t…`, an author's `p…`, `sitemap`, `api`, `corrections`), and `nav` for every
HTML page, which shows the sections in its navigation. Pages are named by
their address alone, so tagging a page costs no query: a slug becomes a key
of nine characters (`key("s", "world")`), whatever its length or script.

The same list goes out under each configured header (NEWSROOM_SURROGATE_KEY_
HEADERS): `xkey` for Varnish's xkey vmod and `Surrogate-Key` for Fastly
(space-separated), `Cache-Tag` for Cloudflare (comma-separated).

After a write, `keys_to_purge` names the keys of every page that showed the
changed articles before it (recorded by core's write path, articles/purges.py)
and of every page that shows them now, including the article pages that list
them as related.
"""

import base64
import hashlib

from django.conf import settings

from articles.models import RelatedLink, published_condition
from articles.purges import shown

# Pages that show every new story.
SITE_KEYS = ("home", "feed", "sitemap", "api")

# URL name -> (the key, or the letter of a slug's key).
PAGES = {
    "home": "home",
    "feed": "feed",
    "feed_atom": "feed",
    "detail": "a",
    "live": "a",  # a live story's endpoint: purged with its page
    "section": "s",
    "section_feed": "s",
    "section_feed_atom": "s",
    "tag": "t",
    "tag_feed": "t",
    "tag_feed_atom": "t",
    "author": "p",
    "author_feed": "p",
    "author_feed_atom": "p",
    "api_articles": "api",
    "api_article": "api",
    "corrections": "corrections",
    "robots": "sitemap",
    "sitemap-index": "sitemap",
    "sitemap": "sitemap",
    "news-sitemap": "sitemap",
}


def key(letter, slug):
    """A slug's key: `letter` and 8 characters of its hash."""
    digest = hashlib.blake2b(slug.encode(), digest_size=5).digest()
    return letter + base64.b32encode(digest).decode().lower()


def own_key(match):
    """The key of the page a URL `match` (or None: no page) names, its first."""
    name = PAGES.get(match.url_name) if match else None
    if name is None:
        return "page"  # a public page nobody named: purged with nav
    if len(name) == 1:
        return key(name, match.kwargs.get("slug", ""))
    return name


def keys_for(request, response):
    """The keys of the public page `response` answers `request` with."""
    match = request.resolver_match
    keys = [own_key(match)]
    if response.get("Content-Type", "").startswith("text/html") or keys == ["page"]:
        keys.append("nav")
    return keys


def header_values(keys):
    """{header: value} for the configured header spellings."""
    return {
        header: (", " if header.lower() == "cache-tag" else " ").join(keys)
        for header in settings.NEWSROOM_SURROGATE_KEY_HEADERS
    }


def article_keys(was):
    """The keys of the pages that show an article, from `shown` data."""
    keys = {key("a", was["article"]), *SITE_KEYS}
    if was.get("section"):
        keys.add(key("s", was["section"]))
    keys.update(key("t", slug) for slug in was.get("tags", ()))
    keys.update(key("p", slug) for slug in was.get("authors", ()))
    return keys


def other_keys(pages):
    """The keys of what a write other than an article's changed (`pages`)."""
    keys = set()
    if pages.get("nav"):
        keys.update(("nav", "page"))
    if pages.get("corrections"):
        keys.add("corrections")
    keys.update(key("s", slug) for slug in pages.get("sections", ()))
    keys.update(key("t", slug) for slug in pages.get("tags", ()))
    keys.update(key("p", slug) for slug in pages.get("authors", ()))
    keys.update(key("a", slug) for slug in pages.get("articles", ()))
    return keys


def keys_to_purge(records):
    """(soft, hard): the keys to purge for the purge `records`, (article id,
    what it showed before the write) pairs. An article live now has its
    pages soft-purged (an edge may serve the old page if the site is down);
    one taken off the site (withdrawn, unpublished, embargoed, killed) hard:
    no reader gets the old page again. Four queries."""
    ids = {article_id for article_id, _ in records if article_id is not None}
    now = shown(ids) if ids else {}
    linking = {}
    if ids:
        for target, slug in RelatedLink.objects.filter(
            published_condition("article__"), target_id__in=ids
        ).values_list("target_id", "article__slug"):
            linking.setdefault(target, set()).add(key("a", slug))
    soft, hard = set(), set()
    for article_id, was in records:
        keys = other_keys(was)
        if was.get("article"):
            keys |= article_keys(was)
        if article_id is not None:
            keys |= linking.get(article_id, set())
            if article_id in now:
                keys |= article_keys(now[article_id])
        (soft if article_id is None or article_id in now else hard).update(keys)
    return sorted(soft - hard), sorted(hard)
