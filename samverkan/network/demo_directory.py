"""Demo of the directory "Vem ringer jag?": about forty services of Norra Västmanland's nine member agencies.

Everything is made up: function contacts only (no real person), phone numbers in a 555 series
(010-555 …, 0224-555 …) and addresses at example.se. A few entries are stale (not confirmed for
more than six months), so the stale list and the confirmation mail have something to show.
Idempotent: a service that exists (same agency and name) is left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from samverkan.tenancy.models import Association

from . import directory_services as services
from .models import ContactKind, ContactRoute, Location, Schedule, Service

WEEKDAYS = "MO,TU,WE,TH,FR"


@dataclass(frozen=True)
class Spot:
    key: str
    agency: str
    name: str
    street: str
    postal_code: str
    city: str
    municipality: str
    accessibility: str = "Entré i markplan, hörslinga i receptionen."


@dataclass(frozen=True)
class Entry:
    agency: str
    name: str
    description: str
    target_group: str
    application_process: str
    eligibility: str
    needs: tuple[str, ...]
    municipalities: tuple[str, ...]
    contacts: tuple[tuple[str, str, str, str, str], ...]  # kind, name, phone, e-mail, phone hours
    hours: tuple[tuple[str, str, str, str], ...] = ()  # byday, opens, closes, description
    places: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("sv",)
    confirmed_days_ago: int = 30
    email: str = ""
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


ALL = ("Sala", "Fagersta", "Norberg", "Skinnskatteberg", "Hallstahammar", "Surahammar")
FK, AF, REGION = "Försäkringskassan", "Arbetsförmedlingen", "Region Västmanland"
SALA, FAGERSTA, NORBERG = "Sala kommun", "Fagersta kommun", "Norbergs kommun"
SKB, HALLSTA, SURA = "Skinnskattebergs kommun", "Hallstahammars kommun", "Surahammars kommun"

F, M = ContactKind.FUNCTION, ContactKind.MAILBOX

SPOTS = [
    Spot("fk-sala", FK, "Försäkringskassans servicekontor Sala", "Stora Torget 3", "733 30", "Sala", "Sala"),
    Spot(
        "fk-fagersta",
        FK,
        "Försäkringskassans servicekontor Fagersta",
        "Västanforsgatan 12",
        "737 30",
        "Fagersta",
        "Fagersta",
    ),
    Spot("af-fagersta", AF, "Arbetsförmedlingen Fagersta", "Kolaregatan 4", "737 30", "Fagersta", "Fagersta"),
    Spot("af-sala", AF, "Arbetsförmedlingen Sala", "Brunnsgatan 20", "733 31", "Sala", "Sala"),
    Spot("vc-sala", REGION, "Vårdcentralen Sala Väsby", "Hyttgatan 1", "733 40", "Sala", "Sala"),
    Spot("vc-fagersta", REGION, "Vårdcentralen Fagersta", "Hospitalsgatan 7", "737 40", "Fagersta", "Fagersta"),
    Spot("psyk-sala", REGION, "Psykiatrisk öppenvård Sala", "Lasarettsvägen 2", "733 42", "Sala", "Sala"),
    Spot(
        "psyk-fagersta", REGION, "Psykiatrisk öppenvård Fagersta", "Ekbacksvägen 10", "737 42", "Fagersta", "Fagersta"
    ),
    Spot("soc-sala", SALA, "Socialtjänsten Sala, Stadshuset", "Stora Torget 1", "733 30", "Sala", "Sala"),
    Spot("arb-sala", SALA, "Arbetsmarknadsenheten Sala", "Verkstadsgatan 9", "733 36", "Sala", "Sala"),
    Spot("soc-fagersta", FAGERSTA, "Socialtjänsten Fagersta", "Floragatan 3", "737 30", "Fagersta", "Fagersta"),
    Spot("arb-fagersta", FAGERSTA, "Jobbcenter Fagersta", "Brukstorget 2", "737 31", "Fagersta", "Fagersta"),
    Spot("soc-norberg", NORBERG, "Kommunhuset Norberg", "Kommunalvägen 1", "738 30", "Norberg", "Norberg"),
    Spot("soc-skb", SKB, "Kommunhuset Skinnskatteberg", "Kyrkvägen 4", "739 30", "Skinnskatteberg", "Skinnskatteberg"),
    Spot(
        "soc-hallsta",
        HALLSTA,
        "Socialkontoret Hallstahammar",
        "Storgatan 20",
        "734 30",
        "Hallstahammar",
        "Hallstahammar",
    ),
    Spot(
        "arb-hallsta",
        HALLSTA,
        "Arbetsmarknadsenheten Hallstahammar",
        "Kanalvägen 6",
        "734 32",
        "Hallstahammar",
        "Hallstahammar",
    ),
    Spot("soc-sura", SURA, "Kommunhuset Surahammar", "Köpmangatan 1", "735 31", "Surahammar", "Surahammar"),
]


def _entries() -> list[Entry]:
    return [
        # --- Försäkringskassan ---------------------------------------------------------------------------------
        Entry(
            FK,
            "Samordnare för sjukskrivna",
            (
                "Samordnar rehabiliteringen när någon är sjukskriven och behöver stöd från flera myndigheter: "
                "avstämningsmöten med vården, arbetsgivaren och Arbetsförmedlingen."
            ),
            "Sjukskrivna med sjukpenning, och den som har aktivitetsersättning",
            "Handläggaren bokar avstämningsmöte; andra myndigheter kan föreslå ett via funktionsbrevlådan.",
            "Personen har ett ärende om sjukpenning eller aktivitetsersättning.",
            ("sjukskrivning",),
            ALL,
            ((M, "Samordning Norra Västmanland", "010-555 10 10", "samordning.nv@fk.example.se", "mån–fre 9–11"),),
            ((WEEKDAYS, "08:00", "16:30", ""),),
            ("fk-sala", "fk-fagersta"),
        ),
        Entry(
            FK,
            "Aktivitetsersättning för unga",
            (
                "Ersättning och aktiviteter för unga som inte kan arbeta heltid på grund av sjukdom eller "
                "funktionsnedsättning, eller som läser klart grundskola eller gymnasium."
            ),
            "Unga 19–29 år",
            "Ansökan görs av den unga själv; handläggaren kan kontaktas för samverkan kring aktiviteter.",
            "Nedsatt arbetsförmåga i minst ett år, eller förlängd skolgång.",
            ("ung", "funktionsnedsattning", "sjukskrivning"),
            ALL,
            ((F, "Kundcenter, samverkansärenden", "010-555 10 20", "unga.nv@fk.example.se", "mån–fre 8–16"),),
            (),
            (),
            ("sv", "en", "ar"),
        ),
        Entry(
            FK,
            "Servicekontoret Sala",
            (
                "Hjälp med ansökningar, e-tjänster och frågor om ersättningar från Försäkringskassan, Skatteverket och "
                "Pensionsmyndigheten."
            ),
            "Alla som bor i Sala och Heby",
            "Drop-in, ingen tidsbokning.",
            "Ingen prövning.",
            ("ekonomiskt_bistand", "nyanland"),
            ("Sala",),
            ((F, "Servicekontoret Sala", "010-555 10 30", "", "mån–fre 9–12"),),
            (("TU,TH", "09:00", "16:00", "drop-in"),),
            ("fk-sala",),
            ("sv", "en", "ar", "so", "ti"),
            240,
        ),
        Entry(
            FK,
            "Tolkstöd och flerspråkig information",
            "Information om föräldrapenning, bostadsbidrag och sjukpenning på flera språk, med tolk vid besök.",
            "Nyanlända och andra som behöver information på sitt språk",
            "Boka besök via funktionsbrevlådan; ange språk.",
            "Ingen prövning.",
            ("nyanland", "foraldraskap"),
            ALL,
            ((M, "Flerspråkig service", "010-555 10 40", "sprak.nv@fk.example.se", "tis och tors 13–15"),),
            (),
            ("fk-fagersta",),
            ("sv", "ar", "so", "ti", "fa", "prs", "uk"),
        ),
        # --- Arbetsförmedlingen --------------------------------------------------------------------------------
        Entry(
            AF,
            "Rusta och matcha",
            (
                "Stöd att söka jobb och komma vidare i arbetslivet hos en upphandlad leverantör, med handledare som "
                "känner arbetsgivarna i bygden."
            ),
            "Arbetssökande inskrivna hos Arbetsförmedlingen",
            "Anvisning av handläggare på Arbetsförmedlingen.",
            "Inskriven som arbetssökande och bedömd att ha nytta av tjänsten.",
            ("arbete",),
            ALL,
            (
                (
                    M,
                    "Arbetsförmedlingen Bergslagen, samverkan",
                    "010-555 20 10",
                    "samverkan.bergslagen@af.example.se",
                    "mån–fre 10–12",
                ),
            ),
            ((WEEKDAYS, "09:00", "16:00", ""),),
            ("af-fagersta", "af-sala"),
            ("sv", "en", "ar", "so"),
        ),
        Entry(
            AF,
            "Förberedande insatser och arbetsträning",
            (
                "Arbetsträning och kartläggning för den som står långt från arbetsmarknaden, t.ex. efter lång "
                "sjukskrivning."
            ),
            "Arbetssökande som behöver komma igång innan de kan söka jobb",
            "Anvisning av handläggare; samverkan med Försäkringskassan vid övergång från sjukpenning.",
            "Inskriven som arbetssökande.",
            ("arbetstraning", "sjukskrivning"),
            ALL,
            ((F, "Lokalkontoret Fagersta", "010-555 20 20", "fagersta@af.example.se", "mån–fre 9–11"),),
            (),
            ("af-fagersta",),
        ),
        Entry(
            AF,
            "Etableringsprogrammet",
            "Svenska, samhällsorientering och arbetsförberedande aktiviteter de första åren i Sverige.",
            "Nyanlända 20–64 år med uppehållstillstånd",
            "Inskrivning hos Arbetsförmedlingen inom ett år från uppehållstillståndet.",
            "Uppehållstillstånd som flykting, alternativt skyddsbehövande eller anhörig.",
            ("nyanland", "samhallsorientering", "arbete"),
            ALL,
            ((M, "Etablering Bergslagen", "010-555 20 30", "etablering.bergslagen@af.example.se", "mån, ons 13–15"),),
            (),
            ("af-sala",),
            ("sv", "ar", "so", "ti", "fa", "prs", "uk"),
        ),
        Entry(
            AF,
            "Specialpedagogiskt och psykologiskt stöd",
            "Specialpedagoger, psykologer och arbetsterapeuter som kartlägger arbetsförmåga och behov av anpassningar.",
            "Arbetssökande med funktionsnedsättning som påverkar arbetsförmågan",
            "Handläggaren beställer utredningen.",
            "Inskriven som arbetssökande med registrerad funktionsnedsättning.",
            ("funktionsnedsattning", "arbete"),
            ALL,
            ((M, "Särskilda insatser Bergslagen", "010-555 20 40", "sarskilda.bergslagen@af.example.se", ""),),
            (),
            (),
            ("sv",),
            250,
        ),
        Entry(
            AF,
            "Ungdomsgarantin",
            "Snabba insatser för unga: jobbsökande, praktik och studiemotiverande kurs på folkhögskola.",
            "Unga 16–24 år som är arbetssökande",
            "Skriv in dig hos Arbetsförmedlingen; kommunens ungdomscoacher kan följa med.",
            "Inskriven som arbetssökande.",
            ("ung", "arbete", "studier"),
            ALL,
            ((F, "Ungdomsteamet", "010-555 20 50", "unga.bergslagen@af.example.se", "mån–tor 9–11"),),
        ),
        # --- Region Västmanland --------------------------------------------------------------------------------
        Entry(
            REGION,
            "Psykiatrisk öppenvård Sala",
            "Utredning och behandling vid måttlig till svår psykisk ohälsa: samtal, läkemedel och stöd i vardagen.",
            "Vuxna från 18 år i Sala och Heby",
            "Remiss från vårdcentral, eller egen vårdbegäran via 1177.",
            "Måttlig till svår psykisk ohälsa; lindrigare besvär tas om hand på vårdcentralen.",
            ("psykiatri",),
            ("Sala",),
            (
                (
                    F,
                    "Mottagningen",
                    "0224-555 30 10",
                    "psykiatri.sala@regionvastmanland.example.se",
                    "mån–fre 8–9 och 13–14",
                ),
            ),
            ((WEEKDAYS, "08:00", "16:30", ""),),
            ("psyk-sala",),
            ("sv", "en"),
        ),
        Entry(
            REGION,
            "Psykiatrisk öppenvård Fagersta",
            "Utredning och behandling vid psykisk ohälsa, med team för neuropsykiatri (adhd, autism).",
            "Vuxna från 18 år i Fagersta, Norberg och Skinnskatteberg",
            "Remiss från vårdcentral, eller egen vårdbegäran via 1177.",
            "Måttlig till svår psykisk ohälsa.",
            ("psykiatri", "funktionsnedsattning"),
            ("Fagersta", "Norberg", "Skinnskatteberg"),
            ((F, "Mottagningen", "0223-555 30 20", "psykiatri.fagersta@regionvastmanland.example.se", "mån–fre 8–9"),),
            ((WEEKDAYS, "08:00", "16:30", ""),),
            ("psyk-fagersta",),
            ("sv",),
            220,
        ),
        Entry(
            REGION,
            "Beroendemottagningen Bergslagen",
            "Behandling vid beroende av alkohol, narkotika, läkemedel och spel, med läkare och samtalsbehandling.",
            "Vuxna med beroende eller riskbruk",
            "Ring mottagningen själv, ingen remiss behövs. Socialtjänsten kan följa med.",
            "Ingen remiss behövs.",
            ("beroende", "psykiatri"),
            ALL,
            ((F, "Beroendemottagningen", "0223-555 30 30", "beroende@regionvastmanland.example.se", "mån–fre 8–10"),),
            (("TU", "13:00", "15:00", "drop-in tisdagar"), (WEEKDAYS, "08:00", "16:00", "")),
            ("psyk-fagersta",),
        ),
        Entry(
            REGION,
            "Vårdcentralen Fagersta, rehabkoordinator",
            (
                "Rehabkoordinatorn stöttar den som är sjukskriven att komma tillbaka till arbete och samordnar med "
                "arbetsgivare och Försäkringskassan."
            ),
            "Patienter på vårdcentralen som är sjukskrivna eller riskerar att bli det",
            "Läkaren kopplar in rehabkoordinatorn; andra myndigheter kan höra av sig via mottagningen.",
            "Listad på vårdcentralen.",
            ("sjukskrivning", "somatisk_halsa"),
            ("Fagersta", "Norberg"),
            (
                (
                    F,
                    "Rehabkoordinator, mottagningen",
                    "0223-555 30 40",
                    "vc.fagersta@regionvastmanland.example.se",
                    "mån–fre 10–11",
                ),
            ),
            ((WEEKDAYS, "08:00", "17:00", ""),),
            ("vc-fagersta",),
        ),
        Entry(
            REGION,
            "Vårdcentralen Sala Väsby",
            "Allmänmedicin, psykosociala samtal för lindrig psykisk ohälsa och rehabkoordinator.",
            "Alla som är listade på vårdcentralen",
            "Ring eller kontakta via 1177.",
            "Ingen remiss behövs.",
            ("somatisk_halsa", "psykiatri", "sjukskrivning"),
            ("Sala",),
            ((F, "Mottagningen", "0224-555 30 50", "", "mån–fre 8–17"),),
            ((WEEKDAYS, "08:00", "17:00", ""),),
            ("vc-sala",),
            ("sv", "en", "ar"),
        ),
        Entry(
            REGION,
            "Ungdomsmottagningen Norra Västmanland",
            "Samtal om relationer, sex, psykisk hälsa och livet, med barnmorska, kurator och psykolog.",
            "Unga 13–24 år",
            "Boka tid eller kom på drop-in.",
            "Ingen prövning.",
            ("ung", "psykiatri"),
            ALL,
            ((F, "Ungdomsmottagningen", "0223-555 30 60", "umo.nv@regionvastmanland.example.se", "mån–fre 9–12"),),
            (("WE", "14:00", "16:30", "drop-in onsdagar"),),
            ("vc-fagersta",),
            ("sv", "en", "ar", "so"),
        ),
        Entry(
            REGION,
            "Barn- och ungdomspsykiatrin, öppenvård",
            "Utredning och behandling av svår psykisk ohälsa hos barn och unga.",
            "Barn och unga upp till 18 år",
            "Remiss från vårdcentral, skolhälsovård eller socialtjänst, eller egen kontakt.",
            "Svår psykisk ohälsa.",
            ("psykiatri", "ung", "foraldraskap"),
            ALL,
            ((F, "Mottagningen", "021-555 30 70", "bup.nv@regionvastmanland.example.se", "mån–fre 8.30–9.30"),),
            (),
            (),
            ("sv",),
            400,
        ),
        Entry(
            REGION,
            "Hälsocenter och hälsosamtal",
            "Stöd att ändra levnadsvanor: fysisk aktivitet på recept, rökavvänjning och sömn.",
            "Vuxna som vill förbättra sin hälsa",
            "Via vårdcentralen eller egen kontakt.",
            "Ingen prövning.",
            ("somatisk_halsa",),
            ALL,
            ((M, "Hälsocenter", "021-555 30 80", "halsocenter@regionvastmanland.example.se", ""),),
        ),
        # --- Sala kommun ---------------------------------------------------------------------------------------
        Entry(
            SALA,
            "Ekonomiskt bistånd, mottagningen",
            "Ekonomiskt bistånd till försörjning när andra möjligheter inte räcker, och råd om budget.",
            "Vuxna i Sala kommun som inte kan försörja sig",
            "Ansök via e-tjänst eller ring mottagningen för en första kontakt.",
            "Prövning enligt socialtjänstlagen.",
            ("ekonomiskt_bistand",),
            ("Sala",),
            ((F, "Mottagningen, försörjningsstöd", "0224-555 40 10", "forsorjning@sala.example.se", "mån–fre 9–10"),),
            ((WEEKDAYS, "08:00", "16:30", ""),),
            ("soc-sala",),
            ("sv", "en", "ar"),
        ),
        Entry(
            SALA,
            "Arbetsmarknadsenheten, arbetsträning",
            "Arbetsträning i kommunens verksamheter (café, snickeri, återbruk) med handledare, i egen takt.",
            "Vuxna med försörjningsstöd eller utan ersättning som behöver komma igång",
            "Anvisning från socialtjänsten eller Arbetsförmedlingen.",
            "Bor i Sala kommun.",
            ("arbetstraning", "arbete", "ekonomiskt_bistand"),
            ("Sala",),
            ((F, "Arbetsmarknadsenheten, intaget", "0224-555 40 20", "ame@sala.example.se", "mån–tor 8–9"),),
            ((WEEKDAYS, "07:30", "16:00", ""),),
            ("arb-sala",),
        ),
        Entry(
            SALA,
            "Budget- och skuldrådgivning",
            "Hjälp att få överblick över ekonomin, göra en budget och ansöka om skuldsanering.",
            "Alla som bor i Sala kommun",
            "Ring eller mejla för att boka tid; ingen remiss.",
            "Ingen prövning. Kostnadsfritt.",
            ("skuld", "ekonomiskt_bistand"),
            ("Sala",),
            (
                (
                    M,
                    "Budget- och skuldrådgivningen",
                    "0224-555 40 30",
                    "skuldradgivning@sala.example.se",
                    "tis och tors 9–11",
                ),
            ),
            (),
            ("soc-sala",),
            ("sv",),
            260,
        ),
        Entry(
            SALA,
            "Öppenvården för beroende",
            "Samtalsbehandling och stödgrupper vid alkohol-, drog- och spelproblem, även för anhöriga.",
            "Vuxna och anhöriga i Sala kommun",
            "Ring själv; ingen ansökan.",
            "Ingen prövning.",
            ("beroende",),
            ("Sala",),
            ((F, "Öppenvården", "0224-555 40 40", "oppenvard@sala.example.se", "mån–fre 8–16"),),
            (("TH", "15:00", "17:00", "drop-in torsdagar"),),
            ("soc-sala",),
        ),
        Entry(
            SALA,
            "Kommunala aktivitetsansvaret (KAA)",
            (
                "Ungdomscoacher som hjälper unga som varken arbetar eller studerar att hitta tillbaka till skola eller "
                "jobb."
            ),
            "Unga 16–19 år som inte går i gymnasiet",
            "Ungdomscoachen hör av sig; skola, föräldrar och andra myndigheter kan tipsa.",
            "Folkbokförd i Sala kommun.",
            ("ung", "studier"),
            ("Sala",),
            ((M, "Ungdomscoacherna", "0224-555 40 50", "kaa@sala.example.se", ""),),
        ),
        Entry(
            SALA,
            "Stöd vid våld i nära relation",
            (
                "Stödsamtal, skyddat boende och hjälp för den som utsätts för våld eller hot från en närstående, "
                "och för barn som upplever våld."
            ),
            "Vuxna och barn i Sala kommun",
            "Ring socialtjänsten dagtid; efter kontorstid socialjouren.",
            "Ingen prövning för stödsamtal.",
            ("vald", "boende", "foraldraskap"),
            ("Sala",),
            (
                (F, "Socialtjänsten, våld i nära relation", "0224-555 40 60", "", "mån–fre 8–16.30"),
                (F, "Socialjouren (kvällar och helger)", "021-555 40 99", "", "alla dagar 16.30–08"),
            ),
            (),
            ("soc-sala",),
            ("sv", "en", "ar", "so", "ti"),
        ),
        # --- Fagersta kommun -----------------------------------------------------------------------------------
        Entry(
            FAGERSTA,
            "Försörjningsstöd Fagersta",
            "Ekonomiskt bistånd när andra inkomster inte räcker, och stöd att komma vidare till arbete eller studier.",
            "Vuxna i Fagersta kommun",
            "Ring mottagningen eller ansök via e-tjänst.",
            "Prövning enligt socialtjänstlagen.",
            ("ekonomiskt_bistand",),
            ("Fagersta",),
            (
                (
                    F,
                    "Mottagningen, försörjningsstöd",
                    "0223-555 50 10",
                    "forsorjning@fagersta.example.se",
                    "mån–fre 9–10",
                ),
            ),
            ((WEEKDAYS, "08:00", "16:30", ""),),
            ("soc-fagersta",),
        ),
        Entry(
            FAGERSTA,
            "Jobbcenter Fagersta",
            "Kartläggning, arbetsträning och jobbsökaraktiviteter i samverkan med Arbetsförmedlingen.",
            "Vuxna med försörjningsstöd och unga utan sysselsättning",
            "Anvisning från socialtjänsten; unga kan komma själva.",
            "Bor i Fagersta kommun.",
            ("arbete", "arbetstraning", "ung"),
            ("Fagersta",),
            ((F, "Jobbcenter, receptionen", "0223-555 50 20", "jobbcenter@fagersta.example.se", "mån–fre 8–12"),),
            ((WEEKDAYS, "08:00", "16:00", ""),),
            ("arb-fagersta",),
            ("sv", "ar", "so"),
        ),
        Entry(
            FAGERSTA,
            "Boendestöd",
            "Stöd i hemmet för att klara vardagen: struktur, ekonomi och kontakter med myndigheter.",
            "Vuxna med psykisk funktionsnedsättning",
            "Ansökan till biståndshandläggare.",
            "Biståndsbeslut enligt socialtjänstlagen.",
            ("boende", "psykiatri", "funktionsnedsattning"),
            ("Fagersta",),
            ((M, "Biståndshandläggarna", "0223-555 50 30", "bistand@fagersta.example.se", "mån–fre 10–11"),),
            (),
            (),
            ("sv",),
            300,
        ),
        Entry(
            FAGERSTA,
            "Familjecentralen",
            (
                "Öppen förskola, föräldragrupper och stödsamtal för småbarnsföräldrar, tillsammans med regionens "
                "barnhälsovård."
            ),
            "Föräldrar med barn 0–6 år",
            "Kom på öppen förskola eller ring för samtal.",
            "Ingen prövning.",
            ("foraldraskap", "nyanland"),
            ("Fagersta", "Norberg"),
            ((F, "Familjecentralen", "0223-555 50 40", "familjecentralen@fagersta.example.se", "mån–fre 9–11"),),
            (("MO,WE,FR", "09:00", "12:00", "öppen förskola"),),
            ("soc-fagersta",),
            ("sv", "ar", "so", "ti"),
        ),
        Entry(
            FAGERSTA,
            "Vuxenutbildningen Fagersta",
            "Svenska för invandrare (sfi), grundläggande och gymnasial vuxenutbildning och yrkesutbildningar.",
            "Vuxna från 20 år",
            "Ansök via vuxenutbildningens e-tjänst; studievägledaren hjälper till.",
            "Folkbokförd i kommunen.",
            ("studier", "samhallsorientering", "nyanland"),
            ("Fagersta", "Norberg", "Skinnskatteberg"),
            ((M, "Studievägledningen", "0223-555 50 50", "vux@fagersta.example.se", "tis–tors 13–15"),),
        ),
        # --- Norbergs kommun -----------------------------------------------------------------------------------
        Entry(
            NORBERG,
            "Individ- och familjeomsorgen Norberg",
            "Mottagning för ekonomiskt bistånd, missbruk och barn och familj.",
            "Alla som bor i Norbergs kommun",
            "Ring mottagningen.",
            "Prövning enligt socialtjänstlagen.",
            ("ekonomiskt_bistand", "beroende", "foraldraskap"),
            ("Norberg",),
            ((F, "Mottagningen, IFO", "0223-555 60 10", "ifo@norberg.example.se", "mån–fre 8.30–10"),),
            ((WEEKDAYS, "08:00", "16:30", ""),),
            ("soc-norberg",),
        ),
        Entry(
            NORBERG,
            "Daglig sysselsättning",
            "Sysselsättning med stöd för den som har en psykisk funktionsnedsättning: trädgård, kök och hantverk.",
            "Vuxna med psykisk funktionsnedsättning",
            "Ansökan till biståndshandläggare.",
            "Biståndsbeslut.",
            ("funktionsnedsattning", "psykiatri", "arbetstraning"),
            ("Norberg",),
            ((M, "Biståndsenheten", "0223-555 60 20", "bistand@norberg.example.se", ""),),
            (),
            (),
            ("sv",),
            210,
        ),
        Entry(
            NORBERG,
            "Integration och samhällsvägledning",
            "Hjälp med myndighetskontakter, blanketter och samhällsinformation på flera språk.",
            "Nyanlända och andra som behöver vägledning",
            "Drop-in, eller boka tid.",
            "Ingen prövning.",
            ("nyanland", "samhallsorientering"),
            ("Norberg",),
            ((F, "Samhällsvägledarna", "0223-555 60 30", "integration@norberg.example.se", "mån–tor 9–12"),),
            (("TU,TH", "13:00", "16:00", "drop-in"),),
            ("soc-norberg",),
            ("sv", "ar", "so", "ti", "fa"),
        ),
        # --- Skinnskattebergs kommun ---------------------------------------------------------------------------
        Entry(
            SKB,
            "Socialtjänsten Skinnskatteberg",
            "Ekonomiskt bistånd, stöd vid missbruk och stöd till barn och familj.",
            "Alla som bor i Skinnskattebergs kommun",
            "Ring mottagningen.",
            "Prövning enligt socialtjänstlagen.",
            ("ekonomiskt_bistand", "beroende", "vald"),
            ("Skinnskatteberg",),
            ((F, "Mottagningen", "0222-555 70 10", "socialtjanst@skinnskatteberg.example.se", "mån–fre 9–11"),),
            ((WEEKDAYS, "08:00", "16:00", ""),),
            ("soc-skb",),
        ),
        Entry(
            SKB,
            "Arbetsmarknad och integration",
            "Arbetsträning, praktik och stöd att studera, för vuxna och unga.",
            "Vuxna med försörjningsstöd, unga utan sysselsättning, nyanlända",
            "Anvisning från socialtjänsten eller egen kontakt.",
            "Bor i kommunen.",
            ("arbetstraning", "arbete", "ung", "nyanland"),
            ("Skinnskatteberg",),
            ((M, "Arbetsmarknadsenheten", "0222-555 70 20", "ame@skinnskatteberg.example.se", "mån–fre 8–9"),),
            (),
            ("soc-skb",),
            ("sv", "ar", "ti"),
            190,
        ),
        # --- Hallstahammars kommun -----------------------------------------------------------------------------
        Entry(
            HALLSTA,
            "Försörjningsstöd Hallstahammar",
            "Ekonomiskt bistånd och stöd att bli självförsörjande.",
            "Vuxna i Hallstahammars kommun",
            "Ansök via e-tjänst eller ring.",
            "Prövning enligt socialtjänstlagen.",
            ("ekonomiskt_bistand",),
            ("Hallstahammar",),
            ((F, "Mottagningsgruppen", "0220-555 80 10", "forsorjning@hallstahammar.example.se", "mån–fre 9–10.30"),),
            ((WEEKDAYS, "08:00", "16:30", ""),),
            ("soc-hallsta",),
            ("sv", "en", "ar", "pl"),
        ),
        Entry(
            HALLSTA,
            "Arbetsmarknadsenheten Hallstahammar",
            "Arbetsträning, extratjänster och stöd att söka jobb, tillsammans med Arbetsförmedlingen.",
            "Vuxna som står långt från arbetsmarknaden",
            "Anvisning från socialtjänsten eller Arbetsförmedlingen.",
            "Bor i kommunen.",
            ("arbetstraning", "arbete"),
            ("Hallstahammar",),
            ((F, "Intaget", "0220-555 80 20", "ame@hallstahammar.example.se", "mån–tor 8–9"),),
            ((WEEKDAYS, "07:30", "16:00", ""),),
            ("arb-hallsta",),
        ),
        Entry(
            HALLSTA,
            "Skuldrådgivning Hallstahammar",
            "Budget- och skuldrådgivning och hjälp med ansökan om skuldsanering.",
            "Alla som bor i kommunen",
            "Boka tid per telefon eller e-post.",
            "Kostnadsfritt.",
            ("skuld",),
            ("Hallstahammar", "Surahammar"),
            ((M, "Skuldrådgivningen", "0220-555 80 30", "skuld@hallstahammar.example.se", "ons 9–12"),),
            (),
            ("soc-hallsta",),
            ("sv",),
            230,
        ),
        Entry(
            HALLSTA,
            "Stödboende och bostad först",
            "Boende med stöd för den som saknar bostad, med vägen till ett eget kontrakt.",
            "Vuxna i hemlöshet eller som riskerar att förlora sin bostad",
            "Via socialtjänsten.",
            "Biståndsbeslut.",
            ("boende", "beroende", "psykiatri"),
            ("Hallstahammar",),
            ((F, "Boendeenheten", "0220-555 80 40", "boende@hallstahammar.example.se", "mån–fre 8–16"),),
        ),
        # --- Surahammars kommun --------------------------------------------------------------------------------
        Entry(
            SURA,
            "Individ- och familjeomsorgen Surahammar",
            "Ekonomiskt bistånd, stöd vid missbruk och våld i nära relation.",
            "Alla som bor i Surahammars kommun",
            "Ring mottagningen.",
            "Prövning enligt socialtjänstlagen.",
            ("ekonomiskt_bistand", "beroende", "vald"),
            ("Surahammar",),
            ((F, "Mottagningen", "0220-555 90 10", "ifo@surahammar.example.se", "mån–fre 8–10"),),
            ((WEEKDAYS, "08:00", "16:30", ""),),
            ("soc-sura",),
            ("sv", "fi"),
        ),
        Entry(
            SURA,
            "Unga vuxna Surahammar",
            "Samordnat stöd för unga vuxna: coachning, studier, arbetsträning och kontakt med vården.",
            "Unga 16–29 år som varken arbetar eller studerar",
            "Egen kontakt, eller via skolan, socialtjänsten eller Arbetsförmedlingen.",
            "Folkbokförd i kommunen.",
            ("ung", "studier", "arbetstraning", "psykiatri"),
            ("Surahammar",),
            ((M, "Unga vuxna-teamet", "0220-555 90 20", "ungavuxna@surahammar.example.se", "mån–fre 13–15"),),
            (("MO,WE", "13:00", "16:00", "drop-in"),),
            ("soc-sura",),
            ("sv", "fi", "ar"),
        ),
        Entry(
            SURA,
            "Finskt förvaltningsområde, service på finska",
            "Service och samhällsinformation på finska; hjälp med kontakter med kommunen och andra myndigheter.",
            "Sverigefinnar och andra finsktalande",
            "Ring eller kom förbi.",
            "Ingen prövning.",
            ("samhallsorientering",),
            ("Surahammar",),
            ((F, "Finsk service", "0220-555 90 30", "suomi@surahammar.example.se", "tis 9–12"),),
            (),
            ("soc-sura",),
            ("fi", "sv"),
            420,
        ),
    ]


def load_directory_demo(*, associations: list[Association], stdout: Any = None) -> None:
    """Load the Norra Västmanland directory (if that association is among `associations`)."""
    association = next((a for a in associations if a.slug == "norra-vastmanland"), None)
    if association is None:
        return
    today = timezone.localdate()
    with scope(association=association), transaction.atomic():
        agencies = {a.name: a for a in association.agencies.all()}
        spots: dict[str, Location] = {}
        for spot in SPOTS:
            if spot.agency not in agencies:
                continue
            spots[spot.key], _created = Location.objects.get_or_create(
                association=association,
                agency=agencies[spot.agency],
                name=spot.name,
                defaults={
                    "street": spot.street,
                    "postal_code": spot.postal_code,
                    "city": spot.city,
                    "municipality": spot.municipality,
                    "accessibility": spot.accessibility,
                },
            )
        created = 0
        for entry in _entries():
            agency = agencies.get(entry.agency)
            if (
                agency is None
                or Service.objects.filter(association=association, agency=agency, name=entry.name).exists()
            ):
                continue
            _create(association, agency, entry, spots, today)
            created += 1
        if created:
            _meeting_requests(association, agencies)
    if stdout is not None:
        summary = f"{created} tjänster i katalogen skapade" if created else "katalogen finns redan, lämnas orörd"
        stdout.write(f"Vem ringer jag? ({association.name}): {summary}.")


def _create(
    association: Association, agency: Any, entry: Entry, spots: dict[str, Location], today: datetime.date
) -> None:
    service = Service(
        association=association,
        agency=agency,
        name=entry.name,
        description=entry.description,
        target_group=entry.target_group,
        application_process=entry.application_process,
        eligibility=entry.eligibility,
        needs=list(entry.needs),
        municipalities=list(entry.municipalities),
        languages=list(entry.languages),
        email=entry.email,
        url=entry.url,
        last_confirmed_on=today - datetime.timedelta(days=entry.confirmed_days_ago),
    )
    services.service_save(service=service, locations=[spots[key] for key in entry.places if key in spots])
    for kind, name, phone, email, hours in entry.contacts:
        ContactRoute.objects.create(service=service, kind=kind, name=name, phone=phone, email=email, phone_hours=hours)
    for byday, opens, closes, description in entry.hours:
        Schedule.objects.create(
            service=service,
            byday=byday,
            opens_at=datetime.time.fromisoformat(opens) if opens else None,
            closes_at=datetime.time.fromisoformat(closes) if closes else None,
            description=description,
        )


def _meeting_requests(association: Association, agencies: dict[str, Any]) -> None:
    """Two de-identified requests by the demo member, one answered, so the log has something to show."""
    from samverkan.accounts.models import User

    from .models import MeetingRequest, MeetingStatus

    user = User.objects.filter(email="medlem@demo.samverkan.se").first()
    today = timezone.localdate()
    for service_name, agency, text, answer in (
        (
            "Arbetsmarknadsenheten, arbetsträning",
            FK,
            "Kvinna i 40-årsåldern, sjukskriven sedan två år, vill prova arbetsträning några timmar i veckan. "
            "Vi vill ses tillsammans med henne och planera övergången.",
            "Vi kan ses torsdag förmiddag på Verkstadsgatan. Ring intaget för att boka tid.",
        ),
        (
            "Beroendemottagningen Bergslagen",
            SALA,
            "Man i 30-årsåldern med försörjningsstöd och alkoholproblem, har tackat ja till kontakt med vården.",
            "",
        ),
    ):
        service = Service.objects.filter(association=association, name=service_name).first()
        if service is None:
            continue
        meeting = MeetingRequest.objects.create(
            association=association,
            service=service,
            contact_route=service.contact_routes.first(),
            description=text,
            requesting_agency=agencies.get(agency),
            requested_by=user,
            mail_status="sent",
        )
        if answer:
            MeetingRequest.objects.filter(pk=meeting.pk).update(
                status=MeetingStatus.ACCEPTED, answer=answer, answered_on=today
            )
