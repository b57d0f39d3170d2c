"""Related links ranked in the database (PostgreSQL): one statement per chunk
of articles returns each one's best STORED links, so the client only writes
rows. See `related` for what a link's score is made of; this computes the
same score, with the same constants, from:

- the article's kept tags and their weights (`related_weights.weights_from`),
  and its distinctive words (`related_text.terms_of`), sent as arrays;
- the postings of the tags (the `(tag, article)` index), the best CANDIDATES
  by tag score kept, the published ones among them looked up;
- the words each candidate holds (`models.RelatedWord`, by article: an
  article's rows were written together, so a page or two), instead of the
  headline and deck read by the client and searched with regular
  expressions;
- for the articles whose tags are thin, the stories nearest in time that
  hold one of their words (two ranges of the `(word, published_at)` index per
  word, as `related_text.text_candidates` did);
- the editors' choices for the chunk (pins and exclusions), left out.

SQLite has no lateral joins: it keeps the ranking in Python (`related_scoring.rank`).
"""

from datetime import timedelta

from django.db import connection

from .models import Article, ArticleTag, RelatedLink, RelatedWord
from .prepared import planned_once
from .related_text import MATCHES, WINDOW_DAYS

# Each article's weights are a slice of the chunk's arrays, [w_from:w_to];
# its terms (`words`, bit i the i-th) and their `idfs` too, [t_from:t_to].
RANK_SQL = """
WITH chunk AS (
    SELECT article_id, section_id, at, w_from, w_to,
        (%(t_words)s::text[])[t_from:t_to] AS words,
        (%(t_idfs)s::float8[])[t_from:t_to] AS idfs
    FROM unnest(%(ids)s::bigint[], %(sections)s::bigint[],
        %(ats)s::timestamptz[], %(w_from)s::int[], %(w_to)s::int[],
        %(t_from)s::int[], %(t_to)s::int[])
        AS chunk (article_id, section_id, at, w_from, w_to, t_from, t_to)
),
-- The best CANDIDATES by the weights of the tags they share, the published
-- ones among them.
tagged AS (
    SELECT chunk.article_id, top.candidate, top.tag_score, top.tag_mask,
        article.section_id, article.published_at
    FROM chunk CROSS JOIN LATERAL (
        SELECT link.content_object_id AS candidate, SUM(w.idf) AS tag_score,
            SUM(w.bit) AS tag_mask
        FROM unnest(
            (%(w_tags)s::bigint[])[chunk.w_from:chunk.w_to],
            (%(w_idfs)s::float8[])[chunk.w_from:chunk.w_to],
            (%(w_bits)s::bigint[])[chunk.w_from:chunk.w_to]
        ) AS w (tag_id, idf, bit)
        JOIN {tags} link ON link.tag_id = w.tag_id
        WHERE link.content_object_id <> chunk.article_id
        GROUP BY link.content_object_id
        ORDER BY tag_score DESC, candidate DESC
        LIMIT %(candidates)s
    ) AS top
    JOIN {articles} article ON article.id = top.candidate
    WHERE article.status = %(live)s
),
tagged_words AS (
    SELECT tagged.*, shared.text_mask, shared.text_score
    FROM tagged JOIN chunk USING (article_id)
    CROSS JOIN LATERAL ({tagged_shared}) AS shared
),
-- Thin: fewer than THIN of those share a word. These look for stories by
-- their words: for each word, the MATCHES nearest stories holding it on each
-- side in time, read from the index alone; the MATCHES nearest of their union.
thin AS (
    SELECT chunk.* FROM chunk LEFT JOIN (
        SELECT article_id, COUNT(*) AS sharing FROM tagged_words
        WHERE text_mask > 0 GROUP BY article_id
    ) AS shared USING (article_id)
    WHERE COALESCE(shared.sharing, 0) < %(thin)s
),
wanted AS (
    SELECT thin.article_id, COALESCE(thin.at, now()) AS at, t.word
    FROM thin CROSS JOIN unnest(thin.words) AS t (word)
),
near AS (
    SELECT wanted.article_id, near.article_id AS candidate,
        MIN(ABS(EXTRACT(EPOCH FROM near.published_at - wanted.at))) AS apart
    FROM wanted CROSS JOIN LATERAL (
        (
            SELECT article_id, published_at FROM {words}
            WHERE word = wanted.word AND published_at <= wanted.at
                AND published_at >= wanted.at - %(window)s
            ORDER BY published_at DESC LIMIT %(matches)s
        ) UNION ALL (
            SELECT article_id, published_at FROM {words}
            WHERE word = wanted.word AND published_at > wanted.at
                AND published_at <= wanted.at + %(window)s
            ORDER BY published_at LIMIT %(matches)s
        )
    ) AS near
    WHERE near.article_id <> wanted.article_id
    GROUP BY wanted.article_id, near.article_id
),
by_words AS (
    SELECT placed.article_id, placed.candidate, 0::float8 AS tag_score,
        0::bigint AS tag_mask, article.section_id, article.published_at
    FROM (
        SELECT article_id, candidate, ROW_NUMBER() OVER (
            PARTITION BY article_id ORDER BY apart, candidate DESC
        ) AS place
        FROM near
    ) AS placed
    JOIN {articles} article ON article.id = placed.candidate
    WHERE placed.place <= %(matches)s AND article.status = %(live)s
        AND NOT EXISTS (
            SELECT FROM tagged WHERE tagged.article_id = placed.article_id
                AND tagged.candidate = placed.candidate
        )
),
candidates AS (
    SELECT * FROM tagged_words
    UNION ALL
    SELECT by_words.*, shared.text_mask, shared.text_score
    FROM by_words JOIN chunk USING (article_id)
    CROSS JOIN LATERAL ({found_shared}) AS shared
),
chosen AS (
    SELECT article_id, target_id AS candidate FROM {links}
    WHERE article_id = ANY (%(ids)s::bigint[])
        AND kind IN (%(pinned)s, %(excluded)s)
),
-- Section, closeness in time; the editors' choices left out.
scored AS (
    SELECT candidates.article_id, candidates.candidate, tag_mask, text_mask,
        candidates.section_id IS NOT DISTINCT FROM chunk.section_id
            AS same_section,
        ABS(date_part('epoch', chunk.at) / 86400
            - date_part('epoch', candidates.published_at) / 86400) AS days_apart,
        tag_score + %(text_share)s * text_score AS shared_score
    FROM candidates JOIN chunk USING (article_id)
    WHERE NOT EXISTS (
        SELECT FROM chosen WHERE chosen.article_id = candidates.article_id
            AND chosen.candidate = candidates.candidate
    )
),
ranked AS (
    SELECT scored.*, total.score, ROW_NUMBER() OVER (
        PARTITION BY article_id ORDER BY total.score DESC, candidate DESC
    ) AS place
    FROM scored CROSS JOIN LATERAL (
        SELECT shared_score
            * CASE WHEN same_section THEN %(section_bonus)s ELSE 1 END
            * (0.4 + COALESCE(0.6 * exp(-days_apart / %(time_scale)s), 0))
            AS score
    ) AS total
    WHERE total.score >= %(min_score)s
)
SELECT article_id, candidate, score, tag_mask, text_mask, same_section,
    days_apart
FROM ranked
WHERE place <= %(stored)s
ORDER BY article_id, place
"""

# The article's terms a candidate holds in its headline or deck, from the
# candidate's words: bit i for the i-th term. The candidate's words are read
# in one range of the article's index and tested here (`word = ANY (...)`
# would descend the index once per term).
SHARED_SQL = """
    SELECT
        COALESCE(SUM(1::bigint << (array_position(chunk.words, word.word) - 1)), 0)
            AS text_mask,
        COALESCE(SUM(chunk.idfs[array_position(chunk.words, word.word)]), 0)
            AS text_score
    FROM {words} word
    WHERE cardinality(chunk.words) > 0 AND word.article_id = {candidate}.candidate
        AND array_position(chunk.words, word.word) IS NOT NULL
"""


def ranking_settings(size):
    """The `SET LOCAL` statements a refresh of `size` articles sends before its
    ranking (PostgreSQL).

    The statement is prepared (`prepared.planned_once`). One article's is
    costlier to plan than to run: its plan is made once per connection, for
    any article (a generic plan; PostgreSQL would plan each article's anew,
    its estimates for an array of unknown size being a chunk's). A chunk's is
    planned for its articles: a generic plan ran a chunk of five in twice the
    time. The planner's estimates are a chunk's, high: compiling the
    statement (JIT) took longer than running it. And outside a transaction,
    computed links are derived data (`manage.py refresh_related` rebuilds
    them): the commit need not wait for the disk, which was most of the time
    a refresh took.
    """
    plans = "force_generic_plan" if size == 1 else "force_custom_plan"
    settings = f"SET LOCAL jit TO OFF; SET LOCAL plan_cache_mode TO {plans}; "
    if not connection.in_atomic_block:
        settings = "SET LOCAL synchronous_commit TO OFF; " + settings
    return settings


def ranked_rows(articles, weights, terms, constants):
    """[(article_id, target_id, score, tag mask, text mask, same section,
    days apart), ...]: the best links of each of `articles`, best first, at
    most `constants["stored"]` each. `weights`: {article_id: {tag_id: (name,
    idf)}}; `terms`: {article_id: {word: idf}}; `constants`: the scoring's
    (see `related`)."""
    params = {
        "ids": [a.pk for a in articles],
        "sections": [a.section_id for a in articles],
        "ats": [a.published_at for a in articles],
        **{k: [] for k in ("w_from", "w_to", "w_tags", "w_idfs", "w_bits")},
        **{k: [] for k in ("t_from", "t_to", "t_words", "t_idfs")},
    }
    for article in articles:
        params["w_from"].append(len(params["w_tags"]) + 1)
        for i, (tag_id, (_, idf)) in enumerate(weights.get(article.pk, {}).items()):
            params["w_tags"].append(tag_id)
            params["w_idfs"].append(idf)
            params["w_bits"].append(1 << i)
        params["w_to"].append(len(params["w_tags"]))
        params["t_from"].append(len(params["t_words"]) + 1)
        params["t_words"] += terms[article.pk]
        params["t_idfs"] += terms[article.pk].values()
        params["t_to"].append(len(params["t_words"]))
    words = quoted(RelatedWord)
    sql = RANK_SQL.format(
        tags=quoted(ArticleTag),
        articles=quoted(Article),
        words=words,
        links=quoted(RelatedLink),
        tagged_shared=SHARED_SQL.format(words=words, candidate="tagged"),
        found_shared=SHARED_SQL.format(words=words, candidate="by_words"),
    )
    params.update(
        live=Article.Status.PUBLISHED,
        pinned=RelatedLink.Kind.PINNED,
        excluded=RelatedLink.Kind.EXCLUDED,
        matches=MATCHES,
        window=timedelta(days=WINDOW_DAYS),
        **constants,
    )
    return planned_once(sql, params)


def quoted(model):
    return connection.ops.quote_name(model._meta.db_table)
