"""One mapping from a service's refusal to a Swedish form error or an API 400 (common/errors.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test import Client, RequestFactory

from samverkan.api import api
from samverkan.common.errors import ServiceError, api_error_body, form_add_service_error
from samverkan.common.text import control_character, decode_text_file, validate_no_control_characters


class _NameForm(forms.Form):
    name = forms.CharField()


def test_service_error_lands_next_to_the_field_it_names_and_else_above_the_form() -> None:
    form = _NameForm({"name": "Hösten"})
    assert form.is_valid()
    form_add_service_error(form, ServiceError({"name": "Namnet är upptaget.", "unknown": "Något annat."}))
    assert form.errors["name"] == ["Namnet är upptaget."]
    assert form.non_field_errors() == ["Något annat."]
    other = _NameForm({"name": "Hösten"})
    other.is_valid()
    form_add_service_error(other, ServiceError("Mätomgången är inte stängd."))
    assert other.non_field_errors() == ["Mätomgången är inte stängd."]


def test_service_error_is_an_api_400_with_a_swedish_detail() -> None:
    request = RequestFactory().get("/api/association")
    response = api.on_exception(request, ServiceError({"name": "Namnet är upptaget."}))
    assert response.status_code == 400
    assert api_error_body(ServiceError({"name": "Namnet är upptaget."})) == {
        "detail": "Namnet är upptaget.",
        "errors": {"name": ["Namnet är upptaget."]},
    }
    assert api_error_body(ServiceError("Stängd.")) == {"detail": "Stängd."}


@pytest.mark.django_db
def test_openapi_documents_the_400_401_and_404_answers_of_the_measure_endpoints() -> None:
    schema = Client().get("/api/openapi.json").json()
    listing = schema["paths"]["/api/measure/campaigns"]["get"]["responses"]
    results = schema["paths"]["/api/measure/campaigns/{campaign_id}/results"]["get"]["responses"]
    assert {"200", "400", "401"} <= set(listing) and {"200", "400", "401", "404"} <= set(results)
    error = results["404"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "detail" in schema["components"]["schemas"][error]["properties"]
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/measure/campaigns"]["get"]["parameters"]}
    assert parameters["offset"]["maximum"] == 1_000_000_000 and parameters["limit"]["maximum"] == 100


@pytest.mark.parametrize("text", ["a\x00b", "\x01", "x\x0by", "\x1f", "\x7f"])
def test_control_characters_are_found_and_refused(text: str) -> None:
    assert control_character(text) is not None
    with pytest.raises(forms.ValidationError):
        validate_no_control_characters(text)


def test_tab_newline_and_carriage_return_are_ordinary_text() -> None:
    assert control_character("a\tb\r\nc åäö €") is None


def test_a_text_file_is_read_as_utf8_with_or_without_bom_else_as_windows_1252() -> None:
    assert decode_text_file("åäö".encode()) == "åäö"
    assert decode_text_file(b"\xef\xbb\xbf" + "åäö".encode()) == "åäö"
    assert decode_text_file("åäö €".encode("cp1252")) == "åäö €"


def test_anything_else_is_refused_with_a_swedish_message(**_: Any) -> None:
    for data in ("åäö".encode("utf-16"), b"PK\x03\x04rest", b"\x81\x8d\x8f", b"a\x00b"):
        with pytest.raises(ValueError, match="Fil"):
            decode_text_file(data)
