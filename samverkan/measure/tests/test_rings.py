"""The three-ring picture: geometry of the rings, markers, targets, the arrow, escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.measure.rings import OUTER, LevelMarker, ring_picture_svg, score_to_radius

SVG = "{http://www.w3.org/2000/svg}"


def test_scale_maps_onto_the_rings() -> None:
    assert score_to_radius(5) == 0  # ring 3 is the centre
    assert score_to_radius(1) == OUTER
    assert score_to_radius(11 / 3) == pytest.approx(OUTER / 3)
    assert score_to_radius(7 / 3) == pytest.approx(2 * OUTER / 3)


@given(st.floats(1, 5), st.floats(1, 5))
def test_higher_scores_are_closer_to_the_centre(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert score_to_radius(high) <= score_to_radius(low)


def _classes(svg: str, cls: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [el for el in root.iter() if el.get("class") == cls]


def test_picture_is_accessible_svg_with_markers_targets_and_arrows() -> None:
    markers = [
        LevelMarker("personal", "Jag", 3.0, target_mean=4.0),
        LevelMarker("team", "Arbetslaget", 3.6, target_mean=4.2, previous_mean=2.6, change_detectable=True),
        LevelMarker("organisation", "Organisationen", 2.8, previous_mean=2.8),
        LevelMarker("society", "Samhället <script>", None, suppressed=True),
    ]
    svg = str(ring_picture_svg(markers, title="Tre ringar", description="Beskrivning"))
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Tre ringar" and root.find(f"{SVG}desc").text == "Beskrivning"
    assert len(_classes(svg, "marker")) == 3  # the suppressed level has none
    assert len(_classes(svg, "target")) == 2
    arrows = _classes(svg, "arrow")
    assert len(arrows) == 1 and "arrowhead)" in arrows[0].get("marker-end")
    assert "<script>" not in svg and "Samhället &lt;script&gt;" in svg


def test_undetectable_change_is_drawn_grey() -> None:
    svg = str(
        ring_picture_svg([LevelMarker("team", "Arbetslaget", 3.1, previous_mean=2.9)], title="t", description="d")
    )
    (arrow,) = _classes(svg, "arrow")
    assert "arrowhead-grey" in arrow.get("marker-end")
