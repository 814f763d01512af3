"""The narrative's text, pure (no Django): the draft from a workshop's themes, light markup, version diffs.

The draft builder takes plain themes (label, definition, example answers), so it
does not depend on how a workshop stores them. The markup is parsed into blocks
that a template renders with autoescaping on: nothing the association typed can
become HTML. Two versions are compared line by line with difflib, and words
inside a changed line, so a reader sees exactly what was added and removed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class DraftTheme:
    """One theme of a workshop, as the draft needs it."""

    label: str
    definition: str = ""
    examples: Sequence[str] = ()


def narrative_draft(
    *, themes: Sequence[DraftTheme], prompt: str = "", headings: Mapping[str, str] | None = None
) -> str:
    """A first text to rewrite: a short frame, then one section per theme with its definition and examples.

    `headings` carries the (translated) fixed sentences, so this module stays free of Django; the keys are
    "intro", "themes", "examples" and "next".
    """
    words = {
        "intro": "Det här är ett utkast till vår ramberättelse, byggt på temana från workshopen.",
        "themes": "Det deltagarna lyfte fram",
        "examples": "Några av svaren:",
        "next": "Skriv om texten med egna ord: vad integrerad samverkan ska betyda för människor hos oss.",
        **(headings or {}),
    }
    lines = [words["intro"]]
    if prompt.strip():
        lines += ["", f"”{prompt.strip()}”"]
    lines += ["", f"## {words['themes']}"]
    for theme in themes:
        label = " ".join(theme.label.split())
        if not label:
            continue
        lines += ["", f"### {label}"]
        if theme.definition.strip():
            lines += [" ".join(theme.definition.split())]
        examples = [" ".join(e.split()) for e in theme.examples if e.strip()][:3]
        if examples:
            lines += [words["examples"], *(f"- ”{e}”" for e in examples)]
    lines += ["", words["next"]]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Block:
    """One block of rendered text: a heading (level 2 or 3), a paragraph or a bullet list."""

    kind: Literal["heading", "paragraph", "list"]
    text: str = ""
    level: int = 0
    items: tuple[str, ...] = ()


_HEADING = re.compile(r"^(#{2,3})\s+(.*\S)\s*$")
_BULLET = re.compile(r"^\s*[-*•]\s+(.*\S)\s*$")


def markup_blocks(text: str) -> list[Block]:
    """Very light markup: a blank line ends a paragraph, "## " and "### " start headings, "- " a list item.

    Plain text in, plain strings out: the template escapes them, so markup cannot carry HTML.
    """
    blocks: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", text=" ".join(paragraph)))
            paragraph.clear()
        if bullets:
            blocks.append(Block("list", items=tuple(bullets)))
            bullets.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        heading = _HEADING.match(line)
        bullet = _BULLET.match(raw)
        if not line:
            flush()
        elif heading:
            flush()
            blocks.append(Block("heading", text=heading.group(2), level=len(heading.group(1))))
        elif bullet:
            if paragraph:
                flush()
            bullets.append(bullet.group(1))
        else:
            if bullets:
                flush()
            paragraph.append(line)
    flush()
    return blocks


# Comparing two versions.

SnapshotLabels = Mapping[str, str]

DEFAULT_LABELS: dict[str, str] = {
    "title": "Rubrik",
    "text": "Berättelsen",
    "persona": "Persona",
    "situation": "Situation",
    "needs": "Behöver",
    "statements": "Jag-påståenden",
    "item": "fråga i deltagarenkäten",
}


def snapshot_lines(snapshot: Mapping[str, Any], labels: SnapshotLabels | None = None) -> list[str]:
    """A version as lines of text, in a fixed order, so two versions can be compared line by line."""
    words = {**DEFAULT_LABELS, **(labels or {})}
    lines = [f"{words['title']}: {snapshot.get('title', '')}", "", f"# {words['text']}"]
    lines += [line.rstrip() for line in str(snapshot.get("text", "")).replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    for persona in snapshot.get("personas", []):
        lines += [
            "",
            f"# {words['persona']}: {persona.get('name', '')}",
            f"{words['situation']}: {persona.get('situation', '')}",
            f"{words['needs']}: {persona.get('needs', '')}",
        ]
    statements = snapshot.get("statements", [])
    if statements:
        lines += ["", f"# {words['statements']}"]
        for statement in statements:
            note = f" ({words['item']})" if statement.get("item") else ""
            lines.append(f"- {statement.get('text', '')}{note}")
    return lines


@dataclass(frozen=True)
class Segment:
    kind: Literal["same", "added", "removed"]
    text: str


@dataclass(frozen=True)
class DiffLine:
    """One line of a comparison: unchanged, added, removed, or changed (its words marked one by one)."""

    kind: Literal["same", "added", "removed", "changed", "skipped"]
    segments: tuple[Segment, ...] = field(default_factory=tuple)
    skipped: int = 0  # for "skipped": how many unchanged lines are left out here

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


def _word_segments(old: str, new: str) -> tuple[Segment, ...]:
    # Words and the spaces between them as tokens of their own, so joining the segments gives back each line.
    old_words, new_words = re.findall(r"\s+|\S+", old), re.findall(r"\s+|\S+", new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            segments.append(Segment("removed", "".join(old_words[a1:a2])))
        if b2 > b1:
            segments.append(Segment("added", "".join(new_words[b1:b2])))
    return tuple(segments)


def _flush_block(result: list[DiffLine], removed: list[str], added: list[str]) -> None:
    result.extend(DiffLine("removed", (Segment("removed", line),)) for line in removed)
    result.extend(DiffLine("added", (Segment("added", line),)) for line in added)
    removed.clear()
    added.clear()


def compare_lines(old: Sequence[str], new: Sequence[str]) -> list[DiffLine]:
    """Line diff of two texts; paired changed lines get a word diff when they still share most words."""
    result: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            result += [DiffLine("same", (Segment("same", line),)) for line in old[a1:a2]]
            continue
        removed, added = list(old[a1:a2]), list(new[b1:b2])
        paired = min(len(removed), len(added)) if op == "replace" else 0
        # Lines that were only edited are shown once, with their words marked; the rest of the block reads as
        # all its removed lines, then all its added lines, never interleaved one by one.
        waiting_removed: list[str] = []
        waiting_added: list[str] = []

        for before, after in zip(removed[:paired], added[:paired], strict=True):
            if difflib.SequenceMatcher(a=before.split(), b=after.split()).ratio() >= 0.5:
                _flush_block(result, waiting_removed, waiting_added)
                result.append(DiffLine("changed", _word_segments(before, after)))
            else:
                waiting_removed.append(before)
                waiting_added.append(after)
        waiting_removed += removed[paired:]
        waiting_added += added[paired:]
        _flush_block(result, waiting_removed, waiting_added)
    return result


def collapse_unchanged(lines: Sequence[DiffLine], *, context: int = 2, shortest: int = 3) -> list[DiffLine]:
    """Runs of at least `shortest` unchanged lines away from any change become one "skipped" marker; each
    change keeps `context` unchanged lines on either side."""
    changed = [i for i, line in enumerate(lines) if line.kind != "same"]
    if not changed:
        return [DiffLine("skipped", skipped=len(lines))] if len(lines) >= shortest else list(lines)
    keep = {j for i in changed for j in range(i - context, i + context + 1)}
    result: list[DiffLine] = []
    run: list[DiffLine] = []

    def flush() -> None:
        if len(run) >= shortest:
            result.append(DiffLine("skipped", skipped=len(run)))
        else:
            result.extend(run)
        run.clear()

    for i, line in enumerate(lines):
        if i in keep:
            flush()
            result.append(line)
        else:
            run.append(line)
    flush()
    return result


def compare_snapshots(
    old: Mapping[str, Any], new: Mapping[str, Any], labels: SnapshotLabels | None = None
) -> list[DiffLine]:
    return compare_lines(snapshot_lines(old, labels), snapshot_lines(new, labels))


def old_side(lines: Sequence[DiffLine]) -> list[str]:
    """The older version's lines, recovered from a comparison (used by tests: nothing is lost)."""
    return [
        "".join(s.text for s in line.segments if s.kind != "added")
        for line in lines
        if line.kind not in ("added", "skipped")
    ]


def new_side(lines: Sequence[DiffLine]) -> list[str]:
    return [
        "".join(s.text for s in line.segments if s.kind != "removed")
        for line in lines
        if line.kind not in ("removed", "skipped")
    ]
