"""Measure the weight of an article page: HTML, CSS and the pictures a browser
of a given width would pick from each srcset (WebP where offered).

Run it on a site with pictures and renditions (`make demo`, then
`manage.py make_renditions`). Pictures marked loading="lazy" are counted
separately: they load only when scrolled to.
"""

import gzip
import re
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from articles.models import Article


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
        raise CommandError(f"Cannot find {url}")
    with open(path, "rb") as file:
        return len(file.read())


class Command(BaseCommand):
    help = "Weigh an article page (HTML + CSS + pictures) at a viewport width."

    def add_arguments(self, parser):
        parser.add_argument("--width", type=int, default=1280)
        parser.add_argument("--url", help="Defaults to the newest with a picture.")

    def handle(self, *args, **options):
        url = options["url"]
        if not url:
            article = Article.objects.published().exclude(hero_image=None).first()
            if article is None:
                raise CommandError("No published article with a picture.")
            url = article.get_absolute_url()
        host = settings.ALLOWED_HOSTS[0].lstrip(".")
        response = Client().get(url, HTTP_HOST=host)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        html = response.content
        parser = PageParser()
        parser.feed(html.decode())
        css = sum(file_size(href) for href in parser.stylesheets)
        eager = lazy = 0
        for image in parser.images:
            source = image["webp"] or image["img"]
            srcset, sizes = source.get("srcset"), source.get("sizes")
            chosen = (
                pick(srcset, slot_width(sizes, options["width"]))
                if srcset
                else image["img"]["src"]
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
        self.stdout.write(f"{url} at {options['width']} px")
        for name, size, compressed in rows:
            extra = f" ({compressed / kb:.1f} KB gzipped)" if compressed else ""
            self.stdout.write(f"  {name}: {size / kb:.1f} KB{extra}")
