from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django_scopes import scopes_disabled

from samverkan.tenancy.agency_names import agency_names_from_text
from samverkan.tenancy.services import OnboardingError, association_create


class Command(BaseCommand):
    help = (
        "Creates an association with its member agencies and mails its first admin an invitation. "
        'Example: manage.py create_association --name "Samordningsförbundet Norra Västmanland" '
        '--county "Västmanlands län" --agency Försäkringskassan --agency Arbetsförmedlingen '
        '--agency "Region Västmanland" --agency "Sala kommun" --admin anna@example.se'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The association's name.")
        parser.add_argument("--county", required=True, help="Its county (län).")
        parser.add_argument("--slug", default="", help="Short name in its address; from the name if left out.")
        parser.add_argument(
            "--agency",
            action="append",
            default=[],
            dest="agencies",
            help="A member agency; repeat it (or separate names with ';').",
        )
        parser.add_argument("--admin", required=True, dest="admin_email", help="The first admin's e-mail.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Across tenants on purpose: the operator's command makes a new association and its first invitation.
        with scopes_disabled():
            self._handle(*args, **options)

    def _handle(self, *args: Any, **options: Any) -> None:
        base = str(getattr(settings, "SAMVERKAN_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
        try:
            association, invitation = association_create(
                name=options["name"],
                county=options["county"],
                slug=options["slug"],
                agency_names=agency_names_from_text("\n".join(options["agencies"])),
                admin_email=options["admin_email"],
                accept_url=lambda token: base + reverse("tenancy:invitation_open") + "#" + token,
            )
        except OnboardingError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{association.name} är skapat (/f/{association.slug}/) med "
                f"{association.agencies.count()} medlemmar. En inbjudan är skickad till {invitation.email}; "
                f"den gäller till {invitation.expires_at:%Y-%m-%d}."
            )
        )
