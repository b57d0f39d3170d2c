"""A feed's story that names nobody is credited to the feed it came from."""

import pytest
from django.core.management import call_command

from articles.models import Article

pytestmark = pytest.mark.django_db

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour Gazette</title>
<image><title>Gazette logo</title><url>https://gazette.example/logo.png</url></image>
<item><guid>g-1</guid><title>Ferries return</title>
<description>&lt;p&gt;Ferries run again.&lt;/p&gt;</description>
<pubDate>Fri, 04 Dec 2026 08:00:00 +0000</pubDate></item>
<item><guid>g-2</guid><title>Council meets</title>
<author>desk@gazette.example (Ann Lee)</author>
<description>&lt;p&gt;The council met.&lt;/p&gt;</description>
<pubDate>Fri, 04 Dec 2026 09:00:00 +0000</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title type="html">Quay &amp;amp; Coast</title>
<id>urn:quay</id><updated>2026-12-04T08:00:00Z</updated>
<entry><id>urn:quay:1</id><title>Storm warning</title>
<updated>2026-12-04T08:00:00Z</updated>
<content type="html">&lt;p&gt;Gales due.&lt;/p&gt;</content></entry>
</feed>"""


def import_text(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    call_command("import_articles", str(path), verbosity=0)


def test_an_rss_story_naming_nobody_is_credited_to_the_feed(tmp_path):
    import_text(tmp_path, "gazette.xml", RSS)
    anonymous = Article.objects.get(source_uri="g-1")
    assert anonymous.credit == "Harbour Gazette"  # the channel's, not the logo's
    assert anonymous.status == Article.Status.PUBLISHED
    signed = Article.objects.get(source_uri="g-2")
    assert signed.credit == ""
    assert [b.author.name for b in signed.bylines.all()] == ["Ann Lee"]


def test_an_atom_story_naming_nobody_is_credited_to_the_feed(tmp_path):
    import_text(tmp_path, "quay.atom", ATOM)
    assert Article.objects.get().credit == "Quay & Coast"
