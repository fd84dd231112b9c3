from rest_framework.filters import BaseFilterBackend

FLAGS = {
    "owned": "Only the documents the caller owns (1).",
    "shared": "Only the documents shared with the caller (1).",
}


def flag(request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in {"1", "true"}


class OwnershipFilter(BaseFilterBackend):
    """`?owned=1` keeps the caller's own documents, `?shared=1` those shared with them."""

    def filter_queryset(self, request, queryset, view):
        if flag(request, "owned"):
            queryset = queryset.filter(owner=request.user)
        if flag(request, "shared"):
            queryset = queryset.exclude(owner=request.user)
        return queryset

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": description,
                "schema": {"type": "boolean"},
            }
            for name, description in FLAGS.items()
        ]
