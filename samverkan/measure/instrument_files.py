"""The core instruments are data: versioned JSON files beside this module.

Loaded by a data migration (so every fresh database has them) with the
migration's historical models, and by `load_demo` again harmlessly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

INSTRUMENT_DIR = Path(__file__).resolve().parent / "instruments"
CORE_FILES = ("integrerad_samverkan_v1.json", "deltagarenkat_v1.json")


def read_instrument_file(name: str) -> dict[str, Any]:
    return json.loads((INSTRUMENT_DIR / name).read_text(encoding="utf-8"))


def load_core_instruments(instrument_model: Any, item_model: Any) -> int:
    """Create the core instruments that are missing; never touch an existing version."""
    created = 0
    for name in CORE_FILES:
        spec = read_instrument_file(name)
        if instrument_model.objects.filter(association=None, name=spec["name"], version=spec["version"]).exists():
            continue
        instrument = instrument_model.objects.create(
            association=None,
            name=spec["name"],
            version=spec["version"],
            kind=spec["kind"],
            intro=spec.get("intro", ""),
            frozen=True,  # core wording is locked for comparison across associations
        )
        item_model.objects.bulk_create(
            item_model(
                instrument=instrument,
                position=position,
                code=item["code"],
                kind=item["kind"],
                section=item.get("subsection") or item.get("section", ""),
                text=item["text"],
                level=item.get("level", ""),
                is_target=item.get("is_target", False),
                hallmark=item.get("hallmark", ""),
                options=item.get("options", []),
                benchmark_key=item.get("benchmark_key", ""),
                is_local=False,
            )
            for position, item in enumerate(spec["items"], start=1)
        )
        created += 1
    return created
