"""Campaign management for association staff."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.common.errors import ServiceError, form_add_service_error
from samverkan.jobs.selectors import latest_job
from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import reminders, selectors, services
from .forms import CampaignEditForm, CampaignForm, CampaignReopenForm, InvitationForm, ReminderScheduleForm
from .models import Campaign, CampaignLink


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


@association_view()
def campaign_list(request: HttpRequest, association: Association) -> HttpResponse:
    return render(
        request,
        "measure/campaign_list.html",
        {"nav": "matning", "campaigns": selectors.campaign_list(association=association)},
    )


@association_view(role=Role.ADMIN)
def campaign_create(request: HttpRequest, association: Association) -> HttpResponse:
    form = CampaignForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                association=association,
                name=data["name"],
                instrument=data["instrument"],
                respondent_groups=data["respondent_groups"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                min_group_size=data["min_group_size"],
                previous=data["previous"],
            )
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Mätomgången är skapad. Dela länkarna eller skicka inbjudningar."))
            return redirect("measure:campaign_detail", slug=association.slug, pk=campaign.pk)
    return render(
        request,
        "measure/campaign_form.html",
        {"nav": "matning", "form": form, "editing": False},
        status=400 if form.is_bound and form.errors else 200,
    )


@association_view(role=Role.ADMIN)
def campaign_edit(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for_association_or_404(association, pk)
    form = CampaignEditForm(request.POST or None, association=association, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.campaign_update(
                campaign=campaign,
                name=data["name"],
                respondent_groups=data["respondent_groups"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                min_group_size=data["min_group_size"],
            )
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("measure:campaign_detail", slug=association.slug, pk=campaign.pk)
    return render(
        request,
        "measure/campaign_form.html",
        {"nav": "matning", "form": form, "editing": True, "campaign": campaign},
        status=400 if form.is_bound and form.errors else 200,
    )


def _detail_context(
    request: HttpRequest,
    campaign: Campaign,
    *,
    invitation_form: InvitationForm | None = None,
    reminder_form: ReminderScheduleForm | None = None,
) -> dict[str, object]:
    """Everything the campaign page shows; a rejected invitation list keeps the links and QR codes."""
    is_admin = request.membership.has_role(Role.ADMIN)  # type: ignore[attr-defined]
    invitation_job = None
    if is_admin:
        # The latest list's job while it runs, and its outcome until its result expires (prune_jobs).
        invitation_job = latest_job(
            campaign.association, kind=services.INVITATIONS_JOB, key=services.invitations_job_key(campaign)
        )
    links = []
    if is_admin:
        for link in campaign.links.all().order_by("respondent_group"):
            links.append(
                {
                    "group": link.get_respondent_group_display(),
                    "group_code": link.respondent_group,
                    "url": _absolute(request, reverse("measure:answer_link", args=[link.token])),
                }
            )
    return {
        "nav": "matning",
        "campaign": campaign,
        "links": links,
        "is_admin": is_admin,
        "rates": selectors.invitation_rates(campaign=campaign),
        "mail": selectors.invitation_mail_status(campaign=campaign) if is_admin else None,
        "response_count": selectors.campaign_response_total(campaign=campaign),
        "waiting_count": services.responses_waiting(campaign=campaign),
        "invitation_form": (invitation_form or InvitationForm(campaign=campaign)) if is_admin else None,
        "reminder_form": (reminder_form or ReminderScheduleForm(initial={"remind_on": campaign.remind_on}))
        if is_admin
        else None,
        "invitation_job": invitation_job,
    }


@association_view()
def campaign_detail(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for_association_or_404(association, pk)
    return render(request, "measure/campaign_detail.html", _detail_context(request, campaign))


@association_view(role=Role.ADMIN)
def campaign_close(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    """GET: what closing means, and a button; POST from that page (with `confirm`): close."""
    campaign = selectors.campaign_for_association_or_404(association, pk)
    if campaign.closed_on is not None:
        return redirect("measure:campaign_detail", slug=association.slug, pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.campaign_close(campaign=campaign)
        messages.success(request, _("Mätomgången är stängd. Resultaten är uppdaterade."))
        return redirect("measure:campaign_detail", slug=association.slug, pk=pk)
    return render(
        request,
        "measure/campaign_confirm.html",
        {"nav": "matning", "campaign": campaign, "action": "close"},
        status=400 if request.method == "POST" else 200,
    )


@association_view(role=Role.ADMIN)
def campaign_reopen(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for_association_or_404(association, pk)
    if campaign.status != "closed":
        return redirect("measure:campaign_detail", slug=association.slug, pk=pk)
    form = CampaignReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_reopen(campaign=campaign, closes_on=form.cleaned_data["closes_on"])
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Mätomgången är öppen igen till och med %(date)s. Länkarna fungerar som förut.")
                % {"date": form.cleaned_data["closes_on"].isoformat()},
            )
            return redirect("measure:campaign_detail", slug=association.slug, pk=pk)
    return render(
        request,
        "measure/campaign_confirm.html",
        {"nav": "matning", "campaign": campaign, "action": "reopen", "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@association_view(role=Role.ADMIN)
def campaign_delete(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    """GET: how much goes with the round; POST from that page (with `confirm`): delete it all."""
    campaign = selectors.campaign_for_association_or_404(association, pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        name = campaign.name
        services.campaign_delete(campaign=campaign)
        messages.success(request, _("Mätomgången ”%(name)s” och alla dess svar är raderade.") % {"name": name})
        return redirect("measure:campaign_list", slug=association.slug)
    return render(
        request,
        "measure/campaign_confirm.html",
        {
            "nav": "matning",
            "campaign": campaign,
            "action": "delete",
            "contents": services.campaign_contents(campaign=campaign),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@association_view(role=Role.ADMIN)
def invitations_send(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for_association_or_404(association, pk)
    form = InvitationForm(request.POST, request.FILES, campaign=campaign)
    if campaign.status == "closed":
        messages.error(request, _("Mätomgången är stängd; inga inbjudningar skickades."))
        return redirect("measure:campaign_detail", slug=association.slug, pk=pk)
    if not form.is_valid():
        return render(
            request,
            "measure/campaign_detail.html",
            _detail_context(request, campaign, invitation_form=form),
            status=400,
        )
    # Only cheap work here (the list was looked at line by line by the form): store it once and start the
    # job that checks, writes and queues it, so the request takes as long for 2,000 addresses as for 20.
    detail_url = reverse("measure:campaign_detail", args=[association.slug, pk])
    try:
        job = services.invitations_start(
            campaign=campaign,
            emails=form.cleaned_data["addresses"],
            respondent_group=form.cleaned_data["respondent_group"],
            answer_base_url=_absolute(request, reverse("measure:answer_invitation")),
            created_by=request.user,
            return_url=detail_url,
        )
    except ServiceError as error:  # a list of this round is still being prepared: keep the pasted text
        form_add_service_error(form, error)
        return render(
            request,
            "measure/campaign_detail.html",
            _detail_context(request, campaign, invitation_form=form),
            status=409,
        )
    job.refresh_from_db(fields=["status", "message"])  # a queue that runs jobs at once is already done
    if job.active:
        messages.success(
            request,
            _("Listan med %(count)s adresser förbereds nu i bakgrunden; förloppet syns nedan.") % {"count": job.total},
        )
    elif job.status == "done":
        messages.success(request, job.message)
    else:
        messages.error(request, job.message)
    return redirect(detail_url)


@require_POST
@association_view(role=Role.ADMIN)
def invitations_remind(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for_association_or_404(association, pk)
    if campaign.status != "open":
        raise PermissionDenied
    try:
        count = services.invitations_remind(
            campaign=campaign,
            answer_base_url=_absolute(request, reverse("measure:answer_invitation")),
        )
    except services.ReminderInProgress as busy:
        messages.error(request, str(busy))
        return redirect("measure:campaign_detail", slug=association.slug, pk=pk)
    messages.success(
        request,
        _(
            "Påminnelsen skickas nu i bakgrunden till alla %(count)s inbjudna; den säger att de som redan "
            "har svarat inte behöver göra något."
        )
        % {"count": count},
    )
    return redirect("measure:campaign_detail", slug=association.slug, pk=pk)


@require_POST
@association_view(role=Role.ADMIN)
def reminder_schedule(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    """Plan the day `send_due_reminders` reminds every invitee (or cancel it with an empty date)."""
    campaign = selectors.campaign_for_association_or_404(association, pk)
    form = ReminderScheduleForm(request.POST)
    if form.is_valid():
        try:
            reminders.reminder_schedule(campaign=campaign, remind_on=form.cleaned_data["remind_on"])
        except ServiceError as error:
            form_add_service_error(form, error)
    if not form.is_valid():
        return render(
            request, "measure/campaign_detail.html", _detail_context(request, campaign, reminder_form=form), status=400
        )
    if campaign.remind_on:
        messages.success(
            request,
            _("En påminnelse till alla inbjudna skickas automatiskt %(day)s.")
            % {"day": campaign.remind_on.isoformat()},
        )
    else:
        messages.success(request, _("Ingen automatisk påminnelse är planerad."))
    return redirect("measure:campaign_detail", slug=association.slug, pk=pk)


@association_view(role=Role.ADMIN)
def link_qr(request: HttpRequest, association: Association, pk: int, group: str) -> HttpResponse:
    campaign = selectors.campaign_for_association_or_404(association, pk)
    link = CampaignLink.objects.filter(campaign=campaign, respondent_group=group).first()
    if link is None:
        raise Http404
    url = _absolute(request, reverse("measure:answer_link", args=[link.token]))
    buffer = io.BytesIO()
    # A standalone SVG file (with its namespace), so browsers draw it in an <img> and it prints sharp.
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, title=_("QR-kod till enkäten"))
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
