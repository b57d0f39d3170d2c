import pytest
from django.core.cache import cache, caches

from articles.delivery.retirements import listener
from articles.related_weights import forget_corpus_counts


@pytest.fixture(autouse=True)
def _in_process_services(settings):
    """Tasks run as they are enqueued and the cache is in memory, in the test's
    own process: no worker, and no database access just to clear the cache.
    (tests/tasks/ starts real workers and shares a real cache.)"""
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache(_in_process_services):
    """Each test starts with an empty cache (navigation, pages, cards, the
    related links' corpus counts)."""
    cache.clear()
    caches["pages"].clear()
    caches["cards"].clear()
    forget_corpus_counts()
    yield
    cache.clear()
    forget_corpus_counts()
    # A test that gave this process a shared cache to listen to leaves no
    # subscription behind (nor a connection to the test database).
    listener.drop()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads and generated images go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Test accounts don't need a slow password hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def redis_server(tmp_path):
    """A private redis-server on a free loopback port (tests/tasks/services.py)."""
    from tests.tasks.services import RedisServer

    server = RedisServer(tmp_path)
    if server.binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    yield server.start()
    server.stop()
