"""The three-ring picture: geometry of the rings, markers, targets, the arrow, escaping."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.measure import stats
from samverkan.measure.rings import ANGLES, CENTRE, OUTER, LevelMarker, ring_picture_svg, score_to_radius

SVG = "{http://www.w3.org/2000/svg}"
# Everything the picture is made of; a label that smuggled markup in would add another tag.
ALLOWED_TAGS = {f"{SVG}{t}" for t in ("svg", "title", "desc", "defs", "marker", "path", "circle", "text", "line")}


# --- geometry ----------------------------------------------------------------------------------


def test_scale_maps_onto_the_rings() -> None:
    assert score_to_radius(5) == 0  # ring 3 is the centre
    assert score_to_radius(1) == OUTER
    assert score_to_radius(11 / 3) == pytest.approx(OUTER / 3)
    assert score_to_radius(7 / 3) == pytest.approx(2 * OUTER / 3)
    assert score_to_radius(3) == pytest.approx(OUTER / 2)


def test_scores_outside_the_scale_stay_inside_the_picture() -> None:
    assert score_to_radius(0) == OUTER
    assert score_to_radius(6) == 0


@given(st.floats(1, 5), st.floats(1, 5))
@settings(max_examples=200)
def test_higher_scores_are_closer_to_the_centre(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert score_to_radius(high) <= score_to_radius(low)
    if high - low > 1e-9:
        assert score_to_radius(high) < score_to_radius(low)
    assert 0 <= score_to_radius(a) <= OUTER


@given(st.fractions(1, 5, max_denominator=500))
@settings(max_examples=200)
def test_drawn_ring_is_the_counted_ring(score: Fraction) -> None:
    """The drawn circles at OUTER/3 and 2·OUTER/3 are exactly the ring boundaries of the statistics."""
    radius = score_to_radius(float(score))
    ring = stats.ring_of_score(score)
    if ring == 3:
        assert radius < OUTER / 3 + 1e-9
    elif ring == 2:
        assert OUTER / 3 - 1e-9 <= radius <= 2 * OUTER / 3 + 1e-9
    else:
        assert radius > 2 * OUTER / 3 - 1e-9


# --- the picture -------------------------------------------------------------------------------


def _classes(svg: str, cls: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [el for el in root.iter() if el.get("class") == cls]


def _distance(el: ET.Element, x: str = "cx", y: str = "cy") -> float:
    return math.hypot(float(el.get(x, "nan")) - CENTRE, float(el.get(y, "nan")) - CENTRE)


def _angle(el: ET.Element, x: str = "cx", y: str = "cy") -> float:
    return math.degrees(math.atan2(float(el.get(y, "nan")) - CENTRE, float(el.get(x, "nan")) - CENTRE)) % 360


def test_picture_is_accessible_svg_with_markers_targets_and_arrows() -> None:
    markers = [
        LevelMarker("personal", "Jag", 3.0, target_mean=4.0),
        LevelMarker("team", "Arbetslaget", 3.6, target_mean=4.2, previous_mean=2.6, change_detectable=True),
        LevelMarker("organisation", "Organisationen", 2.8, previous_mean=2.8),
        LevelMarker("society", "Samhället <script>", None, suppressed=True),
    ]
    svg = str(ring_picture_svg(markers, title="Tre ringar", description="Beskrivning"))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Tre ringar" and root.find(f"{SVG}desc").text == "Beskrivning"
    assert len(_classes(svg, "marker")) == 3  # the suppressed level has none
    assert len(_classes(svg, "target")) == 2
    arrows = _classes(svg, "arrow")
    assert len(arrows) == 1 and "arrowhead)" in arrows[0].get("marker-end")
    assert "<script>" not in svg and "Samhället &lt;script&gt;" in svg


def test_rings_are_drawn_at_the_boundaries() -> None:
    svg = str(ring_picture_svg([], title="t"))
    radii = sorted(float(el.get("r")) for el in ET.fromstring(svg).iter(f"{SVG}circle") if el.get("class") is None)
    assert radii == pytest.approx([OUTER / 3, 2 * OUTER / 3, OUTER], abs=0.05)
    assert _classes(svg, "marker") == [] and _classes(svg, "arrow") == [] and _classes(svg, "target") == []


def test_marker_target_and_arrow_sit_where_the_scores_say() -> None:
    marker = LevelMarker("organisation", "Org", 11 / 3, target_mean=4.5, previous_mean=2.0, change_detectable=True)
    svg = str(ring_picture_svg([marker], title="t"))
    (dot,) = _classes(svg, "marker")
    (target,) = _classes(svg, "target")
    (arrow,) = _classes(svg, "arrow")
    assert _distance(dot) == pytest.approx(OUTER / 3, abs=0.1)  # on the inner boundary
    assert _angle(dot) == pytest.approx(ANGLES["organisation"], abs=0.1)
    assert _distance(target) == pytest.approx(score_to_radius(4.5), abs=0.1)
    # The arrow runs from the previous round's mean to this round's.
    assert _distance(arrow, "x1", "y1") == pytest.approx(score_to_radius(2.0), abs=0.1)
    assert _distance(arrow, "x2", "y2") == pytest.approx(OUTER / 3, abs=0.1)
    assert "Org i dag: 3.67" in dot.find(f"{SVG}title").text


def test_undetectable_change_is_drawn_grey() -> None:
    svg = str(
        ring_picture_svg([LevelMarker("team", "Arbetslaget", 3.1, previous_mean=2.9)], title="t", description="d")
    )
    (arrow,) = _classes(svg, "arrow")
    assert "arrowhead-grey" in arrow.get("marker-end")


def test_suppressed_level_shows_nothing_but_its_name() -> None:
    marker = LevelMarker("team", "Arbetslaget", 3.1415, target_mean=4.2718, previous_mean=1.4142, suppressed=True)
    svg = str(ring_picture_svg([marker], title="t"))
    assert _classes(svg, "marker") == [] and _classes(svg, "target") == [] and _classes(svg, "arrow") == []
    for leaked in ("3.14", "4.27", "1.41"):
        assert leaked not in svg
    (name,) = _classes(svg, "level-name")
    assert name.text == "Arbetslaget (dold)"


def test_no_arrow_without_a_previous_round_or_a_change() -> None:
    assert _classes(str(ring_picture_svg([LevelMarker("team", "T", 3.0)], title="t")), "arrow") == []
    same = LevelMarker("team", "T", 3.0, previous_mean=3.0, change_detectable=True)
    assert _classes(str(ring_picture_svg([same], title="t")), "arrow") == []


def test_labels_title_and_description_are_escaped() -> None:
    evil = '<script>alert("x")</script>&'
    markers = [LevelMarker("personal", evil, 3.0, target_mean=4.0, previous_mean=2.0)]
    svg = str(ring_picture_svg(markers, title=evil, description=evil))
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert {el.tag for el in root.iter()} <= ALLOWED_TAGS
    assert root.find(f"{SVG}title").text == evil and root.find(f"{SVG}desc").text == evil
    (name,) = _classes(svg, "level-name")
    assert name.text == evil


def test_control_characters_do_not_break_the_svg() -> None:
    # A campaign name pasted with a form feed or vertical tab: the PDF embeds the picture as strict XML.
    svg = str(ring_picture_svg([LevelMarker("team", "Team\x0b", 3.0)], title="Runda\x0c 1\x00", description="a\x01b"))
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Runda 1" and root.find(f"{SVG}desc").text == "ab"
    (name,) = _classes(svg, "level-name")
    assert name.text == "Team"


scores = st.floats(1, 5)


@st.composite
def level_markers(draw: st.DrawFn) -> list[LevelMarker]:
    levels = draw(st.lists(st.sampled_from(list(ANGLES)), unique=True, max_size=4))
    markers = []
    for level in levels:
        mean = draw(st.none() | scores)
        previous = draw(st.none() | scores | st.just(mean))
        markers.append(
            LevelMarker(
                level=level,
                label=draw(st.text(max_size=20)),
                mean=mean,
                target_mean=draw(st.none() | scores),
                previous_mean=previous,
                suppressed=draw(st.booleans()),
                change_detectable=draw(st.booleans()),
            )
        )
    return markers


def _xml_normalised(text: str) -> str:
    """What an XML parser gives back for text: no forbidden characters, line ends as \\n."""
    kept = "".join(
        ch for ch in text if ch in "\t\n\r" or "\x20" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd" or ch > "\uffff"
    )
    return kept.replace("\r\n", "\n").replace("\r", "\n")


@given(level_markers(), st.text(max_size=40), st.text(max_size=40))
@settings(max_examples=150)
def test_picture_properties(markers: list[LevelMarker], title: str, description: str) -> None:
    svg = str(ring_picture_svg(markers, title=title, description=description))
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert {el.tag for el in root.iter()} <= ALLOWED_TAGS  # nothing from the texts became markup
    assert (root.find(f"{SVG}title").text or "") == _xml_normalised(title)
    assert (root.find(f"{SVG}desc").text or "") == _xml_normalised(description)

    shown = [m for m in markers if not m.suppressed and m.mean is not None]
    with_target = [m for m in shown if m.target_mean is not None]
    moved = [m for m in shown if m.previous_mean is not None and abs(m.previous_mean - m.mean) > 0.01]
    dots = _classes(svg, "marker")
    targets = _classes(svg, "target")
    arrows = _classes(svg, "arrow")
    assert len(dots) == len(shown)
    assert len(targets) == len(with_target)
    assert len(arrows) == len(moved)
    for marker, dot in zip(shown, dots, strict=True):
        assert _distance(dot) == pytest.approx(score_to_radius(marker.mean), abs=0.1)
    for marker, target in zip(with_target, targets, strict=True):
        assert _distance(target) == pytest.approx(score_to_radius(marker.target_mean), abs=0.1)
    for marker, arrow in zip(moved, arrows, strict=True):
        assert ("arrowhead-grey" in arrow.get("marker-end", "")) != marker.change_detectable

    names = [el.text or "" for el in _classes(svg, "level-name")]
    expected = [_xml_normalised(m.label) + (" (dold)" if m.suppressed else "") for m in markers]
    assert names == expected
