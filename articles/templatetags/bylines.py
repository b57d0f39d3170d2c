"""The byline and the dateline on pages: `{% byline bylines credit %}` and
`body|with_dateline:article`."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from articles import bylines as byline_rules

register = template.Library()


@register.simple_tag
def byline(bylines, credit=""):
    """The byline as readers see it, each name linked to its author's page:
    includes/byline.html's markup, built without a template's loops (the
    article page shows it on every render)."""
    groups = byline_rules.groups(bylines)
    if not groups and not credit:
        return ""
    html = []
    if credit and (not groups or groups[0][0] != byline_rules.Role.WRITER):
        html.append(conditional_escape(credit))
    for n, (role, lead, members) in enumerate(groups):
        writers = role == byline_rules.Role.WRITER
        names = byline_rules.names_text([name_link(b, writers) for b in members])
        if writers:
            html.append(f"By {names}")
            if credit:
                html.append(
                    format_html('<span class="byline__credit">, {}</span>', credit)
                )
            continue
        if n or credit:
            html.append(byline_rules.SEPARATOR)
        html.append(
            f'<span class="byline__role">{conditional_escape(lead)} {names}</span>'
        )
    return mark_safe(f'<p class="byline">{"".join(html)}</p>')


def name_link(byline, writer):
    link = format_html(
        '<a href="{}"{}>{}</a>',
        byline.author.get_absolute_url(),
        mark_safe(' rel="author"') if writer else "",
        byline.author.name,
    )
    return format_html("{} {}", link, byline.suffix) if byline.suffix else link


@register.filter(is_safe=True)
def with_dateline(body, article):
    """The body with the article's dateline opening its first paragraph."""
    return byline_rules.with_dateline(body, article.dateline)
