"""Imports that are killed, lose their database or their disk, then run again."""

import errno
import os
import random
import signal
import subprocess

import pytest
from django.core.files.storage import FileSystemStorage

from articles.models import Article, Image
from tests.factories import jpeg_bytes
from tests.test_import_articles import run_import

from .scratch import ScratchSite, is_postgres, write_corpus

RECORDS = 120


@pytest.fixture
def site(tmp_path):
    site = ScratchSite(tmp_path)
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
    again = site.manage("import_articles", corpus)
    assert again.returncode == 0
    assert f"0 created, 0 updated, {RECORDS} unchanged" in again.stdout


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
