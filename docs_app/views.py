from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from docs_app.selectors import documents_visible_to


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    documents = documents_visible_to(request.user).select_related("owner")
    return render(request, "docs_app/document_list.html", {"documents": documents})
