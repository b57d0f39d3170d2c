"""Production posture: deploy checks, security headers, media policy."""

import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import resolve

from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[2]


def documented_environment():
    """The variables docs/deploy.md tells operators to set, placeholders filled."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    block = text.split("`EnvironmentFile`:", 1)[1].split("```")[1]
    env = dict(line.strip().split("=", 1) for line in block.strip().splitlines())
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = env["DATABASE_URL"].replace("<password>", "secret")
    return env


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_", "CACHE_"))
    }
    env.update(documented_environment(), **extra)
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestDeployCheck:
    def test_production_settings_pass_check_deploy(self):
        result = manage(
            "check", "--deploy", "--fail-level", "DEBUG", env=production_env()
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout

    def test_development_defaults_are_flagged(self):
        env = production_env()
        for name in ("DJANGO_SECRET_KEY", "NEWSROOM_HTTPS"):
            env.pop(name)
        result = manage("check", "--deploy", env=env)
        output = result.stdout + result.stderr
        for warning in ("security.W009", "security.W008", "security.W004"):
            assert warning in output

    def test_debug_on_is_flagged(self):
        result = manage("check", "--deploy", env=production_env(DJANGO_DEBUG="1"))
        assert "security.W018" in result.stdout + result.stderr


@pytest.mark.django_db
class TestSecurityHeader:
    def test_public_pages_carry_the_security_headers(self, client):
        article = make_article()
        for url in ("/", article.get_absolute_url(), "/search/?q=x", "/no-such-page/"):
            response = client.get(url)
            assert response["X-Content-Type-Options"] == "nosniff", url
            assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
            assert response["Cross-Origin-Opener-Policy"] == "same-origin"
            assert response["X-Frame-Options"] == "DENY"
            csp = response["Content-Security-Policy"]
            assert "script-src 'self'" in csp
            assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
            assert "object-src 'none'" in csp
            assert "frame-ancestors 'none'" in csp

    def test_https_mode_redirects_and_sends_hsts(self, client, settings):
        settings.SECURE_SSL_REDIRECT = True
        settings.SECURE_HSTS_SECONDS = 31_536_000
        settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
        response = client.get("/")
        assert response.status_code == 301
        assert response["Location"] == "https://testserver/"
        response = client.get("/", secure=True)
        assert response.status_code == 200
        assert response["Strict-Transport-Security"].startswith("max-age=31536000")

    def test_admin_import_map_is_allowed_by_hash_only(self, client):
        user = get_user_model().objects.create_superuser("boss", "b@example.com", "pw")
        client.force_login(user)
        response = client.get("/admin/articles/article/add/")
        assert response.status_code == 200
        csp = response["Content-Security-Policy"]
        script_src = csp.split("script-src")[1].split(";")[0]
        assert "'unsafe-inline'" not in script_src
        if b'type="importmap"' in response.content:
            assert "'sha256-" in script_src


@pytest.fixture
def media_file():
    """A file in the folder /media/ is served from (fixed when URLs load)."""
    root = Path(resolve("/media/x").kwargs["document_root"])
    created = []

    def write(suffix, data):
        root.mkdir(parents=True, exist_ok=True)
        path = root / f"posture-{uuid.uuid4().hex}{suffix}"
        path.write_bytes(data)
        created.append(path)
        return f"/media/{path.name}"

    yield write
    for path in created:
        path.unlink(missing_ok=True)


class TestMediaPolicy:
    def test_images_are_served_as_images_with_nosniff_and_a_sandbox(self, media_file):
        from tests.factories import jpeg_bytes

        response = Client().get(media_file(".jpg", jpeg_bytes()))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert "default-src 'none'" in response["Content-Security-Policy"]

    @pytest.mark.parametrize(
        "suffix, data",
        [
            (".html", b"<script>alert(1)</script>"),
            (".svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
            (".js", b"alert(1)"),
        ],
    )
    def test_anything_else_is_a_download_never_a_page(self, media_file, suffix, data):
        response = Client().get(media_file(suffix, data))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"] == "attachment"
        assert response["X-Content-Type-Options"] == "nosniff"
