"""The socioeconomic SVG charts (pure): well-formed, named, escaped, and not told apart by colour alone."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from samverkan.economics import charts
from samverkan.economics.charts import Bar, Series, cumulative_chart_svg, kronor, nice_ticks, tornado_svg

SVG = "{http://www.w3.org/2000/svg}"


def _chart() -> str:
    return cumulative_chart_svg(
        [
            Series("kommun", "Kommunen", [-100_000, 50_000, 200_000]),
            Series("region", "Regionen <&>", [-50_000, -50_000, -50_000]),
            Series("totalt", "Totalt", [-150_000, 0, 150_000], total=True),
        ],
        year_label="År",
        title="Ackumulerat nuvärde",
        desc="Linjer per aktör.",
    )


def test_the_cumulative_chart_is_well_formed_svg_with_a_title_and_a_description() -> None:
    root = ElementTree.fromstring(_chart())
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Ackumulerat nuvärde"
    assert root.find(f"{SVG}desc").text == "Linjer per aktör."


def test_every_text_is_escaped() -> None:
    svg = _chart()
    assert "Regionen &lt;&amp;&gt;" in svg and "<&>" not in svg


def test_the_lines_differ_by_dash_and_marker_not_only_by_colour() -> None:
    root = ElementTree.fromstring(_chart())
    lines = root.findall(f".//{SVG}polyline")
    assert len(lines) == 3
    dashes = {line.get("stroke-dasharray") for line in lines}
    assert len(dashes) == 3
    # Each line is named at its end.
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Kommunen", "Regionen <&>", "Totalt"} <= set(labels)


def test_the_tornado_has_a_bar_pair_per_input_and_a_hatched_low_bar() -> None:
    svg = tornado_svg(
        [Bar("Antal personer", -100, 900), Bar("Belopp", 200, 600)],
        base=400,
        title="Tornado",
        desc="Utslag per antagande.",
        low_label="Lägsta",
        high_label="Högsta",
    )
    root = ElementTree.fromstring(svg)
    groups = list(root.iter(f"{SVG}g"))
    assert len(groups) == 2
    assert all(len(g.findall(f"{SVG}rect")) == 2 for g in groups)
    assert 'fill="url(#tor-hatch)"' in svg


def test_amounts_are_written_the_swedish_way() -> None:
    assert kronor(1_500_000) == "1,5 mnkr"
    assert kronor(-350_000) == "−350 tkr"
    assert kronor(1_500_000, short=False) == "1\u2009500\u2009000 kr"


def test_the_ticks_cover_the_values_and_zero() -> None:
    ticks = nice_ticks(120, 930)
    assert ticks[0] <= 0 and ticks[-1] >= 930
    ticks = nice_ticks(-4_100_000, 6_000_000)
    assert ticks[0] <= -4_100_000 and ticks[-1] >= 6_000_000 and 0 in ticks


def test_a_long_tornado_label_is_shortened_to_fit_its_column_with_the_full_text_in_the_title() -> None:
    # Found in the PDF: 42 characters of DejaVu Sans overran the 290 px label column and lost their first letters.
    long = "Minskat utanförskap: produktion och skatter för dem som får arbete"
    svg = charts.tornado_svg(
        [charts.Bar(long, -1000.0, 2000.0)], base=500.0, title="T", desc="D", low_label="L", high_label="H"
    )
    shown = re.findall(r'text-anchor="end">([^<]*)</text>', svg)
    assert shown and len(shown[0]) <= charts.TORNADO_LABEL_CHARS and shown[0].endswith("…")
    assert shown[0].startswith("Minskat")
    assert f"<title>{long}:" in svg
