"""Text similarity for related links: the words two stories share.

An article's *terms* are the distinctive words of its headline and deck
(`TERMS` at most, the headline's first): words that are rare across the
archive's headlines and decks, so "Wrencroft" counts and "council" does not.
Rarity is estimated from the headlines and decks of the newest `SAMPLE`
articles (`count_terms`, kept with the other corpus counts, see
`related_weights.corpus_counts`), as an inverse document frequency on the
same scale as the tags'.

Text is used two ways, both cheap:

- every candidate the tags found is checked for the article's terms: on
  PostgreSQL in the ranking statement (`related_ranking`), from the words of
  every live headline and deck (`related_words`); on SQLite in its headline
  and deck, read with the candidate (`finder`);
- when the tags are thin (fewer than `related_scoring.THIN` of their candidates share
  a word: an imported story with rare or no tags), stories that may share one
  are looked for: on PostgreSQL in the same statement, the nearest stories
  holding each term (an index of (word, published_at)); on SQLite, without
  lateral joins, the same section's stories nearest in time
  (`text_candidates`, a query per article).

The stored search vectors were read for this before (headline, deck, tags and
body, by their GIN index): the words alone find as good links
(docs/benchmarks.md, 2026-12-05) from a few index pages per term instead of a
few hundred heap and TOAST pages per article.
"""

import math
import re

from django.db import connection

from .models import Article

TERMS = 8  # distinctive words per article
SAMPLE = 2000  # newest articles whose headlines and decks estimate rarity
MIN_TERM_IDF = 3.0  # a word in more than about 5 % of headlines is not distinctive
WINDOW_DAYS = 365  # stories found by words this close in time (PostgreSQL)
MATCHES = 30  # stories found by words, nearest first, per article
NEIGHBOURS = 10  # each side in time, without full-text search (SQLite)

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


NEIGHBOURS_SQL = """
SELECT * FROM (
    SELECT id, section_id, julianday(published_at) - 2440587.5, headline, deck, 0
    FROM articles_article
    WHERE section_id = %s AND status = %s AND published_at <= %s AND id <> %s
    ORDER BY published_at DESC LIMIT %s
)
UNION ALL
SELECT * FROM (
    SELECT id, section_id, julianday(published_at) - 2440587.5, headline, deck, 0
    FROM articles_article
    WHERE section_id = %s AND status = %s AND published_at > %s AND id <> %s
    ORDER BY published_at LIMIT %s
)
"""


def text_candidates(wanted):
    """{article_pk: [(pk, section_id, day, headline, deck, mask), ...]}: for
    each (article, terms, when) of `wanted` ({word: idf} terms), published
    articles that may share the terms, for the caller to check their
    headlines and decks: where there are no lateral joins (SQLite), one query
    per article, the articles of the same section nearest in time,
    NEIGHBOURS before `when` and as many after, `mask` 0. `day`: published,
    in days since 1970. (PostgreSQL looks stories up by their words in the
    ranking statement, `related_ranking`.)"""
    found = {}
    with connection.cursor() as cursor:
        for article, terms, when in wanted:
            if not terms or not article.section_id:
                continue
            when = connection.ops.adapt_datetimefield_value(when)
            side = [article.section_id, Article.Status.PUBLISHED, when, article.pk]
            cursor.execute(NEIGHBOURS_SQL, [*side, NEIGHBOURS, *side, NEIGHBOURS])
            found[article.pk] = cursor.fetchall()
    return found
