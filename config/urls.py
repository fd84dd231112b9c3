from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from docs_app import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", views.document_list, name="document-index"),
    path("documents/<uuid:document_id>/", views.document_editor, name="document-editor"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("docs_app.api.urls")),
]
