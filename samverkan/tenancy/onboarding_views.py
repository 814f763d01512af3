"""Onboarding without the admin site: the operator's platform page, the association's members page and
the public page where an invited person joins.

The invitation link's secret travels after "#" and is kept in the session once posted (see
`invitation_open`), so no address holds it. Opening the link never uses it up (mail scanners open links
too): only the POST of the person joining does.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_scopes import scope

from . import selectors, services
from .agency_names import agency_names_from_text
from .forms import (
    AssociationCreateForm,
    ExistingAccountForm,
    InvitationForm,
    NewAccountForm,
    PlatformInviteForm,
    RoleForm,
)
from .models import Association, MembershipInvitation, Role
from .scoping import association_view, platform_view

INVITATION_SESSION_KEY = "samverkan_invitation"


def _accept_url(request: HttpRequest) -> services.AcceptUrl:
    # The secret goes after "#": browsers never send that part, so no server or proxy log sees it.
    return lambda token: request.build_absolute_uri(reverse("tenancy:invitation_open")) + "#" + token


# --- The association's members page (admins) ------------------------------------------------------------


@association_view(role=Role.ADMIN)
def members(request: HttpRequest, association: Association) -> HttpResponse:
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                association=association,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                accept_url=_accept_url(request),
            )
        except services.OnboardingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("En inbjudan är skickad till %(email)s.") % {"email": invitation.email})
            return redirect("tenancy:members", slug=association.slug)
    memberships = selectors.association_memberships(association=association)
    return render(
        request,
        "tenancy/members.html",
        {
            "nav": "settings",
            "form": form,
            "memberships": memberships,
            "admin_count": sum(1 for m in memberships if m.role == Role.ADMIN),
            "roles": Role.choices,
            "invitations": selectors.association_open_invitations(association=association),
            "invitation_days": services.invitation_days(),
            "now": timezone.now(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@association_view(role=Role.ADMIN)
def member_role(request: HttpRequest, association: Association, membership_id: int) -> HttpResponse:
    # Another association's membership is a 404 before anything else, even with a bad form.
    if not selectors.membership_exists(association=association, membership_id=membership_id):
        raise Http404
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj en roll."))
        return redirect("tenancy:members", slug=association.slug)
    try:
        membership = services.membership_change_role(
            association=association, membership_id=membership_id, role=form.cleaned_data["role"]
        )
    except services.OnboardingError as error:
        messages.error(request, error.message)
        return redirect("tenancy:members", slug=association.slug)
    if membership is None:
        raise Http404
    messages.success(
        request,
        _("%(email)s är nu %(role)s.")
        % {"email": membership.user.email, "role": membership.get_role_display().lower()},
    )
    if membership.user == request.user and membership.role != Role.ADMIN:
        return redirect("tenancy:start", slug=association.slug)
    return redirect("tenancy:members", slug=association.slug)


@require_POST
@association_view(role=Role.ADMIN)
def member_remove(request: HttpRequest, association: Association, membership_id: int) -> HttpResponse:
    try:
        membership = services.membership_remove(association=association, membership_id=membership_id)
    except services.OnboardingError as error:
        messages.error(request, error.message)
        return redirect("tenancy:members", slug=association.slug)
    if membership is None:
        raise Http404
    if membership.user == request.user:
        messages.success(request, _("Du har lämnat %(name)s.") % {"name": association.name})
        return redirect("tenancy:home")
    messages.success(request, _("%(email)s är borttagen ur förbundet.") % {"email": membership.user.email})
    return redirect("tenancy:members", slug=association.slug)


@require_POST
@association_view(role=Role.ADMIN)
def invitation_resend(request: HttpRequest, association: Association, invitation_id: int) -> HttpResponse:
    invitation = services.invitation_resend(
        association=association, invitation_id=invitation_id, accept_url=_accept_url(request)
    )
    if invitation is None:
        raise Http404
    messages.success(
        request,
        _("Inbjudan är skickad igen till %(email)s; den förra länken gäller inte längre.")
        % {"email": invitation.email},
    )
    return redirect("tenancy:members", slug=association.slug)


@require_POST
@association_view(role=Role.ADMIN)
def invitation_withdraw(request: HttpRequest, association: Association, invitation_id: int) -> HttpResponse:
    if not services.invitation_withdraw(association=association, invitation_id=invitation_id):
        raise Http404
    messages.success(request, _("Inbjudan är tillbakadragen; länken fungerar inte längre."))
    return redirect("tenancy:members", slug=association.slug)


# --- The platform operator's page -------------------------------------------------------------------------


@platform_view
def platform(request: HttpRequest) -> HttpResponse:
    which = request.POST.get("form") if request.method == "POST" else None
    create_form = AssociationCreateForm(request.POST if which == "create" else None)
    invite_form = PlatformInviteForm(request.POST if which == "invite" else None, prefix="invite")
    if which == "create" and create_form.is_valid():
        data = create_form.cleaned_data
        try:
            association, invitation = services.association_create(
                name=data["name"],
                county=data["county"],
                slug=data["slug"],
                agency_names=agency_names_from_text(data["agencies"]),
                admin_email=data["admin_email"],
                invited_by=request.user,
                accept_url=_accept_url(request),
            )
        except services.OnboardingError as error:
            create_form.add_error(error.field if error.field in create_form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("%(name)s är skapat och en inbjudan är skickad till %(email)s.")
                % {"name": association.name, "email": invitation.email},
            )
            return redirect("tenancy:platform")
    if which == "invite" and invite_form.is_valid():
        try:
            invitation = services.invitation_create(
                association=invite_form.cleaned_data["association"],
                email=invite_form.cleaned_data["email"],
                role=Role.ADMIN,
                invited_by=request.user,
                accept_url=_accept_url(request),
            )
        except services.OnboardingError as error:
            invite_form.add_error(error.field if error.field in invite_form.fields else None, error.message)
        else:
            messages.success(request, _("En inbjudan är skickad till %(email)s.") % {"email": invitation.email})
            return redirect("tenancy:platform")
    return render(
        request,
        "tenancy/platform.html",
        {
            "create_form": create_form,
            "invite_form": invite_form,
            "associations": selectors.platform_associations(),
            "invitations": selectors.platform_open_invitations(),
            "agency_names": selectors.platform_agency_names(),
            "now": timezone.now(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@platform_view
def platform_invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    from .models import MembershipInvitation

    invitation = MembershipInvitation.objects.select_related("association").filter(pk=invitation_id).first()
    if (
        invitation is None
        or services.invitation_resend(
            association=invitation.association, invitation_id=invitation_id, accept_url=_accept_url(request)
        )
        is None
    ):
        raise Http404
    messages.success(request, _("Inbjudan är skickad igen till %(email)s.") % {"email": invitation.email})
    return redirect("tenancy:platform")


# --- The invited person ----------------------------------------------------------------------------------------


@never_cache
def invitation_open(request: HttpRequest) -> HttpResponse:
    """The link in the mail. Its secret comes after "#", which a browser never sends: a small script (the
    one personal survey links use) posts it here once, or the person types the code from the mail. It is
    then kept in the session, so no address, log line or referrer ever holds it."""
    if request.method == "POST":
        code = request.POST.get("code", "").strip().strip("#")
        if selectors.invitation_by_token(token=code) is None:
            return render(
                request,
                "tenancy/invitation_code.html",
                {
                    "error": _(
                        "Koden gäller inte. Den kan vara felskriven, ha skickats på nytt eller dragits tillbaka. "
                        "Använd länken eller koden i det senaste mejlet."
                    ),
                    "code": code[:100],
                },
                status=404,
            )
        request.session[INVITATION_SESSION_KEY] = code
        return redirect("tenancy:invitation_accept")
    return render(request, "tenancy/invitation_code.html", {})


def _invalid(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "tenancy/invitation_invalid.html", {"message": message}, status=status)


@never_cache
def invitation_accept(request: HttpRequest) -> HttpResponse:
    token = request.session.get(INVITATION_SESSION_KEY, "")
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        if not token:
            return redirect("tenancy:invitation_open")
        return _invalid(request, _("Länken gäller inte. Den kan ha skickats på nytt eller dragits tillbaka."), 404)
    if invitation.accepted_at is not None:
        return _invalid(request, _("Länken har redan använts. Logga in med ditt konto."), 410)
    if selectors.invitation_is_expired(invitation):
        return _invalid(request, _("Länken har gått ut. Be förbundets administratör att skicka en ny inbjudan."), 410)
    # The link's secret told us the association; joining it runs in its scope.
    with scope(association=invitation.association):
        return _accept(request, token, invitation)


def _accept(request: HttpRequest, token: str, invitation: MembershipInvitation) -> HttpResponse:
    account = selectors.user_by_email(email=invitation.email)
    context: dict[str, object] = {"invitation": invitation, "account": account}
    post = request.POST if request.method == "POST" else None

    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            context["wrong_user"] = True
            return render(request, "tenancy/invitation_accept.html", context, status=403 if post is not None else 200)
        if post is not None:
            return _join(request, token, request.user)
        return render(request, "tenancy/invitation_accept.html", context)

    if account is not None:
        form = ExistingAccountForm(post)
        if post is not None and form.is_valid():
            # The ordinary login path (axes counts failures and locks out here too).
            user = authenticate(request, username=invitation.email, password=form.cleaned_data["password"])
            if user is not None:
                login(request, user)
                return _join(request, token, user)
            form.add_error("password", _("Fel lösenord. Lösenordet skiljer på stora och små bokstäver."))
    else:
        form = NewAccountForm(post, email=invitation.email)  # type: ignore[assignment]
        if post is not None and form.is_valid():
            try:
                user, membership = services.invitation_accept_new_account(
                    token=token, name=form.cleaned_data["name"], password=form.cleaned_data["password1"]
                )
            except services.OnboardingError as error:
                return _invalid(request, error.message, 410)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return _joined(request, membership.association)
    context["form"] = form
    return render(request, "tenancy/invitation_accept.html", context, status=400 if post is not None else 200)


def _join(request: HttpRequest, token: str, user: object) -> HttpResponse:
    try:
        membership = services.invitation_accept(token=token, user=user)
    except services.OnboardingError as error:
        return _invalid(request, error.message, 410)
    return _joined(request, membership.association)


def _joined(request: HttpRequest, association: Association) -> HttpResponse:
    request.session.pop(INVITATION_SESSION_KEY, None)
    messages.success(request, _("Välkommen till %(name)s!") % {"name": association.name})
    return redirect("tenancy:start", slug=association.slug)
