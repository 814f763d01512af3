"""Demo campaigns and answers (filled in by the measure capability)."""

from __future__ import annotations

from typing import Any


def load_measure_demo(*, associations: list[Any], stdout: Any = None) -> None:
    return None
