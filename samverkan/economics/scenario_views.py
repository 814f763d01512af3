"""Scenario pages: the list (the capability's first page), the builder, upload and download, and the results.

Roles as in Insatser: everyone in the association reads; analysts and admins create, change and delete.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import scenario_selectors as selectors

EDIT_ROLE = Role.ANALYST


def _can_edit(request: HttpRequest) -> bool:
    return bool(request.membership.has_role(EDIT_ROLE))  # type: ignore[attr-defined]


def _optional_url(name: str, slug: str) -> str | None:
    """A sibling part's page (the price table, the integration page) when that part is installed."""
    try:
        return reverse(name, args=[slug])
    except NoReverseMatch:
        return None


@association_view()
def scenario_list(request: HttpRequest, association: Association) -> HttpResponse:
    return render(
        request,
        "economics/scenario_list.html",
        {
            "nav": "samhallsekonomi",
            "scenarios": list(selectors.scenario_list(association)),
            "can_edit": _can_edit(request),
            "price_url": _optional_url("economics:price_list", association.slug),
            "integration_url": _optional_url("economics:integration_return", association.slug),
        },
    )


# Placeholders, filled in by the next commits.
def _todo(*args: object, **kwargs: object) -> HttpResponse:
    from django.http import Http404

    raise Http404


scenario_create = scenario_upload = scenario_detail = scenario_edit = scenario_download = _todo
scenario_duplicate = scenario_delete = _todo
