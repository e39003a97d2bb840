"""The after-action report as one self-contained HTML file: no scripts, no links out; plots are
inline SVG and frames are embedded as data URIs, so it opens offline in any browser and can
be mailed or archived as it is."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path
from typing import Sequence

from game.core.policy import LEVELS
from game.review.analysis import GAP, GAP_ARMED, Review
from game.review.icat import ICAT_STEPS, NOTHING

COLOURS = ("#c0392b", "#2471a3", "#1e8449", "#7d3c98", "#b9770e", "#5d6d7e")
TOOL_COLOURS = {"firearm": "#c0392b", "cew": "#d4ac0d", "oc_spray": "#e67e22", "baton": "#6e2c00",
                "flashlight": "#85929e", "touch": "#7d3c98"}
W, H, PAD = 760, 180, 40
STYLE = """
body{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;color:#222;line-height:1.4}
h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;margin-top:1.6em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
.instructor{background:#fdebd0}.trainee{background:#eaf2f8}.sim{color:#555}.no{color:#b03a2e;font-weight:bold}
.yes{color:#1e8449;font-weight:bold}.frames img{width:280px;margin:4px;border:1px solid #999}
.muted{color:#777}svg{background:#fafafa;border:1px solid #ddd}
"""


def _x(t: float, span: float) -> float:
    return PAD + (W - 2 * PAD) * (t / span if span > 0 else 0.0)


def _y(v: float, lo: float, hi: float) -> float:
    return H - PAD + (2 * PAD - H) * ((v - lo) / (hi - lo) if hi > lo else 0.0)


def line_plot(title: str, series: dict[str, Sequence[tuple[float, float]]], span: float, lo: float, hi: float,
              unit: str = "", marks: Sequence[tuple[float, str]] = (), hlines: Sequence[tuple[float, str]] = ()) -> str:
    """An SVG line plot (time on x), one polyline per series, vertical marks, horizontal guides."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img" aria-label="{escape(title)}">',
           f'<text x="{PAD}" y="16" font-size="13">{escape(title)}</text>',
           f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="#999"/>',
           f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{H - PAD}" stroke="#999"/>',
           f'<text x="4" y="{PAD + 4}" font-size="10">{hi:g}{unit}</text>',
           f'<text x="4" y="{H - PAD}" font-size="10">{lo:g}{unit}</text>',
           f'<text x="{W - PAD}" y="{H - PAD + 14}" font-size="10" text-anchor="end">{span:.0f} s</text>']
    for v, label in hlines:
        y = _y(v, lo, hi)
        out.append(f'<line x1="{PAD}" y1="{y:.1f}" x2="{W - PAD}" y2="{y:.1f}" stroke="#aaa" stroke-dasharray="4 3"/>'
                   f'<text x="{W - PAD}" y="{y - 2:.1f}" font-size="10" text-anchor="end">{escape(label)}</text>')
    for t, label in marks:
        x = _x(t, span)
        out.append(f'<line x1="{x:.1f}" y1="{PAD}" x2="{x:.1f}" y2="{H - PAD}" stroke="#bbb"><title>{escape(label)} '
                   f'({t:.1f} s)</title></line>')
    for i, (name, pts) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        path = " ".join(f"{_x(t, span):.1f},{_y(min(hi, max(lo, v)), lo, hi):.1f}" for t, v in pts)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.6" points="{path}"><title>{escape(name)}'
                   f'</title></polyline>')
        out.append(f'<text x="{W - PAD - 150 + 0 * i}" y="{16 + 12 * i}" font-size="11" fill="{colour}">{escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def tools_plot(rv: Review, span: float) -> str:
    """When each tool was in hand (bars), and when force was used (ticks)."""
    tools = sorted({tool for _, tool in rv.tools_out} | {f.tool for f in rv.force})
    h = PAD + 20 * max(1, len(tools)) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{h}" role="img" aria-label="tools out over time">',
           f'<text x="{PAD}" y="16" font-size="13">Tools in hand (bars) and force decisions (ticks)</text>']
    if not tools:
        out.append(f'<text x="{PAD}" y="{PAD + 10}" font-size="12" class="muted">No tool was drawn.</text>')
    for row, tool in enumerate(tools):
        y = PAD + 20 * row
        colour = TOOL_COLOURS.get(tool, "#444")
        out.append(f'<text x="2" y="{y + 12}" font-size="10">{escape(tool)}</text>')
        for t, tt in rv.tools_out:
            if tt == tool:
                out.append(f'<rect x="{_x(t, span):.1f}" y="{y}" width="{max(1.0, _x(0.2, span) - PAD):.1f}" height="14" '
                           f'fill="{colour}" opacity="0.5"/>')
        for f in rv.force:
            if f.tool == tool:
                x = _x(f.time, span)
                out.append(f'<line x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + 16}" stroke="{"#1e8449" if f.allowed else "#b03a2e"}" '
                           f'stroke-width="3"><title>{escape(f.tool)} {f.action} at {f.time:.1f} s: {escape(f.reason)}</title></line>')
    out.append("</svg>")
    return "".join(out)


def _frames(rv: Review, run_dir: Path, limit: int = 8) -> list[tuple[float, str, str]]:
    """(time, caption, data URI) for the saved frames nearest each key moment (and the first and last)."""
    frames = [f for f in rv.frames if (run_dir / "frames" / Path(f["file"]).name).is_file() or (run_dir / f["file"]).is_file()]
    if not frames:
        return []
    wanted = [(0.0, "start")] + list(rv.key_moments) + [(rv.duration, "end")]
    chosen: dict[str, str] = {}
    for t, label in wanted:
        best = min(frames, key=lambda f: abs(float(f["time"]) - t))
        chosen.setdefault(best["file"], label)
    out = []
    for file, label in list(chosen.items())[:limit]:
        path = run_dir / file if (run_dir / file).is_file() else run_dir / "frames" / Path(file).name
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        t = next(float(f["time"]) for f in frames if f["file"] == file)
        out.append((t, label, f"data:image/png;base64,{data}"))
    return sorted(out)


ANSWER_WORDS = {"told": "told", "doesnt_know": "did not know", "refused": "would not say", "lied": "lied",
                "irritated": "irritated"}


def _knowledge_html(rv: Review) -> list[str]:
    """What the trainee found out from each subject, and what they never asked."""
    if not rv.found_out and not rv.never_asked:
        return []
    e = escape
    parts = ["<h2>What the trainee found out</h2><table id=found-out>"]
    for x in rv.found_out:
        cls = "yes" if x["answer"] in ("told", "doesnt_know") else "no"
        times = f" (asked {x['times_asked']}×)" if x["times_asked"] > 1 else ""
        parts.append(f"<tr><td>{e(x['subject'])}</td><td>{e(x['fact'].replace('_', ' '))}</td>"
                     f"<td><span class={cls}>{e(ANSWER_WORDS.get(x['answer'], x['answer']))}</span>{e(times)}</td>"
                     f"<td>“{e(x['text'])}” at {x['time']:.1f} s</td></tr>")
    for sid, facts in rv.never_asked.items():
        parts.append(f"<tr><td>{e(sid)}</td><td colspan=3 class=muted>never asked: "
                     f"{e(', '.join(f.replace('_', ' ') for f in facts))}</td></tr>")
    parts.append("</table>")
    return parts


def render_html(rv: Review, run_dir: str | Path | None = None) -> str:
    run_dir = Path(run_dir or rv.run_dir)
    span = max(rv.duration, 1.0)
    e = escape
    parts = [f"<!doctype html><html lang=en><meta charset=utf-8><title>Review — {e(rv.title)}</title><style>{STYLE}</style><body>",
             f"<h1>After-action review: {e(rv.title)}</h1>",
             "<table>",
             f"<tr><th>Trainee</th><td>{e(rv.trainee or '(not named)')}</td><th>Instructor</th><td>{e(rv.instructor or '(not named)')}</td></tr>",
             f"<tr><th>Scenario</th><td>{e(rv.scenario_id)} (seed {rv.seed})</td><th>Recorded by</th><td>Talkdown {e(rv.software or '?')}</td></tr>",
             f"<tr><th>Ending</th><td>{e(rv.ending or 'none reached')} {('(' + e(rv.outcome) + ')') if rv.outcome else ''}</td>"
             f"<th>Length</th><td>{rv.duration:.1f} s — {e(rv.finish_reason)}</td></tr>",
             f"<tr><th>Score</th><td id=score>{rv.score} / 100</td><th>Policy</th><td>{e(rv.policy_title)}</td></tr>",
             "</table>"]
    if rv.branched_from:
        origin = rv.branched_from
        parts.append(f"<p id=branched>A replay branch: the session of {e(str(origin.get('run_id', '?')))} replayed to "
                     f"{float(origin.get('time', 0.0)):.1f} s, then another choice tried from there. What happened before "
                     "that moment is the recording's.</p>")
    for w in rv.warnings:
        parts.append(f"<p class=no>Warning: {e(w)}</p>")
    if not rv.complete:
        parts.append(f"<p class=no id=incomplete>This session did not end cleanly; the review covers the recording up to "
                     f"{rv.duration:.1f} s.</p>")
    parts.append("<h2>Summary</h2><h3>What went well</h3><ul id=went-well>")
    parts += [f"<li>{e(x)}</li>" for x in rv.went_well] or ["<li class=muted>nothing noted</li>"]
    parts.append("</ul><h3>What to work on</h3><ul id=work-on>")
    parts += [f"<li>{e(x)}</li>" for x in rv.work_on] or ["<li class=muted>nothing noted</li>"]
    parts.append("</ul>")
    parts.append("<h2>Contact and distance</h2><ul id=contact>")
    if rv.first_words_time is not None:
        parts.append(f"<li>First contact (first words) at <b>{rv.first_words_time:.1f} s</b>: “{e(rv.first_words)}”</li>")
        parts.append(f"<li>The first 45 words: “{e(rv.first_45_words)}”</li>")
    else:
        parts.append("<li>The trainee did not speak.</li>")
    if rv.closest is not None:
        parts.append(f"<li>Closest approach <b>{rv.closest:.1f} m</b>; <b>{rv.time_inside_gap:.1f} s</b> inside the "
                     f"{GAP} m reactionary gap.</li>")
    if rv.armed_present:
        parts.append(f"<li>With an edged weapon out: closest <b>{rv.closest_armed:.1f} m</b>, "
                     f"<b>{rv.time_inside_armed_gap:.1f} s</b> inside {GAP_ARMED} m.</li>")
    parts.append("</ul>")
    marks = rv.key_moments
    parts.append("<h2>Plots</h2>")
    ag = {f"{s} agitation": v for s, v in rv.agitation.items()}
    ag.update({f"{s} trust": v for s, v in rv.trust.items()})
    parts.append(line_plot("Agitation and trust (0-1)", ag, span, 0.0, 1.0, marks=marks))
    far = max([v for pts in rv.distance.values() for _, v in pts] + [GAP_ARMED + 1])
    parts.append(line_plot("Distance trainee-subject (m)", {s: v for s, v in rv.distance.items()}, span, 0.0, round(far + 0.5),
                           " m", marks=marks, hlines=[(GAP, "reactionary gap")]))
    lv = {s: [(t, float(LEVELS.index(x))) for t, x in pts] for s, pts in rv.level.items()}
    parts.append(line_plot("Resistance level (0 compliant … 4 deadly)", lv, span, 0.0, 4.0, marks=marks))
    parts.append(tools_plot(rv, span))
    parts.append("<h2>Force options and policy</h2>")
    if rv.force:
        parts.append("<table id=force><tr><th>time</th><th>option</th><th>subject</th><th>resistance then</th>"
                     "<th>conditions</th><th>policy</th><th>result</th></tr>")
        for f in rv.force:
            parts.append(f"<tr><td>{f.time:.1f} s</td><td>{e(f.tool)} {e(f.action)}</td><td>{e(f.subject)}</td><td>{e(f.level)}</td>"
                         f"<td>{e(', '.join(f.conditions)) or '—'}</td><td class={'yes' if f.allowed else 'no'}>"
                         f"{'within policy' if f.allowed else 'NOT within policy'}: {e(f.reason)}</td><td>{e(f.result)}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p id=force>No force option was drawn or used.</p>")
    parts.append("<h2>ICAT Critical Decision-Making Model</h2><table id=icat>")
    for n, name in ICAT_STEPS:
        items = rv.icat.get(n, [])
        body = "<br>".join(e(x) for x in items) or f"<span class=muted>{e(NOTHING[n])}</span>"
        parts.append(f"<tr><th>{n}. {e(name)}</th><td>{body}</td></tr>")
    parts.append("</table>")
    parts.append("<h2>What to look for</h2><table id=look-for>")
    for x in rv.look_for:
        state = (f"<span class=yes>met at {x['time']:.1f} s</span>" if x["met"] else
                 "<span class=no>not met</span>" if x["automatic"] else "<span class=muted>for the instructor to judge</span>")
        parts.append(f"<tr><td>{e(x['text'])}</td><td>{state}</td></tr>")
    parts.append("</table>")
    parts += _knowledge_html(rv)
    frames = _frames(rv, run_dir)
    if frames:
        parts.append("<h2>Key moments</h2><div class=frames>")
        for t, label, uri in frames:
            parts.append(f'<figure style="display:inline-block"><img alt="{e(label)}" src="{uri}">'
                         f"<figcaption>{t:.1f} s — {e(label)}</figcaption></figure>")
        parts.append("</div>")
    parts.append(f"<p class=muted id=replay-hint>To see any moment in 3D — from the trainee's eyes, the subject's, "
                 f"overhead or a free camera, with the console's HUD as it was — run <code>talkdown replay "
                 f"{e(str(run_dir))} --at SECONDS</code>; in the replay <code>B</code> hands the trainee the controls "
                 f"from that moment.</p>")
    parts.append("<h2>Timeline</h2><table id=timeline><tr><th>time</th><th>who</th><th>what</th><th>detail</th></tr>")
    for item in rv.timeline:
        cls = "instructor" if item.who == "instructor" else "trainee" if item.who == "trainee" else "sim"
        who = "INSTRUCTOR" if item.who == "instructor" else item.who
        parts.append(f"<tr class={cls}><td>{item.time:.1f}</td><td>{e(who)}</td><td>{e(item.kind)}</td><td>{e(item.text)}</td></tr>")
    parts.append("</table><p class=muted>Generated offline by Talkdown from the run folder's journal.</p></body></html>")
    return "\n".join(parts)
