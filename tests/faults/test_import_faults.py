"""Imports that are killed, lose their database or their disk, then run again."""

import errno
import os
import random
import signal
import subprocess
from contextlib import closing

import pytest
from django.core.files.storage import FileSystemStorage

from articles.models import Article, Image
from tests.factories import jpeg_bytes
from tests.ingest.test_import_articles import run_import

from .scratch import ScratchSite, is_postgres, write_corpus

RECORDS = 120
# Pictures of the first batch: rendering them keeps the import busy right
# after that batch commits, which is when the follow-up tests kill it.
PICTURES = 8
FOLLOW_UP_RECORDS = 600
# Bounds the wait for a first commit (each poll is one query).
POLLS = 1_000_000


@pytest.fixture
def site(tmp_path):
    site = ScratchSite(tmp_path)
    yield site
    site.drop()


@pytest.fixture
def clean_site(tmp_path):
    """A second site, for the same import run once without interruption."""
    (tmp_path / "clean").mkdir()
    site = ScratchSite(tmp_path / "clean")
    yield site
    site.drop()


def assert_whole(report):
    assert report["half_written"] == [], report
    assert report["missing_files"] == [], report
    assert report["count"] == report["uris"], "one article per source identity"


def test_kill_9_at_random_points_then_rerun(site, tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", RECORDS)
    rng = random.Random(20240301)
    for _ in range(4):
        process = site.popen("import_articles", corpus, "-v2", stdout=subprocess.PIPE)
        # Wait for a random number of records, then kill without warning.
        target = rng.randint(1, RECORDS - 1)
        seen = 0
        for line in process.stdout:
            seen += line.startswith("  ")
            if seen >= target:
                break
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        process.stdout.close()
        assert_whole(site.invariants())
    result = site.manage("import_articles", corpus)
    assert result.returncode == 0, result.stderr
    report = site.invariants()
    assert_whole(report)
    assert report["count"] == RECORDS
    assert report["no_related"] == [], "articles of the killed runs have links too"
    again = site.manage("import_articles", corpus)
    assert again.returncode == 0
    assert f"0 created, 0 updated, {RECORDS} unchanged" in again.stdout


def kill_once_committed(site, process):
    """SIGKILL `process` as soon as the database shows its first commit."""
    with closing(site.connect()) as db:
        for _ in range(POLLS):
            if process.poll() is not None:
                break
            if db.execute("SELECT COUNT(*) FROM articles_article").fetchone()[0]:
                process.send_signal(signal.SIGKILL)
                break
        else:
            process.kill()
            pytest.fail("the import committed nothing")
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the import ended before the kill"


def follow_up_state(site):
    """What the follow-up work of an import has produced on `site`."""
    links = site.rows(
        "SELECT article.source_uri, target.source_uri FROM articles_relatedlink link"
        " JOIN articles_article article ON article.id = link.article_id"
        " JOIN articles_article target ON target.id = link.target_id"
        " WHERE link.kind = 'computed' ORDER BY article.source_uri, link.position"
    )
    related = {}
    for uri, target in links:
        related.setdefault(uri, []).append(target)
    pictures = site.rows(
        "SELECT file, rendition_manifest FROM articles_image WHERE file <> ''"
    )
    return {
        "articles": {
            uri for (uri,) in site.rows("SELECT source_uri FROM articles_article")
        },
        "related": related,
        "pictures": len(pictures),
        "unrendered": [name for name, manifest in pictures if manifest is None],
        "vectors": dict(
            site.rows("SELECT source_uri, search_vector::text FROM articles_article")
        )
        if is_postgres()
        else {},
    }


def import_killed_after_first_commit(site, source, total=FOLLOW_UP_RECORDS):
    """Start importing `total` records (the first ones with pictures) and kill
    the import once its first batch is committed; returns the command."""
    source.mkdir()
    for n in range(PICTURES):
        picture = jpeg_bytes(size=(1600, 1200), color=(30 * n, 90, 160))
        (source / f"picture-{n}.jpg").write_bytes(picture)
    corpus = write_corpus(source / "corpus.jsonl", total, pictures=PICTURES)
    command = ("import_articles", corpus, "--media-dir", source)
    process = site.popen(
        *command, "-v0", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    kill_once_committed(site, process)
    killed = follow_up_state(site)
    assert 0 < len(killed["articles"]) < total
    assert killed["articles"] - killed["related"].keys(), "killed before the links"
    assert killed["unrendered"], "killed before every picture was rendered"
    return command


def test_rerun_after_a_kill_finishes_the_follow_up_work(site, clean_site, tmp_path):
    """Related links, renditions and search vectors of the articles a killed
    import committed are made by the next run: the same as one clean run."""
    command = import_killed_after_first_commit(site, tmp_path / "source")

    rerun = site.manage(*command)
    assert rerun.returncode == 0, rerun.stderr
    clean_site.manage(*command, check=True)
    after, clean = follow_up_state(site), follow_up_state(clean_site)
    assert len(after["articles"]) == FOLLOW_UP_RECORDS
    assert after["articles"] == after["related"].keys(), "every article has links"
    assert after["related"] == clean["related"]
    assert after["pictures"] == PICTURES
    assert after["unrendered"] == []
    assert None not in after["vectors"].values()
    assert after["vectors"] == clean["vectors"]


def test_refresh_related_finishes_what_a_killed_import_left(site, tmp_path):
    import_killed_after_first_commit(site, tmp_path / "source")

    result = site.manage("refresh_related", check=True)
    after = follow_up_state(site)
    assert after["articles"] == after["related"].keys(), "every article has links"
    assert after["pictures"] == PICTURES
    assert after["unrendered"] == []
    assert None not in after["vectors"].values()
    assert "Finished what an interrupted import left" in result.stdout


@pytest.mark.postgres
def test_connection_terminated_mid_import(site, tmp_path):
    if not is_postgres():
        pytest.skip("pg_terminate_backend needs PostgreSQL (the PostgreSQL leg)")
    # Far more records than are read before the kill, so the import is
    # still running when its connection dies, however fast it gets.
    total = 3000
    corpus = write_corpus(tmp_path / "corpus.jsonl", total)
    process = site.popen(
        "import_articles", corpus, "-v2", stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    done = []
    for line in process.stdout:
        if line.startswith("  "):
            done.append(line.strip())
        if len(done) >= 250:
            break
    site.sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{site.db_name}' AND pid <> pg_backend_pid()",
        database=site.db_name,
    )
    out, err = process.communicate(timeout=120)
    assert process.returncode != 0
    report = site.invariants()
    assert_whole(report)
    # What was committed before the connection died stays; the rest rolled back.
    assert 0 < report["count"] < total
    assert "urn:newsroom:fault:" in err or "line " in err, err[-2000:]
    rerun = site.manage("import_articles", corpus)
    assert rerun.returncode == 0, rerun.stderr
    report = site.invariants()
    assert_whole(report)
    assert report["count"] == total


@pytest.mark.django_db(transaction=True)
def test_disk_full_on_an_import_image(tmp_path, monkeypatch):
    media_dir = tmp_path / "pictures"
    media_dir.mkdir()
    (media_dir / "a.jpg").write_bytes(jpeg_bytes())
    corpus = write_corpus(tmp_path / "corpus.jsonl", 3, image="a.jpg")

    real_save = FileSystemStorage._save

    def full(self, name, content):
        if name.startswith("renditions/"):
            return real_save(self, name, content)
        # Half a file reaches the disk, then the disk is full.
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(content.read()[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    ok, out, err = run_import(corpus, media_dir=media_dir)
    text = out + err
    assert "No space left on device" in text or "space" in text.lower(), text
    assert "line 1: [Errno 28] No space left on device" in text, text
    for image in Image.objects.all():
        assert image.file.storage.exists(image.file.name)
        assert image.file.size > 100, "no article may point at a partial file"
    for article in Article.objects.select_related("hero_image"):
        assert article.headline and article.body
    monkeypatch.undo()
    ok, out, err = run_import(corpus, media_dir=media_dir)
    assert ok, err
    assert Article.objects.count() == 3
    assert all(a.hero_image_id for a in Article.objects.all())
