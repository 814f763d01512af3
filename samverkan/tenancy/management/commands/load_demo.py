from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from samverkan.common.capabilities import demo_order
from samverkan.tenancy.demo import DEMO_PASSWORD, USERS, load_tenancy_demo


class Command(BaseCommand):
    help = (
        "Loads the demo data (idempotent): the associations, agencies and users, then each installed "
        "capability's demo after the ones it depends on."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Across tenants on purpose: the demo loader fills several associations at once.
        with scopes_disabled():
            self._handle(*args, **options)

    def _handle(self, *args: Any, **options: Any) -> None:
        associations = load_tenancy_demo()
        for capability in demo_order():
            assert capability.demo is not None
            capability.demo.load(associations=associations, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demodata är inläst."))
        self.stdout.write("")
        self.stdout.write("  Öppna http://127.0.0.1:8000 och logga in med:")
        for user in USERS:
            self.stdout.write(f"    {user.email:32} lösenord: {DEMO_PASSWORD}")
        self.stdout.write(
            f"    {'plattform@demo.samverkan.se':32} lösenord: {DEMO_PASSWORD} (plattformsadmin, /plattform/)"
        )
