"""Public addresses of articles, sections, tags and authors, from stored fields.

A page links to dozens of them. Django's `reverse()` walks the URL patterns
and checks its result against the pattern's regular expression on every call;
here each kind of address is reversed once (per URLconf and script prefix),
with markers in place of its values, and a link is that pattern filled in and
quoted as `reverse()` quotes it. A value `reverse()` would refuse (a slug that
is not one) still goes through `reverse()`, and fails there as before.
"""

import re
from functools import lru_cache
from urllib.parse import quote

from django.urls import (
    NoReverseMatch,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    reverse,
)
from django.utils import timezone

# Values no real address contains, that each URL converter accepts.
SLUG_MARK = "qzslugmarkqz"
NUMBER_MARKS = {"year": 918273, "month": 918274, "day": 918275}
SLUG = re.compile(r"[-\w]+")
# What reverse() leaves unquoted (django.urls.resolvers), for the same result.
SAFE = "!$&'()*+,;=/~:@"


@lru_cache(maxsize=64)
def _pattern(resolver, prefix, name):
    """`name`'s address with `{slug}` (and `{year}`...) where its values go."""
    if name == "articles:detail":
        url = reverse(name, kwargs={**NUMBER_MARKS, "slug": SLUG_MARK})
    else:
        url = reverse(name, args=[SLUG_MARK])
    url = url.replace("{", "{{").replace("}", "}}").replace(SLUG_MARK, "{slug}")
    for key, mark in NUMBER_MARKS.items():
        url = url.replace(str(mark), f"{{{key}}}")
    return url


def pattern(name):
    # The resolver and the prefix are part of the key: a test's URLconf, or a
    # site mounted under another prefix, gets patterns of its own.
    return _pattern(get_resolver(get_urlconf()), get_script_prefix(), name)


# The addresses every page's header and footer link to, by template name.
SITE_PATHS = {
    "home": "articles:home",
    "search": "articles:search",
    "feed": "articles:feed",
    "feed_atom": "articles:feed_atom",
    "corrections": "articles:corrections",
    "newsletters": "newsletters:sign_up",
}


@lru_cache(maxsize=16)
def _site_paths(resolver, prefix):
    paths = {}
    for key, name in SITE_PATHS.items():
        try:
            paths[key] = reverse(name)
        except NoReverseMatch:  # a site without that app: no link
            paths[key] = ""
    return paths


def site_paths():
    """{"home": "/", "search": ..., ...}: the fixed addresses of SITE_PATHS
    ("" for one the URLconf lacks, as `{% url ... as name %}` gives)."""
    return _site_paths(get_resolver(get_urlconf()), get_script_prefix())


def slug_path(name, slug):
    """The address of the section, tag or author page `name` for `slug`."""
    if not SLUG.fullmatch(slug):
        return reverse(name, args=[slug])
    return pattern(name).format(slug=quote(slug, safe=SAFE))


def article_path(published_at, slug):
    """An article's address: its local publication day and its slug."""
    when = timezone.localtime(published_at or timezone.now())
    if not SLUG.fullmatch(slug):
        kwargs = {"year": when.year, "month": when.month, "day": when.day}
        return reverse("articles:detail", kwargs={**kwargs, "slug": slug})
    return pattern("articles:detail").format(
        year=when.year, month=when.month, day=when.day, slug=quote(slug, safe=SAFE)
    )
