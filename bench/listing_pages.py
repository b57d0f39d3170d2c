"""Listing pages as readers get them, to compare two commits byte for byte.

    NEWSROOM_PAGE_CACHE_SECONDS=0 python bench/listing_pages.py OUT.json

Asks the site (Django's test client, the page cache off) for the home page;
every section's pages 1 and 2; the 20 most used tags' and the 20 most
prolific authors' pages 1, 2 and 5; 20 tags and 20 authors from the long
tail (2 to 20 stories); and the RSS feeds of five of the most used tags, five
of the most prolific authors and five of the long tail. Each page is asked
for twice (the second time from the story cards the first kept) and both
answers are written to OUT.json as status and a hash of the body. Run it on
one commit, then another, against the same database (or copies of one), and
compare the files. The database is only read.
"""

import hashlib

import in_process  # (sets Django up first)

# isort: split
from django.db.models import Count

from articles.models import Author, Section, Tag

TOP, TAIL = 20, 20


def listing_paths():
    tags = Tag.objects.annotate(n=Count("article_items"))
    authors = Author.objects.annotate(n=Count("bylines"))
    top_tags = list(tags.order_by("-n", "pk")[:TOP])
    top_authors = list(authors.order_by("-n", "pk")[:TOP])
    top = [*top_tags, *top_authors]
    tail = [
        *tags.filter(n__range=(2, 20)).order_by("pk")[:TAIL],
        *authors.filter(n__range=(2, 20)).order_by("pk")[:TAIL],
    ]
    feeds = [*top_tags[:5], *top_authors[:5], *tail[:5]]
    paths = ["/"]
    for section in Section.objects.order_by("pk"):
        url = section.get_absolute_url()
        paths += [url, f"{url}?page=2"]
    for item in top:
        url = item.get_absolute_url()
        paths += [url, f"{url}?page=2", f"{url}?page=5"]
    paths += [item.get_absolute_url() for item in tail]
    paths += [f"{item.get_absolute_url()}feed/" for item in feeds]
    return paths


def answer(response):
    return [response.status_code, hashlib.sha1(response.content).hexdigest()]


def main():
    in_process.write_pages(listing_paths, answer, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
