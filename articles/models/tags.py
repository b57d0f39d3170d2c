"""Tags: one tag per name whatever its case, spacing, Unicode form or hashtag mark.

Only a leading `#` is folded away: it marks a hashtag, not a different
subject. Other punctuation is part of the name, since it tells apart tags
such as "C", "C#" and "C++", ".NET" and "NET", or "Yahoo!" and "Yahoo".
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import slugify
from taggit.managers import _TaggableManager
from taggit.models import TagBase, TaggedItemBase

from ..addresses import slug_path
from ..text import clean_line

MAX_TAGS_PER_ARTICLE = 50
TAG_NAME_LENGTH = 100  # Tag.name and Tag.key
QUOTED_CHARACTERS = 40  # how much of a refused name a message repeats


HASHTAG_MARKS = "#\uff03"  # and the full-width one of East Asian keyboards


def tag_key(name):
    """The identity of a tag name: Unicode-normalised, spaces collapsed,
    casefolded, without a leading hashtag mark."""
    key = " ".join(unicodedata.normalize("NFKC", name).split()).casefold()
    return key.lstrip(HASHTAG_MARKS).lstrip() or key


def without_hashtag_mark(name):
    return name.lstrip(HASHTAG_MARKS).lstrip() or name


def properly_cased(name):
    """Whether `name` mixes capitals and small letters ("Climate Change",
    "iPhone"), as opposed to one spelt in capitals or small letters only."""
    return any(c.isupper() for c in name) and any(c.islower() for c in name)


def better_tag_name(current, offered):
    """The name to show for a tag known as `current` when `offered` arrives:
    a properly cased spelling replaces an all-capitals or all-small one, and
    nothing else changes a name."""
    if properly_cased(offered) and not properly_cased(current):
        return offered
    return current


def normal_tag_name(name):
    """A tag name as stored: a clean line, NFC, invisible characters dropped,
    spaces collapsed.

    Not cut to fit: callers taking names from people or files refuse the ones
    longer than TAG_NAME_LENGTH (`check_tag_names`, `too_long`)."""
    name = clean_line(name)
    if not name.isascii():  # ASCII is NFC already, and has no Cf character
        name = "".join(
            c
            for c in unicodedata.normalize("NFC", name)
            if unicodedata.category(c) != "Cf"
        )
    return without_hashtag_mark(" ".join(name.split()))


def clean_tag_name(name):
    """normal_tag_name, cut to TAG_NAME_LENGTH as the last guard of the column."""
    return normal_tag_name(name)[:TAG_NAME_LENGTH]


def too_long(name):
    """Why `name` cannot be a tag ("150 characters long; …"), or "" if it can.

    Measured as stored (spaces collapsed, invisible characters dropped), so a
    name that fits once cleaned is accepted whole.
    """
    length = len(normal_tag_name(name))
    if length <= TAG_NAME_LENGTH:
        return ""
    return f"{length} characters long; a tag can have at most {TAG_NAME_LENGTH}"


def quoted(name):
    """The start of a refused tag name, for a message."""
    return f"“{normal_tag_name(name)[:QUOTED_CHARACTERS]}…”"


def check_tag_names(names):
    """`names`, or ValidationError naming each one too long to be a tag."""
    errors = [
        f"The tag {quoted(name)} is {reason}."
        for name in names
        if (reason := too_long(name))
    ]
    if errors:
        raise ValidationError(errors)
    return names


class Tag(TagBase):
    """A taggit tag whose `key` makes case, spacing and Unicode variants one tag."""

    key = models.CharField(max_length=TAG_NAME_LENGTH, unique=True, editable=False)
    named_by_editor = models.BooleanField(
        default=False,
        editable=False,
        help_text="An editor chose this name: imports never respell it.",
    )

    class Meta:
        ordering = ["name"]

    def save(self, *args, **kwargs):
        self.name = clean_tag_name(self.name)
        self.key = tag_key(self.name)
        return super().save(*args, **kwargs)

    def slugify(self, tag, i=None):
        slug = slugify(tag, allow_unicode=True)[:90] or "tag"
        return f"{slug}-{i}" if i is not None else slug

    def get_absolute_url(self):
        return slug_path("articles:tag", self.slug)


class TagManager(_TaggableManager):
    """Resolves tag names by their normalised key, so variants never fork a tag."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        wanted = {}
        for tag in tags:
            if isinstance(tag, Tag):
                wanted.setdefault(tag.key, tag)
            else:
                name = clean_tag_name(str(tag))
                if name:
                    wanted.setdefault(tag_key(name), name)
        if len(wanted) > MAX_TAGS_PER_ARTICLE:
            raise ValidationError(
                f"An article can have at most {MAX_TAGS_PER_ARTICLE} tags "
                f"({len(wanted)} given)."
            )
        existing = find_tags(list(wanted))
        result = {}
        for key, tag in wanted.items():
            if key not in existing:
                existing[key] = tag if isinstance(tag, Tag) else get_or_create_tag(tag)
            result.setdefault(existing[key].pk, existing[key])  # B and its alias A
        return list(result.values())


def find_tags(keys):
    """{key: Tag} for the keys of tags, and for the aliases of tags (a merged
    tag's name leads to the tag it was merged into).

    The one place names meet aliases: the article form, revision restores and
    imports all resolve through it, in two queries whatever the number of keys.
    """
    found = {tag.key: tag for tag in Tag.objects.filter(key__in=keys)}
    missing = [key for key in keys if key not in found]
    if missing:
        aliases = TagAlias.objects.filter(key__in=missing).select_related("tag")
        found.update((alias.key, alias.tag) for alias in aliases)
    return found


def respell_tags(offered):
    """Give tags {key: name offered by an import} the better display name,
    unless an editor named them, in one statement. Returns how many were
    renamed."""
    renamed = []
    tags = Tag.objects.filter(key__in=offered, named_by_editor=False)
    for tag in tags.only("pk", "key", "name"):
        name = better_tag_name(tag.name, offered[tag.key])
        if name != tag.name:
            tag.name = name
            renamed.append(tag)
    # An update of the name alone: the slug stays, so links to the tag's page
    # still work.
    return Tag.objects.bulk_update(renamed, ["name"]) if renamed else 0


def get_or_create_tag(name):
    """The tag for `name`, created if new; safe when two writers race."""
    key = tag_key(clean_tag_name(name))
    tag = Tag.objects.filter(key=key).first()
    if tag:
        return tag
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name)
    except IntegrityError:
        return Tag.objects.get(key=key)


class ArticleTag(TaggedItemBase):
    # Not indexed alone: unique_article_tag starts with the article, the
    # (tag, article) index with the tag (two indexes fewer to write).
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items", db_index=False
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="article_items", db_index=False
    )
    published_at = models.DateTimeField(
        null=True,
        editable=False,
        help_text="The article's publication time, kept here by the write path "
        "for the tag's page to read its stories newest first from an index.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="unique_article_tag"
            )
        ]
        indexes = [
            models.Index(fields=["tag", "content_object"]),
            models.Index(
                fields=["tag", "-published_at", "-content_object"],
                name="article_tag_listing_idx",
            ),
        ]


class TagAlias(models.Model):
    """A name that means another tag: the name of a tag merged into it.

    An import or an editor spelling it (any variant its key folds) gets the
    tag, instead of the merged tag coming back. The merged tag's address is a
    TagRedirect.
    """

    name = models.CharField(max_length=TAG_NAME_LENGTH)
    key = models.CharField(max_length=TAG_NAME_LENGTH, unique=True, editable=False)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="aliases")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "tag aliases"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_tag_name(self.name)
        self.key = tag_key(self.name)
        return super().save(*args, **kwargs)


class TagRedirect(models.Model):
    """The slug of a tag merged into another; it answers 301 to the survivor."""

    old_slug = models.CharField(max_length=100, unique=True)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.old_slug
