"""A round's edges and figures as CSV (Swedish Excel: `;`, decimal comma) and XLSX (Mät's workbook writer)."""

from __future__ import annotations

import csv
import io
from typing import Any

from samverkan.measure.exports import xlsx_workbook

from .selectors import RoundData

EDGE_COLUMNS = ("source", "target", "frequency", "depth", "trust", "value", "knows_whom_to_call")
AGENCY_COLUMNS = (
    "agency",
    "responded",
    "out_degree",
    "in_degree",
    "weighted_degree",
    "mean_trust_received",
    "mean_value_received",
)
NETWORK_COLUMNS = (
    "nodes",
    "edges",
    "density",
    "reciprocity",
    "degree_centralization",
    "knows_whom_to_call",
    "response_rate",
    "non_respondents",
)


def edge_rows(data: RoundData) -> list[list[Any]]:
    return [[a.source, a.target, a.frequency, a.depth, a.trust, a.value, a.knows_whom_to_call] for a in data.answers]


def agency_rows(data: RoundData) -> list[list[Any]]:
    return [
        [name, m.responded, m.out_degree, m.in_degree, m.weighted_degree, m.mean_trust_received, m.mean_value_received]
        for name, m in data.metrics.agencies.items()
    ]


def network_row(data: RoundData) -> list[Any]:
    figures = data.metrics.as_dict()
    return [*(figures[c] for c in NETWORK_COLUMNS[:-1]), ", ".join(figures["non_respondents"])]


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.6g}".replace(".", ",")
    return str(value)


def round_csv(data: RoundData) -> bytes:
    """The edges (one row per answer, depth 0 included), then a blank line, the network and the agencies."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["table", *EDGE_COLUMNS])
    for row in edge_rows(data):
        writer.writerow([_csv_value(v) for v in ["edge", *row]])
    writer.writerow([])
    writer.writerow(["table", *NETWORK_COLUMNS])
    writer.writerow([_csv_value(v) for v in ["network", *network_row(data)]])
    writer.writerow([])
    writer.writerow(["table", *AGENCY_COLUMNS])
    for row in agency_rows(data):
        writer.writerow([_csv_value(v) for v in ["agency", *row]])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def round_xlsx(data: RoundData) -> bytes:
    return xlsx_workbook(
        [
            ("Band", EDGE_COLUMNS, edge_rows(data)),
            ("Nätverket", NETWORK_COLUMNS, [network_row(data)]),
            ("Myndigheter", AGENCY_COLUMNS, agency_rows(data)),
        ]
    )
