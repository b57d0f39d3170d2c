"""Search over published articles.

A simple case-insensitive match over headline, deck and body. Queries are
capped in length and only ever used as bound parameters.
"""

from django.db.models import Q

from .models import Article

MAX_QUERY_LENGTH = 200


def clean_query(raw):
    return " ".join((raw or "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]


def search_articles(query):
    """Published articles matching every word of `query`, newest first."""
    words = query.split()[:10]
    if not words:
        return Article.objects.none()
    match = Q()
    for word in words:
        match &= (
            Q(headline__icontains=word)
            | Q(deck__icontains=word)
            | Q(body__icontains=word)
        )
    return Article.objects.published().filter(match)
