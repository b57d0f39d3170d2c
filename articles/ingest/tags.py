"""The tags records name: cleaned, capped, found or created, and respelt.

Tags are matched on their key (case and spacing aside), and a merged tag's
name on its alias (`find_tags`), so it lands on the tag it was merged into. A
run looks each up once; new ones are inserted in bulk, and a known tag takes a
better spelling a record offers (see `better_tag_name`), an alias never.
"""

from django.db.models import F, Value

from articles.models import (
    MAX_TAGS_PER_ARTICLE,
    TAG_NAME_LENGTH,
    Tag,
    better_tag_name,
    find_tags,
    get_or_create_tag,
    normal_tag_name,
    quoted,
    respell_tags,
    tag_key,
    too_long,
)


class Tags:
    def __init__(self):
        self.forget()

    def forget(self):
        """Drop what this run has looked up (a rolled-back savepoint may have
        created or respelt it)."""
        self._pks = {}
        self._names = {}  # {key: the name as this run last saw it stored}
        self._aliases = set()  # keys that are aliases of another tag

    def wanted(self, record):
        """{key: name} of the record's tags, cleaned and capped (with warnings)."""
        wanted = {}
        for name in record.tags:
            name = normal_tag_name(name or "")
            if not name:
                continue
            # Cleaning a clean name never lengthens it: one that fits, fits.
            if len(name) > TAG_NAME_LENGTH and (reason := too_long(name)):
                record.warnings.append(f"tag {quoted(name)} dropped: it is {reason}")
                continue
            wanted.setdefault(tag_key(name), name)
        if len(wanted) > MAX_TAGS_PER_ARTICLE:
            record.warnings.append(
                f"{len(wanted)} tags: only the first {MAX_TAGS_PER_ARTICLE} were kept"
            )
            wanted = dict(list(wanted.items())[:MAX_TAGS_PER_ARTICLE])
        return wanted

    def ids(self, wanted):
        """The pks of tags {key: name} that `resolve` has found (a name and
        its alias given together count once)."""
        return list(dict.fromkeys(self._pks[key] for key in wanted))

    def ids_for(self, record):
        wanted = self.wanted(record)
        self.resolve(wanted)
        return self.ids(wanted)

    def resolve(self, wanted):
        """Find or create the tags {key: name} not yet known to this run.

        New tags are inserted in bulk; the unique `key` keeps concurrent
        writers to one tag each, so whatever the insert skipped is read back,
        and a tag still missing (its slug was taken) goes through
        get_or_create_tag, which picks a free slug.
        """
        self._respell({key: wanted[key] for key in wanted if key in self._pks})
        missing = [key for key in wanted if key not in self._pks]
        if not missing:
            return
        self._read(missing)
        self._respell({key: wanted[key] for key in missing if key in self._pks})
        missing = [key for key in missing if key not in self._pks]
        if not missing:
            return
        slugs = set()
        new = []
        for key in missing:
            tag = Tag(name=wanted[key], key=key)
            tag.slug = tag.slugify(tag.name)
            if tag.slug not in slugs:  # a twin waits for get_or_create_tag
                slugs.add(tag.slug)
                new.append(tag)
        Tag.objects.bulk_create(new, ignore_conflicts=True)
        self._read(missing)
        for key in missing:
            if key not in self._pks:
                tag = get_or_create_tag(wanted[key])
                self._pks[key], self._names[key] = tag.pk, tag.name

    def _read(self, keys):
        for key, tag in find_tags(keys).items():
            self._pks[key], self._names[key] = tag.pk, tag.name
            if key != tag.key:
                self._aliases.add(key)

    def _respell(self, offered):
        """Give known tags a better spelling offered by this run's records."""
        better = {
            key: name
            for key, name in offered.items()
            if key not in self._aliases
            and better_tag_name(self._names[key], name) != self._names[key]
        }
        if better:
            respell_tags(better)
            self._names.update(better)


def known_in(line):
    """Names of existing tags that occur in `line` (for run-on tag lines)."""
    text = " ".join(line.split()).casefold()
    return list(
        Tag.objects.alias(line=Value(text))
        .filter(line__contains=F("key"))
        .values_list("name", flat=True)[:200]
    )
