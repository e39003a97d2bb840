"""The report's plots as inline SVG (no scripts, nothing fetched): time on x with ticks in seconds
(minutes:seconds for runs of two minutes or more), the key moments as vertical lines labelled in
plain text above the plot — staggered over a few rows, ending at their line near the right edge,
shortened with "…" only where no row is free, the full text and time on hover — and a legend of
the series under the axis."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any, Sequence

from game.core.tools import KINDS

COLOURS = ("#c0392b", "#2471a3", "#1e8449", "#7d3c98", "#b9770e", "#5d6d7e")
TOOL_COLOURS = {**{name: kind.colour for name, kind in KINDS.items()}, "touch": "#7d3c98"}
#: Width, left and right margins of every plot (px).
W, PAD = 760, 40
#: Rows of event labels above a plot, their height, and a label's font size and width per character.
LABEL_ROWS, ROW_H, LABEL_FONT, CHAR_W = 3, 11, 9, 5.4
TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)
#: From this run length on, ticks read minutes:seconds.
LONG_RUN = 120.0


def _x(t: float, span: float) -> float:
    return PAD + (W - 2 * PAD) * (t / span if span > 0 else 0.0)


def time_ticks(span: float, most: int = 10) -> list[tuple[float, str]]:
    """Tick times and their labels for a run of ``span`` seconds: at most ``most`` of them, at a round
    step; "12 s" style for short runs, "2:30" (minutes:seconds) from :data:`LONG_RUN` on."""
    step = next((s for s in TICK_STEPS if span / s <= most), TICK_STEPS[-1])
    ticks, t = [], 0.0
    while t <= span + 1e-9:
        ticks.append((t, f"{int(t) // 60}:{int(t) % 60:02d}" if span >= LONG_RUN else f"{t:g} s"))
        t += step
    return ticks


def _axis(span: float, y: float) -> list[str]:
    out = [f'<line x1="{PAD}" y1="{y}" x2="{W - PAD}" y2="{y}" stroke="#999"/>']
    for t, label in time_ticks(span):
        x = _x(t, span)
        out.append(f'<line class="tick" x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 4}" stroke="#999"/>'
                   f'<text class="tick" x="{x:.1f}" y="{y + 14}" font-size="10" text-anchor="middle">{escape(label)}</text>')
    out.append(f'<text x="{W - 2}" y="{y + 14}" font-size="9" text-anchor="end" fill="#777">'
               f'{"min:s" if span >= LONG_RUN else ""}</text>')
    return out


@dataclass
class Label:
    x: float  # the event line's x
    row: int
    text: str  # as shown (perhaps shortened with "…")
    full: str  # the mark with its time (the hover text)
    end_anchored: bool = False  # near the right edge: the text ends at the line instead of starting there

    @property
    def left(self) -> float:
        return self.x - 3 - len(self.text) * CHAR_W if self.end_anchored else self.x

    @property
    def right(self) -> float:
        return self.x if self.end_anchored else self.x + 3 + len(self.text) * CHAR_W


def place_labels(marks: Sequence[tuple[float, str]], span: float) -> list[Label]:
    """Labels for the event lines at ``marks`` (time, label), each in the lowest row where it runs
    into no other label — starting at its line, or ending there near the right edge. Where no row
    is free, a label a few characters from another shares it ("hands on · neil attacked trainee");
    else the row that frees soonest takes it and the label there is shortened with "…"."""
    rows: list[list[Label]] = [[] for _ in range(LABEL_ROWS)]
    edge = W - 2

    def fits(label: Label, r: int) -> bool:
        return label.left >= 0 and label.right <= edge and not any(_overlap(label, o) for o in rows[r] if o is not label)

    def put(label: Label, current: int | None) -> bool:
        for r in range(LABEL_ROWS):
            for anchored in (False, True):
                label.end_anchored = anchored
                if fits(label, r):
                    if current is not None:
                        rows[current].remove(label)
                    label.row = r
                    rows[r].append(label)
                    return True
        label.end_anchored = False
        return False

    placed: list[Label] = []
    for t, text in sorted(marks, key=lambda m: m[0]):
        x = _x(t, span)
        label = Label(x, 0, text, f"{text} ({t:.1f} s)")
        if put(label, None):
            placed.append(label)
            continue
        near = min(placed, key=lambda o: abs(o.x - x)) if placed else None
        if near is not None and abs(near.x - x) < 4 * CHAR_W + 3:
            near.text, near.full = f"{near.text} · {text}", f"{near.full}; {label.full}"
            if not put(near, near.row):
                _shorten_in_row(near, rows[near.row], edge)
            continue
        row = min(range(LABEL_ROWS), key=lambda r: max(o.right for o in rows[r]))
        for other in rows[row]:
            if other.right + CHAR_W > x:
                _shorten(other, x - CHAR_W)
        label.row = row
        _shorten(label, edge)
        rows[row].append(label)
        placed.append(label)
    return placed


def _shorten_in_row(label: Label, row: list[Label], edge: float) -> None:
    """Shortens ``label`` to fit its row: starting at its line (up to the next label or the edge) or,
    where that leaves more room (near the right edge), ending at its line (after the previous label)."""
    others = [o for o in row if o is not label]
    after = min([o.left for o in others if o.left > label.x] + [edge + CHAR_W]) - CHAR_W
    before = max([o.right for o in others if o.right <= label.x] + [-CHAR_W]) + CHAR_W
    if label.x - before > after - label.x:
        label.text = _abbreviate(label.text, max(1, int((label.x - before - 3) / CHAR_W)))
        label.end_anchored = True
    else:
        _shorten(label, after)


def _abbreviate(text: str, room: int) -> str:
    """``text`` in at most ``room`` characters. A shared label ("a · b") shortens its longest parts
    first, so that every moment it names keeps its beginning ("kevin atta… · ending: sho…")."""
    if len(text) <= room:
        return text
    parts = text.split(" · ")
    while len(" · ".join(parts)) > room:
        i = max(range(len(parts)), key=lambda k: len(parts[k]))
        if len(parts[i]) <= 4:
            break
        cut = parts[i][:-1] if parts[i].endswith("…") else parts[i]
        parts[i] = cut[:-1].rstrip(" ·:") + "…"
    shown = " · ".join(parts)
    return shown if len(shown) <= room else shown[:max(1, room - 1)].rstrip(" ·:") + "…"


def _shorten(label: Label, end: float) -> None:
    """Shortens ``label`` (with "…"), starting at its line, so that it ends before ``end``."""
    label.end_anchored = False
    if label.right <= end:
        return
    label.text = _abbreviate(label.text, max(2, int((end - label.x - 3) / CHAR_W)))


def _overlap(a: Label, b: Label) -> bool:
    return a.left < b.right + CHAR_W and b.left < a.right + CHAR_W


def _marks(marks: Sequence[tuple[float, str]], span: float, top: float, bottom: float) -> list[str]:
    out = []
    for t, text in marks:
        x = _x(t, span)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#bbb">'
                   f'<title>{escape(text)} ({t:.1f} s)</title></line>')
    for label in place_labels(marks, span):
        y = top - 4 - ROW_H * label.row  # row 0 just above the plot
        tx, anchor = (label.x - 3, "end") if label.end_anchored else (label.x + 3, "start")
        out.append(f'<circle cx="{label.x:.1f}" cy="{y - 3:.1f}" r="1.5" fill="#888"/>'
                   f'<text class="mark" x="{tx:.1f}" y="{y:.1f}" font-size="{LABEL_FONT}" fill="#555" text-anchor="{anchor}">'
                   f'<title>{escape(label.full)}</title>{escape(label.text)}</text>')
    return out


def _legend(names: Sequence[tuple[str, str]], y: float) -> tuple[list[str], float]:
    """Series names in their colours, in rows under the axis; returns the SVG and the last row's y."""
    out, x = [], float(PAD)
    for name, colour in names:
        w = len(name) * 6.2 + 22
        if x + w > W - PAD and x > PAD:
            x, y = float(PAD), y + 14
        out.append(f'<line x1="{x:.1f}" y1="{y - 4}" x2="{x + 14:.1f}" y2="{y - 4}" stroke="{colour}" stroke-width="2"/>'
                   f'<text x="{x + 18:.1f}" y="{y}" font-size="11" fill="{colour}">{escape(name)}</text>')
        x += w
    return out, y


def line_plot(title: str, series: dict[str, Sequence[tuple[float, float]]], span: float, lo: float, hi: float,
              unit: str = "", marks: Sequence[tuple[float, str]] = (), hlines: Sequence[tuple[float, str]] = ()) -> str:
    """An SVG line plot (time on x), one polyline per series, labelled event lines, horizontal guides."""
    top = 24 + ROW_H * LABEL_ROWS  # the title, then the label rows
    bottom = top + 110
    legend, last = _legend([(n, COLOURS[i % len(COLOURS)]) for i, n in enumerate(series)], bottom + 32)
    h = int(last + 8)

    def y_of(v: float) -> float:
        return bottom - (bottom - top) * ((v - lo) / (hi - lo) if hi > lo else 0.0)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{h}" role="img" aria-label="{escape(title)}">',
           f'<text x="{PAD}" y="14" font-size="13">{escape(title)}</text>',
           f'<line x1="{PAD}" y1="{top}" x2="{PAD}" y2="{bottom}" stroke="#999"/>',
           f'<text x="4" y="{top + 4}" font-size="10">{hi:g}{unit}</text>',
           f'<text x="4" y="{bottom}" font-size="10">{lo:g}{unit}</text>']
    out += _axis(span, bottom)
    last_y, right = None, True
    for v, label in sorted(hlines, key=lambda h: -h[0]):
        y = y_of(v)
        right = not right if last_y is not None and y - last_y < 12 else True  # close guides: labels on both sides
        last_y = y
        tx, anchor = (W - PAD, "end") if right else (PAD + 4, "start")
        out.append(f'<line x1="{PAD}" y1="{y:.1f}" x2="{W - PAD}" y2="{y:.1f}" stroke="#aaa" stroke-dasharray="4 3"/>'
                   f'<text x="{tx}" y="{y - 2:.1f}" font-size="10" text-anchor="{anchor}">{escape(label)}</text>')
    out += _marks(marks, span, top, bottom)
    for i, (name, pts) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        path = " ".join(f"{_x(t, span):.1f},{y_of(min(hi, max(lo, v))):.1f}" for t, v in pts)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.6" points="{path}"><title>{escape(name)}'
                   f'</title></polyline>')
    out += legend
    out.append("</svg>")
    return "".join(out)


def tools_plot(rv: Any, span: float) -> str:
    """When each tool was in hand (bars), and when force was used (ticks), on the same time axis."""
    from game.review.analysis import option_words

    tools = sorted({tool for _, tool in rv.tools_out} | {f.tool for f in rv.force})
    top = 28
    bottom = top + 20 * max(1, len(tools))
    h = bottom + 22
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{h}" role="img" aria-label="tools out over time">',
           f'<text x="{PAD}" y="16" font-size="13">Tools in hand (bars) and force decisions (ticks)</text>']
    if not tools:
        out.append(f'<text x="{PAD}" y="{top + 12}" font-size="12" class="muted">No tool was drawn.</text>')
    for row, tool in enumerate(tools):
        y = top + 20 * row
        colour = TOOL_COLOURS.get(tool, "#444")
        out.append(f'<text x="2" y="{y + 12}" font-size="10">{escape(tool)}</text>')
        for t, tt in rv.tools_out:
            if tt == tool:
                out.append(f'<rect x="{_x(t, span):.1f}" y="{y}" width="{max(1.0, _x(0.2, span) - PAD):.1f}" height="14" '
                           f'fill="{colour}" opacity="0.5"/>')
        for f in rv.force:
            if f.tool == tool:
                x = _x(f.time, span)
                out.append(f'<line x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + 16}" stroke="{"#1e8449" if f.allowed and not f.caution else "#b03a2e"}" '
                           f'stroke-width="3"><title>{escape(option_words(f))} at {f.time:.1f} s: {escape(f.reason)}</title></line>')
    out += _axis(span, bottom + 2)
    out.append("</svg>")
    return "".join(out)
