from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import second_factor_views
from .forms import EmailAuthenticationForm

app_name = "accounts"

urlpatterns = [
    path(
        "logga-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # The second factor (second_factor.py): the login step, enrolment, recovery codes, removal.
    path("tvastegsverifiering/", second_factor_views.overview, name="second_factor"),
    path("tvastegsverifiering/kod/", second_factor_views.verify, name="second_factor_verify"),
    path("tvastegsverifiering/aktivera/", second_factor_views.activate, name="second_factor_activate"),
    path(
        "tvastegsverifiering/reservkoder/",
        second_factor_views.recovery_codes_regenerate,
        name="second_factor_recovery_codes",
    ),
    path("tvastegsverifiering/ta-bort/", second_factor_views.remove, name="second_factor_remove"),
    path(
        "losenord/aterstall/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "losenord/aterstall/skickat/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "losenord/aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
