"""The price table (à-priser) and the consumer price index (KPI) pages.

Roles: everyone in the association reads the price table and the KPI; the association's admins add,
change, copy and delete its own unit costs. The shared rows (the platform's examples) are read-only to
every association: they are looked up through `UnitCost.shared` only for reading and copying, and an
edit or delete of one is a 404 (the own-row lookup never finds it). The KPI table is shared by every
association, so only the site's staff (`is_staff`) change it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import selectors_prices as selectors
from . import services_prices as services
from .models import CostKind, UnitCost
from .price_data import KPI_URL
from .price_forms import PriceIndexForm, UnitCostForm

EDIT_ROLE = Role.ADMIN
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _can_edit(request: HttpRequest) -> bool:
    return bool(request.membership.has_role(EDIT_ROLE))  # type: ignore[attr-defined]


def _optional_url(name: str, slug: str) -> str | None:
    try:
        return reverse(name, args=[slug])
    except NoReverseMatch:
        return None


def _context(request: HttpRequest, association: Association, **extra: object) -> dict[str, object]:
    """What every price page passes: the navigation marker and the sub-navigation's links."""
    return {
        "nav": "samhallsekonomi",
        "price_url": reverse("economics:price_list", args=[association.slug]),
        "integration_url": _optional_url("economics:integration_return", association.slug),
        "can_edit": _can_edit(request),
        **extra,
    }


def _target_year(request: HttpRequest, kpi: dict[int, float]) -> int | None:
    """The price year to convert to: ?prisar=YYYY when the KPI has it, else the latest year in the table."""
    value = request.GET.get("prisar", "")
    if value.isdigit() and int(value) in kpi:
        return int(value)
    return max(kpi) if kpi else None


@association_view()
def price_list(request: HttpRequest, association: Association) -> HttpResponse:
    kpi = selectors.kpi_table()
    to_year = _target_year(request, kpi)
    own = selectors.price_rows(selectors.own_unit_costs(association), to_year, kpi)
    shared = selectors.price_rows(selectors.shared_unit_costs(), to_year, kpi)
    return render(
        request,
        "economics/prices/price_list.html",
        _context(
            request,
            association,
            own=own,
            shared=shared,
            to_year=to_year,
            kpi_years=sorted(kpi, reverse=True),
            asked_year=request.GET.get("prisar", ""),
        ),
    )


def _form_page(
    request: HttpRequest, association: Association, instance: UnitCost | None, source: UnitCost | None = None
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = UnitCostForm(data, instance=instance if instance is not None else UnitCost(association=association))
    if data is not None and form.is_valid():
        if instance is None:
            unit_cost = services.unit_cost_create(association=association, **form.values())
            messages.success(request, _("À-priset ”%(item)s” är sparat.") % {"item": unit_cost.item})
        else:
            unit_cost = services.unit_cost_update(unit_cost=instance, association=association, **form.values())
            messages.success(request, _("Ändringarna i ”%(item)s” är sparade.") % {"item": unit_cost.item})
        return redirect(reverse("economics:price_list", args=[association.slug]) + f"#pris-{unit_cost.pk}")
    has_errors = data is not None and bool(form.errors)
    return render(
        request,
        "economics/prices/price_form.html",
        _context(request, association, form=form, unit_cost=instance, has_errors=has_errors),
        status=400 if has_errors else 200,
    )


@association_view(role=EDIT_ROLE)
def price_create(request: HttpRequest, association: Association) -> HttpResponse:
    return _form_page(request, association, None)


@association_view(role=EDIT_ROLE)
def price_edit(request: HttpRequest, association: Association, unit_cost_id: int) -> HttpResponse:
    return _form_page(request, association, selectors.own_unit_cost_or_404(association, unit_cost_id))


@association_view(role=EDIT_ROLE)
def price_delete(request: HttpRequest, association: Association, unit_cost_id: int) -> HttpResponse:
    unit_cost = selectors.own_unit_cost_or_404(association, unit_cost_id)
    if request.method == "POST":
        item = unit_cost.item
        services.unit_cost_delete(unit_cost=unit_cost, association=association)
        messages.success(request, _("À-priset ”%(item)s” är raderat.") % {"item": item})
        return redirect("economics:price_list", slug=association.slug)
    return render(request, "economics/prices/price_delete.html", _context(request, association, unit_cost=unit_cost))


@require_POST
@association_view(role=EDIT_ROLE)
def price_copy(request: HttpRequest, association: Association, unit_cost_id: int) -> HttpResponse:
    """Copies a shared example into the association's own table and opens the copy for editing."""
    source = selectors.shared_unit_cost_or_404(unit_cost_id)
    copy = services.unit_cost_copy_shared(association=association, source=source)
    messages.success(
        request,
        _("”%(item)s” är kopierat till förbundets egna à-priser. Ändra det så att det stämmer för er.")
        % {"item": copy.item},
    )
    return redirect("economics:price_edit", slug=association.slug, unit_cost_id=copy.pk)


@association_view()
def price_export(request: HttpRequest, association: Association) -> HttpResponse:
    """The price table as XLSX: the association's own rows, then the shared examples, with their sources."""
    from samverkan.measure.exports import xlsx_workbook

    kpi = selectors.kpi_table()
    to_year = _target_year(request, kpi)
    header = [
        _("Tabell"),
        _("Post"),
        _("Aktör"),
        _("Slag"),
        _("Betalare"),
        _("Mottagare"),
        _("Belopp (kr)"),
        _("Enhet"),
        _("Prisår"),
        _("Belopp i %(year)s års priser (kr)") % {"year": to_year} if to_year else _("Omräknat belopp (kr)"),
        _("Exempel"),
        _("Källa"),
        _("Länk"),
        _("Anteckningar"),
    ]

    def rows(kind: str, price_rows: list[selectors.PriceRow]) -> list[list[object]]:
        out: list[list[object]] = []
        for row in price_rows:
            u = row.unit_cost
            transfer = u.kind == CostKind.TRANSFER
            out.append(
                [
                    kind,
                    u.item,
                    u.get_actor_display(),
                    u.get_kind_display(),
                    u.get_payer_display() if transfer else "",
                    u.get_receiver_display() if transfer else "",
                    float(u.amount),
                    u.get_unit_display(),
                    u.price_year,
                    float(row.converted) if row.converted is not None else None,
                    _("Ja") if u.is_example else _("Nej"),
                    u.source_text,
                    u.source_url,
                    u.notes,
                ]
            )
        return out

    table = rows(str(_("Egna")), selectors.price_rows(selectors.own_unit_costs(association), to_year, kpi))
    table += rows(str(_("Gemensamma exempel")), selectors.price_rows(selectors.shared_unit_costs(), to_year, kpi))
    kpi_sheet = [[year, value] for year, value in sorted(kpi.items())]
    content = xlsx_workbook(
        [
            (str(_("À-priser")), [str(h) for h in header], table),
            (str(_("KPI")), [str(_("År")), str(_("KPI (1980=100)"))], kpi_sheet),
        ]
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="a-priser-{association.slug}.xlsx"'
    return response


@association_view()
def kpi(request: HttpRequest, association: Association) -> HttpResponse:
    """The shared KPI table: everyone signed in reads it; site staff add, correct and remove years."""
    staff = bool(request.user.is_staff)
    form = PriceIndexForm()
    status = 200
    if request.method == "POST":
        if not staff:
            raise PermissionDenied
        if request.POST.get("action") == "delete":
            year = request.POST.get("year", "")
            if year.isdigit():
                selectors.price_index_or_404(int(year))
                services.price_index_delete(year=int(year))
                messages.success(request, _("KPI för %(year)s är borttaget.") % {"year": year})
                return redirect("economics:kpi", slug=association.slug)
            form = PriceIndexForm()
            messages.error(request, _("Välj ett år att ta bort."))
            status = 400
        else:
            form = PriceIndexForm(request.POST)
            if form.is_valid():
                row = services.price_index_set(
                    year=form.cleaned_data["year"], value=form.cleaned_data["value"], source=form.cleaned_data["source"]
                )
                messages.success(
                    request, _("KPI för %(year)s är sparat: %(value)s.") % {"year": row.year, "value": row.value}
                )
                return redirect("economics:kpi", slug=association.slug)
            status = 400
    rows = selectors.kpi_rows()
    return render(
        request,
        "economics/prices/kpi.html",
        _context(
            request,
            association,
            rows=rows,
            ranges=selectors.year_ranges([row.year for row in rows]),
            scb_url=KPI_URL,
            form=form,
            staff=staff,
            has_errors=status == 400,
        ),
        status=status,
    )
