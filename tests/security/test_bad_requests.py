"""Hostile URLs, methods, hosts and query strings: never a 500, never off-site."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_article

pytestmark = pytest.mark.django_db

ALLOWED = {200, 301, 302, 304, 400, 404, 405, 410}
# Paths readers can reach, with the pieces a fuzzer should mutate.
PREFIXES = [
    "/", "/search/", "/section/", "/tag/", "/author/", "/feed/", "/sitemap-",
    "/2024/01/02/", "/preview/shared/", "/corrections/", "/media/", "/static/",
    "/news-sitemap.xml", "/robots.txt",
]  # fmt: skip
ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40
)
PERCENT = st.lists(st.sampled_from(["%00", "%FF", "%C0%AF", "%2F", "%25", "%2e%2e"]))


@pytest.fixture
def article():
    return make_article(headline="Quokka census", slug="quokka-census", tags=["Zoo"])


def assert_safe(response, url):
    assert response.status_code in ALLOWED, f"{url} answered {response.status_code}"
    location = response.get("Location", "")
    assert not location.startswith(("//", "http://", "https://")) or (
        location.startswith(("http://testserver/", "https://testserver/"))
    ), f"{url} redirects off-site to {location}"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(prefix=st.sampled_from(PREFIXES), tail=ODD_TEXT, junk=PERCENT)
def test_fuzzed_paths_never_fail(article, prefix, tail, junk):
    from urllib.parse import quote

    url = prefix + quote(tail, safe="/") + "".join(junk)
    response = Client().get(url)
    assert_safe(response, url)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    path=st.sampled_from(["/", "/search/", "/tag/zoo/", "/feed/", "/corrections/"]),
    params=st.dictionaries(
        st.sampled_from(["page", "q", "p", "format", "_connector", "o", "order"]),
        st.one_of(
            ODD_TEXT,
            st.integers(min_value=-(10**20), max_value=10**20).map(str),
            st.sampled_from(["1.5", "last", "-1", "0", "9" * 5000, "a & !( :*"]),
        ),
        max_size=3,
    ),
)
def test_fuzzed_query_strings_never_fail(article, path, params):
    response = Client().get(path, params)
    assert_safe(response, f"{path}?{params}")


@pytest.mark.parametrize(
    "url",
    [
        "//evil.example/",
        "//evil.example",
        "///evil.example/",
        "/%2F%2Fevil.example",
        "/%2F%2Fevil.example/",
        "/%5C%5Cevil.example",
        "/\\\\evil.example",
        "/search//evil.example",
        "/section/desk//evil.example",
        "/2024/01/02/quokka-census//evil.example",
    ],
)
def test_no_open_redirects(article, url):
    response = Client().get(url)
    assert_safe(response, url)


def test_missing_trailing_slash_redirects_on_the_same_host(article):
    response = Client().get("/search")
    assert response.status_code == 301
    assert response["Location"] == "/search/"


@pytest.mark.parametrize(
    "host", ["evil.example", "127.0.0.1.evil.example", "localhost:80@evil.example"]
)
def test_forged_host_is_refused(article, host):
    for url in ("/", article.get_absolute_url(), "/feed/", "/sitemap.xml"):
        response = Client().get(url, headers={"host": host})
        assert response.status_code == 400, url


def test_forwarded_host_is_ignored(article):
    response = Client().get(
        "/feed/", headers={"x-forwarded-host": "evil.example", "host": "localhost"}
    )
    assert response.status_code == 200
    assert b"evil.example" not in response.content


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_public_pages_refuse_writes(article, method):
    for url in ("/", article.get_absolute_url(), "/feed/", "/search/"):
        # Refused by the CSRF check before the view's own 405.
        response = getattr(Client(enforce_csrf_checks=True), method)(url)
        assert response.status_code == 403, (method, url)
        assert getattr(Client(), method)(url).status_code == 405, (method, url)


def test_head_and_options(article):
    for url in ("/", article.get_absolute_url(), "/feed/", "/sitemap.xml"):
        head = Client().head(url)
        assert head.status_code == 200, url
        assert head.content == b""
        assert Client().options(url).status_code == 405


@pytest.mark.parametrize(
    "page", ["-1", "0", "abc", "1.5", "9" * 5000, "last", "99999999999999999999"]
)
def test_odd_page_numbers(article, page):
    for url in ("/tag/zoo/", "/search/?q=quokka"):
        sep = "&" if "?" in url else "?"
        response = Client().get(f"{url}{sep}page={page}")
        assert response.status_code == 404, (url, page)
    # The front page has no pages: it ignores the parameter.
    assert Client().get(f"/?page={page}").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["' OR 1=1 --", "%_\\", "<script>", "a & !( :*", "x" * 100_000, "\x00nul"],
)
def test_hostile_search_queries(article, query):
    response = Client().get("/search/", {"q": query})
    assert response.status_code == 200
    assert b"<script>" not in response.content.split(b"</header>")[-1]


def test_too_many_query_parameters_are_refused(article):
    query = "&".join(f"k{i}=v" for i in range(2000))
    response = Client().post(f"/search/?{query}", data=query, content_type="x/y")
    assert response.status_code == 405
    response = Client().get(f"/search/?{query}")
    assert response.status_code == 400


def test_huge_headers_do_not_fail(article):
    response = Client().get(
        "/",
        headers={"accept-language": "en;q=0.9," * 2000, "cookie": "a=" + "b" * 8000},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "slug",
    ["quokka-census%00", "quokka%FF", "%C0%AF", "a" * 10_000, "café", "cafe\u0301"],
)
def test_odd_slugs(article, slug):
    response = Client().get(f"/2024/01/02/{slug}/")
    assert response.status_code == 404
    response = Client().get(f"/tag/{slug}/")
    assert response.status_code == 404
