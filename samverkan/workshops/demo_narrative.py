"""Demo narrative for Norra Västmanland: a ramberättelse, one persona and five I-statements (seed 002).

Idempotent: an association that already has a narrative is left as it is. Everything is written through
the ordinary services, so the demo has a real history (the draft, the own text, each persona and
statement) and two statements really are local items of the association's participant questionnaire.
A closed participant round on that questionnaire gives the first of them a result; the second was mostly
answered "vet ej" (no employer contact yet), so it has too few answers and shows "för få svar".
Needs measure's core instruments (a data migration); loaded after Mät's demo, so Mät's own plan for the
association (it skips associations that already have rounds) is not disturbed.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from samverkan.tenancy.models import Association, Membership, Role

from .narrative_text import DraftTheme

DEMO_SLUG = "norra-vastmanland"

DEMO_PROMPT = "Integrerad samverkan – vad är det, och är det användbart?"

# The themes of the seed's workshop day (seed 000, PRODUCT.md "The workshop"), with answers of that day.
DEMO_THEMES: tuple[DraftTheme, ...] = (
    DraftTheme(
        "Individen i centrum",
        "Stödet utgår från personens behov, inte från organisationernas gränser.",
        (
            "Individers behov i centrum.",
            "Integrerad samverkan är för mig att utan gränser kunna se individens behov.",
        ),
    ),
    DraftTheme(
        "Långsiktigt och permanent, inte projekt",
        "Samverkan som en självklar och inarbetad del av ordinarie verksamhet.",
        (
            "Viktigt. Bra att hitta naturliga former för samverkan, inte bara projekt.",
            "Samverkan som en naturlig del av organisationer. Klienten i fokus. Långsiktighet.",
        ),
    ),
    DraftTheme(
        "Varandra som resurser med gemensamt mål",
        "Att se alla parters kompetenser som resurser.",
        ("Integrerad samverkan: att se varandra som resurser med gemensamt mål.",),
    ),
    DraftTheme(
        "Träffas och utbildas tillsammans",
        "Att inte bara prata samverkan utan göra den.",
        ("Att även ”göra” samverkan genom att träffas, utbildas och praktiseras tillsammans.",),
    ),
    DraftTheme(
        "Sekretess som fungerar",
        "Regler som inte stoppar en persons möjlighet till förändring.",
        ("Att det fungerar utan svårigheter när det gäller sekretess m.m.",),
    ),
    DraftTheme(
        "Resurser i ordinarie budget",
        "Pengarna finns i verksamheterna, inte utifrån.",
        ("Att resurser och pengar inte kommer utifrån utan finns i alla de olika verksamheter.",),
    ),
    DraftTheme(
        "Styrning uppifrån",
        "Uttalade önskemål och direktiv från ledningen hos alla parter.",
        ("Samverkan är mycket enklare om direktiv kommer ”uppifrån” från alla samverkanspartners.",),
    ),
    DraftTheme(
        "Förebyggande, tidigt",
        "Samverkan börjar innan insatserna har gått åt skogen.",
        ("Att starta samverkan mycket tidigare i ärenden.",),
    ),
    DraftTheme(
        "Korta kontaktvägar",
        "Att veta vem man ska ringa.",
        ("Integrerad samverkan är när jag vet vart jag kan ringa och ställa frågan om ett möte.",),
    ),
    DraftTheme(
        "Förtroende och respekt",
        "Respekt för varandras regelverk och kompetens.",
        ("Vi har respekt för varandras regelverk och varandras kompetenser.",),
    ),
)

DEMO_TITLE = "Ramberättelse för Norra Västmanland"

DEMO_TEXT = "\n".join(
    [
        "## Vad vi menar med integrerad samverkan",
        "",
        "”Mitt stöd planeras med människor som arbetar tillsammans för att förstå mig och mina närmaste, "
        "sätter mig i kontroll, samordnar och levererar tjänster som når mina bästa utfall.”",
        "",
        "Så uttryckte National Voices det, och så vill vi att den som får stöd i Norra Västmanland ska kunna "
        "beskriva det. I Sala, Fagersta, Norberg, Skinnskatteberg, Hallstahammar och Surahammar arbetar "
        "Försäkringskassan, Arbetsförmedlingen, Region Västmanland och kommunerna redan i samordningsteam. "
        "Nästa steg är att samverkan blir en självklar del av det ordinarie arbetet, inte ett projekt vid sidan av.",
        "",
        "## Det vi lovar varandra",
        "",
        "- Individen i centrum: vi utgår från personens behov, inte från vems uppdrag det är.",
        "- Långsiktigt: verksamhet vi driver tillsammans, inte tvååriga projekt.",
        "- Korta kontaktvägar: alla vet vart de kan ringa.",
        "- Tidigt: vi börjar samverka innan insatserna har gått åt skogen.",
        "- Respekt för varandras regelverk och kompetens, och sekretess som fungerar med samtycke.",
        "",
        "## Hur vi vet att vi är på väg",
        "",
        "Vi mäter varje år var vi står i de tre ringarna, och vi frågar deltagarna själva om jag-påståendena nedan.",
    ]
)

DEMO_PERSONA = {
    "name": "Maria, 34",
    "situation": (
        "Maria har varit sjukskriven i två år efter en utmattning och har en dotter på sju år. Hon har kontakt "
        "med Försäkringskassan, Arbetsförmedlingen, vårdcentralen och socialtjänsten, och har fått berätta sin "
        "historia för nya handläggare fler gånger än hon kan räkna."
    ),
    "needs": (
        "En plan som alla fyra står bakom och som hon själv har varit med och gjort; en person att ringa som vet "
        "vad de andra gör; att få börja i liten skala, med arbetsträning nära hemmet i Fagersta, utan att "
        "förlora sin ersättning."
    ),
}

# (text, becomes a questionnaire item)
DEMO_STATEMENTS: tuple[tuple[str, bool], ...] = (
    ("Jag behöver bara berätta min historia en gång.", True),
    ("Jag har en plan som alla som stöttar mig står bakom.", False),
    ("Jag vet vem jag ska kontakta när något förändras.", False),
    ("Jag får stöd i tid, innan det har gått för långt.", False),
    ("Jag får hjälp att ta kontakt med en arbetsgivare när jag är redo.", True),
)

ROUND_SIZE = 16
ROUND_ANSWERED_SECOND = 3  # below the minimum group size: the second statement's result is suppressed


def _author(association: Association) -> Any:
    membership = (
        Membership.objects.filter(association=association, role=Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _participant_round(association: Association, codes: list[str]) -> str:
    """A closed round of the association's own participant questionnaire, answered through Mät's service."""
    from samverkan.measure import services as measure_services

    from .narrative import participant_questionnaire

    instrument = participant_questionnaire(association)
    if instrument is None:
        return ""
    today = timezone.localdate()
    opens_on, closes_on = today - timedelta(days=120), today - timedelta(days=90)
    campaign = measure_services.campaign_create(
        association=association,
        name=f"Deltagarenkät med egna frågor {opens_on.year}",
        instrument=instrument,
        respondent_groups=["participants"],
        opens_on=opens_on,
        closes_on=closes_on,
    )
    rnd = random.Random(f"samverkan-narrative-demo-{association.slug}")  # deterministic answers
    first, second = codes
    for number in range(ROUND_SIZE):
        level = rnd.gauss(3.7, 0.7)
        answers = {f"delt_{n}": str(max(1, min(5, round(level + rnd.gauss(0, 0.6))))) for n in range(1, 7)}
        answers[first] = str(max(1, min(5, round(level - 0.4 + rnd.gauss(0, 0.7)))))
        # Most have had no contact with an employer yet: "vet ej" (9), which is not an answer on the scale.
        answers[second] = str(rnd.choice((3, 4))) if number < ROUND_ANSWERED_SECOND else "9"
        measure_services.response_submit(
            campaign=campaign,
            respondent_group="participants",
            raw_answers=answers,
            submission_key=f"narrative-demo:{campaign.pk}:{number}",
            today=opens_on + timedelta(days=rnd.randint(0, 30)),
        )
    measure_services.campaign_close(campaign=campaign, today=closes_on)
    return f"{campaign.name} ({ROUND_SIZE} svar)"


@transaction.atomic
def _norra_vastmanland(association: Association) -> str:
    from . import narrative as services
    from .models import Narrative

    if Narrative.objects.filter(association=association).exists():
        return "har redan en ramberättelse, lämnas orörd"
    author = _author(association)
    narrative = services.narrative_start(
        association=association, author=author, themes=DEMO_THEMES, prompt=DEMO_PROMPT, title=DEMO_TITLE
    )
    services.narrative_update(narrative=narrative, author=author, title=DEMO_TITLE, text=DEMO_TEXT)
    services.persona_add(narrative=narrative, author=author, **DEMO_PERSONA)
    codes = []
    for text, as_item in DEMO_STATEMENTS:
        statement = services.statement_add(narrative=narrative, author=author, text=text)
        if as_item:
            codes.append(services.statement_make_item(statement=statement, author=author).code)
    summary = _participant_round(association, codes)
    return f"ramberättelse med 1 persona och {len(DEMO_STATEMENTS)} jag-påståenden, 2 i deltagarenkäten; {summary}"


def load_narrative_demo(*, associations: list[Association], stdout: Any = None) -> None:
    association = next((a for a in associations if a.slug == DEMO_SLUG), None)
    if association is None:
        return
    summary = _norra_vastmanland(association)
    if stdout is not None:
        stdout.write(f"  {association.name}: {summary}")
