"""Instruments: the locked core, the association's own copies and local items."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from samverkan.common.errors import ServiceError, form_add_service_error
from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import selectors, services
from .forms import InstrumentCopyForm, ItemForm
from .models import Instrument, InstrumentKind


def _instrument(association: Association, pk: int) -> Instrument:
    return get_object_or_404(Instrument.objects.available_to(association), pk=pk)


@association_view()
def instrument_list(request: HttpRequest, association: Association) -> HttpResponse:
    form = InstrumentCopyForm(request.POST or None)
    if request.method == "POST":
        if not request.membership.has_role(Role.ADMIN):  # type: ignore[attr-defined]
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                instrument = services.instrument_create(
                    association=association, name=form.cleaned_data["name"], kind=InstrumentKind.STAFF
                )
            except ServiceError as error:
                form_add_service_error(form, error)
            else:
                return redirect("measure:instrument_detail", slug=association.slug, pk=instrument.pk)
    return render(
        request,
        "measure/instrument_list.html",
        {"nav": "matning", "instruments": selectors.instruments_available(association=association), "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _detail(
    request: HttpRequest,
    association: Association,
    instrument: Instrument,
    *,
    copy_form: InstrumentCopyForm | None = None,
    item_form: ItemForm | None = None,
) -> HttpResponse:
    """The instrument page, with a form that failed (400) or fresh forms."""
    failed = request.method == "POST"
    return render(
        request,
        "measure/instrument_detail.html",
        {
            "nav": "matning",
            "instrument": instrument,
            "items": list(instrument.items.all()),
            "copy_form": copy_form
            or InstrumentCopyForm(
                initial={
                    "name": _("%(name)s – %(association)s") % {"name": instrument.name, "association": association.name}
                }
            ),
            "item_form": item_form or ItemForm(),
            "is_admin": request.membership.has_role(Role.ADMIN),  # type: ignore[attr-defined]
        },
        status=400 if failed else 200,
    )


@association_view()
def instrument_detail(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    return _detail(request, association, _instrument(association, pk))


@association_view(role=Role.ADMIN)
def instrument_copy(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    source = _instrument(association, pk)
    form = InstrumentCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.instrument_copy(association=association, source=source, name=form.cleaned_data["name"])
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Kopian är skapad. Lägg till egna frågor nedan."))
            return redirect("measure:instrument_detail", slug=association.slug, pk=copy.pk)
    return _detail(request, association, source, copy_form=form)


@association_view(role=Role.ADMIN)
def item_add(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    instrument = get_object_or_404(Instrument.objects.filter(association=association), pk=pk)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target, _item = services.item_add(
                instrument=instrument,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                options=form.cleaned_data["option_list"],
            )
        except ServiceError as error:
            form_add_service_error(form, error)
            return _detail(request, association, instrument, item_form=form)
        if target.pk != instrument.pk:
            messages.info(
                request,
                _("Version %(old)s används redan i en mätomgång och är låst. Frågan lades i en ny version %(new)s.")
                % {"old": instrument.version, "new": target.version},
            )
        else:
            messages.success(request, _("Frågan är tillagd."))
        return redirect("measure:instrument_detail", slug=association.slug, pk=target.pk)
    return _detail(request, association, instrument, item_form=form)
