"""The words of live articles' headlines and decks, one row per (word,
article): an inverted index that related links read instead of the search
vectors (`articles.related_words`)."""

from django.db import models

from .article import Article


class RelatedWord(models.Model):
    """One word of a published article's headline or deck, with the article's
    publication time: "the nearest stories sharing this word" is then one range
    of the (word, published_at) index, read without the article rows."""

    word = models.CharField(max_length=40)
    published_at = models.DateTimeField()
    # Indexed with its words below: an article's words are then read from
    # the index alone (which terms a candidate shares, `related_ranking`).
    # No database constraint: checking it cost PostgreSQL as much as writing
    # the rows (some 15 an article, checked one by one when an import's batch
    # commits), and the table is derived from the articles (`rebuild`).
    # Deleting an article deletes its words all the same (Django's cascade).
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["word", "published_at", "article"], name="related_word_idx"
            ),
            models.Index(fields=["article", "word"], name="related_word_article_idx"),
        ]

    def __str__(self):
        return f"{self.word} ({self.article_id})"
