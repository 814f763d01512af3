from django.urls import path

from . import onboarding_views, views

app_name = "tenancy"

urlpatterns = [
    path("", views.home, name="home"),
    path("byt-forbund/", views.switch, name="switch"),
    path("f/<slug:slug>/", views.start, name="start"),
    path("f/<slug:slug>/kommer/<slug:key>/", views.coming, name="coming"),
    path("f/<slug:slug>/installningar/", views.association_settings, name="settings"),
    path("f/<slug:slug>/installningar/nycklar/<int:token_id>/ta-bort/", views.token_revoke, name="token_revoke"),
    path("f/<slug:slug>/anvandare/", onboarding_views.members, name="members"),
    path("f/<slug:slug>/anvandare/<int:membership_id>/roll/", onboarding_views.member_role, name="member_role"),
    path("f/<slug:slug>/anvandare/<int:membership_id>/ta-bort/", onboarding_views.member_remove, name="member_remove"),
    path(
        "f/<slug:slug>/anvandare/inbjudan/<int:invitation_id>/skicka-igen/",
        onboarding_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "f/<slug:slug>/anvandare/inbjudan/<int:invitation_id>/dra-tillbaka/",
        onboarding_views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("plattform/", onboarding_views.platform, name="platform"),
    path(
        "plattform/inbjudan/<int:invitation_id>/skicka-igen/",
        onboarding_views.platform_invitation_resend,
        name="platform_invitation_resend",
    ),
    path("inbjudan/svara/", onboarding_views.invitation_accept, name="invitation_accept"),
    path("inbjudan/", onboarding_views.invitation_open, name="invitation_open"),
]
