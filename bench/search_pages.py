"""Search pages as readers get them, to compare two commits result by result.

    NEWSROOM_PAGE_CACHE_SECONDS=0 python bench/search_pages.py OUT.json

Asks the site (Django's test client, the page cache off) for the search page
of 36 queries (rare and common words, phrases, negations, OR, stop words,
words that match nothing, hostile input) and for later pages of some of them,
each twice (the second time from the story cards the first kept). Each
answer is written to OUT.json as its status, a hash of the body, the summary
line and the results: each card's address and snippet, in order. Run it on
one commit, then another, against the same database (or copies of one), and
compare the files. The database is only read.
"""

import hashlib
import re
from urllib.parse import urlencode

import in_process  # (sets Django up first)

# isort: split

QUERIES = [
    "council housing",
    "cricket court",
    "election",
    "police market",
    "police -budget",
    '"council housing"',
    '"police said"',
    "court ruling",
    "market workers",
    "police budget",
    '"said police"',
    '"police said" market',
    '"police said" -budget',
    'police "market workers"',
    '"the council said"',
    "the council said",
    "police said",
    "minister",
    "hospital doctors",
    "school or university",
    '"prime minister"',
    "flood warning",
    "football",
    "budget -council",
    "storm",
    '"city council" housing',
    "workers strike",
    "zzzqqq",
    "the",
    "-police",
    "<script>alert(1)</script>",
    '"unbalanced',
    "Council HOUSING",
    "élection",
    "police-said",
    "court ruling council housing market workers police budget minister",
]
LATER_PAGES = [
    ("council housing", 2),
    ("police said", 2),
    ('"police said"', 2),
    ('"police said"', 25),
    ("election", 3),
    ("market workers", 25),
    ("market workers", 26),
    ("cricket court", 2),
]

SUMMARY = re.compile(r'<p class="search-summary"[^>]*>\s*(.*?)\s*</p>', re.S)
CARD = re.compile(
    r'<h3 class="card__headline"><a href="([^"]*)">.*?'
    r'(?:<p class="card__deck card__snippet">(.*?)</p>|</article>)',
    re.S,
)


def search_paths():
    paths = ["/search/?" + urlencode({"q": query}) for query in QUERIES]
    paths += [
        "/search/?" + urlencode({"q": query, "page": page})
        for query, page in LATER_PAGES
    ]
    return paths


def answer(response):
    html = response.content.decode()
    summary = SUMMARY.search(html)
    return {
        "status": response.status_code,
        "sha1": hashlib.sha1(response.content).hexdigest(),
        "summary": summary.group(1) if summary else None,
        "results": [list(card) for card in CARD.findall(html)],
    }


def main():
    in_process.write_pages(search_paths, answer, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
