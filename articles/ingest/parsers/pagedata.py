"""What a saved page says about itself: `<meta>` values (Open Graph,
`article:*`, `name=author`) and schema.org data, as JSON-LD or microdata.

Values are returned as the page gives them; pages.py decides which to trust.
"""

import json


class MetaValues(dict):
    """`<meta>` values by name or property (lower case); the first wins, and
    `get_all` gives every value of a repeated one (article:tag)."""

    def __init__(self):
        super().__init__()
        self.repeated = {}

    def add(self, key, value):
        self.setdefault(key, value)
        self.repeated.setdefault(key, []).append(value)

    def get_all(self, key):
        return self.repeated.get(key, [])


def meta_values(tree):
    found = MetaValues()
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("http-equiv")
        value = meta.get("content")
        if key and value and value.strip():
            found.add(key.strip().lower(), value.strip())
    return found


def first_meta(meta, *names):
    return next((meta[name] for name in names if meta.get(name)), "")


# schema.org JSON-LD


def linked_data_article(tree):
    """The first Article-type object of the page's JSON-LD, or {}."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue  # a broken block is ignored, as browsers and crawlers do
        for candidate in ld_objects(data):
            if is_article_type(candidate.get("@type")):
                return candidate
    return {}


def ld_objects(data, depth=0):
    """Objects at the top of a JSON-LD block, in lists or an @graph."""
    if depth > 5:
        return
    if isinstance(data, list):
        for item in data:
            yield from ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from ld_objects(data.get("@graph"), depth + 1)


def is_article_type(value):
    types = value if isinstance(value, list) else [value]
    return any(
        isinstance(t, str) and t.rsplit("/", 1)[-1].endswith(("Article", "Posting"))
        for t in types
    )


def ld_text(value):
    if isinstance(value, dict):
        value = value.get("@id") or value.get("name") or value.get("url")
    if isinstance(value, list):
        value = next((v for v in map(ld_text, value) if v), "")
    return value if isinstance(value, str) else ""


def ld_list(value):
    """Strings from a JSON-LD string, list of strings, or comma-separated text."""
    if isinstance(value, str):
        return value.split(",")
    if isinstance(value, list):
        return [v for v in map(ld_text, value) if v]
    return []


def ld_people(value):
    """(name, is an organisation) for each JSON-LD author."""
    people = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, str):
            people.append((entry, False))
        elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
            people.append((entry["name"], "Organization" in str(entry.get("@type"))))
    return people


def ld_names(value):
    return ", ".join(name for name, _ in ld_people(value))


# schema.org microdata


def microdata_article(tree):
    for element in tree.xpath("//*[@itemscope][@itemtype]"):
        if is_article_type(element.get("itemtype", "").split()[:1] or ""):
            return element
    return None


def own_properties(scope, name):
    """Elements of `scope`'s item with property `name` (not nested items')."""
    found = []
    for element in scope.iterdescendants():
        if name not in (element.get("itemprop") or "").split():
            continue
        owner = next(
            (a for a in element.iterancestors() if a.get("itemscope") is not None),
            None,
        )
        if owner is scope:
            found.append(element)
    return found


def property_value(element):
    for attribute in ("content", "datetime"):
        if element.get(attribute):
            return element.get(attribute)
    if element.tag in ("a", "link"):
        return element.get("href", "")
    return element.text_content()


def property_name(element):
    """A Person or Organization item's name, or the element's text."""
    names = own_properties(element, "name")
    return property_value(names[0]) if names else element.text_content()
