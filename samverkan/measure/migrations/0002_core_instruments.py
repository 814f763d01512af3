from django.db import migrations


def forwards(apps, schema_editor):
    from samverkan.measure.instrument_files import load_core_instruments

    load_core_instruments(apps.get_model("measure", "Instrument"), apps.get_model("measure", "Item"))


class Migration(migrations.Migration):
    dependencies = [("measure", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
