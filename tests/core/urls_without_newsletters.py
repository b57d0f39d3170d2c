"""The site without the newsletters app, for tests/core/test_addresses.py."""

from django.urls import include, path

urlpatterns = [path("", include("articles.urls"))]
