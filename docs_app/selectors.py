"""Read-side queries: which documents a user may see, and in what role."""

from django.db.models import QuerySet

from docs_app.models import Document


def documents_visible_to(user) -> QuerySet[Document]:
    """Return the documents `user` may open."""
    if not user.is_authenticated:
        return Document.objects.none()
    return Document.objects.filter(owner=user)


def document_role(user, document_id) -> str | None:
    """Return the user's role on the document, or None when it is not visible to them."""
    if not user.is_authenticated:
        return None
    owner_id = Document.objects.filter(pk=document_id).values_list("owner_id", flat=True).first()
    if owner_id is None:
        return None
    return "owner" if owner_id == user.pk else None
