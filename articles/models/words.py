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
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", db_index=False
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
