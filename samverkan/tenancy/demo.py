"""Demo tenants from the seeds: three associations, agencies and a user per role.

Idempotent: running it again updates and never duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from samverkan.accounts.models import User

from .models import Agency, AgencyKind, Association, Role
from .services import membership_set

DEMO_PASSWORD = "samverkan-demo-2026"  # noqa: S105 - printed demo login

ASSOCIATIONS = [
    {
        "slug": "norra-vastmanland",
        "name": "Samordningsförbundet Norra Västmanland",
        "county": "Västmanlands län",
        "agencies": [
            ("Försäkringskassan", AgencyKind.FK),
            ("Arbetsförmedlingen", AgencyKind.AF),
            ("Region Västmanland", AgencyKind.REGION),
            ("Sala kommun", AgencyKind.MUNICIPALITY),
            ("Fagersta kommun", AgencyKind.MUNICIPALITY),
            ("Norbergs kommun", AgencyKind.MUNICIPALITY),
            ("Skinnskattebergs kommun", AgencyKind.MUNICIPALITY),
            ("Hallstahammars kommun", AgencyKind.MUNICIPALITY),
            ("Surahammars kommun", AgencyKind.MUNICIPALITY),
        ],
    },
    {
        "slug": "ostra-ostergotland",
        "name": "Samordningsförbundet Östra Östergötland",
        "county": "Östergötlands län",
        "agencies": [
            ("Försäkringskassan", AgencyKind.FK),
            ("Arbetsförmedlingen", AgencyKind.AF),
            ("Region Östergötland", AgencyKind.REGION),
            ("Norrköpings kommun", AgencyKind.MUNICIPALITY),
            ("Finspångs kommun", AgencyKind.MUNICIPALITY),
            ("Söderköpings kommun", AgencyKind.MUNICIPALITY),
            ("Valdemarsviks kommun", AgencyKind.MUNICIPALITY),
        ],
    },
    {
        "slug": "botkyrka-huddinge-salem",
        "name": "Samordningsförbundet Botkyrka, Huddinge och Salem",
        "county": "Stockholms län",
        "agencies": [
            ("Försäkringskassan", AgencyKind.FK),
            ("Arbetsförmedlingen", AgencyKind.AF),
            ("Region Stockholm", AgencyKind.REGION),
            ("Botkyrka kommun", AgencyKind.MUNICIPALITY),
            ("Huddinge kommun", AgencyKind.MUNICIPALITY),
            ("Salems kommun", AgencyKind.MUNICIPALITY),
        ],
    },
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    roles: dict[str, str]


USERS = [
    DemoUser(
        "admin@demo.samverkan.se",
        "Anna Admin",
        {"norra-vastmanland": Role.ADMIN, "ostra-ostergotland": Role.ADMIN, "botkyrka-huddinge-salem": Role.ADMIN},
    ),
    DemoUser("analytiker@demo.samverkan.se", "Erik Analytiker", {"norra-vastmanland": Role.ANALYST}),
    DemoUser("medlem@demo.samverkan.se", "Maria Medlem", {"norra-vastmanland": Role.MEMBER}),
    DemoUser("ostra@demo.samverkan.se", "Olle Östra", {"ostra-ostergotland": Role.ADMIN}),
]


@transaction.atomic
def load_tenancy_demo() -> list[Association]:
    associations = []
    for spec in ASSOCIATIONS:
        association, _ = Association.objects.update_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "county": spec["county"]}
        )
        agencies = [
            Agency.objects.get_or_create(name=name, defaults={"kind": kind})[0] for name, kind in spec["agencies"]
        ]
        association.agencies.set(agencies)
        associations.append(association)
    by_slug = {a.slug: a for a in associations}
    for demo in USERS:
        user = User.objects.filter(email=demo.email).first() or User.objects.create_user(demo.email, DEMO_PASSWORD)
        user.name = demo.name
        user.set_password(DEMO_PASSWORD)
        user.save()
        for slug, role in demo.roles.items():
            membership_set(user=user, association=by_slug[slug], role=role)
    if not User.objects.filter(email="plattform@demo.samverkan.se").exists():
        User.objects.create_superuser("plattform@demo.samverkan.se", DEMO_PASSWORD, name="Plattformsadministratör")
    return associations
