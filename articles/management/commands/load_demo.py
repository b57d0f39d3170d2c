"""Load the demo newsroom: sections, authors, articles, generated pictures.

Safe to re-run: everything is matched on its slug (pictures on their source
URI), so a second run updates in place and creates nothing new. Also creates a
local `admin` account (password `newsroom-demo`) unless one exists.
"""

import io
import math
import random
import re
import zlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter, ImageFont

from articles.demo.content import ARTICLES, AUTHORS, SECTIONS
from articles.models import Article, Author, Byline, Image, Section
from articles.related import refresh_related
from articles.tasks import record_renditions

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "newsroom-demo"
IMAGE_CREDIT = "Illustration: Newsroom demo"
LINK = re.compile(r"\[([^\]]+)\]\(@([\w-]+)\)")

# Per section: sky top, sky bottom, two ground tones, and the words for alt text.
PALETTES = {
    "news": (
        (28, 52, 84),
        (214, 132, 92),
        (21, 33, 52),
        (44, 64, 92),
        "blue and amber",
    ),
    "politics": (
        (74, 24, 38),
        (233, 170, 120),
        (40, 18, 28),
        (96, 40, 52),
        "plum and peach",
    ),
    "business": (
        (16, 66, 72),
        (222, 200, 140),
        (12, 40, 44),
        (32, 88, 90),
        "teal and sand",
    ),
    "science": (
        (12, 18, 48),
        (96, 70, 160),
        (8, 12, 30),
        (40, 36, 90),
        "midnight and violet",
    ),
    "culture": (
        (120, 40, 30),
        (240, 196, 120),
        (64, 24, 20),
        (150, 70, 46),
        "terracotta and gold",
    ),
    "sport": (
        (20, 80, 50),
        (200, 226, 160),
        (14, 48, 32),
        (40, 110, 66),
        "green and lime",
    ),
}
SIZES = [(1600, 900), (1600, 900), (1200, 800), (1600, 1000)]


class Command(BaseCommand):
    help = "Load demo sections, authors and articles. Safe to re-run: matched on slugs."

    def handle(self, *args, **options):
        now = timezone.now()
        counts = {"created": 0, "updated": 0}
        with transaction.atomic():
            sections = self.load_sections()
            authors = self.load_authors()
            articles = [
                self.load_article(d, sections, authors, now, counts) for d in ARTICLES
            ]
            self.link_bodies(articles)
            self.settle_dates(articles, now)
        for article in articles:
            if article.status == Article.Status.PUBLISHED:
                refresh_related(article)
        self.ensure_admin()

        live = Article.objects.published().count()
        site = f"{settings.SITE_URL}/"
        self.stdout.write(f"Site:  {site}")
        self.stdout.write(
            f"Admin: {site}admin/  (username {ADMIN_USERNAME}, "
            f"password {ADMIN_PASSWORD} unless you changed it)"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {len(articles)} articles ({live} live, "
                f"{counts['created']} created, {counts['updated']} updated), "
                f"{len(sections)} sections, {len(authors)} authors."
            )
        )

    def load_sections(self):
        sections = {}
        for position, (slug, name, description) in enumerate(SECTIONS, start=1):
            sections[slug], _ = Section.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "position": position,
                    "description": description,
                },
            )
        return sections

    def load_authors(self):
        authors = {}
        for slug, name, role, bio, has_photo in AUTHORS:
            author, _ = Author.objects.update_or_create(
                slug=slug, defaults={"name": name, "role": role, "bio": bio}
            )
            if has_photo and not author.photo:
                author.photo.save(f"{slug}.jpg", ContentFile(portrait(slug, name)))
            authors[slug] = author
        return authors

    def load_article(self, data, sections, authors, now, counts):
        status = data.get("status", "published")
        fields = {
            "kicker": data["kicker"],
            "headline": data["headline"],
            "deck": data["deck"],
            "body": render_body(data["body"], {}),
            "section": sections[data["section"]],
            "status": "published" if status == "scheduled" else status,
            "withdrawn_reason": data.get("reason", ""),
        }
        if status != "draft":
            fields_on_create = {"published_at": now - timedelta(days=data["age"])}
        else:
            fields_on_create = {"published_at": None}
        article, created = Article.objects.update_or_create(
            slug=data["slug"],
            defaults=fields,
            create_defaults={**fields, **fields_on_create},
        )
        counts["created" if created else "updated"] += 1
        if data.get("image", True) and article.hero_image_id is None:
            article.hero_image = hero_image(data)
            Article.objects.filter(pk=article.pk).update(hero_image=article.hero_image)
        wanted = [authors[slug] for slug in data["authors"]]
        if article.byline_authors != wanted:
            Byline.objects.filter(article=article).delete()
            Byline.objects.bulk_create(
                Byline(article=article, author=a, position=i)
                for i, a in enumerate(wanted)
            )
        article.tags.set(data["tags"])
        article.demo = data
        return article

    def link_bodies(self, articles):
        """Resolve `[text](@slug)` links now that every article has its address."""
        urls = {a.slug: a.get_absolute_url() for a in articles}
        for article in articles:
            body = render_body(article.demo["body"], urls)
            if body != article.body:
                article.body = body
                article.save(update_fields=["body"])

    def settle_dates(self, articles, now):
        """Edits made by loading are not news: updated_at follows the story."""
        for article in articles:
            when = article.published_at or now
            if article.published_at and article.demo.get("updated"):
                when = article.published_at + timedelta(hours=article.demo["updated"])
            Article.objects.filter(pk=article.pk).update(updated_at=when)
            article.updated_at = when

    def ensure_admin(self):
        User = get_user_model()
        if not User.objects.filter(username=ADMIN_USERNAME).exists():
            User.objects.create_superuser(ADMIN_USERNAME, "", ADMIN_PASSWORD)


def render_body(paragraphs, urls):
    """Demo paragraphs as HTML: '## ' lines become crossheads, @slug links resolve."""

    def link(match):
        text, slug = match.groups()
        url = urls.get(slug) or reverse("articles:home")
        return f'<a href="{url}">{text}</a>'

    html = []
    for paragraph in paragraphs:
        if paragraph.startswith("## "):
            html.append(f"<h2>{paragraph[3:]}</h2>")
        else:
            html.append(f"<p>{LINK.sub(link, paragraph)}</p>")
    return "\n".join(html)


def hero_image(data):
    """The article's generated picture, created once (matched on its source URI)."""
    source_uri = f"demo:{data['slug']}"
    image = Image.objects.filter(source_uri=source_uri).first()
    if image:
        return image
    seed = zlib.crc32(data["slug"].encode())
    size = SIZES[seed % len(SIZES)]
    palette = PALETTES[data["section"]]
    image = Image(
        alt=f"Abstract illustration of hills under a sky in {palette[4]} tones.",
        caption=data.get("caption", ""),
        credit=IMAGE_CREDIT,
        source_uri=source_uri,
    )
    image.file.save(
        f"demo-{data['slug']}.jpg", ContentFile(landscape(seed, size, palette))
    )
    record_renditions([image.pk])  # made by the demo's worker
    return image


def blend(start, end, t):
    """The colour a fraction `t` of the way from `start` to `end`."""
    return tuple(round(a + (b - a) * t) for a, b in zip(start, end, strict=True))


def landscape(seed, size, palette):
    """A calm generated landscape: gradient sky, a sun, layered hills. JPEG bytes."""
    rng = random.Random(seed)
    width, height = size
    top, bottom, ground_dark, ground_light, _ = palette
    sky = PILImage.new("RGB", (1, height))
    for y in range(height):
        t = y / (height - 1)
        sky.putpixel((0, y), blend(top, bottom, t))
    picture = sky.resize(size)

    glow = PILImage.new("L", size, 0)
    sun_x = rng.uniform(0.2, 0.8) * width
    sun_y = rng.uniform(0.25, 0.45) * height
    radius = rng.uniform(0.07, 0.11) * width
    ImageDraw.Draw(glow).ellipse(
        (sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=235
    )
    halo = glow.filter(ImageFilter.GaussianBlur(radius * 0.9))
    picture.paste((255, 240, 214), mask=halo.point(lambda v: v // 2))
    picture.paste((255, 246, 230), mask=glow)

    layers = 4
    for layer in range(layers):
        t = layer / (layers - 1)
        colour = blend(ground_light, ground_dark, t)
        base = height * (0.55 + 0.12 * layer)
        amplitude = height * rng.uniform(0.03, 0.08)
        waves = rng.uniform(1.0, 2.6)
        phase = rng.uniform(0, math.tau)
        points = [
            (x, base + amplitude * math.sin(phase + waves * math.tau * x / width))
            for x in range(0, width + 20, 20)
        ]
        ImageDraw.Draw(picture).polygon(
            points + [(width, height), (0, height)], fill=colour
        )

    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def portrait(slug, name):
    """A square avatar with the author's initials. JPEG bytes."""
    seed = zlib.crc32(slug.encode())
    palette = list(PALETTES.values())[seed % len(PALETTES)]
    picture = PILImage.new("RGB", (400, 400), palette[0])
    draw = ImageDraw.Draw(picture)
    draw.ellipse((60, 230, 340, 520), fill=palette[3])
    draw.ellipse((130, 70, 270, 210), fill=palette[1])
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = ImageFont.load_default(size=56)
    draw.text((200, 340), initials, font=font, fill=(255, 255, 255), anchor="mm")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
