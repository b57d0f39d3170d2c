"""Media storage in a bucket of a real `moto_server` process on loopback, for
tests/media/test_object_storage.py and test_storage_failures.py.

The storage settings are built from the environment variables an operator
sets (newsroom/media_storage.py). Tests that use none of these fixtures start
no server; without moto_server they are skipped, saying why.
"""

import os
import selectors
import subprocess
import time
import uuid

import boto3
import pytest

from newsroom.media_storage import storage_from_environment
from tests.ingest.test_import_articles import run_import

from .buckets import CDN, free_port, moto_server_command

START_TIMEOUT = 30  # seconds for the server to say it listens


@pytest.fixture(scope="session")
def s3_endpoint():
    """A moto_server process on a free loopback port, until the tests end."""
    command = moto_server_command()
    if command is None:
        pytest.skip(
            "moto_server is not installed (pip install -r requirements-dev.txt)"
        )
    port = free_port()
    server = subprocess.Popen(
        [command, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # Werkzeug says "Running on http://127.0.0.1:PORT" once it listens.
    said = b""
    with selectors.DefaultSelector() as selector:
        selector.register(server.stderr, selectors.EVENT_READ)
        deadline = time.monotonic() + START_TIMEOUT
        while b"Running on" not in said:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                break
            chunk = os.read(server.stderr.fileno(), 4096)
            if not chunk:
                break  # the process ended
            said += chunk
    if b"Running on" not in said:
        server.kill()
        server.wait()
        pytest.skip(
            f"moto_server did not start: {said[-500:].decode(errors='replace')}"
        )
    # Nobody reads its log from here on: let it go nowhere rather than fill a pipe.
    server.stderr.close()
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture
def credentials(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "newsroom-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "newsroom-test-secret")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def bucket(s3_endpoint, credentials, settings):
    """A new, empty bucket that media storage points at, as configured by
    MEDIA_STORAGE_URL and MEDIA_PUBLIC_URL; its objects as a set of keys."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1"
    )  # the test's own look at the bucket
    client.create_bucket(Bucket=name)
    environment = {
        "MEDIA_STORAGE_URL": f"s3://{name}/newsroom?endpoint={s3_endpoint}",
        "MEDIA_PUBLIC_URL": CDN,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_environment(environment),
    }

    def keys():
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=name)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    keys.client = client
    keys.name = name
    return keys


@pytest.fixture
def unreachable_storage(credentials, settings):
    """Media storage pointing at a loopback port where nothing listens."""
    endpoint = f"http://127.0.0.1:{free_port()}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_environment(
            {"MEDIA_STORAGE_URL": f"s3://gone?endpoint={endpoint}"}
        ),
    }
    return endpoint


@pytest.fixture
def editor(admin_client, django_capture_on_commit_callbacks):
    """The admin client; what a request leaves for after its commit (the
    renditions task, deleting files) is done as the request ends."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return admin_client.post(url, data)

    admin_client.post_committed = post
    return admin_client


@pytest.fixture
def import_file(django_capture_on_commit_callbacks):
    def run(*args, **options):
        with django_capture_on_commit_callbacks(execute=True):
            return run_import(*args, **options)

    return run
