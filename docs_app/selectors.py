"""Read-side queries: who may see a document in what role, and a document's history.

Content at a revision always comes from `content_at` (nearest snapshot plus the
ops after it), never from replaying the whole log.
"""

from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When

from docs_app.html_export import export_html, export_text
from docs_app.models import Collaborator, Document, Revision
from docs_app.op_store import content_at, head_rev
from editor import errors, ot


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


EXPORTS = {"delta": lambda content: content, "text": export_text, "html": export_html}


class RevisionNotFound(errors.ProtocolError):
    code = "revision_not_found"
    default_message = "The revision does not exist."


def documents_with_role(user) -> QuerySet[Document]:
    """Return the documents `user` may see, each annotated with the user's `role`."""
    collaborator_role = Collaborator.objects.filter(document=OuterRef("pk"), user=user.pk)
    return (
        documents_visible_to(user)
        .select_related("owner")
        .annotate(
            role=Case(
                When(owner=user.pk, then=Value("owner")),
                default=Subquery(collaborator_role.values("role")[:1]),
            )
        )
    )


def collaborators_of(document_id) -> QuerySet[Collaborator]:
    return (
        Collaborator.objects.filter(document_id=document_id)
        .select_related("user")
        .order_by("user__username")
    )


def revision_log(document_id) -> QuerySet[Revision]:
    """Return the document's committed revisions in revision order."""
    return Revision.objects.filter(document_id=document_id).select_related("author").order_by("rev")


def existing_rev(document_id, rev: int | None) -> int:
    """Return `rev`, or the latest revision when it is None; raise RevisionNotFound past it."""
    head = head_rev(document_id)
    if rev is None:
        return head
    if rev > head:
        raise RevisionNotFound(
            f"Revision {rev} does not exist: the document is at revision {head}."
        )
    return rev


def document_content(document_id, *, rev: int | None = None, format: str = "delta") -> dict:
    """Return `{"rev", "format", "content"}`: the document at `rev` as a Delta, text or HTML."""
    rev = existing_rev(document_id, rev)
    return {"rev": rev, "format": format, "content": EXPORTS[format](content_at(document_id, rev))}


def revision_diff(document_id, *, from_rev: int, to_rev: int | None = None) -> dict:
    """Return `{"from", "to", "ops"}`: the Delta that turns revision `from` into `to`."""
    from_rev, to_rev = existing_rev(document_id, from_rev), existing_rev(document_id, to_rev)
    ops = ot.diff(content_at(document_id, from_rev), content_at(document_id, to_rev))
    return {"from": from_rev, "to": to_rev, "ops": ops}
