"""Where the calculation's KPI table comes from: the price index in the database, once it exists.

The prices part of issue 12 builds `samverkan/economics/selectors_prices.py: kpi_table() -> dict[int, float]`
(the PriceIndex model). Until that module is merged this returns None and a scenario relies on its own
"kpi"; any other import error is raised, not hidden.
"""

from __future__ import annotations

import importlib

PRICES_SELECTORS = "samverkan.economics.selectors_prices"


def database_kpi_table() -> dict[int, float] | None:
    """{year: KPI} from the database, or None when the price-index part is not installed."""
    try:
        module = importlib.import_module(PRICES_SELECTORS)
    except ModuleNotFoundError as error:
        if error.name != PRICES_SELECTORS:
            raise
        return None
    table = module.kpi_table()
    return {int(year): float(value) for year, value in table.items()}
