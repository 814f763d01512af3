"""The figures the platform ships: SCB's consumer price index and a handful of example unit costs.

Pure data (no Django): migration 0003_shipped_prices loads it, and `services_prices.shipped_prices_load`
loads it again where a test or the demo has flushed the tables. Loading is idempotent (by year for the
index, by item for the unit costs), so a later correction is a new migration that calls the loader again.

Where the numbers come from (looked up on 2026-12-01 through the stored copies of the pages named below):

- KPI: SCB, "Konsumentprisindex (1980=100), fastställda tal", column Årsmedel,
  https://www.scb.se/hitta-statistik/statistik-efter-amne/priser-och-konsumtion/konsumentprisindex/konsumentprisindex-kpi/pong/tabell-och-diagram/konsumentprisindex-kpi/kpi-faststallda-tal-1980100/
  The stored copy of that table is from spring 2024: its annual averages 2006–2023 are shipped. 1980 is 100
  by definition. The years 1981–2005 were cut off in the copy and 2024 was not yet complete, so they are NOT
  shipped (site staff add them on the KPI page from the same SCB table). Cross-checked: the City of
  Stockholm's table "Konsumentprisindex och prisbasbelopp 2007-2017" (source SCB) gives the same averages
  rounded to one decimal (2007 290,5 … 2017 322,1).
- Unit costs: each row names its source, link and price year, and says in `notes` how sure the figure is.
  All are examples (`is_example`): an association should replace them with its own figures.
"""

from __future__ import annotations

from typing import Any

KPI_SOURCE = "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel"
KPI_URL = (
    "https://www.scb.se/hitta-statistik/statistik-efter-amne/priser-och-konsumtion/konsumentprisindex/"
    "konsumentprisindex-kpi/pong/tabell-och-diagram/konsumentprisindex-kpi/kpi-faststallda-tal-1980100/"
)

# Year -> yearly average (1980=100), as strings so that the two decimals are kept exactly.
KPI_ANNUAL_AVERAGES: dict[int, str] = {
    1980: "100.00",
    2006: "284.22",
    2007: "290.51",
    2008: "300.61",
    2009: "299.66",
    2010: "303.46",
    2011: "311.43",
    2012: "314.20",
    2013: "314.06",
    2014: "313.49",
    2015: "313.35",
    2016: "316.43",
    2017: "322.11",
    2018: "328.40",
    2019: "334.26",
    2020: "335.92",
    2021: "343.19",
    2022: "371.91",
    2023: "403.70",
}

FK_AMOUNTS_URL = (
    "https://www.forsakringskassan.se/privatperson/e-tjanster-blanketter-och-informationsmaterial/aktuella-belopp"
)

# The shared example unit costs. `actor`, `payer` and `receiver` are codes of economics.actors.Actor;
# `unit` and `kind` are codes of models.prices.Unit and CostKind.
SHIPPED_UNIT_COSTS: list[dict[str, Any]] = [
    {
        "item": "Ersättning till försörjning per helårsekvivalent (Uppsala län, snitt 2022)",
        "actor": "staten",
        "amount": "162000",
        "unit": "per_fye",
        "price_year": 2022,
        "source_text": (
            "Finsam Uppsala län, Nyttoanalys för Finsaminsatser (utbetalt belopp delat med antalet "
            "helårsekvivalenter enligt SCB)"
        ),
        "source_url": "https://finsamuppsala.se/nyttoanalys/",
        "kind": "transfer",
        "payer": "staten",
        "receiver": "individen",
        "notes": (
            "Säkerhet: god för Uppsala län 2022, källan anger ett avrundat snitt (ca 162 000 kr). Beloppet "
            "omfattar alla försörjningsformer i helårsekvivalenterna: sjukpenning, sjuk- och "
            "aktivitetsersättning, arbetslöshetsersättning, ekonomiskt bistånd (försörjningsstöd) och "
            "etableringsersättning. Betalaren är därför en blandning av staten (Försäkringskassan, a-kassan, "
            "Arbetsförmedlingen) och kommunen; kopiera raden och ange den betalare som gäller er målgrupp. "
            "Värdet skiljer sig mellan kommuner."
        ),
    },
    {
        "item": "Utanförskap från 20 års ålder till pension, kostnad för samhället per person",
        "actor": "samhallet",
        "amount": "12500000",
        "unit": "per_lifetime",
        "price_year": 2008,
        "source_text": (
            "Ingvar Nilsson & Anders Wadeskog, beräkningar för Skandia Idéer för livet "
            "(”Utanförskapets pris”): 10–15 miljoner kronor per person"
        ),
        "source_url": "http://www.ideerforlivet.se/vi_bryr_oss/utanforskapets-pris/",
        "kind": "real",
        "payer": "",
        "receiver": "",
        "notes": (
            "Säkerhet: låg, en storleksordning. Källan anger ett intervall på 10–15 miljoner kronor (här "
            "mittpunkten 12,5 miljoner) för välfärdskostnader (vård, rehabilitering, omsorg, rättsväsende m.m.) "
            "plus produktionsbortfall under hela vuxenlivet. Prisåret är ungefärligt: Nilsson & Wadeskogs "
            "kalkyler för Idéer för livet publicerades från 2008. Odiskonterat belopp över drygt 40 år: använd "
            "det inte som en årlig kostnad. Beloppet blandar reala resurser och transfereringar."
        ),
    },
    {
        "item": "Sjukersättning, garantinivå från 30 år, per år",
        "actor": "forsakringskassan",
        "amount": "145956",
        "unit": "per_year",
        "price_year": 2023,
        "source_text": (
            "Försäkringskassan, Aktuella belopp 2023 (garantinivå 12 163 kr per månad för den som fyllt 30 år)"
        ),
        "source_url": FK_AMOUNTS_URL,
        "kind": "transfer",
        "payer": "forsakringskassan",
        "receiver": "individen",
        "notes": (
            "Säkerhet: god (fastställt belopp). 12 163 kr × 12 månader, före skatt, hel ersättning. "
            "Inkomstrelaterad ersättning kan vara högre, högst 254 756 kr per år 2023."
        ),
    },
    {
        "item": "Aktivitetsersättning, garantinivå för de yngsta, per år",
        "actor": "forsakringskassan",
        "amount": "130200",
        "unit": "per_year",
        "price_year": 2023,
        "source_text": (
            "Försäkringskassan, Aktuella belopp 2023, återgivet av Hjärnkraft: garantinivå 10 850 kr per "
            "månad för den yngsta åldersgruppen"
        ),
        "source_url": "https://hjarnkraft.se/2023/01/12/okning-av-ersattningar-och-bidrag-2023/",
        "kind": "transfer",
        "payer": "forsakringskassan",
        "receiver": "individen",
        "notes": (
            "Säkerhet: medel. 10 850 kr × 12 månader, före skatt, hel ersättning. Garantinivån stiger med "
            "åldern (12 163 kr per månad från 30 år); kontrollera åldersgränsen hos Försäkringskassan."
        ),
    },
    {
        "item": "Sjukpenning, högsta belopp per dag",
        "actor": "forsakringskassan",
        "amount": "1116",
        "unit": "per_day",
        "price_year": 2023,
        "source_text": "Försäkringskassan, Aktuella belopp 2023 (högsta sjukpenning 1 116 kr per dag)",
        "source_url": FK_AMOUNTS_URL,
        "kind": "transfer",
        "payer": "forsakringskassan",
        "receiver": "individen",
        "notes": (
            "Säkerhet: god som tak, men det är ett högsta belopp: många får mindre (80 procent av den "
            "sjukpenninggrundande inkomsten). Kalenderdagsberäknad, före skatt; efter ett år högst 1 046 kr."
        ),
    },
    {
        "item": "Arbetslöshetsersättning, högsta dagpenning dag 1–100",
        "actor": "staten",
        "amount": "1200",
        "unit": "per_day",
        "price_year": 2023,
        "source_text": "Handels arbetslöshetskassa, Ersättningens storlek (regler till och med december 2023)",
        "source_url": "https://akassan.handels.se/ersattning/regler-och-villkor/ersattningens-storlek/",
        "kind": "transfer",
        "payer": "staten",
        "receiver": "individen",
        "notes": (
            "Säkerhet: god som tak. Högst fem dagar per vecka; efter dag 100 högst 1 000 kr per dag. "
            "Grundersättning för den som inte uppfyller medlemsvillkoret: högst 510 kr per dag. Före skatt."
        ),
    },
    {
        "item": "Läkarbesök i primärvården",
        "actor": "region",
        "amount": "1975",
        "unit": "per_visit",
        "price_year": 2023,
        "source_text": "Region Stockholm, Vårdgivarguiden: utomregional prislista för primärvård (läkarbesök 1 975 kr)",
        "source_url": (
            "https://vardgivarguiden.se/administration/verksamhetsadministration/remittering/"
            "vard-av-utomlanspatienter/ersattning-for-utomlanspatienter/"
        ),
        "kind": "real",
        "payer": "",
        "receiver": "",
        "notes": (
            "Säkerhet: medel. Priset en region fakturerar för en utomlänspatient (inklusive medicinsk "
            "diagnostik), ett rimligt mått på kostnaden för ett besök. Prisåret 2023 är härlett ur sidans "
            "hänvisningar till 2023 års listor; en senare lista anger 2 093 kr."
        ),
    },
    {
        "item": "Besök hos annan vårdpersonal i primärvården",
        "actor": "region",
        "amount": "878",
        "unit": "per_visit",
        "price_year": 2023,
        "source_text": (
            "Region Stockholm, Vårdgivarguiden: utomregional prislista för primärvård (besök hos övrig hälso- "
            "och sjukvårdspersonal 878 kr)"
        ),
        "source_url": (
            "https://vardgivarguiden.se/administration/verksamhetsadministration/remittering/"
            "vard-av-utomlanspatienter/ersattning-for-utomlanspatienter/"
        ),
        "kind": "real",
        "payer": "",
        "receiver": "",
        "notes": (
            "Säkerhet: medel, som för läkarbesöket ovan. Gäller t.ex. sjuksköterska, fysioterapeut eller "
            "kurator; en senare lista anger 930 kr."
        ),
    },
]


def load_shipped_prices(price_index: Any, unit_cost: Any) -> tuple[int, int]:
    """Writes the shipped index and shared unit costs into the given models; returns (index rows, unit costs).

    Takes the model classes so that a migration can pass its historical models. Reads and writes through
    `_base_manager`: the unit costs' default manager is tenant-scoped, and these rows belong to no tenant.
    An index year or a shared unit cost that is already there is updated, not duplicated.
    """
    for year, value in KPI_ANNUAL_AVERAGES.items():
        price_index._base_manager.update_or_create(year=year, defaults={"value": value, "source": KPI_SOURCE})
    for row in SHIPPED_UNIT_COSTS:
        fields = {key: value for key, value in row.items() if key != "item"}
        unit_cost._base_manager.update_or_create(
            association=None, item=row["item"], defaults={**fields, "is_example": True}
        )
    return len(KPI_ANNUAL_AVERAGES), len(SHIPPED_UNIT_COSTS)


def unload_shipped_prices(price_index: Any, unit_cost: Any) -> None:
    """The reverse of `load_shipped_prices` (for the migration's rollback)."""
    price_index._base_manager.filter(year__in=list(KPI_ANNUAL_AVERAGES)).delete()
    unit_cost._base_manager.filter(association=None, item__in=[row["item"] for row in SHIPPED_UNIT_COSTS]).delete()
