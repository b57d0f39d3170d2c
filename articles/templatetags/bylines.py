"""The byline and the dateline on pages: `bylines|byline_groups` and
`body|with_dateline:article`."""

from django import template

from articles import bylines as byline_rules

register = template.Library()


@register.filter
def byline_groups(bylines):
    """[(role, lead, [bylines])]: writers first, then each other role."""
    return byline_rules.groups(bylines)


@register.filter(is_safe=True)
def with_dateline(body, article):
    """The body with the article's dateline opening its first paragraph."""
    return byline_rules.with_dateline(body, article.dateline)
