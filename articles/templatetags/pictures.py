"""`{% picture image %}`: WebP and JPEG srcsets, or a placeholder.

What the renditions are is read from the Image row (`Image.picture()`).
"""

from django import template

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes="100vw", alt="", eager=False, priority=False):
    """Lazy-loaded unless `eager` (above the fold) or `priority` (the main picture)."""
    return {
        "picture": image.picture() if image else None,
        "sizes": sizes,
        "alt": alt,
        "lazy": not (eager or priority),
        "priority": priority,
    }
