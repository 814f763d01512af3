"""The narrative's pure text module: the draft from themes, light markup, and comparing two versions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from samverkan.workshops.narrative_text import (
    Block,
    DraftTheme,
    collapse_unchanged,
    compare_lines,
    compare_snapshots,
    markup_blocks,
    narrative_draft,
    new_side,
    old_side,
    snapshot_lines,
)

THEMES = [
    DraftTheme(
        "Individen i centrum",
        "Stödet utgår från personens behov.",
        ["Individers behov i centrum.", "Klienten i fokus."],
    ),
    DraftTheme("Korta kontaktvägar", "", ["Jag vet vart jag kan ringa."]),
    DraftTheme("   ", "tomt tema hoppas över", []),
]


def test_draft_lists_every_theme_with_its_definition_and_examples() -> None:
    text = narrative_draft(themes=THEMES, prompt="Integrerad samverkan – vad är det?")
    assert "### Individen i centrum" in text and "### Korta kontaktvägar" in text
    assert "Stödet utgår från personens behov." in text
    assert "- ”Individers behov i centrum.”" in text and "- ”Jag vet vart jag kan ringa.”" in text
    assert "”Integrerad samverkan – vad är det?”" in text
    assert "tomt tema" not in text  # a theme without a label is no section
    # The draft is itself valid markup: one heading per theme under the section heading.
    headings = [b.text for b in markup_blocks(text) if b.kind == "heading"]
    assert headings == ["Det deltagarna lyfte fram", "Individen i centrum", "Korta kontaktvägar"]


def test_draft_takes_translated_sentences() -> None:
    text = narrative_draft(themes=THEMES[:1], headings={"themes": "What the participants said"})
    assert "## What the participants said" in text


def test_markup_makes_headings_lists_and_paragraphs() -> None:
    blocks = markup_blocks("## Rubrik\nEtt stycke\nsom fortsätter.\n\n- ett\n- två\n### Under\nSista.")
    assert blocks == [
        Block("heading", text="Rubrik", level=2),
        Block("paragraph", text="Ett stycke som fortsätter."),
        Block("list", items=("ett", "två")),
        Block("heading", text="Under", level=3),
        Block("paragraph", text="Sista."),
    ]


def test_markup_keeps_html_as_plain_text_for_the_template_to_escape() -> None:
    blocks = markup_blocks("<script>alert(1)</script>\n\n# inte en rubrik (en fyrkant)")
    assert blocks[0] == Block("paragraph", text="<script>alert(1)</script>")
    assert blocks[1].kind == "paragraph"  # one "#" is no heading level we render (h1 is the page's title)


def test_changed_line_marks_only_the_changed_words() -> None:
    [line] = compare_lines(["Jag vet vem jag ska ringa."], ["Jag vet alltid vem jag ska ringa."])
    assert line.kind == "changed"
    assert "".join(s.text for s in line.segments if s.kind == "added").strip() == "alltid"
    assert not [s for s in line.segments if s.kind == "removed"]
    assert "".join(s.text for s in line.segments if s.kind != "removed") == "Jag vet alltid vem jag ska ringa."


def test_a_rewritten_line_is_shown_as_removed_and_added() -> None:
    lines = compare_lines(["Helt annan mening här."], ["Något nytt om samverkan i vardagen."])
    assert [line.kind for line in lines] == ["removed", "added"]


def test_snapshot_lines_name_personas_and_statements_that_are_items() -> None:
    lines = snapshot_lines(
        {
            "title": "T",
            "text": "Text\n",
            "personas": [{"name": "Maria", "situation": "S", "needs": "B"}],
            "statements": [{"text": "Jag behöver bara berätta min historia en gång.", "item": "egen_1"}],
        }
    )
    assert "# Persona: Maria" in lines and "Situation: S" in lines and "Behöver: B" in lines
    assert "- Jag behöver bara berätta min historia en gång. (fråga i deltagarenkäten)" in lines


def test_comparing_snapshots_shows_a_new_persona_as_added_lines() -> None:
    old = {"title": "T", "text": "A\n", "personas": [], "statements": []}
    new = {**old, "personas": [{"name": "Maria", "situation": "S", "needs": "B"}]}
    added = [line.text for line in compare_snapshots(old, new) if line.kind == "added"]
    assert "# Persona: Maria" in added


def test_collapse_keeps_every_change_with_its_context() -> None:
    old = [f"rad {n}" for n in range(30)]
    new = [*old[:15], "ny rad", *old[15:]]
    collapsed = collapse_unchanged(compare_lines(old, new), context=2)
    assert [line.kind for line in collapsed] == ["skipped", "same", "same", "added", "same", "same", "skipped"]
    assert collapsed[0].skipped == 13 and collapsed[-1].skipped == 13


line_text = st.text(alphabet=st.sampled_from(list("ab c.\t")), max_size=12)


@given(st.lists(line_text, max_size=12), st.lists(line_text, max_size=12))
def test_comparison_loses_nothing_of_either_version(old: list[str], new: list[str]) -> None:
    lines = compare_lines(old, new)
    assert old_side(lines) == old
    assert new_side(lines) == new
    assert all(line.kind == "same" for line in lines) == (old == new)


def test_a_rewritten_block_reads_as_removed_lines_then_added_lines() -> None:
    lines = compare_lines(["Första gamla.", "Andra gamla.", "Tredje gamla."], ["Ett helt nytt.", "Två helt nya."])
    assert [line.kind for line in lines] == ["removed", "removed", "removed", "added", "added"]


def test_a_short_unchanged_run_is_shown_not_skipped() -> None:
    collapsed = collapse_unchanged(compare_lines(["a", "b", "c", "d"], ["x", "b", "c", "d"]), context=0)
    assert [line.kind for line in collapsed] == ["removed", "added", "skipped"]
    collapsed = collapse_unchanged(compare_lines(["a", "b", "c"], ["x", "b", "c"]), context=0)
    assert [line.kind for line in collapsed] == ["removed", "added", "same", "same"]
