"""The after-action report as one self-contained HTML file: no scripts, no links out; plots are
inline SVG and frames are embedded as data URIs, so it opens offline in any browser and can
be mailed or archived as it is."""

from __future__ import annotations

import base64
import os
from contextlib import suppress
from html import escape
from pathlib import Path

from game.core.policy import LEVELS
from game.review.analysis import GAP, GAP_ARMED, Review, metres, option_words
from game.review.icat import ICAT_STEPS, NOTHING
from game.review.plots import line_plot, tools_plot

__all__ = ["line_plot", "render_html", "tools_plot", "write_report"]

STYLE = """
body{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;color:#222;line-height:1.4}
h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;margin-top:1.6em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
.instructor{background:#fdebd0}.trainee{background:#eaf2f8}.sim{color:#555}.no{color:#b03a2e;font-weight:bold}
.yes{color:#1e8449;font-weight:bold}.frames img{width:280px;margin:4px;border:1px solid #999}
.muted{color:#777}svg{background:#fafafa;border:1px solid #ddd}
"""


#: A key moment's frame is the first saved at or after it within this many seconds: the capture
#: saves the first frame rendered after each key moment (game/engine/capture.py), a frame or two later.
FRAME_AFTER = 0.35


def frames_for_moments(rv: Review, run_dir: Path, limit: int = 8) -> list[tuple[dict, str]]:
    """(frame, caption) for the key moments, the start and the end, in time order: each moment gets
    the first frame saved at or just after it (:data:`FRAME_AFTER`); a run without one there (an
    older run, or more moments than frames) gets the nearest frame, and its caption says how far off it is."""
    frames = sorted((f for f in rv.frames if (run_dir / "frames" / Path(f["file"]).name).is_file()
                     or (run_dir / f["file"]).is_file()), key=lambda f: float(f["time"]))
    if not frames:
        return []
    moments = list(rv.key_moments)[: max(0, limit - 2)]
    chosen: dict[str, list[str]] = {}
    for t, label in [(0.0, "start"), *moments, (rv.duration, "end")]:
        after = [f for f in frames if t - 1e-6 <= float(f["time"]) <= t + FRAME_AFTER]
        if after:
            best, caption = after[0], label
        else:
            best = min(frames, key=lambda f: abs(float(f["time"]) - t))
            off = float(best["time"]) - t
            caption = label if label in ("start", "end") or abs(off) < 0.05 else (
                f"{label} (at {t:.1f} s; nearest frame {abs(off):.1f} s {'later' if off > 0 else 'earlier'})")
        chosen.setdefault(best["file"], [])
        if caption not in chosen[best["file"]]:
            chosen[best["file"]].append(caption)
    by_file = {f["file"]: f for f in frames}
    return sorted(((by_file[file], " · ".join(labels)) for file, labels in chosen.items()), key=lambda x: float(x[0]["time"]))


def _frames(rv: Review, run_dir: Path, limit: int = 8) -> list[tuple[float, str, str]]:
    """(time, caption, data URI) for the frames of :func:`frames_for_moments`."""
    out = []
    for frame, caption in frames_for_moments(rv, run_dir, limit):
        file = frame["file"]
        path = run_dir / file if (run_dir / file).is_file() else run_dir / "frames" / Path(file).name
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        out.append((float(frame["time"]), caption, f"data:image/png;base64,{data}"))
    return out


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
    if rv.call is not None:  # the call before the scene (issue 19)
        from game.review.call import render_call_html

        parts += render_call_html(rv.call)
    parts.append("<h2>Contact and distance</h2><ul id=contact>")
    if rv.first_words_time is not None:
        parts.append(f"<li>First contact (first words) at <b>{rv.first_words_time:.1f} s</b>: “{e(rv.first_words)}”</li>")
        parts.append(f"<li>The first 45 words: “{e(rv.first_45_words)}”</li>")
    else:
        parts.append("<li>The trainee did not speak.</li>")
    for sid, d in rv.closest_to.items():
        f = rv.subjects.get(sid)
        if f is None:
            continue
        inside = rv.crowding.get(sid, 0.0)
        parts.append(f"<li>{e(f.name)}: closest <b>{metres(d, f.comfort)}</b>; "
                     + (f"<b>{inside:.1f} s</b> inside the {f.comfort:g} m comfort distance (crowding).</li>" if inside else
                        f"never inside the {f.comfort:g} m comfort distance.</li>"))
    if rv.armed_present and rv.closest_armed is not None:
        names = " and ".join(f"the {n}" for n in rv.armed_names) or "an edged weapon"
        parts.append(f"<li>With {e(names)} out: closest <b>{metres(rv.closest_armed, GAP, GAP_ARMED)}</b>; "
                     + (f"<b>{rv.armed_inside_gap:.1f} s</b> inside the {GAP} m reactionary gap" if rv.armed_inside_gap else
                        f"outside the {GAP} m reactionary gap throughout")
                     + f", {rv.time_inside_armed_gap:.1f} s inside {GAP_ARMED} m (the gap plus a margin).</li>")
    parts.append("</ul>")
    marks = rv.key_moments
    parts.append("<h2>Plots</h2>")
    ag = {f"{s} agitation": v for s, v in rv.agitation.items()}
    ag.update({f"{s} trust": v for s, v in rv.trust.items()})
    parts.append(line_plot("Agitation and trust (0-1)", ag, span, 0.0, 1.0, marks=marks))
    far = max([v for pts in rv.distance.values() for _, v in pts] + [GAP_ARMED + 1])
    guides: dict[float, list[str]] = {}
    for f in rv.subjects.values():
        if f.id in rv.distance:
            guides.setdefault(f.comfort, []).append(f.first_name)
    hlines = [(d, f"{' and '.join(names)}'s comfort distance") for d, names in sorted(guides.items())]
    if rv.armed_present:
        hlines = [(d, text) for d, text in hlines if abs(d - GAP) > 0.3] + [(GAP, f"reactionary gap {GAP} m")]
    parts.append(line_plot("Distance trainee-subject (m)", {s: v for s, v in rv.distance.items()}, span, 0.0, round(far + 0.5),
                           " m", marks=marks, hlines=hlines))
    lv = {s: [(t, float(LEVELS.index(x))) for t, x in pts] for s, pts in rv.level.items()}
    parts.append(line_plot("Resistance level (0 compliant … 4 deadly)", lv, span, 0.0, 4.0, marks=marks))
    parts.append(tools_plot(rv, span))
    parts.append("<h2>Force options and policy</h2>")
    if rv.force:
        parts.append("<table id=force><tr><th>time</th><th>option</th><th>subject</th><th>resistance then</th>"
                     "<th>conditions</th><th>policy</th><th>result</th></tr>")
        for f in rv.force:
            verdict = "NOT within policy" if not f.allowed else "within policy"
            caution = (f"<br><span class=no>within policy — but {e(f.caution)}: necessary and proportionate? (ICAT: "
                       "proportionality, sanctity of life)</span>") if f.caution else ""
            parts.append(f"<tr><td>{f.time:.1f} s</td><td>{e(option_words(f))}</td><td>{e(f.subject)}</td><td>{e(f.level)}</td>"
                         f"<td>{e(', '.join(f.conditions)) or '—'}</td><td class={'no' if not f.allowed or f.caution else 'yes'}>"
                         f"{verdict}: {e(f.reason)}{caution}</td><td>{e(f.result)}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p id=force>No force option was drawn or used.</p>")
    parts.append("<h2>ICAT Critical Decision-Making Model</h2><table id=icat>")
    for n, name in ICAT_STEPS:
        items = rv.icat.get(n, [])
        body = "<br>".join(e(x) for x in items) or f"<span class=muted>{e(NOTHING[n])}</span>"
        parts.append(f"<tr><th>{n}. {e(name)}</th><td>{body}</td></tr>")
    parts.append("</table>")
    parts += _team_html(rv)
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
    officers = rv.officer_actions()
    if len(officers) > 1:  # a team: each officer's actions apart
        parts.append("<h2>Each officer</h2>")
        for seat, entries in officers.items():
            name = "officer 1 (trainee)" if seat == "officer:1" else seat.replace(":", " ")
            parts.append(f"<h3>{e(name)}</h3><ul class=officer>" + "".join(
                f"<li>{x.time:.1f} s: {e(x.kind)} {e(x.text)}</li>" for x in entries) + "</ul>")
    voiced = [x for x in rv.timeline if x.who == "instructor" and x.kind in ("Puppet", "SpeakAs")]
    if voiced:  # the instructor's voice in the scene: lines picked, words spoken as a subject or dispatch
        parts.append("<h2>The instructor in the scene</h2><ul class=interventions>" + "".join(
            f"<li>{x.time:.1f} s: {e(x.text)}"
            + (f" <audio controls preload=none src=\"{e(x.audio)}\"></audio>" if x.audio else "") + "</li>"
            for x in voiced) + "</ul>")
    parts.append("<h2>Timeline</h2><table id=timeline><tr><th>time</th><th>who</th><th>what</th><th>detail</th></tr>")
    for item in rv.timeline:
        cls = "instructor" if item.who == "instructor" else "trainee" if item.who == "trainee" else "sim"
        who = "INSTRUCTOR" if item.who == "instructor" else item.who
        parts.append(f"<tr class={cls}><td>{item.time:.1f}</td><td>{e(who)}</td><td>{e(item.kind)}</td><td>{e(item.text)}</td></tr>")
    parts.append("</table><p class=muted>Generated offline by Talkdown from the run folder's journal.</p></body></html>")
    return "\n".join(parts)


def _team_html(rv: Review) -> list[str]:
    """The partner officers and the duty to intervene: each episode of misconduct and how it was stopped."""
    tv, e = rv.team, escape
    if tv is None:
        return []
    out = ["<h2>The team and the duty to intervene</h2><table id=team>"]
    for seat, name in tv.partners.items():
        orders = ", ".join(f"{o.replace('_', ' ')} at {t:.1f} s" for t, s, o in tv.orders if s == seat) or "none"
        out.append(f"<tr><th>{e(name)} ({e(seat)})</th><td>on scene at {tv.arrived.get(seat, 0.0):.1f} s; "
                   f"the trainee's lead: {e(orders)}</td></tr>")
    for ep in tv.episodes:
        acts = "<br>".join(f"{t:.1f} s: {e(what)}" for t, what in ep.acts)
        if ep.stopped is None:
            verdict = "<span class=no>nobody intervened</span>"
        else:
            cls = "yes" if ep.verdict == "prompt" else "no"
            verdict = (f"<span class={cls}>stopped after {ep.response:.1f} s by {e(ep.stopped[1])} "
                       f"({e(ep.stopped[2])})</span>")
        out.append(f"<tr><th>{e(tv.partners.get(ep.officer, ep.officer))} toward {e(ep.subject)}</th>"
                   f"<td>{acts}</td><td>{verdict}</td></tr>")
    if not tv.episodes:
        out.append("<tr><td colspan=3 class=muted>No misconduct by a partner officer.</td></tr>")
    out.append("</table>")
    return out


def write_report(html: str, path: str | os.PathLike[str]) -> None:
    """Writes a report to ``path``: readers see the old file or the new one, never half of it, and
    the file is the owner's only (it names the trainee). Raises ``OSError`` (a read-only folder,
    a full disk) with nothing left behind."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(html.encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def why(exc: OSError) -> str:
    """An ``OSError`` in a few words ("Permission denied", "Read-only file system")."""
    return exc.strerror or str(exc)
