"""What the search page shows of each result: its story card, kept like a
listing's (articles/card_cache.py), and a snippet of its body with the
query's words marked.

On PostgreSQL the snippet is `ts_headline`'s, from the body's start (one
statement for the page's results, built once per process); when the words
are only further in, or elsewhere (SQLite), it is cut in Python around the
first word. Either way snippets are escaped first and highlighted after, so
nothing a reader types or an article contains can become markup.
"""

import html
import re
from functools import cache

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection
from django.db.models import BooleanField, F, Func, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .card_cache import card_rows
from .models import Article
from .prepared import STAND_INS
from .search import MAX_WORDS, QUERY, SEARCH_CONFIG

MARK_START, MARK_STOP = "\ue000", "\ue001"  # private-use characters
SNIPPET_WORDS = 30
HEADLINE_CHARS = 1500  # of the body, where PostgreSQL looks for the snippet
PKS = [STAND_INS[int]]  # stands in for a page's articles (see search.QUERY)


def result_cards(rows, query):
    """A page of `find_articles` rows as (card, snippet) pairs: cards kept
    like a listing's (articles/card_cache.py), each snippet escaped body text
    with the matches in <mark>."""
    rows = list(rows)
    if not rows:
        return []
    if connection.vendor == "postgresql":
        found = headlines([pk for pk, _ in rows], query)
        marked = [found.get(pk, (None, "")) for pk, _ in rows]
    else:
        marked = [(None, body) for _, _, body in rows]
    snippets = [snippet(body, query, start) for start, body in marked]
    cards = card_rows((pk, version) for pk, version, *_ in rows)
    return list(zip(cards, snippets, strict=True))


def headlines(pks, query):
    """{pk: (the body's start with `query`'s matches between markers, the
    body)} of the articles `pks` (PostgreSQL): one statement, built once."""
    sql, params = headline_statement()
    values = [query if p == QUERY else pks if p == PKS else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return {pk: (marked, body) for pk, marked, body in cursor.fetchall()}


@cache
def headline_statement():
    # The snippet is drawn from the body's first HEADLINE_CHARS: ts_headline
    # parses and stems all the text it is given, about a millisecond for an
    # average body, twenty times a page. A tag cut at the end is dropped too.
    between_blocks = Func(
        Left(F("body"), HEADLINE_CHARS),
        Value(BLOCK_TAG),
        Value(" "),
        Value("gi"),
        function="regexp_replace",
    )
    plain_body = Func(
        between_blocks,
        Value("<[^>]*(>|$)"),
        Value(""),
        Value("g"),
        function="regexp_replace",
    )
    search_query = SearchQuery(QUERY, search_type="websearch", config=SEARCH_CONFIG)
    found = (
        Article.objects.filter(
            RawSQL('"articles_article"."id" = ANY(%s)', [PKS], BooleanField())
        )
        .annotate(
            marked=SearchHeadline(
                plain_body,
                search_query,
                config=SEARCH_CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
        .order_by()
        .values_list("pk", "marked", "body")
    )
    return found.query.sql_with_params()


TAG = re.compile("<[^>]*>")  # as the snippet SQL's; snippets are escaped after
# A block's tags part words (a paragraph's last from the next one's first);
# inline ones (a link, emphasis) do not: "the <a>Bridge</a>." stays "Bridge.".
# Written for Python's and PostgreSQL's regular expressions alike.
BLOCK_TAG = (
    r"</?(p|h[1-6]|li|ul|ol|br|hr|div|blockquote|figure|figcaption|table|tr|td|th)"
    r"(\s[^>]*)?/?>"
)
BLOCK = re.compile(BLOCK_TAG, re.IGNORECASE)


def plain_text(body):
    """`body` without its tags, blocks apart."""
    return TAG.sub("", BLOCK.sub(" ", body))


def highlight(marked_text):
    """Escape text with MARK_START/MARK_STOP around matches, then add <mark>."""
    text = escape(html.unescape(marked_text))
    text = text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(text)  # escaped above; only our <mark> added


def mark_words(text, query):
    """`text` cut around the first of `query`'s words, matches between markers."""
    text = text.replace(MARK_START, "").replace(MARK_STOP, "")
    words = [w.strip('"-').casefold() for w in query.split()[:MAX_WORDS]]
    words = [w for w in words if w]
    tokens = text.split()
    if not words:
        return " ".join(tokens[:SNIPPET_WORDS])
    # The token holding the first match: the words before it, less the one it
    # ends if the match begins inside a word.
    folded = text.casefold()
    at = min((i for i in map(folded.find, words) if i >= 0), default=0)
    hit = len(folded[:at].split()) - (at > 0 and not folded[at - 1].isspace())
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    start = max(0, hit - SNIPPET_WORDS // 3)
    window = tokens[start : start + SNIPPET_WORDS]
    marked = " ".join(
        pattern.sub(lambda m: MARK_START + m.group(0) + MARK_STOP, t) for t in window
    )
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(tokens) else ""
    return prefix + marked + suffix


def snippet(body, query, marked=None):
    """Escaped body text with `query`'s matches in <mark>: `marked`, from the
    body's start (PostgreSQL), if it holds a match, else cut from `body` around
    the first word."""
    if marked is None or MARK_START not in marked:
        marked = mark_words(plain_text(body), query)
    return highlight(marked)
