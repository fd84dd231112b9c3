"""Shared setup of the REST tests: a cast of users around one document, and its history."""

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from docs_app.models import Collaborator, Document
from editor import service

ROLES = ("owner", "editor", "viewer", "stranger")


def make_user(name: str):
    return get_user_model().objects.create_user(name, password=f"pw-{name}-123")


@dataclass
class Cast:
    """A document owned by `owner`, shared with `editor` and `viewer`; `stranger` has no access."""

    document: Document
    users: dict

    @property
    def url(self) -> str:
        return f"/api/documents/{self.document.pk}/"

    def client(self, who: str) -> APIClient:
        api = APIClient()
        if who != "anonymous":
            api.force_authenticate(self.users[who])
        return api

    def refresh(self) -> Document:
        self.document.refresh_from_db()
        return self.document


def make_cast(title: str = "Plan") -> Cast:
    users = {role: make_user(role) for role in ROLES}
    document = Document.objects.create(owner=users["owner"], title=title)
    for role in ("editor", "viewer"):
        Collaborator.objects.create(document=document, user=users[role], role=role)
    return Cast(document, users)


def edit(document: Document, ops: list, *, author=None) -> int:
    """Commit `ops` on the latest revision through the ordering service; return the new one."""
    rev = Document.objects.get(pk=document.pk).rev
    result = service.submit_op(
        document.pk, base_rev=rev, ops=ops, cid=uuid.uuid4().hex, author=author
    )
    return result.op.rev


def write_history(document: Document) -> list[str]:
    """Give the document four revisions; return its text after each (index = revision)."""
    edit(document, [{"insert": "Hello"}])
    edit(document, [{"retain": 5}, {"insert": " world"}])
    edit(document, [{"retain": 5, "attributes": {"bold": True}}])
    edit(document, [{"insert": "Bye"}, {"delete": 5}])
    return ["\n", "Hello\n", "Hello world\n", "Hello world\n", "Bye world\n"]
