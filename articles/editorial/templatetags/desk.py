"""`{% editors_desk %}`: the desk (articles/editorial/desk.py) on the admin's
home page and on its own page."""

from django import template

from .. import desk

register = template.Library()


@register.inclusion_tag("admin/articles/desk.html", takes_context=True)
def editors_desk(context):
    request = context["request"]
    return {
        "request": request,
        "perms": context.get("perms"),
        **desk.desk(request.user),
    }
