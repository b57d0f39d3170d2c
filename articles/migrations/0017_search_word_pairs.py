"""Search: adjacent word pairs in the search vector, so that a phrase of
common words is a lookup of the GIN index.

A phrase such as "police said" matched nearly every article by its words
(both in 95% of them at 100,000 articles) and the GIN index, which knows
words but not their positions, could not narrow it: PostgreSQL read and
tested the vector of every article holding both words, newest first, until
enough matched. Each vector now also holds a lexeme for every pair of
adjacent positions (`polic said`, the two lexemes with a space between; the
parser never puts a space in a lexeme), without positions, and a phrase's
query also asks for its pairs: the GIN index finds the articles holding
"police" right before "said" and the phrase is checked on those alone.

- `articles_word_pairs(vector)`: the pairs of a vector, read from its
  positions, so a pair is there exactly when the phrase of its two words
  matches the vector (across a sentence, a stop word left out of the
  positions, or the headline and the deck, as before).
- `articles_search_vector(...)` (0002_search) appends them: every path that
  computes a vector (the triggers, a deferred import's tasks, a pending
  vector computed on the fly) gets them.
- `articles_search_query(query)`: a `websearch_to_tsquery` query and the
  pairs its phrases require (`'polic' <-> 'said' & 'polic said'`): the same
  matches, found through the index. Only pairs every match must hold are
  added: none under an OR, a negation or parentheses.

Existing vectors get their pairs here, read from the vectors themselves (a
few minutes at 100,000 articles; docs/deploy.md). Ranking and snippets are
unchanged: ranking reads only the query's own words' positions, and snippets
are cut from the text.
"""

from django.db import migrations

PAIRS = """
    CREATE FUNCTION articles_word_pairs(vector tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(
            array_to_tsvector(array_agg(first.lexeme || ' ' || second.lexeme)), ''
        )
        FROM (SELECT lexeme, unnest(positions) AS at FROM unnest(vector)) AS first
        JOIN (SELECT lexeme, unnest(positions) AS at FROM unnest(vector)) AS second
            ON second.at = first.at + 1
    $$
"""

# A quoted lexeme as tsquery prints it ('' for a quote), in an SQL string.
LEXEME = "''(?:[^'']|'''')*''"

# The query text without its negated words and phrases (websearch writes
# them !'word' and !( 'a' <-> 'b' )); what is left is split into tokens, and
# each `'a' <-> 'b'` of them is a pair. Left-deep phrases (the only ones
# printed without parentheses) put the right word one position after the
# left's last, so each such pair is one every match holds; an OR, a negation
# or parentheses left over, and no pairs are added. In PL/pgSQL, whose plans
# a session keeps: the planner runs it for each place a statement names it.
QUERY = rf"""
    CREATE FUNCTION articles_search_query(asked tsquery) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
        kept text := regexp_replace(
            asked::text, '!({LEXEME}|\( [^()]* \))', '', 'g'
        );
        pairs text;
    BEGIN
        IF position('<->' IN kept) = 0 OR kept ~ '[|!()]' THEN
            RETURN asked;
        END IF;
        SELECT string_agg(
            '''' || substr(first, 2, length(first) - 2) || ' '
            || substr(second, 2, length(second) - 2) || '''',
            ' & '
        ) INTO pairs
        FROM (
            SELECT token[1] AS first, lead(token[1]) OVER (ORDER BY n) AS operator,
                lead(token[1], 2) OVER (ORDER BY n) AS second
            FROM regexp_matches(kept, '{LEXEME}\S*|\S+', 'g')
                WITH ORDINALITY AS tokens (token, n)
        ) AS triples
        WHERE operator = '<->' AND first ~ '^{LEXEME}$' AND second ~ '^{LEXEME}$';
        RETURN CASE WHEN pairs IS NULL THEN asked ELSE asked && pairs::tsquery END;
    END
    $$
"""


def vector_function(pairs):
    """0002_search's `articles_search_vector`, with or without the pairs."""
    words = """
        setweight(to_tsvector('english', coalesce(headline, '')), 'A')
        || setweight(to_tsvector('english', coalesce(deck, '')), 'B')
        || setweight(to_tsvector('english', coalesce((
            SELECT string_agg(tag.name, ' ')
            FROM articles_articletag link
            JOIN articles_tag tag ON tag.id = link.tag_id
            WHERE link.content_object_id = article_id
        ), '')), 'B')
        || setweight(to_tsvector('english', regexp_replace(
            coalesce(body, ''), '<[^>]*>', ' ', 'g'
        )), 'C')
    """
    body = (
        f"SELECT words || articles_word_pairs(words) FROM (SELECT {words} AS words) AS v"
        if pairs
        else f"SELECT {words}"
    )
    return f"""
        CREATE OR REPLACE FUNCTION articles_search_vector(
            article_id bigint, headline text, deck text, body text
        ) RETURNS tsvector
        LANGUAGE sql STABLE AS $$ {body} $$
    """


FORWARD = [
    PAIRS,
    QUERY,
    vector_function(pairs=True),
    # The stored vectors: their pairs from their own positions (no parsing).
    "UPDATE articles_article SET search_vector = "
    "search_vector || articles_word_pairs(search_vector) "
    "WHERE search_vector IS NOT NULL",
]

BACKWARD = [
    vector_function(pairs=False),
    "UPDATE articles_article SET search_vector = ts_delete(search_vector, "
    "ARRAY(SELECT lexeme FROM unnest(search_vector) WHERE lexeme LIKE '% %')) "
    "WHERE search_vector IS NOT NULL",
    "DROP FUNCTION IF EXISTS articles_search_query(tsquery)",
    "DROP FUNCTION IF EXISTS articles_word_pairs(tsvector)",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    """Adjacent word pairs in the search vector (PostgreSQL; no model changes)."""

    dependencies = [("articles", "0015_related_words")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]
