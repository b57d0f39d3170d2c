"""Hostile strings and the checks that prove a page did not execute them."""

import html
import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

from defusedxml.ElementTree import fromstring as parse_xml

MARK = "xss"
# Each payload carries MARK inside what would run, so the checks can tell ours
# from the page's own scripts; `{{7*7}}` would print 49 if a template ran it.
PAYLOADS = {
    "break-attr": "\"><script>alert('xss')</script>",
    "break-script": "</script><script>alert('xss')</script>",
    "javascript-url": "javascript:alert('xss')",
    "data-url": "data:text/html,<script>alert('xss')</script>",
    "event-handler": "<img src=x onerror=alert('xss')>\" onmouseover=\"alert('xss')",
    "svg": "<svg onload=alert('xss')><script>alert('xss')</script></svg>",
    "template": "{{7*7}}xss{% debug %}",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
DATA_SCRIPTS = {"application/ld+json", "application/json", "importmap"}


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.script_type = None
        self.json_ld = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and MARK in value:
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and MARK in value:
                bare = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
                if bare.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            attrs = dict(attrs)
            self.script_type = "src" if "src" in attrs else attrs.get("type", "")

    def handle_endtag(self, tag):
        if tag == "script":
            self.script_type = None

    def handle_data(self, data):
        if self.script_type is None:
            return
        if self.script_type == "application/ld+json":
            self.json_ld.append(data)
        elif self.script_type not in DATA_SCRIPTS and MARK in data:
            self.problems.append(f"<script>{data[:80]}")


def html_problems(text):
    """Executable traces of a payload in an HTML document or fragment."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    problems = list(checker.problems)
    if "49xss" in text:
        problems.append("a template expression was evaluated")
    for block in checker.json_ld:
        try:
            json.loads(block)
        except ValueError:
            problems.append(f"JSON-LD broken out of: {block[:80]!r}")
    return problems


HTML_ELEMENTS = {"description", "encoded", "content", "summary"}
MEDIA_RSS = "{http://search.yahoo.com/mrss/}"


def xml_problems(body):
    """A feed or sitemap must parse, and its HTML parts must be harmless."""
    try:
        root = parse_xml(body)
    except ElementTree.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    problems = []
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        # Media RSS text (alt text, credits) is plain text unless type="html".
        plain = element.tag.startswith(MEDIA_RSS) and element.get("type") != "html"
        if local in HTML_ELEMENTS and element.text and not plain:
            problems += html_problems(element.text)
        for name, value in element.attrib.items():
            bare = re.sub(r"[\x00-\x20]", "", value).lower()
            if name.rsplit("}", 1)[-1] in ("href", "url", "src") and (
                bare.startswith(DANGEROUS_SCHEMES)
            ):
                problems.append(f"{local}@{name}={value!r}")
    return problems
