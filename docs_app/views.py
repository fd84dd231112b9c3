from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from docs_app.selectors import document_role, documents_visible_to


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    documents = documents_visible_to(request.user).select_related("owner")
    return render(request, "docs_app/document_list.html", {"documents": documents})


@login_required
def document_editor(request: HttpRequest, document_id) -> HttpResponse:
    role = document_role(request.user, document_id)
    if role is None:
        raise Http404("No such document.")
    document = documents_visible_to(request.user).get(pk=document_id)
    return render(request, "docs_app/editor.html", {"document": document, "role": role})
