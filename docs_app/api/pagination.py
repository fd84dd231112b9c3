"""Paging of the revision log by revision number (`after`/`limit`), not by page."""

from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from docs_app.api.serializers import RevisionPageQuerySerializer


class RevisionPagination(BasePagination):
    max_limit = 1000

    def paginate_queryset(self, queryset, request, view=None) -> list:
        query = RevisionPageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        self.request = request
        self.limit = min(query.validated_data["limit"], self.max_limit)
        rows = list(queryset.filter(rev__gt=query.validated_data["after"])[: self.limit + 1])
        self.has_more = len(rows) > self.limit
        return rows[: self.limit]

    def get_paginated_response(self, data) -> Response:
        return Response({"results": data, "next": self.next_link(data)})

    def next_link(self, data) -> str | None:
        if not self.has_more:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), "after", data[-1]["rev"])
        return replace_query_param(url, "limit", self.limit)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["results", "next"],
            "properties": {
                "results": schema,
                "next": {"type": "string", "format": "uri", "nullable": True},
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        fields = RevisionPageQuerySerializer().fields
        return [
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": fields[name].help_text,
                "schema": {"type": "integer", "minimum": fields[name].min_value},
            }
            for name in ("after", "limit")
        ]
