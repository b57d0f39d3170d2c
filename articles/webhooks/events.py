"""What happened to articles since the last round, as events.

No write has to announce anything: each round looks at the articles changed
(`updated_at`), gone live (`published_at`, for scheduled stories) or
corrected since the last round, compares each with what the last round saw
(`ArticleState`) and records a `Delivery` per event and endpoint, with the
new state, in one transaction. A round that dies is repeated by the next one;
an edit made while a round runs is seen by the next (the window overlaps).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from articles.models import Article, Correction
from articles.ninjs import article_to_ninjs
from articles.views import article_queryset

from .models import ArticleState, Delivery, Endpoint, Scan

OVERLAP = timedelta(minutes=2)  # writes commit out of order: look back a little
CHUNK = 500

Event = Endpoint.Event


def changed_since(since, now):
    """Pks of the articles that may have an event between `since` and `now`."""
    corrected = Correction.objects.filter(created_at__gt=since).values("article_id")
    return list(
        Article.objects.filter(
            Q(updated_at__gt=since)
            | Q(published_at__gt=since, published_at__lte=now)
            | Q(pk__in=corrected)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def event_of(state, article, live, since):
    """The event from `state` to what `article` is now. An article no round
    saw before is "published" if it was made or went live in this round's
    window, else (an old story edited) "updated"."""
    version, corrections = article.version, article.correction_count
    if state is None:
        if not live:
            return None
        new = article.created_at > since or article.published_at > since
        return Event.PUBLISHED if new else Event.UPDATED
    if live and not state.live:
        return Event.PUBLISHED
    if state.live and not live:
        return Event.WITHDRAWN
    if live and corrections > state.corrections:
        return Event.CORRECTED
    if live and version != state.version:
        return Event.UPDATED
    return None


def find(now=None):
    """Record the deliveries of what happened since the last round; returns
    how many."""
    now = now or timezone.now()
    endpoints = list(Endpoint.objects.filter(active=True))
    if not endpoints:
        return 0
    scan = Scan.objects.first()
    since = (scan.until if scan else min(e.created_at for e in endpoints)) - OVERLAP
    pks = changed_since(since, now)
    made = 0
    for start in range(0, len(pks), CHUNK):
        made += record(pks[start : start + CHUNK], endpoints, since, now)
    Scan.objects.update_or_create(pk=1, defaults={"until": now})
    return made


def record(pks, endpoints, since, now):
    articles = (
        article_queryset()
        .filter(pk__in=pks)
        .annotate(correction_count=Count("corrections", distinct=True))
    )
    live_pks = set(
        Article.objects.published().filter(pk__in=pks).values_list("pk", flat=True)
    )
    states = ArticleState.objects.in_bulk(pks)
    deliveries, new_states = [], []
    for article in articles:
        live = article.pk in live_pks
        event = event_of(states.get(article.pk), article, live, since)
        new_states.append(
            ArticleState(
                article_id=article.pk,
                live=live,
                version=article.version,
                corrections=article.correction_count,
            )
        )
        if event is None:
            continue
        payload = None
        for endpoint in endpoints:
            if event not in endpoint.events:
                continue
            payload = payload or {"event": event, "article": article_to_ninjs(article)}
            deliveries.append(
                Delivery(
                    endpoint=endpoint,
                    event=event,
                    article=article,
                    payload=payload,
                    next_attempt_at=now,
                )
            )
    with transaction.atomic():
        ArticleState.objects.bulk_create(
            new_states,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["live", "version", "corrections"],
        )
        Delivery.objects.bulk_create(deliveries)
    return len(deliveries)
