from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from docs_app.api.views import DocumentViewSet, TokenView


class Router(DefaultRouter):
    # `format` is the content endpoint's query parameter, not a URL suffix.
    include_format_suffixes = False


router = Router(use_regex_path=False)
router.register("documents", DocumentViewSet, basename="document")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
