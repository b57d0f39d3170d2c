"""The `json_ld` filter for article pages (their data: articles/structured_data.py)."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The same escapes as django.utils.html.json_script: inside <script> no "<", ">"
# or "&" survives, so a headline containing "</script>" cannot end the element.
JSON_SCRIPT_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
}


@register.filter(is_safe=True)
def json_ld(value):
    """`value` as a <script type="application/ld+json"> element, safely escaped."""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(data.translate(JSON_SCRIPT_ESCAPES)),
    )
