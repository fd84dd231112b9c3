import uuid

from django.conf import settings
from django.db import models


def empty_document() -> list:
    return [{"insert": "\n"}]


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200, default="Untitled document")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_documents"
    )
    # `content` is the document Delta at `rev`; both change only through the
    # ordering service, in the same transaction as the Revision row.
    rev = models.PositiveIntegerField(default=0)
    content = models.JSONField(default=empty_document)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class Revision(models.Model):
    """One committed op: the document went from `rev - 1` to `rev` by applying `ops`."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    rev = models.PositiveIntegerField()
    ops = models.JSONField()
    cid = models.CharField(max_length=64)
    session = models.CharField(max_length=64, blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "rev"]
        constraints = [
            models.UniqueConstraint(fields=["document", "rev"], name="revision_unique_rev"),
            models.UniqueConstraint(fields=["document", "cid"], name="revision_unique_cid"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} r{self.rev}"


class Snapshot(models.Model):
    """The document's content at `rev`, so old revisions need only a few ops replayed."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="snapshots")
    rev = models.PositiveIntegerField()
    content = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "rev"]
        constraints = [
            models.UniqueConstraint(fields=["document", "rev"], name="snapshot_unique_rev"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} @r{self.rev}"


class Collaborator(models.Model):
    """A user other than the owner who may open the document. The owner is implicit."""

    class Role(models.TextChoices):
        EDITOR = "editor"
        VIEWER = "viewer"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="collaborators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaborations"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="collaborator_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) on {self.document}"
