"""Pages of the directory "Vem ringer jag?": search, a service, its editing, meeting requests, confirmations.

Every member of the association reads the directory and may ask for a collaboration meeting. Entries are
written by the association's admins; an agency's own contacts keep their entries right through the
confirmation link they are mailed (no account needed), which applies their corrections at once.
The two public pages (answer a meeting request, confirm an entry) are reached by a secret after "#" in
the mailed address: the page posts it in its form, so no address, log line or referrer holds it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_scopes import scope

from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import directory_selectors as selectors
from . import directory_services as services
from .directory_forms import (
    AnswerForm,
    ContactRouteFormSet,
    CorrectionForm,
    LocationForm,
    MeetingRequestForm,
    ScheduleFormSet,
    SearchForm,
    ServiceForm,
)
from .models import Location, MeetingStatus, Service

NAV = "samverkanskarta"
EDIT_ROLE = Role.ADMIN


def _can_edit(request: HttpRequest) -> bool:
    return bool(request.membership.has_role(EDIT_ROLE))  # type: ignore[attr-defined]


def _labels() -> dict[str, Any]:
    return {"need_labels": selectors.need_labels(), "language_labels": selectors.language_labels()}


@association_view(role=Role.MEMBER)
def directory(request: HttpRequest, association: Association) -> HttpResponse:
    form = SearchForm(request.GET or None, association=association)
    results: list[Service] | None = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            query = form.query()
            results = selectors.directory_search(association=association, query=query)
        else:
            status = 400
    return render(
        request,
        "network/directory/search.html",
        {
            "nav": NAV,
            "form": form,
            "results": results,
            "can_edit": _can_edit(request),
            "stale_cutoff": selectors.stale_cutoff(),
            **_labels(),
        },
        status=status,
    )


@association_view(role=Role.MEMBER)
def service_detail(request: HttpRequest, association: Association, service_id: int) -> HttpResponse:
    service = selectors.service_get(association=association, service_id=service_id)
    return render(
        request,
        "network/directory/service_detail.html",
        {
            "nav": NAV,
            "service": service,
            "can_edit": _can_edit(request),
            "stale": selectors.is_stale(service),
            "stale_cutoff": selectors.stale_cutoff(),
            **_labels(),
        },
    )


def _service_form_page(request: HttpRequest, association: Association, service: Service | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    instance = service or Service(association=association)
    form = ServiceForm(data, instance=instance, association=association)
    routes = ContactRouteFormSet(data, instance=instance, prefix="routes")
    schedules = ScheduleFormSet(data, instance=instance, prefix="schedules")
    if data is not None:
        valid = [form.is_valid(), routes.is_valid(), schedules.is_valid()]
        if all(valid):
            with transaction.atomic():
                saved = form.save(commit=False)
                if form.cleaned_data.get("confirmed_today"):
                    saved.last_confirmed_on = None  # service_save confirms it today
                services.service_save(service=saved, locations=form.cleaned_data["locations"])
                routes.instance = schedules.instance = saved
                routes.save()
                schedules.save()
            messages.success(request, _("Uppgifterna om %(name)s är sparade.") % {"name": saved.name})
            return redirect("network:service_detail", slug=association.slug, service_id=saved.pk)
    has_errors = data is not None and (
        bool(form.errors) or routes.total_error_count() > 0 or schedules.total_error_count() > 0
    )
    return render(
        request,
        "network/directory/service_form.html",
        {
            "nav": NAV,
            "form": form,
            "routes": routes,
            "formsets_list": [routes, schedules],
            "schedules": schedules,
            "service": service,
            "editing": service is not None,
            "has_errors": has_errors,
        },
        status=400 if has_errors else 200,
    )


@association_view(role=EDIT_ROLE)
def service_create(request: HttpRequest, association: Association) -> HttpResponse:
    return _service_form_page(request, association, None)


@association_view(role=EDIT_ROLE)
def service_edit(request: HttpRequest, association: Association, service_id: int) -> HttpResponse:
    return _service_form_page(
        request, association, selectors.service_get(association=association, service_id=service_id)
    )


@require_POST
@association_view(role=EDIT_ROLE)
def service_delete(request: HttpRequest, association: Association, service_id: int) -> HttpResponse:
    service = selectors.service_get(association=association, service_id=service_id)
    if request.POST.get("bekrafta") != "ja":
        messages.error(request, _("Kryssa i att tjänsten ska tas bort ur katalogen för att ta bort den."))
        return redirect("network:service_detail", slug=association.slug, service_id=service.pk)
    name = service.name
    services.service_delete(service=service)
    messages.success(request, _("%(name)s är borttagen ur katalogen.") % {"name": name})
    return redirect("network:directory", slug=association.slug)


def _location_form_page(request: HttpRequest, association: Association, location: Location | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = LocationForm(data, instance=location or Location(association=association), association=association)
    if data is not None and form.is_valid():
        services.location_save(location=form.save(commit=False))
        messages.success(request, _("Platsen %(name)s är sparad.") % {"name": form.instance.name})
        return redirect("network:locations", slug=association.slug)
    return render(
        request,
        "network/directory/location_form.html",
        {"nav": NAV, "form": form, "location": location, "has_errors": data is not None and bool(form.errors)},
        status=400 if data is not None and form.errors else 200,
    )


@association_view(role=EDIT_ROLE)
def locations(request: HttpRequest, association: Association) -> HttpResponse:
    return render(
        request,
        "network/directory/locations.html",
        {"nav": NAV, "locations": list(selectors.locations_of(association).prefetch_related("service_at_locations"))},
    )


@association_view(role=EDIT_ROLE)
def location_create(request: HttpRequest, association: Association) -> HttpResponse:
    return _location_form_page(request, association, None)


@association_view(role=EDIT_ROLE)
def location_edit(request: HttpRequest, association: Association, location_id: int) -> HttpResponse:
    location = selectors.locations_of(association).filter(pk=location_id).first()
    if location is None:
        from django.http import Http404

        raise Http404
    return _location_form_page(request, association, location)


# --- meeting requests ------------------------------------------------------------------------------------------


@association_view(role=Role.MEMBER)
def meeting_request(request: HttpRequest, association: Association, service_id: int) -> HttpResponse:
    service = selectors.service_get(association=association, service_id=service_id)
    data = request.POST if request.method == "POST" else None
    form = MeetingRequestForm(data, association=association, service=service)
    if data is not None and form.is_valid():
        services.meeting_request_create(
            association=association,
            service=service,
            contact_route=form.cleaned_data["contact_route"],
            description=form.cleaned_data["description"],
            requesting_agency=form.cleaned_data["requesting_agency"],
            user=request.user,
            answer_base_url=request.build_absolute_uri(reverse("network:meeting_answer")),
        )
        messages.success(
            request,
            _(
                "Begäran är skickad till %(service)s. Du får ett mejl när de har svarat, "
                "och svaret syns under Mötesförfrågningar."
            )
            % {"service": service.name},
        )
        return redirect("network:service_detail", slug=association.slug, service_id=service.pk)
    return render(
        request,
        "network/directory/meeting_request.html",
        {"nav": NAV, "service": service, "form": form, "has_errors": data is not None and bool(form.errors)},
        status=400 if data is not None and form.errors else 200,
    )


@association_view(role=Role.MEMBER)
def meeting_requests(request: HttpRequest, association: Association) -> HttpResponse:
    """The log: an admin sees every request and answer of the association, anyone else their own."""
    everyone = _can_edit(request)
    found = selectors.meeting_requests(association=association, requested_by=None if everyone else request.user)
    return render(
        request,
        "network/directory/meeting_requests.html",
        {"nav": NAV, "requests": found, "statuses": MeetingStatus, "everyone": everyone},
    )


@association_view(role=EDIT_ROLE)
def directory_stale(request: HttpRequest, association: Association) -> HttpResponse:
    return render(
        request,
        "network/directory/stale.html",
        {
            "nav": NAV,
            "services": selectors.stale_services(association=association),
            "stale_cutoff": selectors.stale_cutoff(),
            "months": selectors.STALE_MONTHS,
        },
    )


# --- the public, tokenised pages --------------------------------------------------------------------------------


def _code(request: HttpRequest) -> str:
    return request.POST.get("code", "").strip().strip("#")[:100]


def _code_page(request: HttpRequest, *, title: str, error: str = "", code: str = "", status: int = 200) -> HttpResponse:
    return render(
        request,
        "network/directory/code.html",
        {"title": title, "error": error, "code": code},
        status=status,
    )


@never_cache
def meeting_answer(request: HttpRequest) -> HttpResponse:
    """The link in the request's mail: the secret after "#" is posted here by the page (or typed)."""
    title = _("Svara på en begäran om samverkansmöte")
    if request.method != "POST":
        return _code_page(request, title=title)
    code = _code(request)
    meeting_request = selectors.meeting_request_by_token(code)
    if meeting_request is None:
        return _code_page(
            request,
            title=title,
            error=_("Koden gäller inte. Kontrollera att du har skrivit av den rätt från det senaste mejlet."),
            code=code,
            status=404,
        )
    # The link's hash told us the association; the answer is written in its scope.
    with scope(association=meeting_request.association_id):
        form = AnswerForm(request.POST if "accept" in request.POST else None)
        if form.is_bound and form.is_valid():
            log_url = request.build_absolute_uri(
                reverse("network:meeting_requests", args=[meeting_request.association.slug])
            )
            services.meeting_request_answer(
                meeting_request=meeting_request,
                accept=form.cleaned_data["accept"],
                text=form.cleaned_data["text"],
                log_url=log_url,
            )
            return render(request, "network/directory/answer_done.html", {"meeting_request": meeting_request})
        return render(
            request,
            "network/directory/meeting_answer.html",
            {"meeting_request": meeting_request, "form": form, "code": code},
            status=400 if form.is_bound else 200,
        )


@never_cache
def directory_confirm(request: HttpRequest) -> HttpResponse:
    """The link in the confirmation mail: confirm the entry as it is, or correct it (applied at once)."""
    title = _("Bekräfta uppgifterna i katalogen")
    if request.method != "POST":
        return _code_page(request, title=title)
    code = _code(request)
    service = selectors.service_by_confirmation_token(code)
    if service is None:
        return _code_page(
            request,
            title=title,
            error=_(
                "Koden gäller inte. Den kan redan ha använts eller ersatts av en nyare; använd det senaste mejlet."
            ),
            code=code,
            status=404,
        )
    with scope(association=service.association_id):
        service = selectors.service_get(association=service.association, service_id=service.pk)
        action = request.POST.get("action", "")
        form = CorrectionForm(request.POST if action == "correct" else None, instance=service)
        if action == "confirm":
            services.service_confirm(service=service)
            return render(request, "network/directory/confirm_done.html", {"service": service, "corrected": False})
        if action == "correct" and form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            services.service_correct(service=service, changes=changes)
            return render(request, "network/directory/confirm_done.html", {"service": service, "corrected": True})
        return render(
            request,
            "network/directory/confirm.html",
            {"service": service, "form": form, "code": code, **_labels()},
            status=400 if form.is_bound else 200,
        )
