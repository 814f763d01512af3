from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samverkan.tenancy.demo import DEMO_PASSWORD, USERS, load_tenancy_demo


class Command(BaseCommand):
    help = "Loads the demo data (idempotent): three associations, agencies, users, campaigns with answers."

    def handle(self, *args: Any, **options: Any) -> None:
        associations = load_tenancy_demo()
        from samverkan.measure.demo import load_measure_demo

        load_measure_demo(associations=associations, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demodata är inläst."))
        self.stdout.write("")
        self.stdout.write("  Öppna http://127.0.0.1:8000 och logga in med:")
        for user in USERS:
            self.stdout.write(f"    {user.email:32} lösenord: {DEMO_PASSWORD}")
        self.stdout.write(
            f"    {'plattform@demo.samverkan.se':32} lösenord: {DEMO_PASSWORD} (plattformsadmin, /plattform/)"
        )
