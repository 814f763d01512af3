"""The three-ring picture as our own SVG.

Ring 1 (*Samverkan apart*) is the outer ring, ring 3 (*Integrerad samverkan*)
the centre. Where things lie is ring_geometry.py (pure, no Django); this module
draws it as SVG with Django's escaping and translated titles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext as _

from .ring_geometry import (
    ANGLES,
    ARROW_GAP,
    CENTRE,
    CHANGE_STYLES,
    DOT_RADIUS,
    DOT_STROKE,
    MARGIN_X,
    MIN_ARROW_LENGTH,
    OUTER,
    RING_FILLS,
    SIZE,
    ChangeStyle,
    LevelMarker,
    arrow_ends,
    at_radius,
    change_kind,
    point,
    score_to_radius,
)
from .stats import SCALE_MIN

# The geometry lives in ring_geometry.py (pure); its names stay importable from here.
__all__ = [
    "ANGLES",
    "ARROW_GAP",
    "CENTRE",
    "CHANGE_STYLES",
    "DOT_RADIUS",
    "DOT_STROKE",
    "MARGIN_X",
    "MIN_ARROW_LENGTH",
    "OUTER",
    "RING_FILLS",
    "SIZE",
    "ChangeStyle",
    "LevelMarker",
    "arrow_ends",
    "at_radius",
    "change_kind",
    "point",
    "ring_picture_svg",
    "score_to_radius",
]

# Characters XML 1.0 forbids even as references (control characters, lone surrogates, U+FFFE/U+FFFF).
# A campaign name pasted with such a character would otherwise make the picture unreadable as a
# standalone SVG file (the PDF embeds it as a data: URI, which is parsed as strict XML).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: object) -> str:
    """Text for the picture without characters XML cannot carry; already-safe markup stays safe."""
    cleaned = _NOT_XML.sub("", str(text))
    return mark_safe(cleaned) if isinstance(text, SafeData) else cleaned  # noqa: S308 — was safe already


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def ring_picture_svg(markers: Sequence[LevelMarker], *, title: str, description: str = "") -> SafeString:
    # Only the numbers inside the picture: the names don't fit the inner ring and would hide the targets.
    # The text beside the picture (and its <desc>) names them.
    ring_names = tuple(_("Ring %(n)s") % {"n": n} for n in (1, 2, 3))
    parts: list[str] = []
    arrows: list[str] = []
    for index, fill in enumerate(RING_FILLS):
        radius = OUTER * (3 - index) / 3
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#5b6770" stroke-width="1.5"/>',
                _fmt(CENTRE),
                _fmt(CENTRE),
                _fmt(radius),
                fill,
            )
        )
    # Ring names along the vertical axis, each inside its own band.
    for index, name in enumerate(ring_names):
        y = CENTRE - OUTER * (3 - index) / 3 + 24  # near the top of its band, on the free vertical axis
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" class="ring-name" font-size="15" font-weight="600" '
                'fill="#1b2430">{}</text>',
                _fmt(CENTRE),
                _fmt(y),
                name,
            )
        )
    # Level axes.
    for level in ANGLES:
        end = point(level, SCALE_MIN)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#5b6770" stroke-dasharray="3 4" stroke-width="1"/>',
                _fmt(CENTRE),
                _fmt(CENTRE),
                _fmt(end[0]),
                _fmt(end[1]),
            )
        )
    for marker in markers:
        label = _xml_text(marker.label)
        edge_x, edge_y = point(marker.level, SCALE_MIN - 0.5)
        anchor = "end" if edge_x < CENTRE else "start"
        label_y = edge_y - 6 if edge_y < CENTRE else edge_y + 16
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" class="level-name" font-size="17" font-weight="700" '
                'fill="#1b2430">{}</text>',
                _fmt(edge_x),
                _fmt(label_y),
                anchor,
                label if not marker.suppressed else _("%(level)s (dold)") % {"level": label},
            )
        )
        if marker.suppressed or marker.mean is None:
            continue
        x, y = point(marker.level, marker.mean)
        if marker.target_mean is not None:
            tx, ty = point(marker.level, marker.target_mean)
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="9" fill="none" stroke="#1b3a57" stroke-width="2.5" '
                    'stroke-dasharray="4 3" class="target"><title>{}</title></circle>',
                    _fmt(tx),
                    _fmt(ty),
                    _("Mål om två år, %(level)s: %(mean)s") % {"level": label, "mean": f"{marker.target_mean:.2f}"},
                )
            )
        if marker.previous_mean is not None and abs(marker.previous_mean - marker.mean) > 0.01:
            kind = change_kind(marker)
            style = CHANGE_STYLES[kind]
            (px, py), (ax, ay) = arrow_ends(marker)
            dash = format_html(' stroke-dasharray="{}"', style.dasharray) if style.dasharray else ""
            # Drawn after all dots (SVG paints in order), on a white halo so that it stands out on every ring.
            arrows.append(
                format_html(
                    '<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#ffffff" stroke-width="7" '
                    'stroke-linecap="round" class="arrow-halo"/>'
                    '<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="3"{dash} '
                    'marker-end="url(#arrowhead-{kind})" class="arrow" data-change="{kind}">'
                    "<title>{title}</title></line>",
                    x1=_fmt(px),
                    y1=_fmt(py),
                    x2=_fmt(ax),
                    y2=_fmt(ay),
                    colour=style.colour,
                    dash=dash,
                    kind=kind,
                    title=(
                        _("Säkerställd förflyttning sedan förra omgången, %(level)s: %(previous)s → %(mean)s")
                        if kind != "none"
                        else _("Ingen säkerställd förändring sedan förra omgången, %(level)s: %(previous)s → %(mean)s")
                    )
                    % {"level": label, "previous": f"{marker.previous_mean:.2f}", "mean": f"{marker.mean:.2f}"},
                )
            )
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="{}" fill="#1b3a57" stroke="#fff" stroke-width="{}" class="marker">'
                "<title>{}</title></circle>",
                _fmt(x),
                _fmt(y),
                _fmt(DOT_RADIUS),
                _fmt(DOT_STROKE),
                _("%(level)s i dag: %(mean)s") % {"level": label, "mean": f"{marker.mean:.2f}"},
            )
        )
    parts.extend(arrows)
    defs = format_html(
        "<defs>{}</defs>",
        format_html_join(
            "",
            '<marker id="arrowhead-{}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="4" markerHeight="4" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker>',
            ((kind, style.colour) for kind, style in CHANGE_STYLES.items()),
        ),
    )
    body = format_html_join("", "{}", ((mark_safe(p),) for p in parts))  # noqa: S308 — built with format_html
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} 0 {} {}" role="img" class="ring-picture" '
        'font-family="DejaVu Sans, Arial, sans-serif" '
        'aria-labelledby="ring-title ring-desc"><title id="ring-title">{}</title><desc id="ring-desc">{}</desc>'
        "{}{}</svg>",
        -MARGIN_X,
        SIZE + 2 * MARGIN_X,
        SIZE,
        _xml_text(title),
        _xml_text(description),
        defs,
        body,
    )
