"""One way a refused write reaches the person: a service raises `ServiceError`, a view maps it.

Business rules live in services (CONVENTIONS.md: services own writes). When a rule
refuses, the service raises `ServiceError` with Swedish messages, per field where a
field is to blame; a form view calls `form_add_service_error`, the API answers 400
through the handler registered in samverkan/api.py (`api_error_body`). A subclass of
Django's ValidationError, so `error.message_dict` and `error.messages` work as usual.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from ninja import Schema


class ServiceError(ValidationError):
    """A write a business rule refuses; `ServiceError({"field": message})` or `ServiceError(message)`."""


def form_add_service_error(form: forms.BaseForm, error: ServiceError) -> None:
    """Show a service's refusal on the form: next to the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def api_error_body(error: ValidationError) -> dict[str, Any]:
    """The JSON of a 400 answer: one readable `detail`, and the messages per field when there are fields."""
    messages = error.messages
    body: dict[str, Any] = {"detail": " ".join(messages)}
    if hasattr(error, "error_dict"):
        body["errors"] = {
            ("__all__" if field == NON_FIELD_ERRORS else field): [str(m) for m in ValidationError(errors).messages]
            for field, errors in error.error_dict.items()
        }
    return body


class ErrorOut(Schema):
    """Every 4xx answer of the API: a Swedish sentence in `detail`; `errors` per parameter or field, if any."""

    detail: str
    errors: Any = None
