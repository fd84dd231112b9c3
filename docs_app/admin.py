"""The admin: documents with their sharing and history, read-only revisions and snapshots.

Nothing here writes `content`, `rev` or a Revision row: a restore goes through
the ordering service (so live editors see it), and a change form saves only the
title, so an edit committed while the form was open is never overwritten.
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from docs_app import services
from docs_app.html_export import export_text
from docs_app.models import Collaborator, Document, Revision, Snapshot
from editor import service
from editor.errors import ProtocolError

PREVIEW_CHARS = 500


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CollaboratorInline(admin.TabularInline):
    model = Collaborator
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["user"]


class RestoreForm(forms.Form):
    rev = forms.IntegerField(min_value=0, label="Revision")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "rev", "updated_at", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["title", "owner__username"]
    list_filter = ["updated_at", "created_at"]
    date_hierarchy = "updated_at"
    readonly_fields = [
        "id",
        "rev",
        "revision_count",
        "editor_link",
        "text_preview",
        "created_at",
        "updated_at",
    ]
    add_fields = ["title", "owner"]
    fields = [*add_fields, *readonly_fields]
    raw_id_fields = ["owner"]
    inlines = [CollaboratorInline]
    actions = ["restore_to_revision"]

    def get_fields(self, request, obj=None) -> list[str]:
        return self.fields if obj else self.add_fields

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [*self.readonly_fields, "owner"] if obj else []

    @admin.display(description="revisions")
    def revision_count(self, document: Document) -> int:
        return document.revisions.count()

    @admin.display(description="editor")
    def editor_link(self, document: Document) -> str:
        url = reverse("document-editor", args=[document.pk])
        return format_html('<a href="{}">Open in the editor</a>', url)

    @admin.display(description="current text")
    def text_preview(self, document: Document) -> str:
        return Truncator(export_text(document.content)).chars(PREVIEW_CHARS)

    def save_model(self, request, obj: Document, form, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
        elif "title" in form.changed_data:
            services.document_rename(document=obj, title=obj.title)

    def save_formset(self, request, form, formset, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        changed = [
            *formset.new_objects,
            *(collaborator for collaborator, _ in formset.changed_objects),
            *formset.deleted_objects,
        ]
        for collaborator in changed:
            announce = partial(
                service.announce_access_changed, collaborator.document_id, collaborator.user_id
            )
            transaction.on_commit(announce)

    def delete_model(self, request, obj: Document) -> None:
        services.document_delete(document=obj)

    def delete_queryset(self, request, queryset) -> None:
        for document in queryset:
            services.document_delete(document=document)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Revisions and snapshots, read-only on their own, go with their document.
        perms_needed -= {Revision._meta.verbose_name, Snapshot._meta.verbose_name}
        return deleted, counts, perms_needed, protected

    @admin.action(description="Restore to a revision…", permissions=["change"])
    def restore_to_revision(self, request, queryset):
        form = RestoreForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for document in queryset:
                self.restore(request, document, form.cleaned_data["rev"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Restore to a revision",
            "opts": self.model._meta,
            "form": form,
            "documents": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/docs_app/document/restore_to_revision.html", context
        )

    def restore(self, request, document: Document, rev: int) -> None:
        try:
            result = services.document_restore(
                document_id=document.pk, rev=rev, author=request.user
            )
        except ProtocolError as error:
            self.message_user(request, f"“{document}”: {error.message}", messages.ERROR)
            return
        message = f"“{document}”: revision {rev} restored as revision {result.op.rev}."
        self.message_user(request, message, messages.SUCCESS)


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["document", "rev", "author", "cid", "created_at"]
    list_select_related = ["document", "author"]
    list_filter = [
        ("document", admin.RelatedOnlyFieldListFilter),
        ("author", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["document__title", "cid"]


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["document", "rev", "created_at"]
    list_select_related = ["document"]
    list_filter = [("document", admin.RelatedOnlyFieldListFilter)]
