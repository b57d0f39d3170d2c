"""Response headers the framework does not set.

Django's SecurityMiddleware already sends HSTS (with NEWSROOM_HTTPS=1),
nosniff, Referrer-Policy and Cross-Origin-Opener-Policy; this adds a
Content-Security-Policy and a strict policy for uploaded media.

The policy frames nothing from elsewhere unless a page shows an embed: then
`frame-src` names exactly the players of the embeds on that page (their
click-to-load placeholders say which, articles/embeds.py). Embeds are iframes
only, so `script-src` stays first-party.
"""

import base64
import functools
import hashlib
import re

from django.conf import settings

from articles.embeds import frame_origins

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    # Inline style attributes are harmless without script; the admin uses them.
    "style-src": "'self' 'unsafe-inline'",
    # Imported article bodies may show pictures hosted elsewhere.
    "img-src": "'self' data: https:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Uploads are shown as pictures, never as documents that could run script.
MEDIA_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
SAFE_MEDIA_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)


# (ETag, HTTPS) -> the policy: a cached page's ETag is the hash of its body,
# so a hit's policy is not looked for in the body again. Kept small.
_by_etag = {}
BY_ETAG_LIMIT = 1024


def content_security_policy(response):
    if response.streaming:
        return format_policy(settings.HTTPS, (), ())
    etag = response.get("ETag")
    if etag is None or response.status_code != 200:
        return policy_for_body(response.content)
    key = (etag, settings.HTTPS)
    policy = _by_etag.get(key)
    if policy is None:
        if len(_by_etag) >= BY_ETAG_LIMIT:
            _by_etag.clear()
        policy = _by_etag[key] = policy_for_body(response.content)
    return policy


def policy_for_body(content):
    script_hashes = ()
    if b'type="importmap"' in content:
        # The admin's rich-text editor loads ES modules through an inline import
        # map: allow exactly that map, by its hash, and no other inline script.
        script_hashes = tuple(
            f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for body in IMPORTMAP.findall(content)
        )
    return format_policy(settings.HTTPS, script_hashes, frame_origins(content))


@functools.lru_cache(maxsize=256)
def format_policy(https, script_hashes, frames):
    """The header's text, built once per variant rather than per response."""
    policy = dict(CONTENT_SECURITY_POLICY)
    if https:
        policy["upgrade-insecure-requests"] = ""
    if script_hashes:
        policy["script-src"] = " ".join([policy["script-src"], *script_hashes])
    if frames:
        policy["frame-src"] = " ".join(["'self'", *frames])
    return "; ".join(f"{name} {value}".strip() for name, value in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.MEDIA_URL):
            protect_media(response)
        elif response.get("Content-Type", "").startswith("text/html"):
            response.setdefault(
                "Content-Security-Policy", content_security_policy(response)
            )
        return response


def protect_media(response):
    """An uploaded file is served as a picture or as a download, nothing else."""
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if response.status_code == 200 and content_type not in SAFE_MEDIA_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    response["Content-Security-Policy"] = MEDIA_POLICY
    response["X-Content-Type-Options"] = "nosniff"
