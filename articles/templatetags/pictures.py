"""`{% picture image %}`: WebP and JPEG srcsets, or a placeholder."""

from django import template

from articles.media import renditions

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes="100vw", alt="", eager=False, priority=False):
    """Lazy-loaded unless `eager` (above the fold) or `priority` (the main picture)."""
    return {
        "picture": renditions.picture(image),
        "sizes": sizes,
        "alt": alt,
        "lazy": not (eager or priority),
        "priority": priority,
    }
