"""The collaboration map for association staff: rounds, their results and map, comparison, exports.

Admins create, open, close and invite; members read results. Views stay thin: parse, call a service or
a selector, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.common.errors import ServiceError, form_add_service_error
from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import exports, selectors, services
from .forms import InvitationsForm, NetworkRoundForm, ReopenForm
from .map_text import network_map_html
from .metrics import metrics_change, tie_changes
from .models import Depth, NetworkInvitation, NetworkRound
from .network_map import layout
from .presentation import agency_table, figure_rows, short_names, tie_rows

NAV = "samverkanskarta"


def _directory_url(association: Association) -> str:
    try:
        return reverse("network:directory", args=[association.slug])
    except NoReverseMatch:  # the directory's part is not installed yet
        return ""


@association_view()
def home(request: HttpRequest, association: Association) -> HttpResponse:
    rounds = list(selectors.network_rounds(association))
    latest = next((r for r in rounds if r.campaign.status == "closed" and r.respondents), None)
    latest_figures = figure_rows(selectors.round_data(latest).metrics, None) if latest else []
    return render(
        request,
        "network/home.html",
        {
            "nav": NAV,
            "rounds": rounds,
            "latest": latest,
            "latest_figures": latest_figures,
            "directory_url": _directory_url(association),
            "agency_count": association.agencies.count(),
        },
    )


@association_view(role=Role.ADMIN)
def round_create(request: HttpRequest, association: Association) -> HttpResponse:
    form = NetworkRoundForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            network_round = services.network_round_create(
                association=association,
                name=data["name"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                previous=data["previous"],
            )
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Omgången är skapad. Bjud in en företrädare per myndighet."))
            return redirect("network:round_invite", slug=association.slug, round_id=network_round.pk)
    return render(
        request,
        "network/round_form.html",
        {"nav": NAV, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _min_depth(request: HttpRequest) -> tuple[int, str]:
    """The map's depth filter (?niva=1..5); anything else is the default, 1, with a note."""
    raw = request.GET.get("niva", "")
    if not raw:
        return 1, ""
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if 1 <= value <= 5:
        return value, ""
    return 1, _("Okänd nivå; kartan visar alla samverkansnivåer från 1.")


def _map(
    network_round: NetworkRound,
    data: selectors.RoundData,
    *,
    min_depth: int,
    positions: Any = None,
    id_prefix: str = "network-map",
) -> SafeString:
    return network_map_html(
        data.nodes,
        data.answers,
        title=_("Samverkanskarta: %(name)s") % {"name": network_round.campaign.name},
        min_depth=min_depth,
        seed=1,
        labels=short_names(data.nodes),
        positions=positions,
        respondents=data.respondents,
        id_prefix=id_prefix,
    )


@association_view()
def round_detail(request: HttpRequest, association: Association, round_id: int) -> HttpResponse:
    network_round = selectors.network_round_or_404(association, round_id)
    data = selectors.round_data(network_round)
    previous, change = selectors.round_change(network_round, data.metrics)
    min_depth, depth_notice = _min_depth(request)
    rounds = [r for r in selectors.network_rounds(association) if r.pk != network_round.pk]
    return render(
        request,
        "network/round_detail.html",
        {
            "nav": NAV,
            "round": network_round,
            "campaign": network_round.campaign,
            "metrics": data.metrics,
            "respondent_count": len(data.respondents),
            "figures": figure_rows(data.metrics, change),
            "agencies": agency_table(data.metrics, data.answers, change),
            "previous": previous,
            "map": _map(network_round, data, min_depth=min_depth) if data.nodes else "",
            "min_depth": min_depth,
            "depth_notice": depth_notice,
            "depths": [(value, label) for value, label in Depth.choices if value >= 1],
            "other_rounds": rounds,
            "invitations": selectors.invitation_rows(network_round),
        },
        status=400 if depth_notice else 200,
    )


@association_view()
def round_compare(request: HttpRequest, association: Association, round_id: int) -> HttpResponse:
    """Two rounds side by side on the same positions (the layout of both rounds' ties together)."""
    network_round = selectors.network_round_or_404(association, round_id)
    other_id = request.GET.get("med", "")
    other: NetworkRound | None
    notice = ""
    if other_id:
        try:
            other = selectors.network_round_or_404(association, int(other_id))
        except (ValueError, Http404):
            other, notice = None, _("Välj en omgång i listan att jämföra med.")
    else:
        other = selectors.previous_round(network_round)
    rounds = [r for r in selectors.network_rounds(association) if r.pk != network_round.pk]
    min_depth, depth_notice = _min_depth(request)
    context: dict[str, Any] = {
        "nav": NAV,
        "round": network_round,
        "other": other,
        "rounds": rounds,
        "notice": notice or depth_notice,
        "min_depth": min_depth,
        "depths": [(value, label) for value, label in Depth.choices if value >= 1],
    }
    if other is not None and other.pk != network_round.pk:
        first, second = (other, network_round) if _earlier(other, network_round) else (network_round, other)
        first_data, second_data = selectors.round_data(first), selectors.round_data(second)
        nodes = list(dict.fromkeys([*first_data.nodes, *second_data.nodes]))
        positions = layout(nodes, [*first_data.answers, *second_data.answers], seed=1)
        change = metrics_change(first_data.metrics, second_data.metrics)
        context.update(
            {
                "first": first,
                "second": second,
                "first_map": _map(first, first_data, min_depth=min_depth, positions=positions, id_prefix="map-a"),
                "second_map": _map(second, second_data, min_depth=min_depth, positions=positions, id_prefix="map-b"),
                "figures": figure_rows(second_data.metrics, change, before=first_data.metrics),
                "ties": tie_rows(
                    tie_changes(first_data.answers, second_data.answers, min_depth=min_depth),
                    silent_before=first_data.metrics.non_respondents,
                    silent_after=second_data.metrics.non_respondents,
                ),
            }
        )
    return render(request, "network/round_compare.html", context, status=400 if context["notice"] else 200)


def _earlier(a: NetworkRound, b: NetworkRound) -> bool:
    return (a.campaign.opens_on, a.pk) < (b.campaign.opens_on, b.pk)


@association_view(role=Role.ADMIN)
def round_invite(request: HttpRequest, association: Association, round_id: int) -> HttpResponse:
    network_round = selectors.network_round_or_404(association, round_id)
    agencies = selectors.member_agencies(association)
    invited = set(NetworkInvitation.objects.filter(round=network_round).values_list("agency_id", flat=True))
    form = InvitationsForm(request.POST or None, agencies=agencies, invited=invited)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.network_invitations_create(
                network_round=network_round,
                emails=form.emails(),
                answer_url=lambda token: request.build_absolute_uri(reverse("network:answer_start")) + "#" + token,
            )
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(count)s inbjudningar är skickade.") % {"count": outcome.invited}
                + (
                    " " + _("%(count)s kunde inte skickas; se listan.") % {"count": outcome.failed}
                    if outcome.failed
                    else ""
                ),
            )
            return redirect("network:round_invite", slug=association.slug, round_id=network_round.pk)
    return render(
        request,
        "network/round_invite.html",
        {
            "nav": NAV,
            "round": network_round,
            "campaign": network_round.campaign,
            "form": form,
            "invitations": selectors.invitation_rows(network_round),
            "has_invitations": bool(invited),
            "reopen_form": ReopenForm(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@association_view(role=Role.ADMIN)
def round_remind(request: HttpRequest, association: Association, round_id: int) -> HttpResponse:
    """Remind the representatives of the agencies that have not answered (the round knows which)."""
    network_round = selectors.network_round_or_404(association, round_id)
    try:
        sent = services.network_invitations_remind(
            network_round=network_round,
            answer_url=lambda token: request.build_absolute_uri(reverse("network:answer_start")) + "#" + token,
        )
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s påminnelser är skickade.") % {"count": sent})
    return redirect("network:round_invite", slug=association.slug, round_id=network_round.pk)


@require_POST
@association_view(role=Role.ADMIN)
def round_close(request: HttpRequest, association: Association, round_id: int) -> HttpResponse:
    network_round = selectors.network_round_or_404(association, round_id)
    services.network_round_close(network_round=network_round)
    messages.success(request, _("Omgången är stängd. Resultaten är slutliga."))
    return redirect("network:round_detail", slug=association.slug, round_id=network_round.pk)


@require_POST
@association_view(role=Role.ADMIN)
def round_reopen(request: HttpRequest, association: Association, round_id: int) -> HttpResponse:
    network_round = selectors.network_round_or_404(association, round_id)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.network_round_reopen(network_round=network_round, closes_on=form.cleaned_data["closes_on"])
        except ServiceError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Omgången är öppen igen."))
            return redirect("network:round_invite", slug=association.slug, round_id=network_round.pk)
    else:
        messages.error(request, _("Ange ett giltigt nytt slutdatum."))
    return redirect("network:round_invite", slug=association.slug, round_id=network_round.pk)


@association_view()
def round_export(request: HttpRequest, association: Association, round_id: int, fmt: str) -> HttpResponse:
    network_round = selectors.network_round_or_404(association, round_id)
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Okänt format: välj csv eller xlsx."), status=400, content_type="text/plain")
    data = selectors.round_data(network_round)
    if fmt == "csv":
        body, content_type = exports.round_csv(data), "text/csv; charset=utf-8"
    else:
        body = exports.round_xlsx(data)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="samverkanskarta-{network_round.pk}.{fmt}"'
    return response
