"""Search: the adjacent word pairs of each search vector, so that a phrase of
common words is a lookup of a GIN index.

A phrase such as "police said" matched nearly every article by its words
(both in 95% of them at 100,000 articles) and the GIN index of the vectors,
which knows words but not their positions, could not narrow it: PostgreSQL
read and tested the vector of every article holding both words, newest
first, until enough matched. `articles_article.search_pairs` holds a lexeme
for every two adjacent positions of the article's `search_vector` (`polic
said`: the two lexemes with a space between; the parser never puts a space
in a lexeme), without positions, with its own GIN index: a phrase is also
looked up by its pairs, and checked on the articles that hold them alone.

- `articles_word_pairs(vector)`: the pairs of a vector, read from its
  positions, so a pair is there exactly when the phrase of its two words
  matches the vector (across a sentence, a stop word left out of the
  positions, or the headline and the deck, as before).
- A trigger keeps `search_pairs` to `search_vector` on every write that
  changes it (the article's text, an `UPDATE` of the vector by the tag
  triggers or the tasks that compute deferred vectors; a deferred vector,
  NULL, has NULL pairs). It is named to run after 0002_search's trigger,
  which computes the vector it reads.
- `articles_search_pairs(query)`: the pairs every match of a
  `websearch_to_tsquery` query must hold (`'polic said'` for `"police
  said"`), or NULL: none under an OR, a negation or parentheses.

The pairs are a separate column, not more lexemes in the vector: ranking
reads the vectors of 500 candidates and would read twice as much, and the
table's statistics of the vector (search.py reads them to tell rare words)
would list pairs instead of words. Existing vectors get their pairs here, read
from the vectors themselves (minutes at 100,000 articles; docs/deploy.md).
"""

from django.db import migrations

PAIRS = """
    CREATE FUNCTION articles_word_pairs(vector tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
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
# or parentheses left over, and there are none. In PL/pgSQL, whose plans a
# session keeps: the planner runs it for each place a statement names it.
QUERY = rf"""
    CREATE FUNCTION articles_search_pairs(asked tsquery) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
    DECLARE
        kept text := regexp_replace(
            asked::text, '!({LEXEME}|\( [^()]* \))', '', 'g'
        );
        pairs text;
    BEGIN
        IF position('<->' IN kept) = 0 OR kept ~ '[|!()]' THEN
            RETURN NULL;
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
        RETURN pairs::tsquery;
    END
    $$
"""

KEEP = """
    CREATE FUNCTION articles_article_search_pairs() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_pairs := articles_word_pairs(NEW.search_vector);
        RETURN NEW;
    END
    $$
"""

# The pairs of the vectors stored before this migration.
FILL = """
    UPDATE articles_article SET search_pairs = articles_word_pairs(search_vector)
    WHERE search_vector IS NOT NULL
"""

FORWARD = [
    PAIRS,
    QUERY,
    "ALTER TABLE articles_article ADD COLUMN search_pairs tsvector",
    KEEP,
    """
    CREATE TRIGGER articles_article_search_vector_pairs
    BEFORE INSERT OR UPDATE OF headline, deck, body, search_vector
    ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_pairs()
    """,
    FILL,
    # Without GIN's pending list: while writes wait in it, every search reads
    # it and the planner prices the index higher, and a phrase of common words
    # went back to walking the date index (docs/benchmarks.md). A save adds
    # its pairs to the index at once instead.
    "CREATE INDEX article_search_pairs_idx ON articles_article "
    "USING GIN (search_pairs) WITH (fastupdate = off)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS article_search_pairs_idx",
    "DROP TRIGGER IF EXISTS articles_article_search_vector_pairs ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_pairs()",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_pairs",
    "DROP FUNCTION IF EXISTS articles_search_pairs(tsquery)",
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
    """The word pairs of the search vectors and their index (PostgreSQL; no
    model changes)."""

    dependencies = [("articles", "0016_link_times")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]
