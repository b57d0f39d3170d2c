"""Addresses read from saved pages: made absolute, repaired, their scheme."""

import re
from urllib.parse import urljoin, urlsplit


def looks_like_url(text):
    return bool(re.match(r"^(https?:)?//|^www\.", text.strip(), re.I))


def scheme(url):
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:  # "http://[" and other malformed addresses
        return ""


def joined(base, url):
    """`url` made absolute against `base`, or "" if it is malformed."""
    try:
        return urljoin(base, url) if base else url
    except ValueError:
        return ""


def unescape_twice(url):
    """A URL from an attribute, repaired when the page escaped it twice
    ("&amp;amp;" in the markup)."""
    return url.replace("&amp;", "&")
