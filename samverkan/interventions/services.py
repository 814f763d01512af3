"""Writes of interventions: one intervention with its rows per year, in one transaction, with an audit actor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditlog.context import set_actor
from django.db import transaction
from django.forms import BaseInlineFormSet

from samverkan.tenancy.models import Association

from .forms import InterventionForm
from .models import Intervention


def intervention_save(
    *, association: Association, form: InterventionForm, formsets: Mapping[str, BaseInlineFormSet], actor: Any
) -> Intervention:
    """Saves a valid form and its valid formsets; the audit log records `actor` (never an IP address)."""
    with set_actor(actor), transaction.atomic():
        intervention: Intervention = form.save(commit=False)
        intervention.association = association
        intervention.save()
        form.save_m2m()
        for formset in formsets.values():
            formset.instance = intervention
            formset.save()
    return intervention


def intervention_delete(*, intervention: Intervention, actor: Any) -> None:
    with set_actor(actor), transaction.atomic():
        intervention.delete()
