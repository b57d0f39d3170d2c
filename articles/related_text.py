"""Text similarity for related links: the words two stories share.

An article's *terms* are the distinctive words of its headline and deck
(`TERMS` at most, the headline's first): words that are rare across the
archive's headlines and decks, so "Wrencroft" counts and "council" does not.
Rarity is estimated from the headlines and decks of the newest `SAMPLE`
articles (`count_terms`, kept with the other corpus counts, see
`related_weights.corpus_counts`), as an inverse document frequency on the
same scale as the tags'.

Text is used two ways, both cheap:

- every candidate the tags found is checked for the article's terms in its
  headline and deck (already read with the candidate: no query);
- when the tags are thin (fewer than `related.THIN` of their candidates share
  a word: an imported story with rare or no tags), one more query looks for
  stories that may share one (`text_candidates`): on PostgreSQL the stored
  search vector (headline, deck, tags and body) finds them by its GIN index;
  on SQLite, where only a scan of every headline could, the same section's
  stories nearest in time are checked instead.
"""

import math
import re
from datetime import timedelta

from django.db import connection

from .models import Article

TERMS = 8  # distinctive words per article
SAMPLE = 2000  # newest articles whose headlines and decks estimate rarity
MIN_TERM_IDF = 3.0  # a word in more than about 5 % of headlines is not distinctive
WINDOW_DAYS = 365  # full-text matches looked for this close in time (PostgreSQL)
NEIGHBOURS = 10  # each side in time, without full-text search (SQLite)
SEARCH_CONFIG = "english"  # as the stored search vector (migration 0002_search)

WORD = re.compile(r"[^\W\d_]{3,}")  # letters only, three or more
# Function words: a small archive's sample cannot tell they are common.
FUNCTION_WORDS = """
    about above after again against all also and any are because been before
    being below between both but can could did does doing down during each few
    for from further had has have having her here hers herself him himself his
    how into its itself just more most not now off once only other our ours
    out over own same she should some such than that the their theirs them
    then there these they this those through too under until very was were
    what when where which while who whom why will with would you your yours
    says said say new one two
"""
STOPWORDS = frozenset(FUNCTION_WORDS.split())


def words(text):
    """The distinct words of `text`, case-folded, in order of appearance."""
    seen = {}
    for word in WORD.findall(text or ""):
        word = word.casefold()
        if word not in STOPWORDS:
            seen.setdefault(word, None)
    return list(seen)


def count_terms():
    """(How many headlines and decks were sampled, {word: in how many}) for
    the words found in at least two of them: a word found in fewer is rare."""
    counts = {}
    sample = (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .order_by("-published_at")
        .values_list("headline", "deck")[:SAMPLE]
    )
    size = 0
    for headline, deck in sample:
        size += 1
        for word in words(f"{headline} {deck}"):
            counts[word] = counts.get(word, 0) + 1
    return size, {word: n for word, n in counts.items() if n > 1}


def terms_of(article, term_counts):
    """{word: idf} for the article's distinctive words, its headline's first
    (most distinctive first), then its deck's, TERMS at most."""
    size, counts = term_counts
    found = []
    for place, text in enumerate((article.headline, article.deck)):
        for word in words(text):
            idf = math.log((size + 1) / (counts.get(word, 0) + 1))
            if idf >= MIN_TERM_IDF:
                found.append((place, -idf, word, idf))
    terms = {}
    for *_, word, idf in sorted(found):
        if len(terms) < TERMS:
            terms.setdefault(word, idf)
    return terms


def finder(terms):
    """A function giving the terms found in a headline and deck as a mask:
    bit i is the i-th term."""
    checks = [
        (term, re.compile(rf"(?<!\w){re.escape(term)}(?!\w)"), 1 << i)
        for i, term in enumerate(terms)
    ]

    def mask(headline, deck):
        text = f"{headline} {deck}".casefold()
        # A substring test first: most candidates have none of the terms.
        return sum(
            bit for term, word, bit in checks if term in text and word.search(text)
        )

    return mask


def text_score(terms, mask):
    return sum(idf for i, idf in enumerate(terms.values()) if mask >> i & 1)


# The nearest matches first, then which terms each holds: a vector is read
# (and decompressed) for LIMIT rows only, not for every match.
SEARCH_SQL = """
SELECT id, section_id, published_at, headline, deck, {masks}
FROM (
    SELECT id, section_id, published_at, headline, deck, search_vector
    FROM articles_article
    WHERE status = %s AND id <> %s AND search_vector @@ ({query})
        AND published_at BETWEEN %s AND %s
    ORDER BY ABS(EXTRACT(EPOCH FROM (published_at - %s))), id DESC
    LIMIT %s
) AS nearest
"""

NEIGHBOURS_SQL = """
SELECT * FROM (
    SELECT id, section_id, published_at, headline, deck, 0 FROM articles_article
    WHERE section_id = %s AND status = %s AND published_at <= %s AND id <> %s
    ORDER BY published_at DESC LIMIT %s
)
UNION ALL
SELECT * FROM (
    SELECT id, section_id, published_at, headline, deck, 0 FROM articles_article
    WHERE section_id = %s AND status = %s AND published_at > %s AND id <> %s
    ORDER BY published_at LIMIT %s
)
"""


def text_candidates(article, terms, when, limit):
    """[(pk, section_id, published_at, headline, deck, mask), ...]: published
    articles that may share `terms` ({word: idf}) with `article`, for the
    caller to check their headlines and decks.

    On PostgreSQL: the articles whose search vector (headline, deck, tags,
    body) holds one of the terms, within WINDOW_DAYS of `when`, nearest
    first, `mask` holding the terms found (bit i is the i-th term).
    Elsewhere, where a search over every headline would read the whole
    table: the articles of the same section nearest in time, NEIGHBOURS
    before `when` and as many after, `mask` 0. Dates come as the database
    returns them."""
    if connection.vendor == "postgresql":
        terms = list(terms)
        match = f"plainto_tsquery('{SEARCH_CONFIG}', %s)"
        sql = SEARCH_SQL.format(
            masks=" + ".join(
                f"(CASE WHEN search_vector @@ {match} THEN {1 << i} ELSE 0 END)"
                for i in range(len(terms))
            ),
            query=" || ".join([match] * len(terms)),
        )
        window = timedelta(days=WINDOW_DAYS)
        params = [
            *terms,
            *(Article.Status.PUBLISHED, article.pk, *terms),
            *(when - window, when + window, when, limit),
        ]
    elif article.section_id:
        when = connection.ops.adapt_datetimefield_value(when)
        side = [article.section_id, Article.Status.PUBLISHED, when, article.pk]
        sql, params = NEIGHBOURS_SQL, [*side, NEIGHBOURS, *side, NEIGHBOURS]
    else:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
