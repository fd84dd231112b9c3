from rest_framework import viewsets

from docs_app.api.serializers import DocumentSerializer
from docs_app.selectors import documents_visible_to


class DocumentViewSet(viewsets.ModelViewSet):
    serializer_class = DocumentSerializer

    def get_queryset(self):
        return documents_visible_to(self.request.user).select_related("owner")

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)
