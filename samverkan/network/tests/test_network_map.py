"""The collaboration map's SVG: well-formed, the same for the same seed, the depth filter, its accessible text."""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.network.metrics import EdgeAnswer, network_metrics
from samverkan.network.network_map import (
    DEPTH_COLOURS,
    HEIGHT,
    LABEL_WORD_CHARACTERS,
    NODE_RADIUS_MAX,
    WIDTH,
    MapLegend,
    depth_style,
    layout,
    map_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[3]
NODES = ["Försäkringskassan", "Arbetsförmedlingen", "Region Skåne", "Kristianstads kommun", "Osby kommun"]
ANSWERS = [
    EdgeAnswer("Försäkringskassan", "Arbetsförmedlingen", 4),
    EdgeAnswer("Arbetsförmedlingen", "Försäkringskassan", 3),
    EdgeAnswer("Försäkringskassan", "Region Skåne", 1),
    EdgeAnswer("Region Skåne", "Kristianstads kommun", 2),
    EdgeAnswer("Kristianstads kommun", "Region Skåne", 0),
    EdgeAnswer("Osby kommun", "Försäkringskassan", 5),
]


def drawn(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def ties(svg: str) -> dict[tuple[str, str], ET.Element]:
    return {
        (p.get("data-source", ""), p.get("data-target", "")): p
        for p in drawn(svg).iter(f"{SVG}path")
        if p.get("class") == "tie"
    }


def picture(**more: object) -> str:
    return map_svg(NODES, ANSWERS, title="Samverkanskarta", description="Vem samverkar med vem", **more)  # type: ignore[arg-type]


def test_the_map_is_well_formed_svg_with_a_title_and_description_it_is_labelled_by() -> None:
    root = drawn(picture())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Samverkanskarta"
    assert desc is not None and desc.text == "Vem samverkar med vem"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_the_same_seed_gives_the_same_picture_and_the_order_of_the_input_does_not_matter() -> None:
    first = picture(seed=7)
    assert picture(seed=7) == first
    shuffled = map_svg(
        list(reversed(NODES)),
        list(reversed(ANSWERS)),
        title="Samverkanskarta",
        description="Vem samverkar med vem",
        seed=7,
    )
    assert shuffled == first


def test_layout_positions_are_rounded_and_inside_the_picture() -> None:
    positions = layout(NODES, ANSWERS, seed=3)
    assert set(positions) == set(NODES)
    for x, y in positions.values():
        assert 0 <= x <= WIDTH and 0 <= y <= HEIGHT
        assert round(x, 1) == x and round(y, 1) == y
    assert layout(NODES, ANSWERS, seed=3) == positions


def test_depth_zero_is_never_drawn_and_min_depth_filters_the_shallower_ties() -> None:
    assert set(ties(picture())) == {
        ("Försäkringskassan", "Arbetsförmedlingen"),
        ("Arbetsförmedlingen", "Försäkringskassan"),
        ("Försäkringskassan", "Region Skåne"),
        ("Region Skåne", "Kristianstads kommun"),
        ("Osby kommun", "Försäkringskassan"),
    }
    deep = ties(picture(min_depth=3))
    assert set(deep) == {
        ("Försäkringskassan", "Arbetsförmedlingen"),
        ("Arbetsförmedlingen", "Försäkringskassan"),
        ("Osby kommun", "Försäkringskassan"),
    }
    assert all(int(p.get("data-depth", "0")) >= 3 for p in deep.values())


def test_the_depth_filter_does_not_move_any_agency() -> None:
    def places(svg: str) -> dict[str, tuple[str | None, str | None]]:
        return {
            g.get("data-agency", ""): (c.get("cx"), c.get("cy"))
            for g in drawn(svg).iter(f"{SVG}g")
            if g.get("data-agency") and (c := g.find(f"{SVG}circle")) is not None
        }

    assert places(picture(min_depth=1)) == places(picture(min_depth=4))


def test_mutual_ties_are_solid_and_one_way_ties_dashed_with_an_arrowhead_each() -> None:
    drawn_ties = ties(picture())
    mutual = drawn_ties[("Försäkringskassan", "Arbetsförmedlingen")]
    one_way = drawn_ties[("Osby kommun", "Försäkringskassan")]
    assert mutual.get("data-mutual") == "true" and mutual.get("stroke-dasharray") is None
    assert one_way.get("data-mutual") == "false" and one_way.get("stroke-dasharray")
    # The reverse below min_depth is not drawn, so the tie is one-way in that picture.
    assert ties(picture(min_depth=4))[("Försäkringskassan", "Arbetsförmedlingen")].get("data-mutual") == "false"
    assert all(p.get("marker-end", "").startswith("url(#network-map-arrow-") for p in drawn_ties.values())


def test_deeper_ties_are_wider_and_darker_and_every_colour_has_three_to_one_contrast_on_white() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    widths = [depth_style(d).width for d in range(1, 6)]
    assert widths == sorted(widths) and len(set(widths)) == 5
    lights = [luminance(DEPTH_COLOURS[d]) for d in range(1, 6)]
    assert lights == sorted(lights, reverse=True)
    assert all(1.05 / (light + 0.05) >= 3.0 for light in lights)


def test_agencies_are_sized_by_their_ties_and_labelled_with_the_callers_names() -> None:
    svg = picture(labels={"Försäkringskassan": "FK", "Osby kommun": "Osby"})
    root = drawn(svg)
    agencies = {g.get("data-agency"): g for g in root.iter(f"{SVG}g") if g.get("data-agency")}
    radii = {name: float(g.find(f"{SVG}circle").get("r", "0")) for name, g in agencies.items()}  # type: ignore[union-attr]
    assert radii["Försäkringskassan"] > radii["Region Skåne"] > radii["Osby kommun"]
    lines = {
        t.get("data-agency"): [span.text for span in t.iter(f"{SVG}tspan")]
        for t in root.iter(f"{SVG}text")
        if t.get("data-agency")
    }
    assert lines["Försäkringskassan"] == ["FK"]
    assert lines["Kristianstads kommun"] == ["Kristianstads", "kommun"]
    tie_titles = [p.find(f"{SVG}title").text for p in ties(svg).values()]  # type: ignore[union-attr]
    assert "Osby → FK: 5" in tie_titles


def test_non_respondents_are_hollow_with_a_dashed_outline_when_the_caller_says_who_answered() -> None:
    root = drawn(picture(respondents=["Försäkringskassan", "Arbetsförmedlingen"]))
    hollow = {g.get("data-agency") for g in root.iter(f"{SVG}g") if "non-respondent" in (g.get("class") or "")}
    assert hollow == {"Region Skåne", "Kristianstads kommun", "Osby kommun"}
    assert not [g for g in drawn(picture()).iter(f"{SVG}g") if "non-respondent" in (g.get("class") or "")]


def test_text_from_the_caller_is_escaped_and_characters_xml_forbids_are_dropped() -> None:
    svg = map_svg(
        ["<A&B>", "C\x01D"],
        [EdgeAnswer("<A&B>", "C\x01D", 2)],
        title='Karta "<script>"',
        description="a & b",
    )
    root = drawn(svg)
    assert root.find(f"{SVG}title").text == 'Karta "<script>"'  # type: ignore[union-attr]
    assert "<script>" not in svg
    assert {g.get("data-agency") for g in root.iter(f"{SVG}g") if g.get("data-agency")} == {"<A&B>", "CD"}


def test_one_layout_can_be_reused_for_two_rounds_so_they_compare_side_by_side() -> None:
    shared = layout(NODES, ANSWERS, seed=2)
    later = [EdgeAnswer(a, b, 3) for a, b in itertools.permutations(NODES[:3], 2)]
    first = drawn(picture(positions=shared, id_prefix="round-1"))
    second = drawn(map_svg(NODES, later, title="t", description="d", positions=shared, id_prefix="round-2"))

    def places(root: ET.Element) -> dict[str | None, tuple[str | None, str | None]]:
        return {
            g.get("data-agency"): (c.get("cx"), c.get("cy"))
            for g in root.iter(f"{SVG}g")
            if g.get("data-agency") and (c := g.find(f"{SVG}circle")) is not None
        }

    assert places(first) == places(second)
    ids = [e.get("id") for root in (first, second) for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_positions_lacking_an_agency_are_refused() -> None:
    with pytest.raises(ValueError, match="positions"):
        picture(positions={"Försäkringskassan": (1.0, 1.0)})


def test_the_legend_names_each_depth_and_both_kinds_of_tie() -> None:
    legend = MapLegend({1: "Nätverkande", 5: "Integrerad samverkan"}, "Ömsesidig", "Enkelriktad", "Har inte svarat")
    root = drawn(picture(legend=legend, respondents=NODES[:2]))
    texts = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "legend" for t in g.iter(f"{SVG}text")]
    assert texts == ["Nätverkande", "Integrerad samverkan", "Ömsesidig", "Enkelriktad", "Har inte svarat"]
    assert float(root.get("viewBox", "").split()[3]) > HEIGHT


def test_an_empty_network_and_a_single_agency_still_draw() -> None:
    assert drawn(map_svg([], [], title="t", description="d")).tag == f"{SVG}svg"
    one = drawn(map_svg(["A"], [], title="t", description="d"))
    assert [g.get("data-agency") for g in one.iter(f"{SVG}g") if g.get("data-agency")] == ["A"]
    assert layout(["A", "B"], [], kind="circle") == layout(["B", "A"], [], kind="circle")


def test_the_layout_of_a_fixed_network_and_seed_is_pinned_to_the_tenth() -> None:
    # If networkx or numpy ever change the layout, this says so: two rounds' maps would no longer match.
    assert layout(NODES, ANSWERS, seed=1) == {
        "Arbetsförmedlingen": (276.4, 436.0),
        "Försäkringskassan": (221.1, 333.1),
        "Kristianstads kommun": (540.0, 40.0),
        "Osby kommun": (60.0, 336.1),
        "Region Skåne": (417.0, 153.3),
    }


def test_the_layout_is_the_same_in_a_fresh_interpreter_whatever_its_hash_seed() -> None:
    code = (
        "from samverkan.network.tests.test_network_map import NODES, ANSWERS;"
        "from samverkan.network.network_map import layout;"
        "print(sorted(layout(NODES, ANSWERS, seed=5).items()))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed, "DJANGO_SETTINGS_MODULE": ""},
        ).stdout
        for hash_seed in ("1", "2", "3")
    }
    assert outputs == {f"{sorted(layout(NODES, ANSWERS, seed=5).items())}\n"}


def test_agencies_kept_from_an_earlier_layout_stay_put_and_a_new_one_is_placed_inside_the_picture() -> None:
    earlier = layout(NODES, ANSWERS, seed=1)
    joined = [*NODES, "Polisen"]
    later = layout(joined, [*ANSWERS, EdgeAnswer("Polisen", "Osby kommun", 3)], seed=1, keep=earlier)
    assert {name: later[name] for name in NODES} == earlier
    x, y = later["Polisen"]
    assert 0 < x < WIDTH and 0 < y < HEIGHT
    assert later["Polisen"] not in earlier.values()
    # Everyone kept: the earlier positions, exactly.
    assert layout(NODES, [], seed=9, keep=earlier) == earlier


def test_no_two_agencies_lie_on_top_of_each_other_where_there_is_room() -> None:
    names = [f"Myndighet {i}" for i in range(25)]
    # Every tie to one hub: a spring layout bunches the leaves; the separation spreads them.
    answers = [EdgeAnswer(name, names[0], 5) for name in names[1:]]
    places = layout(names, answers, seed=4)
    closest = min(math.dist(places[a], places[b]) for a, b in itertools.combinations(names, 2))
    assert closest >= 2 * NODE_RADIUS_MAX


def test_labels_stay_inside_the_picture_and_long_names_are_wrapped_and_cut() -> None:
    long_name = "Arbetsmarknads- och socialförvaltningen i Kristianstads kommun"
    svg = map_svg([long_name, "B"], [EdgeAnswer(long_name, "B", 2)], title="t", description="d")
    root = drawn(svg)
    spans = list(root.iter(f"{SVG}tspan"))
    assert all(0 < float(span.get("x", "-1")) < WIDTH and 0 < float(span.get("y", "-1")) < HEIGHT for span in spans)
    lines = [span.text or "" for span in spans]
    assert all(len(line) <= LABEL_WORD_CHARACTERS for line in lines)
    assert any(line.endswith("…") for line in lines)
    tooltips = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("data-agency")]  # type: ignore[union-attr]
    assert long_name in tooltips


def test_an_agencys_tooltip_is_the_callers_text_when_given() -> None:
    root = drawn(picture(node_titles={"Osby kommun": "Osby kommun: 1 band ut, 0 in"}))
    tooltips = {g.get("data-agency"): g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("data-agency")}  # type: ignore[union-attr]
    assert tooltips["Osby kommun"] == "Osby kommun: 1 band ut, 0 in"
    assert tooltips["Region Skåne"] == "Region Skåne"


@st.composite
def named_networks(draw: st.DrawFn) -> tuple[list[str], list[EdgeAnswer], int]:
    nodes = draw(st.lists(st.text(min_size=1, max_size=40), min_size=0, max_size=9, unique=True))
    pairs = list(itertools.permutations(nodes, 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    answers = [EdgeAnswer(s, t, draw(st.integers(min_value=0, max_value=5))) for s, t in chosen]
    return nodes, answers, draw(st.integers(min_value=1, max_value=5))


@settings(max_examples=80, deadline=None)
@given(named_networks())
def test_any_network_with_any_names_gives_well_formed_svg_drawing_exactly_its_ties(
    network: tuple[list[str], list[EdgeAnswer], int],
) -> None:
    nodes, answers, min_depth = network
    svg = map_svg(nodes, answers, title="t", description="d", min_depth=min_depth, labels={n: n * 2 for n in nodes[:2]})
    root = drawn(svg)
    drawn_ties = [p for p in root.iter(f"{SVG}path") if p.get("class") == "tie"]
    assert len(drawn_ties) == network_metrics(nodes, answers, min_depth=min_depth).edges
    circles = [c for g in root.iter(f"{SVG}g") if g.get("data-agency") is not None for c in g.iter(f"{SVG}circle")]
    assert len(circles) == len(nodes)
    for circle in circles:
        assert 0 <= float(circle.get("cx", "-1")) <= WIDTH and 0 <= float(circle.get("cy", "-1")) <= HEIGHT


def test_a_large_network_labels_only_the_agencies_with_most_ties_and_draws_smaller_circles() -> None:
    names = [f"Myndighet {i:03d}" for i in range(150)]
    hub = names[7]
    answers = [EdgeAnswer(name, hub, 2) for name in names if name != hub]
    answers += [EdgeAnswer(names[i], names[i + 1], 1) for i in range(20, 40)]
    root = drawn(map_svg(names, answers, title="t", description="d", max_labels=10))
    labelled = [t.get("data-agency") for t in root.iter(f"{SVG}text") if t.get("data-agency")]
    assert len(labelled) == 10
    assert hub in labelled
    radii = [
        float(c.get("r", "0")) for g in root.iter(f"{SVG}g") if g.get("data-agency") for c in g.iter(f"{SVG}circle")
    ]
    assert max(radii) < 18
    # Every agency keeps its tooltip.
    assert len([g for g in root.iter(f"{SVG}g") if g.get("data-agency") and g.find(f"{SVG}title") is not None]) == 150
    small = drawn(picture())
    assert len([t for t in small.iter(f"{SVG}text") if t.get("data-agency")]) == len(NODES)
