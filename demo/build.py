"""Write the demo newsroom's import files: dated ninjs stories and their pictures.

    python demo/build.py [--out demo/build]

`make demo` runs it, then loads the demo with the project's own commands:

    manage.py loaddata demo/sections.json demo/authors.json
    manage.py import_articles demo/build/stories.jsonl --media-dir demo/build

demo/stories.json holds the stories as ninjs 2.x, with two keys of the demo's
own in place of dates: `age_days`, how long before the demo was first loaded a
story was published (negative: it is scheduled; absent: a draft), and
`updated_hours`, how long after publication it was last updated, and
`embargo_days`, how long after the demo was first loaded a story's embargo
ends (until then only the admin shows it). A link to
another story names that story's `uri`; here it becomes the story's address.

The first run notes the time in OUT/first-loaded and every run dates the
stories from it, so running again writes the same file and the import finds
nothing to change. Delete OUT to date the demo afresh.

Pictures are drawn once each (Pillow): a landscape for every story that names
one, in its section's colours, and a portrait for every author whose photo the
authors fixture names, saved in media storage where the fixture points.
"""

import argparse
import io
import json
import math
import os
import random
import re
import sys
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

DEMO = Path(__file__).resolve().parent
ROOT = DEMO.parent
STORY_LINK = re.compile(r'href="(urn:newsroom:demo:[^"]+)"')

# Per section: sky top, sky bottom, two ground tones.
PALETTES = {
    "News": ((28, 52, 84), (214, 132, 92), (21, 33, 52), (44, 64, 92)),
    "Politics": ((74, 24, 38), (233, 170, 120), (40, 18, 28), (96, 40, 52)),
    "Business": ((16, 66, 72), (222, 200, 140), (12, 40, 44), (32, 88, 90)),
    "Science": ((12, 18, 48), (96, 70, 160), (8, 12, 30), (40, 36, 90)),
    "Culture": ((120, 40, 30), (240, 196, 120), (64, 24, 20), (150, 70, 46)),
    "Sport": ((20, 80, 50), (200, 226, 160), (14, 48, 32), (40, 110, 66)),
}
SIZES = [(1600, 900), (1600, 900), (1200, 800), (1600, 1000)]


class DemoError(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEMO / "build")
    args = parser.parse_args()
    # The site's settings give the time zone of its addresses and the media
    # storage the portraits go to.
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    try:
        build(args.out)
    except DemoError as exc:
        sys.exit(f"demo: {exc}")


def build(out):
    out.mkdir(parents=True, exist_ok=True)
    anchor = first_loaded(out / "first-loaded")
    stories = dated(read_json(DEMO / "stories.json"), anchor)
    describe_pictures(stories)
    lines = [json.dumps(story, ensure_ascii=False) + "\n" for story in stories]
    (out / "stories.jsonl").write_text("".join(lines), encoding="utf-8")
    drawn = draw_landscapes(stories, out)
    portraits = save_portraits(read_json(DEMO / "authors.json"))
    print(
        f"Demo stories: {len(stories)} in {out / 'stories.jsonl'} "
        f"({drawn} pictures and {portraits} portraits drawn)"
    )


def read_json(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DemoError(f"cannot read {path.name}: {exc}") from exc


def first_loaded(path):
    """The moment the demo was first loaded, noted by the first run."""
    if not path.exists():
        now = datetime.now(UTC).replace(microsecond=0)
        path.write_text(now.isoformat() + "\n")
    try:
        return datetime.fromisoformat(path.read_text().strip())
    except ValueError as exc:
        raise DemoError(f"{path}: {exc}; delete it to date the demo afresh") from exc


def iso(moment):
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def dated(stories, anchor):
    """The stories with ninjs dates, and links that name a story's address."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.text import slugify

    addresses = {}
    for number, story in enumerate(stories, start=1):
        try:
            age = story.pop("age_days", None)
            updated = story.pop("updated_hours", 0)
            embargo = story.pop("embargo_days", None)
            if embargo is not None:
                story["embargoed"] = iso(anchor + timedelta(days=embargo))
            if age is None:
                continue
            published = anchor - timedelta(days=age)
            story["firstpublished"] = iso(published)
            story["versioncreated"] = iso(published + timedelta(hours=updated))
            day = timezone.localtime(published)
            # The importer names a new article after its headline.
            headline = story["headlines"][0]["value"]
            slug = slugify(headline, allow_unicode=True)[:180].strip("-")
            addresses[story["uri"]] = reverse(
                "articles:detail", args=[day.year, day.month, day.day, slug]
            )
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise DemoError(f"stories.json, story {number}: {exc!r}") from exc

    def address(match):
        if match[1] not in addresses:
            raise DemoError(f"a link to {match[1]}, which is not a dated story")
        return f'href="{addresses[match[1]]}"'

    for story in stories:
        for body in story["bodies"]:
            body["value"] = STORY_LINK.sub(address, body["value"])
    return stories


# The pictures' rights, as ninjs carries them on the picture association; the
# lead story's picture also names its point of interest (the sun), which the
# importer takes as the picture's focal point.
RIGHTS = {
    "copyrightholder": "Newsroom demo",
    "usageterms": "Drawn for the Newsroom demo; free to reuse with the credit.",
}
FOCUSED = "urn:newsroom:demo:harbour-bridge-closed-after-cracks-found"


def describe_pictures(stories):
    for story in stories:
        picture = story.get("associations", {}).get("featureimage")
        if not picture:
            continue
        for key, value in RIGHTS.items():
            picture.setdefault(key, value)
        if story["uri"] == FOCUSED:
            original = picture["renditions"]["original"]
            (width, height), (x, y) = sun(seed_of(original["href"]))
            original.update(width=width, height=height, poi={"x": x, "y": y})


def seed_of(href):
    return zlib.crc32(Path(href).stem.encode())


def sun(seed):
    """The size of the landscape drawn from `seed`, and where its sun is."""
    size = SIZES[seed % len(SIZES)]
    return size, place_sun(random.Random(seed), size)


def place_sun(rng, size):
    width, height = size
    x, y = rng.uniform(0.2, 0.8) * width, rng.uniform(0.25, 0.45) * height
    return round(x), round(y)


def draw_landscapes(stories, out):
    drawn = 0
    for story in stories:
        picture = story.get("associations", {}).get("featureimage")
        if not picture:
            continue
        path = out / picture["renditions"]["original"]["href"]
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        palette = PALETTES.get(story["genres"][0]["name"], PALETTES["News"])
        path.write_bytes(landscape(seed_of(path), palette))
        drawn += 1
    return drawn


def save_portraits(authors):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    saved = 0
    for author in authors:
        name = author["fields"]["photo"]
        if name and not default_storage.exists(name):
            picture = portrait(author["fields"]["slug"], author["fields"]["name"])
            default_storage.save(name, ContentFile(picture))
            saved += 1
    return saved


def blend(start, end, t):
    """The colour a fraction `t` of the way from `start` to `end`."""
    return tuple(round(a + (b - a) * t) for a, b in zip(start, end, strict=True))


def landscape(seed, palette):
    """A calm landscape: gradient sky, a sun, layered hills. JPEG bytes."""
    rng = random.Random(seed)
    size = width, height = SIZES[seed % len(SIZES)]
    sun_x, sun_y = place_sun(rng, size)
    top, bottom, ground_dark, ground_light = palette
    sky = Image.new("RGB", (1, height))
    for y in range(height):
        sky.putpixel((0, y), blend(top, bottom, y / (height - 1)))
    picture = sky.resize(size)

    glow = Image.new("L", size, 0)
    radius = rng.uniform(0.07, 0.11) * width
    ImageDraw.Draw(glow).ellipse(
        (sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=235
    )
    halo = glow.filter(ImageFilter.GaussianBlur(radius * 0.9))
    picture.paste((255, 240, 214), mask=halo.point(lambda v: v // 2))
    picture.paste((255, 246, 230), mask=glow)

    layers = 4
    for layer in range(layers):
        colour = blend(ground_light, ground_dark, layer / (layers - 1))
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
    return jpeg(picture, quality=82)


def portrait(slug, name):
    """A square avatar with the author's initials. JPEG bytes."""
    seed = zlib.crc32(slug.encode())
    top, bottom, _, ground = list(PALETTES.values())[seed % len(PALETTES)]
    picture = Image.new("RGB", (400, 400), top)
    draw = ImageDraw.Draw(picture)
    draw.ellipse((60, 230, 340, 520), fill=ground)
    draw.ellipse((130, 70, 270, 210), fill=bottom)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = ImageFont.load_default(size=56)
    draw.text((200, 340), initials, font=font, fill=(255, 255, 255), anchor="mm")
    return jpeg(picture, quality=85)


def jpeg(picture, quality):
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


if __name__ == "__main__":
    main()
