"""Search over published articles.

On PostgreSQL: full-text search over the stored, weighted `search_vector`
(headline > deck and tags > body; see migration 0002_search; an imported article
whose vector is still being computed is matched on one computed on the
fly), with `websearch` query syntax (quotes, `or`, `-word`; never a syntax
error), ranked by relevance blended with recency in the statement that finds
the matches (`ranked`, built once per process), which gives their ids and
versions: the page's cards are kept, and their snippets are
articles/search_results.py's.
Only the newest `CANDIDATES` matches are ranked: a query of common words
matches most of the archive, and ranking (and counting) 90,000 matches took
seconds at 100,000 articles. A rarer query has fewer matches than that, and all
of them are ranked. The newest matches are looked for
window by window back from the newest article (`newest_first`), so that
neither common nor middling words read more of the archive than they must;
words that few articles hold, by the table's statistics, are looked for in
one GIN scan of the whole archive instead. A phrase is also looked for by its
adjacent word pairs, stored beside the vectors (migration
0017_search_word_pairs): "police said" is two words in most articles but a
pair in a few.

Elsewhere (SQLite): every word must appear in the headline, deck or body;
newest first.

Either way queries are capped in length and only ever bound as parameters.
"""

from datetime import datetime, timedelta
from functools import cache
from itertools import pairwise

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    DateTimeField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Article
from .prepared import STAND_INS

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
SEARCH_CONFIG = "english"  # the same as in migration 0002_search
RECENCY_DAYS = 30  # an article this old counts for 3/4 of a new one
CANDIDATES = 500  # newest matches ranked by relevance (PostgreSQL)

# What the statements built once (PostgreSQL) are built with, and each search
# puts its own values in place of: the query, the time.
QUERY, NOW = STAND_INS[str], STAND_INS[datetime]


def clean_query(raw):
    return " ".join((raw or "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]


def search_articles(query):
    """Published articles matching `query`, best first."""
    pks = [pk for pk, *_ in find_articles(query)[0]]
    found = Article.objects.in_bulk(pks)
    return [found[pk] for pk in pks]


def find_articles(query):
    """The articles matching `query`, best first, as (pk, version) rows (on
    SQLite, with their bodies), and how many there are if that is known
    without counting them (PostgreSQL: the candidates ranked), else None."""
    if not query.split():
        return [], 0
    if connection.vendor == "postgresql":
        rows = ranked(query)
        return rows, len(rows)
    return simple_search(query).values_list("pk", "version", "body"), None


# An import may write articles whose vector follows a moment later (NULL until
# then; migration 0002_search): those few rows, found by a partial index, are matched
# on a vector computed on the fly.
STORED_VECTOR = '"articles_article"."search_vector"'
PENDING = f"{STORED_VECTOR} IS NULL"
COMPUTED_VECTOR = (
    'articles_search_vector("articles_article"."id", "articles_article"."headline", '
    '"articles_article"."deck", "articles_article"."body")'
)


COMPUTE_MISSING = """
    UPDATE articles_article
    SET search_vector = articles_search_vector(id, headline, deck, body)
    WHERE search_vector IS NULL{only}
"""
SOME_MISSING = (
    " AND id IN (SELECT id FROM articles_article WHERE search_vector IS NULL LIMIT %s)"
)
# Rows per statement when computing every missing vector: each statement
# commits on its own, so a long catch-up keeps what it did if it is stopped.
CATCH_UP_CHUNK = 2000


def compute_missing(cursor, ids=None):
    """Compute the missing vectors (of `ids`, or all of them); rows updated."""
    if ids is None:
        cursor.execute(COMPUTE_MISSING.format(only=""))
    else:
        cursor.execute(COMPUTE_MISSING.format(only=" AND id = ANY(%s)"), [list(ids)])
    return cursor.rowcount


def compute_all_missing():
    """Compute every missing vector (PostgreSQL), a chunk per statement; how
    many were missing."""
    if connection.vendor != "postgresql":
        return 0
    done = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(COMPUTE_MISSING.format(only=SOME_MISSING), [CATCH_UP_CHUNK])
            done += cursor.rowcount
            if cursor.rowcount < CATCH_UP_CHUNK:
                return done


def any_missing():
    """Whether some article waits for its vector (one look at a partial index)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM articles_article WHERE {PENDING})"
        )
        return cursor.fetchone()[0]


# The newest CANDIDATES matches, in one statement: a UNION ALL of the same
# search over date windows going back from the newest article (then everything
# older), newest window first, under a LIMIT. PostgreSQL runs the parts of a
# UNION ALL one after the other, so it stops in the window where it has found
# enough and never runs the older ones (were it to run them in parallel
# workers, the ranked candidates would still be matches, if not all the
# newest). Each window is planned on its own: words in most articles walk the
# date index and stop after a few hundred rows; rarer words intersect the GIN
# index with the window's dates (a BitmapAnd), so only the matches inside the
# window are read to sort them by date. A single statement over the whole
# archive had to do one or the other: a word in a tenth of the articles walked
# the date index testing 5,000 vectors, or read all of its 9,478 matches to
# sort them (docs/benchmarks.md, "Search at 100,000"). The windows' SQL is
# compiled once and repeated with each window's bounds in its parameters:
# compiling a queryset per window cost more Python than running them.
WINDOWS = [timedelta(days=days) for days in (14, 60, 240)]
EARLIER, LATER = timedelta(microseconds=1), timedelta(microseconds=2)  # stand-ins

# Words that few articles hold skip the windows: one GIN scan over the whole
# archive reads all their matches and sorts them, where each window would
# read its slice of the date index again (about 10 ms more at 100,000
# articles). Whether the query is such is read from PostgreSQL's statistics
# of the stored vectors and word pairs (pg_stats: the most common lexemes and
# the share of vectors holding each; a lexeme not listed is rarer than every
# listed one), in the same statement: the query is rare if every match must
# hold a lexeme or a pair (the query tree, its negations left out, has no OR)
# that fewer than FEW articles hold; a phrase of common words may be rare by
# its pairs. Either way the same newest matches are found: the choice only
# decides how PostgreSQL looks for them.
FEW = 2 * CANDIDATES
RARE = """
WITH terms AS MATERIALIZED (
    SELECT querytree(websearch_to_tsquery(%s, %s))::text AS tree,
        coalesce(articles_search_pairs(websearch_to_tsquery(%s, %s))::text, '')
        AS pairs
), lexemes AS (
    SELECT 'search_vector' AS attname, replace(found[1], '''''', '''') AS lexeme
    FROM terms, regexp_matches(tree, '''((?:[^'']|'''')*)''', 'g') AS found
    UNION ALL
    SELECT 'search_pairs', replace(found[1], '''''', '''')
    FROM terms, regexp_matches(pairs, '''((?:[^'']|'''')*)''', 'g') AS found
), stats AS (
    SELECT attname, most_common_elems::text::text[] AS elems,
        most_common_elem_freqs AS freqs
    FROM pg_stats
    WHERE schemaname = current_schema() AND tablename = 'articles_article'
        AND attname IN ('search_vector', 'search_pairs')
), rare AS MATERIALIZED (
    SELECT position('|' IN tree) = 0 AND EXISTS (
        SELECT FROM lexemes JOIN stats USING (attname)
        WHERE coalesce(
            freqs[array_position(elems, lexeme)], freqs[cardinality(elems) + 1]
        ) * (SELECT reltuples FROM pg_class WHERE oid = 'articles_article'::regclass)
        < %s
    ) AS few
    FROM terms
)"""
IS_RARE = RawSQL("(SELECT few FROM rare)", [], output_field=BooleanField())
NOT_RARE = RawSQL("NOT (SELECT few FROM rare)", [], output_field=BooleanField())

# A phrase's adjacent word pairs (migration 0017_search_word_pairs): "police
# said" is two words in most articles but a pair in few, and the pairs' GIN
# index finds those few. Where a query requires no pair (NULL) the condition
# is true; either way the planner works it out before it plans the rest.
REQUIRED_PAIRS = "articles_search_pairs(websearch_to_tsquery(%s::regconfig, %s))"
HOLDS_PAIRS = (
    f"({REQUIRED_PAIRS} IS NULL"
    f' OR "articles_article"."search_pairs" @@ {REQUIRED_PAIRS})'
)
# A phrase of two words alone ('polic' <-> 'said': three nodes, one of them
# `<->`) is decided by its pair ('polic said', the same text without the
# operator): a vector holds the phrase exactly when its pairs hold the pair
# (they are read from its positions), so its stored matches are the pairs'
# index's and no vector is read to check them (about four buffers each,
# stored out of line). Any other query with a phrase is checked on the
# vectors too. The planner keeps one side of the OR, the query being a
# constant, and works out only what that side needs.
SEARCHED = "websearch_to_tsquery(%s::regconfig, %s)"
ONE_PAIR = f"(numnode({SEARCHED}) = 3 AND strpos({SEARCHED}::text, ' <-> ') > 0)"
PHRASE_MATCH = (
    f'({ONE_PAIR} AND "articles_article"."search_pairs"'
    f" @@ replace({SEARCHED}::text, ''' <-> ''', ' ')::tsquery)"
    f" OR (NOT {ONE_PAIR} AND {STORED_VECTOR} @@ {SEARCHED} AND {HOLDS_PAIRS})"
)


def newest_first(matches, candidates, few, windows):
    """The SQL and parameters of a subquery of the primary keys of the newest
    `candidates` of `matches` (querysets of published() articles, the articles
    matching QUERY), taken together."""
    # The newest article's time, looked up once for every window's bounds (a
    # subquery in each bound was planned fourteen times).
    newest_sql, newest_params = (
        Article.objects.published(now=NOW).values("published_at")[:1].query
    ).sql_with_params()
    newest = RawSQL("(SELECT published_at FROM newest)", [], DateTimeField())

    def back(by):
        return ExpressionWrapper(newest - Value(by), output_field=DateTimeField())

    def newest_of(*conditions):
        # The newest of each set (so each may walk the date index and stop),
        # then the newest of those.
        parts = [
            m.filter(*conditions).values_list("pk", "published_at")[:candidates]
            for m in matches
        ]
        compiled = [part.query.sql_with_params() for part in parts]
        union = " UNION ALL ".join(f"({sql})" for sql, _ in compiled)
        return (
            f"SELECT id FROM ({union}) AS matches (id, published_at)"
            " ORDER BY published_at DESC, id DESC LIMIT %s",
            [*(p for _, params in compiled for p in params), candidates],
        )

    whole_sql, whole_params = newest_of(IS_RARE)
    window_sql, window_params = newest_of(
        NOT_RARE, Q(published_at__gt=back(EARLIER), published_at__lte=back(LATER))
    )
    older_sql, older_params = newest_of(NOT_RARE, Q(published_at__lte=back(LATER)))
    bounds = [timedelta(0), *windows]
    parts = [whole_sql]
    params = [*[SEARCH_CONFIG, QUERY] * 2, few, *newest_params, *whole_params]
    for later, earlier in pairwise(bounds):
        parts.append(window_sql)
        params += [bound(p, earlier, later) for p in window_params]
    parts.append(older_sql)
    params += [bound(p, None, bounds[-1]) for p in older_params]
    sql = (
        f"{RARE}, newest AS MATERIALIZED ({newest_sql}) "
        + " UNION ALL ".join(f"({part})" for part in parts)
        + " LIMIT %s"
    )
    return sql, [*params, candidates]


def bound(param, earlier, later):
    return earlier if param == EARLIER else later if param == LATER else param


def ranked(query):
    """The (pk, version) of the newest CANDIDATES matches of `query`, best
    first: one statement, its SQL built once per process (`ranking`)."""
    sql, params = ranking('"' in query, CANDIDATES, FEW, tuple(WINDOWS))
    now = timezone.now()
    values = [query if p == QUERY else now if p == NOW else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


@cache
def ranking(phrase, candidates, few, windows):
    """The SQL and parameters of `ranked()` for a query that is a phrase or not,
    with QUERY and NOW standing in for the query and the time: building it
    (a dozen querysets) cost more Python than the page's whole render."""
    search_query = SearchQuery(QUERY, search_type="websearch", config=SEARCH_CONFIG)
    stored = RawSQL(STORED_VECTOR, [], output_field=SearchVectorField())
    computed = RawSQL(COMPUTED_VECTOR, [], output_field=SearchVectorField())
    pending = RawSQL(PENDING, [], output_field=BooleanField())
    age_days = RawSQL(
        'GREATEST(EXTRACT(EPOCH FROM (NOW() - "articles_article"."published_at")), 0)'
        " / 86400.0",
        [],
        output_field=FloatField(),
    )
    # Two sets, searched as one: a single condition (stored OR pending and
    # computed) is tested again on every row the GIN scan finds, which reads
    # each match's vector; the stored matches alone are taken from the index.
    live = Article.objects.published(now=NOW)
    if phrase:  # a quoted phrase, which may require pairs
        match = RawSQL(PHRASE_MATCH, [SEARCH_CONFIG, QUERY] * 8, BooleanField())
        stored_matches = live.filter(match)
    else:
        stored_matches = live.alias(stored=stored).filter(stored=search_query)
    matches = [
        stored_matches,
        live.alias(computed=computed, pending=pending).filter(
            pending=True, computed=search_query
        ),
    ]
    # A subquery of its own: the raw SQL of the windows names the article
    # table, which there is the subquery's.
    newest = RawSQL(*newest_first(matches, candidates, few, windows))
    ranked = (
        live.filter(pk__in=newest)
        .alias(stored=stored, computed=computed)
        .annotate(
            score=SearchRank(
                Coalesce(F("stored"), F("computed")), search_query, cover_density=True
            )
            * (0.5 + 0.5 / (1.0 + age_days / RECENCY_DAYS))
        )
        .order_by("-score", "-published_at", "-pk")
        .values_list("pk", "version")
    )
    return ranked.query.sql_with_params()


def simple_search(query):
    match = Q()
    for word in query.split()[:MAX_WORDS]:
        match &= (
            Q(headline__icontains=word)
            | Q(deck__icontains=word)
            | Q(body__icontains=word)
        )
    return Article.objects.published().filter(match)
