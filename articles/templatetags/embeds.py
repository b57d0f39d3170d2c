"""The article body as readers see it: embeds wait for a click (articles/embeds.py)."""

from django import template
from django.utils.safestring import mark_safe

from articles import embeds

register = template.Library()


@register.filter
def with_embed_placeholders(body):
    """A stored (already sanitized) body, its embeds as click-to-load placeholders."""
    return mark_safe(embeds.render_placeholders(body or ""))
