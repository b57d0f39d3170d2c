"""The write path (articles/publishing.py): what each function writes."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import publishing, revisions
from articles.bylines import BylineRow
from articles.freshness import generation
from articles.models import (
    Article,
    ArticleRedirect,
    Byline,
    Correction,
    Image,
    PendingWork,
    Revision,
)
from tests.factories import jpeg_bytes, make_article, make_author, make_section
from tests.staff import make_user

pytestmark = pytest.mark.django_db

PRODUCT = Path(__file__).resolve().parents[2] / "articles"


@pytest.fixture
def editor():
    return make_user("Editor")


def draft(**fields):
    return publishing.create(
        by=None,
        headline=fields.pop("headline", "Harbour reopens"),
        slug=fields.pop("slug", "harbour-reopens"),
        body=fields.pop("body", "<p>Boats are back.</p>"),
        section=fields.pop("section", None) or make_section(),
        **fields,
    )


def pending(article):
    return list(
        PendingWork.objects.filter(article=article).values_list("kind", flat=True)
    )


class TestCreate:
    def test_saves_the_article_its_byline_tags_and_first_revision(self, editor):
        ada, ben = make_author(name="Ada"), make_author(name="Ben")
        article = publishing.create(
            by=editor,
            authors=[ben, ada],
            tags=["Harbour", "Boats"],
            headline="Harbour reopens",
            slug="harbour-reopens",
            body="<p>Boats are back.</p>",
            section=make_section(),
        )
        assert article.created_by == editor
        assert article.byline_authors == [ben, ada]
        assert sorted(article.tags.names()) == ["Boats", "Harbour"]
        revision = Revision.objects.get(article=article)
        assert (revision.number, revision.note, revision.created_by) == (
            1,
            "Created",
            editor,
        )
        assert [a["name"] for a in revision.data["authors"]] == ["Ben", "Ada"]
        assert pending(article) == [PendingWork.Kind.AROUND]

    def test_refuses_a_published_article_without_a_byline_or_credit(self):
        with pytest.raises(ValidationError, match="no byline or credit"):
            draft(status=Article.Status.PUBLISHED)
        assert not Article.objects.exists()
        assert not Revision.objects.exists()

    def test_a_credit_stands_in_for_a_byline(self):
        article = draft(status=Article.Status.PUBLISHED, credit="dpa")
        assert article.is_live

    @pytest.mark.parametrize(
        ("fields", "reason"),
        [({"headline": " "}, "no headline"), ({"body": "<p></p>"}, "no body")],
    )
    def test_refuses_a_published_article_without_headline_or_body(self, fields, reason):
        with pytest.raises(ValidationError, match=reason):
            draft(status=Article.Status.PUBLISHED, credit="dpa", **fields)
        assert not Article.objects.exists()

    def test_a_draft_may_be_incomplete(self):
        article = draft(headline="", body="")
        assert article.status == Article.Status.DRAFT

    def test_retires_the_cached_pages(self):
        before = generation()
        draft()
        assert generation() != before


class TestUpdate:
    def test_a_new_slug_leaves_a_redirect_from_the_old_address(self, editor):
        article = make_article(slug="first")
        old = article.get_absolute_url()
        publishing.update(article, by=editor, slug="second")
        redirect = ArticleRedirect.objects.get()
        assert (redirect.old_path, redirect.article) == (old, article)

    def test_records_a_revision_numbered_by_the_version(self, editor):
        article = make_article(headline="Before")
        publishing.update(article, by=editor, headline="After", note="Fixed")
        revision = Revision.objects.get(article=article)
        assert revision.number == article.version == 2
        assert (revision.data["headline"], revision.note) == ("After", "Fixed")

    def test_a_refusal_rolls_the_whole_write_back(self):
        article = make_article(headline="Kept", authors=[make_author()])
        with pytest.raises(ValidationError):
            publishing.update(article, by=None, headline="Lost", authors=[])
        article.refresh_from_db()
        assert article.headline == "Kept"
        assert Byline.objects.filter(article=article).count() == 1
        assert not Revision.objects.exists()


class TestStates:
    def test_publish_now(self, editor):
        article = draft(authors=[make_author()])
        publishing.publish(article, by=editor)
        article.refresh_from_db()
        assert article.is_live
        assert article.public_updated_at == article.published_at
        assert article.revisions.first().note == "Published"

    def test_publish_refuses_what_breaks_the_rule(self, editor):
        article = draft()
        with pytest.raises(ValidationError):
            publishing.publish(article, by=editor)
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT

    def test_schedule(self, editor):
        article = draft(authors=[make_author()])
        publishing.schedule(article, by=editor, at=timezone.now() + timedelta(hours=2))
        article.refresh_from_db()
        assert article.is_scheduled

    def test_unpublish_and_send_for_review(self, editor):
        article = make_article()
        publishing.unpublish(article, by=editor)
        assert Article.objects.get().status == Article.Status.DRAFT
        publishing.submit_for_review(article, by=editor)
        assert Article.objects.get().status == Article.Status.REVIEW
        assert [r.note for r in article.revisions.all()] == [
            "Sent for review",
            "Unpublished",
        ]

    def test_withdraw_needs_a_reason(self, editor):
        article = make_article()
        with pytest.raises(ValidationError):
            publishing.withdraw(article, by=editor, reason=" ")
        publishing.withdraw(article, by=editor, reason="Legal reasons.")
        article.refresh_from_db()
        assert article.status == Article.Status.WITHDRAWN
        assert article.withdrawn_reason == "Legal reasons."


class TestRestore:
    def test_brings_back_text_byline_and_tags_as_a_new_revision(self, editor):
        ada, ben = make_author(name="Ada"), make_author(name="Ben")
        article = make_article(headline="First words", authors=[ada], tags=["Old"])
        first = publishing.record_revision(article, by=editor)
        publishing.update(
            article, by=editor, headline="Second words", authors=[ben], tags=["New"]
        )
        new = publishing.restore(first, by=editor)
        article.refresh_from_db()
        assert article.headline == "First words"
        assert article.byline_authors == [ada]
        assert list(article.tags.names()) == ["Old"]
        assert new.note == f"Restored from revision {first.number}"
        assert Revision.objects.filter(article=article).count() == 3


class TestCorrections:
    def test_a_correction_moves_the_public_updated_time(self, editor, client):
        article = make_article()
        client.get(article.get_absolute_url())  # cached
        correction = publishing.correct(article, by=editor, text="A name was wrong.")
        article.refresh_from_db()
        assert correction.created_by == editor
        assert article.public_updated_at >= correction.created_at
        page = client.get(article.get_absolute_url()).content.decode()
        assert "A name was wrong." in page  # the cached page was retired
        assert Correction.objects.get() == correction


class TestNothingElseWrites:
    def test_article_save_writes_only_its_own_row(self):
        article = make_article(slug="first")
        article.slug = "second"
        with CaptureQueriesContext(connection) as ctx:
            article.save()
        writes = [
            q["sql"]
            for q in ctx
            if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
        ]
        assert len(writes) == 1
        assert writes[0].startswith('UPDATE "articles_article"')
        assert not ArticleRedirect.objects.exists()

    def test_product_code_has_no_model_signal_receivers(self):
        # Field.pre_save() is a method, not a signal: it is not looked for.
        signal = re.compile(
            r"\b(post_save|m2m_changed|post_delete|pre_delete)\b|@receiver\("
        )
        found = [
            str(path.relative_to(PRODUCT.parent))
            for path in PRODUCT.rglob("*.py")
            if "migrations" not in path.parts and signal.search(path.read_text())
        ]
        assert found == []


def test_revisions_recorded_in_bulk_keep_what_one_revision_keeps():
    """An import records its batch's revisions from the articles' stored
    values: the snapshot is the one a single write records (section, a hero
    picture named by its file when it has no alt text, bylines with their
    roles and words, tags in order, dates)."""
    writer, photographer = make_author(), make_author()
    picture = Image.objects.create(file=ContentFile(jpeg_bytes(), "harbour.jpg"))
    article = publishing.create(
        by=None,
        kicker="Harbour",
        headline="Ferries return",
        body="<p>The first ferry left at dawn.</p>",
        section=make_section(),
        hero_image=picture,
        dateline_place="Bergen",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
        authors=[
            BylineRow(writer, suffix="with the Associated Press"),
            BylineRow(photographer, role=Byline.Role.PHOTOGRAPHER),
        ],
        tags=["zebra crossings", "Apple", "ferries"],
    )
    one = json.loads(json.dumps(revisions.snapshot(article)))
    Revision.objects.all().delete()

    revisions.record_revisions([article.pk], note="Imported", new=True)

    revision = Revision.objects.get()
    assert (revision.number, revision.note) == (article.version, "Imported")
    assert revision.data == one
    assert revision.data["hero_image"]["name"] == picture.file.name
