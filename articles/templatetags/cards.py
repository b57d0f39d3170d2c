"""`{% card article variant="side" ... %}`: a story card, rendered once per version.

The same card as `{% include "includes/article_card.html" with article=article
... only %}`, kept by articles/card_cache.py; `template="..."` renders another
card template the same way (the home page's lead).
"""

from django import template
from django.utils.safestring import mark_safe

from ..card_cache import render_card

register = template.Library()


@register.simple_tag(takes_context=True)
def card(context, article, **options):
    return mark_safe(render_card(context, article, options))
