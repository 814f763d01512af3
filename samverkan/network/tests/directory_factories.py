"""Directory rows for tests: a service with a function contact, built through the app's own save."""

from __future__ import annotations

import datetime
from typing import Any

from samverkan.network import directory_services as services
from samverkan.network.models import ContactKind, ContactRoute, Location, Schedule, Service
from samverkan.tenancy.models import Association


def agency_of(association: Association, name_part: str) -> Any:
    return association.agencies.get(name__icontains=name_part)


def make_service(
    association: Association,
    name: str,
    *,
    agency: str = "Testby",
    description: str = "",
    target_group: str = "",
    needs: tuple[str, ...] = (),
    municipalities: tuple[str, ...] = ("Testby",),
    languages: tuple[str, ...] = ("sv",),
    email: str = "mottagningen@testby.example.se",
    phone: str = "0221-555 10 10",
    confirmed_on: datetime.date | None = None,
    location: Location | None = None,
) -> Service:
    service = Service(
        association=association,
        agency=agency_of(association, agency),
        name=name,
        description=description,
        target_group=target_group,
        needs=list(needs),
        municipalities=list(municipalities),
        languages=list(languages),
        last_confirmed_on=confirmed_on or datetime.date.today(),
    )
    services.service_save(service=service, locations=[location] if location else [])
    ContactRoute.objects.create(
        service=service, kind=ContactKind.FUNCTION, name="Mottagningen", phone=phone, email=email, phone_hours="9–11"
    )
    Schedule.objects.create(
        service=service, byday="TU", opens_at=datetime.time(13), closes_at=datetime.time(15), description="drop-in"
    )
    return service


def small_directory(association: Association) -> dict[str, Service]:
    """Six services of association A whose words the search tests look for."""
    return {
        "psykiatri": make_service(
            association,
            "Psykiatrisk öppenvård",
            agency="Region",
            description="Utredning och behandling vid psykisk ohälsa.",
            needs=("psykiatri",),
        ),
        "bistand": make_service(
            association,
            "Ekonomiskt bistånd, mottagningen",
            description="Försörjningsstöd när andra inkomster inte räcker.",
            needs=("ekonomiskt_bistand",),
        ),
        "arbetstraning": make_service(
            association,
            "Arbetsträning i kommunens verksamheter",
            description="Arbetsträning med handledare i café och snickeri.",
            needs=("arbetstraning",),
            municipalities=("Annanby",),
        ),
        "skuld": make_service(
            association,
            "Budget- och skuldrådgivning",
            agency="Försäkringskassan",
            description="Hjälp med budget och skuldsanering.",
            needs=("skuld",),
        ),
        "beroende": make_service(
            association,
            "Beroendemottagningen",
            agency="Arbetsförmedlingen",
            description="Behandling vid alkohol- och spelproblem.",
            needs=("beroende",),
        ),
        "boende": make_service(
            association,
            "Stödboende",
            description="Boende med stöd för den som saknar bostad.",
            needs=("boende",),
        ),
    }
