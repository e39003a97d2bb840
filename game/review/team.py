"""The team in the review: partner officers, the trainee's lead, and the duty to intervene.

Read from a journal's partner events (:mod:`game.core.team_events`): when each partner came,
the orders it took, each act of misconduct (a slur, crowding, unneeded force) and each
intervention. Misconduct comes in *episodes* — acts of one partner less than
:data:`EPISODE_GAP` seconds apart — and each episode is judged by the first intervention that
reached the partner after it began: within :data:`PROMPT` seconds is credited, later is
late, none is a fault (the duty to intervene). Engine-free and deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Seconds within which stepping in counts as prompt.
PROMPT = 5.0
#: Acts of misconduct closer than this belong to one episode.
EPISODE_GAP = 15.0
#: How an intervention is named in the review.
HOW = {"intervene": "said it", "step_between": "stepped between", "stepped_between": "stepped between",
       "hold_partner": "a hand on the partner's shoulder"}


@dataclass
class Episode:
    """One run of misconduct by ``officer`` toward ``subject``: its acts (time, what) and the
    intervention that stopped it (time, seat, how), if any."""

    officer: str
    subject: str
    acts: list[tuple[float, str]] = field(default_factory=list)
    stopped: tuple[float, str, str] | None = None

    @property
    def start(self) -> float:
        return self.acts[0][0]

    @property
    def response(self) -> float | None:
        """Seconds from the first act to the intervention (None: never stopped)."""
        return None if self.stopped is None else round(self.stopped[0] - self.start, 2)

    @property
    def verdict(self) -> str:
        """``prompt``, ``late`` or ``none``."""
        r = self.response
        return "none" if r is None else "prompt" if r <= PROMPT else "late"


@dataclass
class TeamReview:
    """The partner officers of a run and what happened between them and the trainee."""

    partners: dict[str, str] = field(default_factory=dict)  # seat -> name
    arrived: dict[str, float] = field(default_factory=dict)
    orders: list[tuple[float, str, str]] = field(default_factory=list)  # (time, partner, order)
    episodes: list[Episode] = field(default_factory=list)
    #: interventions that did not count: (time, partner, how, why) — out of reach, or nothing to stop
    other_interventions: list[tuple[float, str, str, str]] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        """1 for every episode stopped promptly, 0.5 late, 0 never; None without misconduct."""
        if not self.episodes:
            return None
        value = {"prompt": 1.0, "late": 0.5, "none": 0.0}
        return sum(value[e.verdict] for e in self.episodes) / len(self.episodes)


def _act(r: dict[str, Any]) -> str | None:
    kind = r["type"]
    if kind == "OfficerSaid" and r.get("conduct"):
        return f"{r['conduct']}: “{r.get('text', '')}”"
    if kind == "OfficerUsedForce":
        return f"unneeded force ({r['how']}) on {r['subject']}"
    if kind == "OfficerActivityChanged" and r.get("activity") == "crowd":
        return "crowded the subject"
    return None


def team_review(records: list[dict[str, Any]]) -> TeamReview | None:
    """The team's part of a journal; None when no partner officer took part."""
    tv = TeamReview()
    watched: dict[str, str] = {}  # partner -> the subject its last act was toward
    for r in records:
        kind = r.get("type", "")
        if not kind.startswith("Officer"):
            continue
        t, seat = float(r["time"]), r.get("officer", "")
        if kind == "OfficerArrived":
            tv.partners[seat] = r.get("name", "") or seat
            tv.arrived[seat] = t
        elif kind == "OfficerFollowed":
            tv.orders.append((t, seat, r["order"]))
        elif kind == "OfficerIntervened":
            how = HOW.get(r["how"], r["how"])
            episode = next((e for e in reversed(tv.episodes) if e.officer == seat and e.stopped is None), None)
            if r.get("reached") and r.get("needed") and episode is not None:
                episode.stopped = (t, r.get("intervener", ""), how)
            elif not r.get("reached"):
                tv.other_interventions.append((t, seat, how, "out of reach"))
            elif not r.get("needed"):
                tv.other_interventions.append((t, seat, how, "nothing to stop then"))
        else:
            what = _act(r)
            if what is None:
                continue
            subject = r.get("subject") or r.get("to") or r.get("target") or watched.get(seat, "")
            watched[seat] = subject
            last = next((e for e in reversed(tv.episodes) if e.officer == seat), None)
            if last is not None and last.stopped is None and t - last.acts[-1][0] < EPISODE_GAP:
                last.acts.append((t, what))
            else:
                tv.episodes.append(Episode(seat, subject, [(t, what)]))
    return tv if tv.partners else None


def narrative(tv: TeamReview, good: list[str], work: list[str]) -> None:
    """The team's lines for what went well and what to work on."""
    for t, seat, order in tv.orders:
        good.append(f"Led {tv.partners.get(seat, seat)} at {t:.1f} s ({order.replace('_', ' ')}).")
    for e in tv.episodes:
        name = tv.partners.get(e.officer, e.officer)
        first = e.acts[0][1].split(":")[0]
        if e.verdict == "prompt":
            good.append(f"Stepped in on {name} {e.response:.1f} s after the first {first} at {e.start:.1f} s "
                        f"({e.stopped[2]}): the duty to intervene.")  # type: ignore[index]
        elif e.verdict == "late":
            work.append(f"Stepped in on {name} only {e.response:.1f} s after the first {first} at {e.start:.1f} s "
                        f"({len(e.acts)} act(s) by then): intervene at once.")
        else:
            acts = "; ".join(f"{what} at {t:.1f} s" for t, what in e.acts[:3])
            work.append(f"Did not intervene when {name} went too far ({acts}): the duty to intervene — say it, "
                        "step between them, a hand on the shoulder.")
    for t, seat, how, why in tv.other_interventions:
        if why == "out of reach":
            work.append(f"At {t:.1f} s tried to step in on {tv.partners.get(seat, seat)} ({how}) out of reach.")
