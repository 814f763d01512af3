"""The map's Swedish words: depth names, legend, the text alternative, and the one call a page makes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from samverkan.network.map_text import DEPTH_NAMES, depth_name, map_description, map_legend, network_map_html
from samverkan.network.metrics import EdgeAnswer, network_metrics

SVG = "{http://www.w3.org/2000/svg}"
NODES = ["Försäkringskassan", "Arbetsförmedlingen", "Region Skåne", "Osby kommun"]
ANSWERS = [
    EdgeAnswer("Försäkringskassan", "Arbetsförmedlingen", 4),
    EdgeAnswer("Arbetsförmedlingen", "Försäkringskassan", 3),
    EdgeAnswer("Försäkringskassan", "Region Skåne", 1),
    EdgeAnswer("Region Skåne", "Osby kommun", 0),
]


def test_the_depth_scale_is_the_levels_of_collaboration_in_swedish() -> None:
    assert [str(DEPTH_NAMES[d]) for d in range(6)] == [
        "Ingen samverkan",
        "Nätverkande",
        "Samarbete",
        "Samordning",
        "Koalition",
        "Integrerad samverkan",
    ]
    assert depth_name(9) == "9"


def test_the_legend_shows_only_the_depths_the_map_draws() -> None:
    legend = map_legend(min_depth=3, with_respondents=True)
    assert list(legend.depths) == [3, 4, 5]
    assert legend.depths[3] == "3 Samordning"
    assert "streckad" in legend.one_way and "heldragen" in legend.mutual
    assert legend.non_respondent
    assert not map_legend().non_respondent


def test_the_description_says_the_main_figures_in_words() -> None:
    metrics = network_metrics(NODES, ANSWERS)
    text = map_description(metrics, labels={"Försäkringskassan": "FK"})
    assert text.startswith("4 myndigheter, 3 band med djupet 1 (nätverkande) eller djupare.")
    assert "67 % av banden är ömsesidiga" in text
    assert "Flest band (3 in och ut): FK." in text
    assert "Har inte svarat: Osby kommun." in text


def test_the_description_of_a_network_without_ties_says_so_without_a_share_or_a_leader() -> None:
    text = map_description(network_metrics(["A"], []))
    assert text == "1 myndighet, 0 band med djupet 1 (nätverkande) eller djupare. Har inte svarat: A."


def test_the_page_gets_safe_svg_with_swedish_tooltips_legend_and_description() -> None:
    html = network_map_html(NODES, ANSWERS, title="Samverkanskarta 2026", respondents=NODES[:3], id_prefix="round-2")
    assert hasattr(html, "__html__")
    root = ET.fromstring(str(html))
    assert root.find(f"{SVG}title").text == "Samverkanskarta 2026"  # type: ignore[union-attr]
    assert "4 myndigheter" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    tooltips = [p.find(f"{SVG}title").text for p in root.iter(f"{SVG}path") if p.get("class") == "tie"]  # type: ignore[union-attr]
    assert "Försäkringskassan → Arbetsförmedlingen: koalition" in tooltips
    legend = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "legend" for t in g.iter(f"{SVG}text")]
    assert legend[0] == "1 Nätverkande" and "Har inte svarat (ofylld ring)" in legend
    assert root.get("aria-labelledby") == "round-2-title round-2-desc"
