"""Helpers for the media storage tests (the fixtures are in conftest.py)."""

import io
import shutil
import socket
import sys
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tests.factories import jpeg_bytes

CDN = "https://cdn.example.test"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def moto_server_command():
    beside_python = Path(sys.executable).with_name("moto_server")
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("moto_server")


def run_command(*args):
    """Run a management command; returns (succeeded, stderr and its message)."""
    err = io.StringIO()
    try:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    except CommandError as exc:
        return False, f"{err.getvalue()}{exc}"
    return True, err.getvalue()


def upload(client, data=None, name="council.jpg", pk=None):
    url = f"/admin/articles/image/{pk}/change/" if pk else "/admin/articles/image/add/"
    return client.post_committed(
        url,
        {
            "file": SimpleUploadedFile(name, data or jpeg_bytes((1400, 800))),
            "alt": "The council chamber",
        },
    )


def rendition_keys(keys):
    return {key for key in keys if key.startswith("newsroom/renditions/")}
