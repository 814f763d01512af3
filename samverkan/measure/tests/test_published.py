"""One schema for a published result cell: the JSON payload, the API and the exports all come from it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from samverkan.measure import api, export_tables, exports, published, services
from samverkan.measure.published import CELL_FIELDS, MOMENTUM_FIELDS, results_payload
from samverkan.measure.results import campaign_results
from samverkan.measure.tests.factories import open_campaign, ring_answers, submit
from samverkan.tenancy.services import api_token_create

pytestmark = pytest.mark.django_db

# What issue 4 promised for each level and group of export_results and the API (plus gap).
ISSUE_4_CELL_FIELDS = {
    "n", "mean", "ci_low", "ci_high", "median", "ring", "share_ring_1", "share_ring_2", "share_ring_3",
    "disagreement", "momentum", "target_mean", "gap", "suppressed",
}  # fmt: skip


@pytest.fixture
def campaign(actors):
    """A second round, so momentum has figures: staff 20 and board 5 in both rounds."""
    today = timezone.localdate()
    previous = open_campaign(
        actors.association,
        name="Förra",
        groups=("board", "staff"),
        opens_on=today - timedelta(days=400),
        closes_on=today - timedelta(days=300),
    )
    for i in range(20):
        submit(previous, "staff", ring_answers(2 + i % 2), today=previous.opens_on)
    for _ in range(5):
        submit(previous, "board", ring_answers(2), today=previous.opens_on)
    services.campaign_close(campaign=previous, today=previous.closes_on)
    current = open_campaign(actors.association, name="Nu", groups=("board", "staff"), previous=previous)
    for i in range(20):
        submit(current, "staff", ring_answers(3 + i % 3))
    for _ in range(5):
        submit(current, "board", ring_answers(1, target=1))
    return current


def test_a_published_cell_has_the_same_fields_in_the_payload_the_api_schema_and_the_export_columns(
    actors, campaign
) -> None:
    names = [spec.name for spec in CELL_FIELDS]
    assert set(names) >= ISSUE_4_CELL_FIELDS
    payload = results_payload(campaign_results(campaign=campaign))
    cells = [cell for table in ("levels", "items") for row in payload[table] for cell in row["groups"]]
    assert cells and all(list(cell) == names for cell in cells)
    moving = [cell["momentum"] for cell in cells if cell["momentum"] is not None]
    assert moving and all(list(m) == [part.name for part in MOMENTUM_FIELDS] for m in moving)
    assert list(api.CellOut.model_fields) == names
    assert list(api.MomentumOut.model_fields) == [part.name for part in MOMENTUM_FIELDS]

    # The API sends exactly those fields.
    _, token = api_token_create(association=actors.association, name="Schema")
    sent = Client(headers={"Authorization": f"Bearer {token}"}).get(f"/api/measure/campaigns/{campaign.pk}/results")
    assert sent.status_code == 200
    assert [list(cell) for level in sent.json()["levels"] for cell in level["groups"]] == [
        names for level in payload["levels"] for _ in level["groups"]
    ]

    # The export columns of a level row are the level, then the cell's fields in order: each field is a column,
    # except the group's label (the value of the group column in sheets) and momentum (one column per part).
    columns = [spec.column_name for spec in published.cell_columns()]
    expected: list[str] = []
    for spec in CELL_FIELDS:
        if spec.name == "momentum":
            expected += ["momentum", "momentum_ci_low", "momentum_ci_high", "momentum_detectable"]
        elif spec.name != "group_label":
            expected.append(spec.name)
    assert columns == expected and ["level", *expected] == export_tables.LEVEL_COLUMNS
    header = next(csv.reader(io.StringIO(exports.results_csv(campaign_results(campaign=campaign)).decode("utf-8-sig")),
                             delimiter=";"))  # fmt: skip
    assert header == ["table", "level", "level_code", "group", "group_code", *expected[1:], "alpha", "alpha_n"]
    assert all(export_tables.COLUMN_LABELS[column] for column in columns)
    rows = export_tables.level_rows(payload)
    assert all(set(export_tables.LEVEL_COLUMNS) <= set(row) for row in rows)
    staff = next(r for r in rows if r["group"] == "staff" and r["level"] == "personal")
    assert staff["momentum"] is not None and staff["momentum_detectable"] in (True, False)
