"""The REST endpoints of PROTOCOL.md: decode, call a selector or a service, encode."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from docs_app import selectors, services
from docs_app.api import serializers as s
from docs_app.api.filters import OwnershipFilter
from docs_app.api.pagination import RevisionPagination
from docs_app.api.permissions import OWNER, READ, WRITE, DocumentRole


def errors(*codes: int) -> dict:
    """Return the schema's error responses: these codes, and 401 everywhere."""
    return {code: s.ErrorSerializer for code in (401, *codes)}


def created_or_found(serializer_class) -> dict:
    """Return the schema's answers to an idempotent write: 201 when new, 200 when repeated."""
    return {201: serializer_class, 200: serializer_class}


def created_status(created: bool) -> int:
    return status.HTTP_201_CREATED if created else status.HTTP_200_OK


def query(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def body(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TokenView(ObtainAuthToken):
    @extend_schema(auth=[], responses={200: s.TokenSerializer, 400: s.ErrorSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        return super().post(request, *args, **kwargs)


class FormatIsAQueryParameter(DefaultContentNegotiation):
    """Leave `?format=` to the content endpoint (PROTOCOL.md), not to renderer selection."""

    class settings:
        URL_FORMAT_OVERRIDE = None


@extend_schema_view(
    list=extend_schema(responses={200: s.DocumentSerializer(many=True), **errors(404)}),
    retrieve=extend_schema(responses={200: s.DocumentSerializer, **errors(404)}),
)
class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.DocumentSerializer
    permission_classes = [IsAuthenticated, DocumentRole]
    filter_backends = [OwnershipFilter, SearchFilter]
    search_fields = ["title"]
    lookup_value_converter = "uuid"  # `pk` is a UUID, as the editor's group names expect
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    required_roles = {
        "retrieve": READ,
        "content": READ,
        "revisions": READ,
        "diff": READ,
        "collaborators": READ,
        "ops": WRITE,
        "restore": WRITE,
        "partial_update": OWNER,
        "destroy": OWNER,
        "add_collaborator": OWNER,
        "remove_collaborator": OWNER,
    }

    def get_queryset(self):
        return selectors.documents_with_role(self.request.user)

    def represent(self, document_id, status_code: int = status.HTTP_200_OK) -> Response:
        document = self.get_queryset().get(pk=document_id)
        return Response(s.DocumentSerializer(document).data, status=status_code)

    @extend_schema(responses={201: s.DocumentSerializer, **errors(400)})
    def create(self, request: Request) -> Response:
        data = body(s.DocumentSerializer, request)
        document = services.document_create(owner=request.user, title=data.get("title"))
        return self.represent(document.pk, status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.DocumentSerializer, **errors(400, 403, 404)})
    def partial_update(self, request: Request, pk=None) -> Response:
        data = body(s.DocumentSerializer, request)
        if "title" in data:  # the only field a PATCH may change
            services.document_rename(document=self.get_object(), title=data["title"])
        return self.represent(pk)

    @extend_schema(responses={204: None, **errors(403, 404)})
    def destroy(self, request: Request, pk=None) -> Response:
        services.document_delete(document=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[s.ContentQuerySerializer],
        responses={200: s.ContentSerializer, **errors(400, 404)},
    )
    @action(detail=True, content_negotiation_class=FormatIsAQueryParameter)
    def content(self, request: Request, pk=None) -> Response:
        params = query(s.ContentQuerySerializer, request)
        return Response(selectors.document_content(pk, **params))

    @extend_schema(responses={200: s.RevisionSerializer(many=True), **errors(400, 404)})
    @action(detail=True, pagination_class=RevisionPagination, filter_backends=[])
    def revisions(self, request: Request, pk=None) -> Response:
        page = self.paginate_queryset(selectors.revision_log(pk))
        return self.get_paginated_response(s.RevisionSerializer(page, many=True).data)

    @extend_schema(
        parameters=[s.DiffQuerySerializer],
        responses={200: s.DiffSerializer, **errors(400, 404)},
    )
    @action(detail=True)
    def diff(self, request: Request, pk=None) -> Response:
        params = query(s.DiffQuerySerializer, request)
        return Response(
            selectors.revision_diff(pk, from_rev=params["from"], to_rev=params.get("to"))
        )

    @extend_schema(
        request=s.OpSubmitSerializer,
        responses={
            **created_or_found(s.CommittedOpSerializer),
            **errors(400, 403, 404, 409, 503),
        },
        description="Commit an op made against `rev`. A `cid` already committed answers 200 "
        "with the original result and is not applied twice.",
    )
    @action(detail=True, methods=["post"])
    def ops(self, request: Request, pk=None) -> Response:
        data = body(s.OpSubmitSerializer, request)
        result = services.document_submit_op(
            document_id=pk,
            base_rev=data["rev"],
            ops=data["ops"],
            cid=data.get("cid"),
            author=request.user,
        )
        return committed(result)

    @extend_schema(
        request=s.RestoreSerializer,
        responses={**created_or_found(s.CommittedOpSerializer), **errors(400, 403, 404, 503)},
        description="Commit a new revision whose content equals revision `rev`'s; "
        "history is never rewritten.",
    )
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk=None) -> Response:
        data = body(s.RestoreSerializer, request)
        result = services.document_restore(
            document_id=pk, rev=data["rev"], cid=data.get("cid"), author=request.user
        )
        return committed(result)

    @extend_schema(responses={200: s.CollaboratorSerializer(many=True), **errors(404)})
    @action(detail=True, filter_backends=[])
    def collaborators(self, request: Request, pk=None) -> Response:
        page = self.paginate_queryset(selectors.collaborators_of(pk))
        return self.get_paginated_response(s.CollaboratorSerializer(page, many=True).data)

    @extend_schema(
        request=s.CollaboratorInputSerializer,
        responses={**created_or_found(s.CollaboratorSerializer), **errors(400, 403, 404)},
        description="Share the document (201), or change a collaborator's role (200).",
    )
    @collaborators.mapping.post
    def add_collaborator(self, request: Request, pk=None) -> Response:
        data = body(s.CollaboratorInputSerializer, request)
        collaborator, created = services.collaborator_set(
            document=self.get_object(), user=data["username"], role=data["role"]
        )
        return Response(s.CollaboratorSerializer(collaborator).data, status=created_status(created))

    @extend_schema(responses={204: None, **errors(403, 404)})
    @action(detail=True, methods=["delete"], url_path="collaborators/<int:user_id>")
    def remove_collaborator(self, request: Request, pk=None, user_id=None) -> Response:
        services.collaborator_remove(document=self.get_object(), user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


def committed(result) -> Response:
    """Answer an op or a restore: 201 when committed now, 200 for an earlier commit."""
    return Response(
        s.CommittedOpSerializer(result.op).data, status=created_status(not result.duplicate)
    )
