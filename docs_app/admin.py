from django.contrib import admin

from docs_app.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "updated_at", "created_at"]
    search_fields = ["title", "owner__username"]
    list_filter = ["updated_at", "created_at"]
    readonly_fields = ["id", "created_at", "updated_at"]
    raw_id_fields = ["owner"]
