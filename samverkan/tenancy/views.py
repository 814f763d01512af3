from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.common.capabilities import capability_by_key

from . import selectors, services
from .forms import ApiTokenForm, AssociationSharingForm
from .models import Association, Role
from .scoping import SESSION_KEY, association_view, associations_of, membership_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    associations = associations_of(request.user)
    last = request.session.get(SESSION_KEY)
    if last and any(a.slug == last for a in associations):
        return redirect("tenancy:start", slug=last)
    if len(associations) == 1:
        return redirect("tenancy:start", slug=associations[0].slug)
    return render(request, "tenancy/home.html", {"associations": associations})


@login_required
def switch(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("forbund", "")
    membership = membership_for(request.user, slug)
    return redirect("tenancy:start", slug=membership.association.slug)


@association_view()
def start(request: HttpRequest, association: Association) -> HttpResponse:
    # The figures and panels come from each installed capability (samverkan/common/capabilities.py).
    return render(
        request,
        "tenancy/start.html",
        {
            "nav": "start",
            "figures": selectors.association_key_figures(association=association),
            "panels": selectors.start_page_panels(request, association=association),
            "agencies": selectors.association_agencies(association=association),
        },
    )


@association_view()
def coming(request: HttpRequest, association: Association, key: str) -> HttpResponse:
    capability = capability_by_key(key)
    if capability is None or capability.url_name:
        raise Http404
    return render(request, "tenancy/coming.html", {"capability": capability, "nav": key})


@association_view(role=Role.ADMIN)
def association_settings(request: HttpRequest, association: Association) -> HttpResponse:
    new_token = None
    which = request.POST.get("form") if request.method == "POST" else None
    form = ApiTokenForm(request.POST if which in (None, "token") and request.method == "POST" else None)
    sharing_form = AssociationSharingForm(request.POST if which == "sharing" else None, instance=association)
    if which == "sharing" and sharing_form.is_valid():
        sharing_form.save()
        messages.success(request, _("Inställningarna är sparade."))
        return redirect("tenancy:settings", slug=association.slug)
    if request.method == "POST" and which in (None, "token") and form.is_valid():
        _token, new_token = services.api_token_create(
            association=association, name=form.cleaned_data["name"], created_by=request.user
        )
        form = ApiTokenForm()
    return render(
        request,
        "tenancy/settings.html",
        {
            "nav": "settings",
            "form": form,
            "sharing_form": sharing_form,
            "new_token": new_token,
            "tokens": selectors.association_tokens(association=association),
            "memberships": selectors.association_memberships(association=association),
            "agencies": selectors.association_agencies(association=association),
        },
    )


@require_POST
@association_view(role=Role.ADMIN)
def token_revoke(request: HttpRequest, association: Association, token_id: int) -> HttpResponse:
    if not services.api_token_revoke(association=association, token_id=token_id):
        raise Http404
    messages.success(request, _("API-nyckeln är borttagen."))
    return redirect("tenancy:settings", slug=association.slug)
