"""Read-side queries: which documents a user may see, and in what role."""

from django.db.models import Q, QuerySet

from docs_app.models import Collaborator, Document


def documents_visible_to(user) -> QuerySet[Document]:
    """Return the documents `user` owns or collaborates on."""
    if not user.is_authenticated:
        return Document.objects.none()
    return Document.objects.filter(Q(owner=user) | Q(collaborators__user=user)).distinct()


def document_role(user, document_id) -> str | None:
    """Return "owner", "editor" or "viewer", or None when the document is not visible."""
    if not user.is_authenticated:
        return None
    owner_id = Document.objects.filter(pk=document_id).values_list("owner_id", flat=True).first()
    if owner_id is None:
        return None
    if owner_id == user.pk:
        return "owner"
    return (
        Collaborator.objects.filter(document_id=document_id, user=user)
        .values_list("role", flat=True)
        .first()
    )
