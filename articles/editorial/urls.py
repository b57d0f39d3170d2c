from django.urls import path

from . import previews

app_name = "editorial"
urlpatterns = [
    path("preview/<int:pk>/", previews.article_preview, name="preview"),
    path(
        "preview/shared/<str:signed>/",
        previews.shared_preview,
        name="shared_preview",
    ),
]
