from django.urls import path, register_converter

from . import views


class UnicodeSlugConverter:
    """Like `<slug:>` but also matches Unicode letters (Django's is ASCII only)."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "<int:year>/<int:month>/<int:day>/<uslug:slug>/",
        views.article_detail,
        name="detail",
    ),
    path("section/<uslug:slug>/", views.section_detail, name="section"),
    path("tag/<uslug:slug>/", views.tag_detail, name="tag"),
    path("author/<uslug:slug>/", views.author_detail, name="author"),
    path("search/", views.search, name="search"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
]
