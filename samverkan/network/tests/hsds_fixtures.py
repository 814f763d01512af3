"""A small directory for the HSDS tests, and the official spec they validate against."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from samverkan.network.hsds import hsds_spec
from samverkan.network.hsds_schema import SPEC_ENV, Spec, SpecMissing
from samverkan.network.models import ContactKind, ContactRoute, Location, Schedule, Service, ServiceAtLocation


def official_spec() -> Spec:
    """The HSDS 3.0 files the project reads; a test FAILS (never skips) when they are missing."""
    try:
        return hsds_spec()
    except SpecMissing as error:
        pytest.fail(f"The HSDS 3.0 specification is needed by this test: {error} (or set {SPEC_ENV}).")


def build_directory(association: Any) -> dict[str, Any]:
    agencies = {agency.name: agency for agency in association.agencies.all()}
    fk, kommun = agencies["Försäkringskassan"], agencies["Testby kommun"]
    rehab = Service.objects.create(
        association=association,
        agency=fk,
        name="Samordnad rehabilitering",
        description="Stöd tillbaka till arbete efter sjukskrivning – för dig som är sjukskriven.",
        target_group="Sjukskrivna 16–64 år",
        application_process="Remiss från handläggare",
        eligibility="Du har sjukpenning eller rehabiliteringspenning.",
        needs=["sjukskrivning", "arbete"],
        municipalities=["Testby", "Åby"],
        languages=["sv", "ar"],
        url="https://www.forsakringskassan.se/rehab",
        email="rehab@fk.example.se",
        last_confirmed_on=datetime.date(2026, 10, 1),
    )
    ekonomi = Service.objects.create(
        association=association,
        agency=kommun,
        name="Ekonomiskt bistånd",
        status="inactive",
        needs=["ekonomiskt_bistand"],
    )
    office = Location.objects.create(
        association=association,
        agency=fk,
        name="Kontoret på Storgatan",
        street="Storgatan 1",
        postal_code="123 45",
        city="Testby",
        municipality="Testby",
        accessibility="Hiss och hörslinga",
        latitude=Decimal("59.334591"),
        longitude=Decimal("18.063240"),
    )
    bare = Location.objects.create(association=association, agency=kommun, name="Medborgarkontoret")
    link = ServiceAtLocation.objects.create(service=rehab, location=office)
    reception = ContactRoute.objects.create(
        service=rehab, kind=ContactKind.FUNCTION, name="Mottagningen", phone="010-123 45 67", phone_hours="mån–fre 9–11"
    )
    mailbox = ContactRoute.objects.create(
        service=ekonomi, kind=ContactKind.MAILBOX, name="Försörjningsstöd", email="forsorjning@testby.example.se"
    )
    consented = ContactRoute.objects.create(
        service=rehab,
        kind=ContactKind.PERSON,
        name="Åsa Öberg",
        title="Samordnare",
        phone="070-111 22 33",
        consent_on=datetime.date(2026, 9, 1),
    )
    secret = ContactRoute.objects.create(
        service=rehab,
        kind=ContactKind.PERSON,
        name="Hemlig Person",
        email="hemlig@fk.example.se",
        phone="070-999 99 99",
    )
    Schedule.objects.create(service=rehab, byday="MO,TU,WE", opens_at=datetime.time(9), closes_at=datetime.time(16))
    Schedule.objects.create(
        service=rehab,
        service_at_location=link,
        byday="TH",
        opens_at=datetime.time(13),
        closes_at=datetime.time(15, 30),
        description="Drop-in",
    )
    return {
        "rehab": rehab,
        "ekonomi": ekonomi,
        "office": office,
        "bare": bare,
        "link": link,
        "reception": reception,
        "mailbox": mailbox,
        "consented": consented,
        "secret": secret,
    }
