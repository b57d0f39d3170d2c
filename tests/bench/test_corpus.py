"""The benchmark corpus: deterministic, prefix-stable, and shaped as promised."""

import io
import json
from collections import Counter

import pytest

from articles.models import tag_key
from bench.corpus import SECTIONS, Corpus, write


def generate(articles, seed=1, offset=0, stories=True):
    out, truth = io.StringIO(), io.StringIO()
    write(out, articles, seed=seed, stories=stories, offset=offset, truth=truth)
    items = [json.loads(line) for line in out.getvalue().splitlines()]
    clusters = [json.loads(line) for line in truth.getvalue().splitlines()]
    return items, clusters


@pytest.fixture(scope="module")
def corpus():
    return generate(2000)


def test_same_seed_same_corpus_other_seed_other_corpus():
    assert generate(50) == generate(50)
    assert generate(50)[0] != generate(50, seed=2)[0]


def test_a_prefix_is_the_smaller_corpus_and_offsets_continue_it(corpus):
    items, clusters = corpus
    assert generate(1200) == (
        items[:1200],
        [c for c in clusters if c["uri"] in {i["uri"] for i in items[:1200]}],
    )
    tail, _ = generate(2000, offset=1990)
    assert tail == items[1990:]


def test_articles_are_ninjs_with_realistic_lengths(corpus):
    items, _ = corpus
    item = items[0]
    assert item["type"] == "text" and item["pubstatus"] == "usable"
    assert item["headlines"][0]["value"]
    assert item["bodies"][0]["contenttype"] == "text/html"
    assert item["by"].startswith("By ")
    assert item["genres"][0]["name"] in SECTIONS
    words = sorted(len(i["bodies"][0]["value"].split()) for i in items)
    assert 300 < words[len(words) // 2] < 1000
    assert {len(i["subjects"]) for i in items} == set(range(2, 9))
    assert {i["genres"][0]["name"] for i in items} == set(SECTIONS)
    years = {i["firstcreated"][:4] for i in items}
    assert len(years) == 3


def test_tags_are_skewed_with_a_long_tail_and_spelling_variants(corpus):
    items, _ = corpus
    uses = Counter(tag_key(s["name"]) for i in items for s in i["subjects"])
    spellings = {}
    for i in items:
        for s in i["subjects"]:
            spellings.setdefault(tag_key(s["name"]), set()).add(s["name"])
    ranked = [n for _, n in uses.most_common()]
    assert len(uses) > 1000
    assert ranked[0] > 20 * ranked[len(ranked) // 2]  # a few very common tags
    assert sum(1 for n in ranked if n <= 2) > len(ranked) / 4  # a long tail
    assert sum(1 for s in spellings.values() if len(s) > 1) > 50


def test_authors_come_from_a_skewed_pool():
    corpus = Corpus(seed=1)
    assert 200 <= len(set(corpus.authors)) <= 500
    items, _ = generate(500, stories=False)
    bylines = Counter(i["by"] for i in items)
    assert bylines.most_common(1)[0][1] > 5


def test_story_clusters_share_rare_tags_and_are_listed_in_the_truth(corpus):
    items, clusters = corpus
    by_uri = {i["uri"]: i for i in items}
    stories = {}
    for c in clusters:
        stories.setdefault(c["story"], []).append(by_uri[c["uri"]])
    assert 0.25 < len(clusters) / len(items) < 0.35
    sizes = sorted(len(m) for m in stories.values())
    assert sizes[len(sizes) // 2] >= 4 and sizes[-1] <= 30
    members = max(stories.values(), key=len)
    tags = Counter(tag_key(s["name"]) for i in members for s in i["subjects"])
    shared, count = tags.most_common(1)[0]
    assert count >= len(members) / 2
    everywhere = Counter(tag_key(s["name"]) for i in items for s in i["subjects"])
    assert everywhere[shared] < len(items) / 20  # a rare tag, not a common one


def test_without_stories_there_is_no_truth():
    items, clusters = generate(100, stories=False)
    assert len(items) == 100 and clusters == []
