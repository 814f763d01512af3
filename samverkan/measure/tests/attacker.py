"""An attacker who knows every published table of a campaign and subtracts.

Used by the disclosure tests on the pure module and on whole `results_payload`
outputs. A published table is its total (None when withheld) and one count per
group (None when hidden). The attacker assumes, as is true when everyone
answered everything, that a group's count is the same in every table, and tries:

- within a table: total minus the visible cells is the hidden sum; one hidden
  cell is then that group's count;
- across two tables: one table's hidden sum minus another table's visible
  cells of the same groups; one group left over is then that group's count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Published:
    name: str
    total: int | None
    cells: Mapping[str, int | None]


@dataclass(frozen=True)
class Recovery:
    group: str
    value: int
    via: tuple[str, ...]


def recoveries(tables: Sequence[Published]) -> list[Recovery]:
    found = []
    for table in tables:
        if table.total is None:
            continue
        hidden = [g for g, n in table.cells.items() if n is None]
        residual = table.total - sum(n for n in table.cells.values() if n is not None)
        if len(hidden) == 1:
            found.append(Recovery(hidden[0], residual, (table.name,)))
        for other in tables:
            if other is table:
                continue
            known = {g: other.cells.get(g) for g in hidden if other.cells.get(g) is not None}
            rest = [g for g in hidden if g not in known]
            if known and len(rest) == 1:
                found.append(Recovery(rest[0], residual - sum(known.values()), (table.name, other.name)))  # type: ignore[arg-type]
    return found


def small_hidden_sums(tables: Sequence[Published], min_size: int) -> list[str]:
    """Tables whose hidden sum (total minus visible) is non-zero yet below the minimum."""
    out = []
    for table in tables:
        if table.total is None or all(n is not None for n in table.cells.values()):
            continue
        residual = table.total - sum(n for n in table.cells.values() if n is not None)
        if 0 < residual < min_size:
            out.append(table.name)
    return out


def payload_tables(payload: Mapping[str, Any]) -> list[Published]:
    """Every count table of a `results_payload`: groups, each level today and target, hallmarks, items."""

    def split(cells: Sequence[Mapping[str, Any]], key: str) -> tuple[int | None, dict[str, int | None]]:
        total = next((c.get(key) for c in cells if c["group"] == "all"), None)
        return total, {c["group"]: (None if c["suppressed"] else c.get(key)) for c in cells if c["group"] != "all"}

    tables = [
        Published(
            "groups",
            payload["responses"],
            {g["group"]: (None if g["suppressed"] else g["n"]) for g in payload["groups"]},
        )
    ]
    for level in payload["levels"]:
        tables.append(Published(f"{level['level']}:today", *split(level["groups"], "n")))
        if all("target_n" in c for c in level["groups"]):
            tables.append(Published(f"{level['level']}:target", *split(level["groups"], "target_n")))
    for hallmark in payload["hallmarks"]:
        tables.append(Published(f"hallmark:{hallmark['hallmark']}", *split(hallmark["groups"], "n")))
    for item in payload["items"]:
        tables.append(Published(f"item:{item['code']}", *split(item["groups"], "n")))
    return tables
