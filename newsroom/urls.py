from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from articles import sitemaps

admin.site.site_header = f"{settings.SITE_NAME} — editors"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Newsroom"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap-index"),
    path("sitemap-<section>.xml", sitemaps.sitemap, name="sitemap"),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news-sitemap"),
    path("", include("articles.editorial.urls")),
    path("", include("articles.newsletters.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # One-machine setups serve uploads from here; larger ones from object storage.
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

# A static 503 while the database is unreachable; 500.html otherwise.
handler500 = "newsroom.unavailable.server_error"
