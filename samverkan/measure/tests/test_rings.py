"""The three-ring picture: geometry of the rings, markers, targets, the arrow, escaping."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from samverkan.measure import stats
from samverkan.measure.ring_geometry import ANGLES, CENTRE, OUTER, LevelMarker, score_to_radius
from samverkan.measure.rings import ring_picture_svg

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
    assert len(arrows) == 1 and "arrowhead-up)" in arrows[0].get("marker-end")
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
    # The arrow runs from the previous round's mean to the edge of this round's dot (8 + 1 stroke + 2 gap).
    assert _distance(arrow, "x1", "y1") == pytest.approx(score_to_radius(2.0), abs=0.1)
    assert _distance(arrow, "x2", "y2") == pytest.approx(OUTER / 3 + 11, abs=0.1)
    assert _angle(arrow, "x2", "y2") == pytest.approx(ANGLES["organisation"], abs=0.1)
    assert "Org i dag: 3.67" in dot.find(f"{SVG}title").text


def test_undetectable_change_is_drawn_grey() -> None:
    svg = str(
        ring_picture_svg([LevelMarker("team", "Arbetslaget", 3.1, previous_mean=2.9)], title="t", description="d")
    )
    (arrow,) = _classes(svg, "arrow")
    assert "arrowhead-none" in arrow.get("marker-end") and arrow.get("data-change") == "none"


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
        assert (arrow.get("data-change") == "none") != marker.change_detectable

    names = [el.text or "" for el in _classes(svg, "level-name")]
    expected = [_xml_normalised(m.label) + (" (dold)" if m.suppressed else "") for m in markers]
    assert names == expected


# --- the ring questions as a respondent reads them (issue 8, finding 1) -------------------------


class _Node:
    """A small HTML tree (the standard library's parser): enough to find elements by tag, class and attribute."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: _Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[_Node | str] = []

    def text(self) -> str:
        return " ".join("".join(c if isinstance(c, str) else " " + c.text() + " " for c in self.children).split())

    def iter(self) -> Iterator[_Node]:
        for child in self.children:
            if isinstance(child, _Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str = "", cls: str = "", **attrs: str) -> list[_Node]:
        return [
            n
            for n in self.iter()
            if (not tag or n.tag == tag)
            and (not cls or cls in n.attrs.get("class", "").split())
            and all(n.attrs.get(k) == v for k, v in attrs.items())
        ]

    def ancestor(self, tag: str) -> _Node:
        node = self.parent
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None
        return node


VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}


def parse(html: str) -> _Node:
    from html.parser import HTMLParser

    root = _Node("#root", {}, None)

    class Parser(HTMLParser):
        node = root

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            child = _Node(tag, {k: v or "" for k, v in attrs}, self.node)
            self.node.children.append(child)
            if tag not in VOID:
                self.node = child

        def handle_endtag(self, tag: str) -> None:
            node: _Node | None = self.node
            while node is not None and node.tag != tag:
                node = node.parent
            if node is not None and node.parent is not None:
                self.node = node.parent

        def handle_data(self, data: str) -> None:
            self.node.children.append(data)

    Parser().feed(html)
    return root


def _answer_page(actors: Any) -> _Node:
    from django.test import Client
    from django.urls import reverse

    from samverkan.measure.tests.factories import open_campaign

    campaign = open_campaign(actors.association, groups=("staff",))
    token = campaign.links.get(respondent_group="staff").token
    response = Client().get(reverse("measure:answer_link", args=[token]))
    assert response.status_code == 200
    return parse(response.content.decode())


def test_ring_descriptions_are_named_by_ring_and_say_which_answer_they_are(actors: Any) -> None:
    """The descriptions were numbered 1, 3, 5 while the scale said "5 = Beskrivning 3": no number means two things."""
    page = _answer_page(actors)
    blocks = page.find_all("div", "ring-block")
    assert len(blocks) == 4
    for block in blocks:
        labels = [label.text() for label in block.find_all(cls="ring-desc-label")]
        assert labels == [
            "Ring 1 – Samverkan apart (svar 1)",
            "Ring 2 – Samverkan på fredag (svar 3)",
            "Ring 3 – Integrerad samverkan (svar 5)",
        ]
        # Still the locked wording, in the instrument's order: ring 1's description first.
        texts = [li.text() for li in block.find_all("li")]
        assert texts[0].startswith("Ring 1 – Samverkan apart (svar 1)")
        assert texts[2].startswith("Ring 3 – Integrerad samverkan (svar 5)")


def test_ring_scale_boxes_say_which_ring_each_answer_means(actors: Any) -> None:
    """1 = ring 1's description fits, 3 = ring 2's, 5 = ring 3's, 2 and 4 in between (the locked scale meaning)."""
    page = _answer_page(actors)
    expected = {
        "1": "1 som ring 1",
        "2": "2 mellan ring 1 och 2",
        "3": "3 som ring 2",
        "4": "4 mellan ring 2 och 3",
        "5": "5 som ring 3",
        "9": "Vet ej",
    }
    for code in ("ring_personal", "ring_personal_target", "ring_society", "ring_society_target"):
        names = {radio.attrs["value"]: radio.ancestor("label").text() for radio in page.find_all("input", name=code)}
        assert names == expected
    # Nowhere on a ring question does a box or a label call an answer "Beskrivning 3" (which the box 5 was).
    for block in page.find_all("div", "ring-block"):
        assert "Beskrivning" not in block.text()


# --- the change arrow: visible, above the dots, one language with the tables (issue 8, finding 3) ----


def _length(arrow: ET.Element) -> float:
    return math.hypot(
        float(arrow.get("x2", "nan")) - float(arrow.get("x1", "nan")),
        float(arrow.get("y2", "nan")) - float(arrow.get("y1", "nan")),
    )


def test_a_tiny_change_still_shows_an_arrow_outside_the_dot_and_above_all_dots() -> None:
    """0,07 on the scale is 3–4 px: the grey arrow was hidden under the dot. Now it has a minimum length."""
    from samverkan.measure import ring_geometry as rings

    min_length = getattr(rings, "MIN_ARROW_LENGTH", 0)
    markers = [
        LevelMarker("personal", "Jag", 3.31, previous_mean=3.24),
        LevelMarker("team", "Arbetslaget", 3.52, previous_mean=2.65, change_detectable=True),
        LevelMarker("society", "Samhället", 2.34, previous_mean=2.28),
    ]
    svg = str(ring_picture_svg(markers, title="t"))
    root = ET.fromstring(svg)
    order = list(root.iter())
    dots = [el for el in order if el.get("class") == "marker"]
    arrows = [el for el in order if el.get("class") == "arrow"]
    assert len(arrows) == 3
    dot_radius = float(dots[0].get("r", "nan")) + float(dots[0].get("stroke-width", "0")) / 2
    for arrow, dot in zip(arrows, dots, strict=True):
        assert _length(arrow) >= min_length >= 24
        # The tip stops at the dot's edge, so the arrowhead is not under the dot.
        tip_to_centre = math.hypot(
            float(arrow.get("x2", "nan")) - float(dot.get("cx", "nan")),
            float(arrow.get("y2", "nan")) - float(dot.get("cy", "nan")),
        )
        assert tip_to_centre >= dot_radius
        # Drawn after every dot (SVG paints in document order): nothing covers it.
        assert order.index(arrow) > max(order.index(d) for d in dots)
    # A large change still starts where the previous round was.
    assert _distance(arrows[1], "x1", "y1") == pytest.approx(score_to_radius(2.65), abs=0.1)


@given(st.sampled_from(list(ANGLES)), scores, scores, st.booleans())
@example("team", 5.0, 4.9, False)  # a small move outwards at the centre: no room for the tail behind the dot
@example("society", 1.2, 1.0, True)  # a small move outwards at the edge
@settings(max_examples=200)
def test_every_change_arrow_stays_on_its_own_levels_axis_and_points_the_way_it_moved(
    level: str, previous: float, mean: float, detectable: bool
) -> None:
    from samverkan.measure.ring_geometry import MIN_ARROW_LENGTH, change_kind

    if abs(previous - mean) <= 0.01:
        return
    marker = LevelMarker(level, "L", mean, previous_mean=previous, change_detectable=detectable)
    (arrow,) = _classes(str(ring_picture_svg([marker], title="t")), "arrow")
    assert _length(arrow) >= MIN_ARROW_LENGTH
    for end in (("x1", "y1"), ("x2", "y2")):
        if _distance(arrow, *end) > 0.5:
            assert _angle(arrow, *end) == pytest.approx(ANGLES[level], abs=0.5)  # not in another level's quarter
    inwards = _distance(arrow, "x2", "y2") < _distance(arrow, "x1", "y1")
    assert inwards == (mean > previous)
    assert arrow.get("data-change") == (change_kind(marker))


def test_change_arrows_and_table_speak_one_colour_and_symbol_language() -> None:
    """The picture drew every certain change red while the table said green ↑: now up/down/none look alike in both."""
    from pathlib import Path

    from django.template.loader import render_to_string

    from samverkan.measure.ring_geometry import CHANGE_STYLES
    from samverkan.measure.stats import Momentum

    up = LevelMarker("team", "T", 3.6, previous_mean=3.0, change_detectable=True)
    down = LevelMarker("organisation", "O", 2.5, previous_mean=3.2, change_detectable=True)
    none = LevelMarker("society", "S", 3.1, previous_mean=3.05)
    svg = str(ring_picture_svg([up, down, none], title="t"))
    arrows = {el.get("data-change"): el for el in _classes(svg, "arrow")}
    assert set(arrows) == {"up", "down", "none"}
    for change, arrow in arrows.items():
        assert arrow.get("stroke") == CHANGE_STYLES[change].colour
    assert arrows["none"].get("stroke-dasharray") and not arrows["up"].get("stroke-dasharray")

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "samverkan.css").read_text()
    tables = {
        "up": render_to_string("measure/_momentum.html", {"m": Momentum(0.6, 0.3, 0.9)}),
        "down": render_to_string("measure/_momentum.html", {"m": Momentum(-0.7, -1.0, -0.4)}),
        "none": render_to_string("measure/_momentum.html", {"m": Momentum(0.05, -0.2, 0.3)}),
    }
    for change, html in tables.items():
        style = CHANGE_STYLES[change]
        assert f'class="momentum momentum-{change}"' in html
        assert style.symbol in html  # the symbol, not colour alone
        assert f".momentum-{change} {{ color: {style.colour};" in css
    assert "↑" in tables["up"] and "↓" in tables["down"] and "≈" in tables["none"]
    assert "ingen säkerställd förändring" in tables["none"]
    # The picture's legend names each arrow with the tables' symbol and in words.
    legend = parse(render_to_string("measure/_ring_legend.html", {"with_change": True}))
    entries = {li.attrs.get("data-change"): li.text() for li in legend.find_all("li") if li.attrs.get("data-change")}
    assert entries == {
        "up": "↑ säkerställd förflyttning inåt, mot integrerad samverkan",
        "down": "↓ säkerställd förflyttning utåt",
        "none": "≈ ingen säkerställd förändring (pilen är förlängd så att den syns)",
    }
    for change in ("up", "down", "none"):
        line = "dashed" if change == "none" else "solid"
        assert f".key-arrow-{change} {{ border-top: 3px {line} {CHANGE_STYLES[change].colour};" in css


def test_change_colours_have_enough_contrast_on_white_and_on_every_ring() -> None:
    from samverkan.measure.ring_geometry import CHANGE_STYLES, RING_FILLS

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for style in CHANGE_STYLES.values():
        assert contrast(style.colour, "#ffffff") >= 4.5  # text in the tables (WCAG AA)
        for fill in RING_FILLS:
            assert contrast(style.colour, fill) >= 3  # a graphic on the rings (WCAG 1.4.11)


# --- the start page's picture has the results page's legend (issue 8, finding 4) ------------------


def test_start_page_picture_has_the_same_legend_in_words_as_the_results_page(actors: Any) -> None:
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from samverkan.measure import services
    from samverkan.measure.tests.factories import open_campaign, ring_answers, submit

    today = timezone.localdate()
    previous = open_campaign(
        actors.association, name="2025", opens_on=today - timedelta(days=400), closes_on=today - timedelta(days=300)
    )
    for i in range(12):
        submit(previous, "staff", ring_answers(2 + i % 2), today=previous.opens_on)
    services.campaign_close(campaign=previous, today=previous.closes_on)
    current = open_campaign(actors.association, name="2026", previous=previous)
    for i in range(12):
        submit(current, "staff", ring_answers(3 + i % 3))
    client = actors.client_for(actors.member)

    def legend(url: str) -> list[str]:
        page = parse(client.get(url).content.decode())
        (figure,) = page.find_all("figure", "ring-figure")
        (caption,) = figure.find_all("figcaption")
        return [li.text() for li in caption.find_all("li")]

    start = legend(reverse("tenancy:start", args=["alfa"]))
    results = legend(reverse("measure:results", args=["alfa", current.pk]))
    assert start == results
    assert start[:2] == ["I dag (medelvärde)", "Mål om två år"]
    assert any(text.startswith("↑ säkerställd förflyttning inåt") for text in start)
    assert any(text.startswith("≈ ingen säkerställd förändring") for text in start)
