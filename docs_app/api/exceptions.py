"""The one place where domain errors become HTTP responses.

Every error body is `{"detail": str, "code": str}`; a validation error adds
`"errors"`, DRF's per-field messages.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from docs_app.selectors import RevisionNotFound
from editor import errors

# BadRev covers a base revision ahead of the document and one too old to
# transform from: either way the client must re-read the document, so 409.
PROTOCOL_STATUS = {
    errors.BadMessage: status.HTTP_400_BAD_REQUEST,
    errors.InvalidOp: status.HTTP_400_BAD_REQUEST,
    errors.TooLarge: status.HTTP_400_BAD_REQUEST,
    errors.BadRev: status.HTTP_409_CONFLICT,
    errors.Forbidden: status.HTTP_403_FORBIDDEN,
    errors.RateLimited: status.HTTP_429_TOO_MANY_REQUESTS,
    errors.Unavailable: status.HTTP_503_SERVICE_UNAVAILABLE,
    errors.DocumentNotFound: status.HTTP_404_NOT_FOUND,
    RevisionNotFound: status.HTTP_404_NOT_FOUND,
}


class ProtocolAPIError(exceptions.APIException):
    def __init__(self, error: errors.ProtocolError) -> None:
        super().__init__(error.message, code=error.code)
        self.status_code = next(
            (PROTOCOL_STATUS[kind] for kind in type(error).__mro__ if kind in PROTOCOL_STATUS),
            status.HTTP_400_BAD_REQUEST,
        )


def api_exception(exc: Exception) -> Exception:
    """Return the DRF exception that stands for a domain or Django error."""
    if isinstance(exc, errors.ProtocolError):
        return ProtocolAPIError(exc)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, ObjectDoesNotExist):
        return exceptions.NotFound(str(exc))
    return exc


def exception_handler(exc: Exception, context: dict):
    response = drf_exception_handler(api_exception(exc), context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data:
        response.data = {**data, "code": getattr(data["detail"], "code", "error")}
    else:
        response.data = {"detail": summary(data), "code": "invalid", "errors": data}
    return response


def summary(messages: object) -> str:
    """Return DRF's nested validation messages as one readable sentence."""
    if isinstance(messages, dict):
        return "; ".join(
            summary(value) if key == "non_field_errors" else f"{key}: {summary(value)}"
            for key, value in messages.items()
        )
    if isinstance(messages, list):
        return " ".join(summary(item) for item in messages)
    return str(messages)
