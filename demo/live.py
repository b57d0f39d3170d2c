"""Load the demo's live story: entries on one imported story, through the write path.

    python demo/live.py [demo/live.json]

`make demo` runs it after the import. demo/live.json names the story by its
ninjs `uri` (ninjs carries no live entries) and gives each entry the minutes
after the story's publication it was written, its author's slug, its text,
and whether it holds the key points. A story that has entries already is left
as it is, so running again changes nothing.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

DEMO = Path(__file__).resolve().parent
ROOT = DEMO.parent


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEMO / "live.json"
    print(load(path))


def load(path):
    """Add the entries of `path` to its story; what was done, in a sentence."""
    from articles import publishing
    from articles.models import Article, Author, LiveEntry

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    article = Article.objects.filter(source_uri=data["story"]).first()
    if article is None or article.published_at is None:
        return f"Live story: {data['story']} is not loaded or not published; skipped."
    if LiveEntry.objects.filter(article=article).exists():
        return f"Live story: {article.headline!r} has its entries already."
    authors = {author.slug: author for author in Author.objects.all()}
    for entry in data["entries"]:
        publishing.add_live_entry(
            article,
            by=None,
            text=entry["text"],
            author=authors.get(entry.get("author")),
            embed_url=entry.get("embed_url", ""),
            pinned=entry.get("pinned", False),
            at=article.published_at + timedelta(minutes=entry["minutes"]),
        )
    return f"Live story: {len(data['entries'])} entries on {article.headline!r}."


if __name__ == "__main__":
    main()
