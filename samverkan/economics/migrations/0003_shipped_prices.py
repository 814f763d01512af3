# The shipped figures: SCB's KPI yearly averages and the shared example unit costs.
# The numbers and where they come from are in samverkan/economics/price_data.py (its docstring names the
# sources and the date they were looked up); the loader is idempotent, so a correction is a new migration.
from django.db import migrations

from samverkan.economics.price_data import load_shipped_prices, unload_shipped_prices


def forwards(apps, schema_editor):
    load_shipped_prices(apps.get_model("economics", "PriceIndex"), apps.get_model("economics", "UnitCost"))


def backwards(apps, schema_editor):
    unload_shipped_prices(apps.get_model("economics", "PriceIndex"), apps.get_model("economics", "UnitCost"))


class Migration(migrations.Migration):
    # Also after the scenarios part's 0002: this migration joins the two parts' branches of the graph.
    dependencies = [("economics", "0002_prices"), ("economics", "0002_scenarios")]

    operations = [migrations.RunPython(forwards, backwards)]
