"""Measure the weight of an article page: HTML, CSS and the pictures a browser
of a given width would pick from each srcset (WebP where offered).

    python bench/page_weight.py [--width 1280] [--url /2026/1/2/a-story/]

Run it on a site with pictures and renditions, such as the demo (`make demo`
makes them as it imports the pictures). Pictures marked loading="lazy" are
counted separately: they load only when scrolled to.
"""

import argparse
import gzip
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402


class PageError(Exception):
    pass


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stylesheets, self.images, self.source = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        elif tag == "source" and attrs.get("type") == "image/webp":
            self.source = attrs
        elif tag == "img":
            self.images.append({"img": attrs, "webp": self.source})
            self.source = None


def slot_width(sizes, viewport):
    for part in (sizes or "100vw").split(","):
        part = part.strip()
        match = re.match(r"\(min-width:\s*(\d+)px\)\s*(.+)", part)
        if match and viewport < int(match[1]):
            continue
        length = match[2] if match else part
        if length.endswith("vw"):
            return viewport * float(length[:-2]) / 100
        return float(length.removesuffix("px"))
    return viewport


def pick(srcset, slot):
    candidates = sorted(
        (int(w.rstrip("w")), url)
        for url, w in (c.strip().rsplit(" ", 1) for c in srcset.split(","))
    )
    return next((url for w, url in candidates if w >= slot), candidates[-1][1])


def file_size(url):
    if url.startswith("/media/"):
        return default_storage.size(url.removeprefix("/media/"))
    path = finders.find(url.removeprefix("/static/"))
    if not path:
        raise PageError(f"cannot find {url}")
    with open(path, "rb") as file:
        return len(file.read())


def weigh(url, width):
    """Printable lines: the weight of the page at `url` for a `width` px viewport."""
    if not url:
        article = Article.objects.published().exclude(hero_image=None).first()
        if article is None:
            raise PageError("no published article with a picture")
        url = article.get_absolute_url()
    host = settings.ALLOWED_HOSTS[0].lstrip(".")
    response = Client().get(url, HTTP_HOST=host)
    if response.status_code != 200:
        raise PageError(f"{url} answered {response.status_code}")
    html = response.content
    parser = PageParser()
    parser.feed(html.decode())
    css = sum(file_size(href) for href in parser.stylesheets)
    eager = lazy = 0
    for image in parser.images:
        source = image["webp"] or image["img"]
        srcset, sizes = source.get("srcset"), source.get("sizes")
        chosen = (
            pick(srcset, slot_width(sizes, width)) if srcset else image["img"]["src"]
        )
        size = file_size(chosen)
        if image["img"].get("loading") == "lazy":
            lazy += size
        else:
            eager += size
    kb = 1024
    rows = [
        ("HTML", len(html), len(gzip.compress(html))),
        ("CSS", css, None),
        ("pictures loaded at once", eager, None),
        ("total on load", len(html) + css + eager, None),
        ("lazy pictures (on scroll)", lazy, None),
    ]
    lines = [f"{url} at {width} px"]
    for name, size, compressed in rows:
        extra = f" ({compressed / kb:.1f} KB gzipped)" if compressed else ""
        lines.append(f"  {name}: {size / kb:.1f} KB{extra}")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--url", help="Defaults to the newest with a picture.")
    args = parser.parse_args()
    try:
        print("\n".join(weigh(args.url, args.width)))
    except PageError as exc:
        sys.exit(f"page_weight: {exc}")


if __name__ == "__main__":
    main()
