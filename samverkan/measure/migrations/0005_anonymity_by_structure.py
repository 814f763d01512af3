"""Anonymity that survives database access (issue 8).

Invitations lose their "used" mark and their plain SHA-256 token hash: links are now derived from a
nonce with a key outside the database, and found by a keyed hash. Receipts and drafts are keyed by
keyed hashes (no sequential ids); submissions wait, sealed, in PendingResponse until they are
published in batches. Links of invitations sent before this migration stop working (their secret was
never stored); drafts and receipts of earlier answers are dropped.
"""

import secrets
import uuid

import django.db.models.deletion
from django.db import migrations, models


def fill_invitation_keys(apps, schema_editor):
    from samverkan.measure.anonymity import invitation_lookup, invitation_token

    Invitation = apps.get_model("measure", "Invitation")
    for invitation in Invitation.objects.all():
        invitation.nonce = secrets.token_hex(16)
        invitation.lookup = invitation_lookup(invitation_token(invitation.nonce))
        invitation.save(update_fields=["nonce", "lookup"])


class Migration(migrations.Migration):
    dependencies = [("measure", "0004_snapshot_computed_at")]

    operations = [
        migrations.AddField(model_name="invitation", name="nonce", field=models.CharField(default="", max_length=32)),
        migrations.AddField(model_name="invitation", name="lookup", field=models.CharField(max_length=64, null=True)),
        migrations.RunPython(fill_invitation_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invitation", name="nonce", field=models.CharField(max_length=32)
        ),
        migrations.AlterField(
            model_name="invitation", name="lookup", field=models.CharField(max_length=64, unique=True)
        ),
        migrations.RemoveField(model_name="invitation", name="token_hash"),
        migrations.RemoveField(model_name="invitation", name="used"),
        migrations.DeleteModel(name="SubmissionReceipt"),
        migrations.DeleteModel(name="Draft"),
        migrations.CreateModel(
            name="Receipt",
            fields=[
                ("key", models.CharField(max_length=64, primary_key=True, serialize=False)),
                (
                    "kind",
                    models.CharField(choices=[("form", "form"), ("invitation", "invitation")], max_length=12),
                ),
                (
                    "respondent_group",
                    models.CharField(
                        choices=[
                            ("board", "Styrelseledamot"),
                            ("managers", "Chef i samverkan"),
                            ("staff", "Insatspersonal"),
                            ("referrers", "Remittent / handläggare"),
                            ("participants", "Deltagare"),
                            ("other", "Annan"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="measure.campaign"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="PendingResponse",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                (
                    "respondent_group",
                    models.CharField(
                        choices=[
                            ("board", "Styrelseledamot"),
                            ("managers", "Chef i samverkan"),
                            ("staff", "Insatspersonal"),
                            ("referrers", "Remittent / handläggare"),
                            ("participants", "Deltagare"),
                            ("other", "Annan"),
                        ],
                        max_length=20,
                    ),
                ),
                ("sealed", models.TextField()),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="measure.campaign"
                    ),
                ),
            ],
            options={"indexes": [models.Index(fields=["campaign", "respondent_group"], name="measure_pen_campaig_30e1f6_idx")]},
        ),
        migrations.CreateModel(
            name="Draft",
            fields=[
                ("key", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("sealed", models.TextField(blank=True)),
                ("submitted", models.BooleanField(default=False)),
                ("updated_on", models.DateField()),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="measure.campaign"
                    ),
                ),
            ],
        ),
    ]
