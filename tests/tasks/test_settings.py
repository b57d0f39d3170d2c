"""What the environment chooses for tasks and the cache (newsroom/settings.py),
and the embedded default's cache: shared by every process, read without a
query on SQLite and with one on PostgreSQL."""

import runpy
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import Client

from articles import publishing
from tests.factories import make_article

SETTINGS = Path(__file__).resolve().parents[2] / "newsroom" / "settings.py"
SERVICES = (
    "CACHE_URL",
    "REDIS_URL",
    "TASKS_BACKEND",
    "TASKS_REDIS_URL",
    "NEWSROOM_CACHE_DIR",
)


def settings_with(monkeypatch, **env):
    for name in SERVICES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_the_embedded_default_shares_cache_and_queue_through_the_database(
    monkeypatch, tmp_path
):
    embedded = settings_with(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path}/site.db")
    # SQLite keeps every process on one machine: the cache is a folder beside
    # the database file, which a hit reads without a query.
    assert embedded["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": f"{tmp_path}/site.db-cache",
        "OPTIONS": {"MAX_ENTRIES": 4_000},
    }
    assert embedded["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_rq" not in embedded["INSTALLED_APPS"]


def test_postgresql_without_redis_shares_the_cache_through_a_table(monkeypatch):
    # App servers on several machines share one PostgreSQL: not one folder.
    shared = settings_with(
        monkeypatch, DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom"
    )
    assert shared["CACHES"]["default"]["BACKEND"] == (
        "django.core.cache.backends.db.DatabaseCache"
    )


def test_rq_on_redis_is_chosen_by_the_environment(monkeypatch):
    production = settings_with(
        monkeypatch, TASKS_BACKEND="rq", REDIS_URL="redis://cache.internal:6379/1"
    )
    assert production["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert production["RQ_QUEUES"]["default"]["URL"] == "redis://cache.internal:6379/1"
    assert {"django_rq", "django_tasks_rq"} <= set(production["INSTALLED_APPS"])
    assert production["CACHES"]["default"]["LOCATION"] == (
        "redis://cache.internal:6379/1"
    )
    separate = settings_with(
        monkeypatch,
        TASKS_BACKEND="rq",
        TASKS_REDIS_URL="redis://queue.internal:6379/0",
    )
    assert separate["RQ_QUEUES"]["default"]["URL"] == "redis://queue.internal:6379/0"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND='celery': choose one of"),
        (
            {"TASKS_BACKEND": "rq"},
            "TASKS_BACKEND=rq needs TASKS_REDIS_URL or REDIS_URL",
        ),
    ],
)
def test_a_wrong_tasks_setting_is_a_clear_error(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_with(monkeypatch, **env)


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "newsroom_cache",
        },
    }
    call_command("createcachetable", verbosity=0)


@pytest.mark.django_db
def test_a_cached_page_is_one_query_at_most_with_the_database_cache(
    database_cache, django_assert_num_queries
):
    article = make_article(headline="Harbour reopens")
    reader = Client()
    assert reader.get(article.get_absolute_url()).status_code == 200  # stored
    # The retired stamp; on PostgreSQL not even that: retirements are heard
    # (LISTEN/NOTIFY, articles/delivery/retirements.py).
    heard = connection.vendor == "postgresql"
    with django_assert_num_queries(0 if heard else 1):
        response = reader.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Harbour reopens" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_database_caches_table_skips_the_write_ahead_log(database_cache):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's unlogged tables; SQLite has no such choice")

    def persistence():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relpersistence FROM pg_class WHERE relname = 'newsroom_cache'"
            )
            return cursor.fetchone()[0]

    cache.set("page:kept", "a page")
    call_command("migrate", "delivery", "0001", verbosity=0)
    assert persistence() == "p"  # as createcachetable makes it
    call_command("migrate", "delivery", verbosity=0)
    assert persistence() == "u"
    assert cache.get("page:kept") is None  # emptied, not copied
    cache.set("page:kept", "a page")
    assert cache.get("page:kept") == "a page"


@pytest.mark.django_db
def test_a_cached_page_needs_no_query_with_the_file_cache(
    settings, tmp_path, django_assert_num_queries
):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        },
    }
    article = make_article(headline="Harbour reopens")
    reader = Client()
    assert reader.get(article.get_absolute_url()).status_code == 200  # stored
    with django_assert_num_queries(0):
        response = reader.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Harbour reopens" in response.content.decode()
    # A write in any process retires it: the generation is in the folder too.
    publishing.update(article, by=None, headline="Harbour reopens to ferries")
    assert "to ferries" in reader.get(article.get_absolute_url()).content.decode()
