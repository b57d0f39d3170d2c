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
  stories that may share one (`text_candidates`), for every such article of
  a chunk at once: on PostgreSQL the stored search vector (headline, deck,
  tags and body) finds them by its GIN index, nearest in time first; on
  SQLite, where only a scan of every headline could, the same section's
  stories nearest in time are checked instead (a query per article).
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
NEAR_DAYS = 14  # ...those this close first, by the date index too
MATCHES = 30  # stories found by words, nearest first, per article
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


# For each article of a chunk, its nearest matches, found by the GIN index of
# the search vector: first those within NEAR_DAYS, the index's matches ANDed
# with the date index's; only if they are too few, those further away within
# WINDOW_DAYS (the matches of rare words, few). Never a walk of the date
# index, and a common word's thousands of matches are not read one by one.
# Then which terms each holds: a vector is decompressed once, for the LIMIT
# rows only.
SEARCH_SQL = """
WITH wanted (article_id, at, terms) AS (VALUES {values}),
queries AS (
    SELECT article_id, at, terms,
        to_tsquery('{config}', array_to_string(terms, ' | ')) AS query
    FROM wanted
)
SELECT queries.article_id, nearest.id, nearest.section_id,
    date_part('epoch', nearest.published_at) / 86400,
    nearest.headline, nearest.deck, (
        SELECT COALESCE(SUM(1 << (term.place - 1)::integer), 0)
        FROM unnest(queries.terms) WITH ORDINALITY AS term (word, place)
        WHERE vector.words @@ plainto_tsquery('{config}', term.word)
    )
FROM queries CROSS JOIN LATERAL (
    (
        SELECT id, section_id, published_at, headline, deck, search_vector
        FROM articles_article
        WHERE status = %(live)s AND id <> queries.article_id
            AND search_vector @@ queries.query
            AND published_at BETWEEN queries.at - %(near)s AND queries.at + %(near)s
        ORDER BY ABS(EXTRACT(EPOCH FROM (published_at - queries.at))), id DESC
        LIMIT %(limit)s
    ) UNION ALL (
        SELECT id, section_id, published_at, headline, deck, search_vector
        FROM articles_article
        WHERE status = %(live)s AND id <> queries.article_id
            AND search_vector @@ queries.query
            AND ABS(EXTRACT(EPOCH FROM (published_at - queries.at)))
                <= %(window_seconds)s
            AND published_at NOT BETWEEN queries.at - %(near)s AND queries.at + %(near)s
        ORDER BY ABS(EXTRACT(EPOCH FROM (published_at - queries.at))), id DESC
        LIMIT %(limit)s
    )
    LIMIT %(limit)s
) AS nearest CROSS JOIN LATERAL (
    SELECT strip(nearest.search_vector) AS words OFFSET 0
) AS vector
"""

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


def text_candidates(wanted, limit):
    """{article_pk: [(pk, section_id, day, headline, deck, mask),
    ...]}: for each (article, terms, when) of `wanted` ({word: idf} terms),
    published articles that may share the terms, for the caller to check
    their headlines and decks.

    On PostgreSQL, in one query for them all: the articles whose search
    vector (headline, deck, tags, body) holds one of the terms, within
    WINDOW_DAYS of `when`, nearest first, `mask` holding the terms found
    (bit i is the i-th term). Elsewhere, where a search over every headline
    would read the whole table, one query per article: the articles of the
    same section nearest in time, NEIGHBOURS before `when` and as many
    after, `mask` 0. `day`: published, in days since 1970."""
    wanted = [(a, list(terms), when) for a, terms, when in wanted if terms]
    if not wanted:
        return {}
    found = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values, params = [], {}
            for i, (article, terms, when) in enumerate(wanted):
                values.append(
                    f"(%(id{i})s, %(at{i})s::timestamptz, %(terms{i})s::text[])"
                )
                params.update(
                    {f"id{i}": article.pk, f"at{i}": when, f"terms{i}": terms}
                )
            sql = SEARCH_SQL.format(values=", ".join(values), config=SEARCH_CONFIG)
            params.update(
                live=Article.Status.PUBLISHED,
                near=timedelta(days=NEAR_DAYS),
                window_seconds=timedelta(days=WINDOW_DAYS).total_seconds(),
                limit=limit,
            )
            cursor.execute(sql, params)
            for article_id, *row in cursor.fetchall():
                found.setdefault(article_id, []).append(tuple(row))
            return found
        for article, _, when in wanted:
            if not article.section_id:
                continue
            when = connection.ops.adapt_datetimefield_value(when)
            side = [article.section_id, Article.Status.PUBLISHED, when, article.pk]
            cursor.execute(NEIGHBOURS_SQL, [*side, NEIGHBOURS, *side, NEIGHBOURS])
            found[article.pk] = cursor.fetchall()
    return found
