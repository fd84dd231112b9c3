"""The REST representations of PROTOCOL.md, and the query parameters they take."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from docs_app.models import Collaborator, Document, Revision
from docs_app.selectors import EXPORTS
from editor.protocol import MAX_CID_LENGTH

ROLES = ["owner", "editor", "viewer"]
DELTA_SCHEMA = {"type": "array", "items": {"type": "object", "additionalProperties": True}}


@extend_schema_field(DELTA_SCHEMA)
class DeltaField(serializers.JSONField):
    """A Quill Delta: a list of ops. The OT core, not this field, checks what it holds."""


@extend_schema_field({"oneOf": [DELTA_SCHEMA, {"type": "string"}]})
class ExportField(serializers.JSONField):
    """A Delta for the `delta` format, a string for `text` and `html`."""


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username"]


class DocumentSerializer(serializers.ModelSerializer):
    owner = UserSerializer(read_only=True)
    role = serializers.ChoiceField(choices=ROLES, read_only=True)

    class Meta:
        model = Document
        fields = ["id", "title", "owner", "rev", "role", "created_at", "updated_at"]
        read_only_fields = ["id", "rev", "created_at", "updated_at"]


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class ContentQuerySerializer(serializers.Serializer):
    rev = serializers.IntegerField(min_value=0, required=False, help_text="Default: the latest.")
    format = serializers.ChoiceField(choices=list(EXPORTS), default="delta")


class ContentSerializer(serializers.Serializer):
    rev = serializers.IntegerField()
    format = serializers.ChoiceField(choices=list(EXPORTS))
    content = ExportField()


class RevisionPageQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, default=0, help_text="Revisions above this.")
    limit = serializers.IntegerField(min_value=1, default=100, help_text="At most 1000.")


class RevisionSerializer(serializers.ModelSerializer):
    ops = DeltaField(read_only=True)
    author = UserSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Revision
        fields = ["rev", "ops", "cid", "author", "created_at"]
        read_only_fields = fields


class DiffQuerySerializer(serializers.Serializer):
    def get_fields(self) -> dict:
        return {  # "from" is a Python keyword: these fields cannot be class attributes.
            "from": serializers.IntegerField(min_value=0),
            "to": serializers.IntegerField(
                min_value=0, required=False, help_text="Default: the latest."
            ),
        }


class DiffSerializer(serializers.Serializer):
    def get_fields(self) -> dict:
        return {
            "from": serializers.IntegerField(),
            "to": serializers.IntegerField(),
            "ops": DeltaField(),
        }


class CidField(serializers.CharField):
    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=MAX_CID_LENGTH, **kwargs)


class OpSubmitSerializer(serializers.Serializer):
    rev = serializers.IntegerField(min_value=0, help_text="The revision the op was made against.")
    ops = DeltaField()
    cid = CidField(required=False, help_text="Makes a retry safe: resend the same cid.")


class RestoreSerializer(serializers.Serializer):
    rev = serializers.IntegerField(min_value=0, help_text="The revision to bring back.")
    cid = CidField(required=False, help_text="Makes a retry safe: resend the same cid.")


class CommittedOpSerializer(serializers.Serializer):
    rev = serializers.IntegerField()
    ops = DeltaField()
    cid = CidField()


class CollaboratorSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)

    class Meta:
        model = Collaborator
        fields = ["user", "role"]


class CollaboratorInputSerializer(serializers.Serializer):
    username = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.all(),
        error_messages={"does_not_exist": "There is no user called {value}."},
    )
    role = serializers.ChoiceField(choices=Collaborator.Role.choices)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.JSONField(required=False, help_text="Per-field messages (400 only).")
