"""How a candidate for a related link is scored: the constants, what it
shares with the article (its reason), and the ranking in Python that SQLite
uses (`rank`); PostgreSQL ranks the same way in one statement
(`related_ranking`, given these constants by `related.RANKING`)."""

import math
from dataclasses import dataclass

from .related_text import finder, text_score

SHOWN = 5  # links on the page
SAME_SECTION_BONUS = 1.3
TIME_SCALE_DAYS = 30.0
TEXT_SHARE = 0.5  # a shared distinctive word counts half as much as a tag as rare
THIN = SHOWN  # tags are thin below this many candidates that share a word too
# Links below this are not stored: fewer links rather than filler. Links
# share a tag or a word; this leaves out a tag on (nearly) every article.
MIN_SCORE = 0.1


@dataclass
class Candidate:
    article_id: int
    tag_score: float
    mask: int  # the shared tags: bit i is the i-th of the article's weights
    section_id: int = None
    day: float = None  # published, in days since 1970 (`day_of`)
    text_mask: int = 0  # the shared terms: bit i is the i-th of the article's terms
    days_apart: float = None
    same_section: bool = False
    score: float = 0.0

    def reason(self, weights, terms):
        parts = []
        shared = sorted(
            (-idf, i, name)
            for i, (name, idf) in enumerate(weights.values())
            if self.mask >> i & 1
        )
        if shared:
            parts.append("shared tags: " + ", ".join(n for *_, n in shared[:4]))
        words = [term for i, term in enumerate(terms) if self.text_mask >> i & 1]
        if words:
            parts.append("shared words: " + ", ".join(words))
        if self.same_section:
            parts.append("same section")
        if self.days_apart is not None:
            parts.append(f"{self.days_apart:.0f} days apart")
        return "; ".join(parts)[:300]


def day_of(moment):
    return None if moment is None else moment.timestamp() / 86400


def tag_candidates(rows, terms):
    """{pk: Candidate} from the scoring query's rows (pk, section_id,
    day, tag score, tag mask, headline, deck), with the `terms` each
    holds in its headline and deck."""
    text_mask = finder(terms)
    return {
        pk: Candidate(
            pk,
            float(score),
            int(mask),
            section_id,
            day,
            text_mask(headline, deck),
        )
        for pk, section_id, day, score, mask, headline, deck in rows
    }


def is_thin(candidates):
    """Whether too few of the tags' candidates share a word with the article."""
    return sum(1 for c in candidates.values() if c.text_mask) < THIN


def rank(article, candidates, terms, by_words=()):
    """Re-rank `candidates` ({pk: Candidate}, updated) with the stories found
    by words (`by_words`: rows of `related_text.text_candidates`), shared
    words, section and time; best first, those scoring at least MIN_SCORE
    only."""
    text_mask = finder(terms)
    for pk, section_id, day, headline, deck, found in by_words:
        found |= text_mask(headline, deck)
        if not found:
            continue  # shares no word: it would score nothing
        if pk in candidates:
            candidates[pk].text_mask |= found
        else:
            candidates[pk] = Candidate(pk, 0.0, 0, section_id, day, found)

    when = day_of(article.published_at)
    for c in candidates.values():
        closeness = 0.4
        if when is not None and c.day is not None:
            c.days_apart = abs(when - c.day)
            closeness += 0.6 * math.exp(-c.days_apart / TIME_SCALE_DAYS)
        c.same_section = c.section_id == article.section_id
        section = SAME_SECTION_BONUS if c.same_section else 1.0
        text = TEXT_SHARE * text_score(terms, c.text_mask)
        c.score = (c.tag_score + text) * section * closeness
    ranked = [c for c in candidates.values() if c.score >= MIN_SCORE]
    ranked.sort(key=lambda c: (-c.score, -c.article_id))
    return ranked
