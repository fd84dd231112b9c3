from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from docs_app.selectors import document_role

READ = frozenset({"owner", "editor", "viewer"})
WRITE = frozenset({"owner", "editor"})
OWNER = frozenset({"owner"})


class DocumentRole(BasePermission):
    """Hide a document the caller may not see (404); refuse what their role does not allow (403).

    The view lists, per action, the roles allowed in `required_roles`; an action
    on a document that is missing there is refused.
    """

    message = "Your role on this document does not allow this."

    def has_permission(self, request, view) -> bool:
        document_id = view.kwargs.get(view.lookup_url_kwarg or view.lookup_field)
        if document_id is None:
            return True
        role = document_role(request.user, document_id)
        if role is None:
            raise NotFound("No such document.")
        if view.action is None:
            return True  # OPTIONS, or a method the view answers with 405
        return role in view.required_roles.get(view.action, ())
