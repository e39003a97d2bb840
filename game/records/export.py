"""The records' exports: sessions as CSV rows (a spreadsheet) and as xAPI statements (a learning-management system)."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Iterable

from game.core.scenario import PEACEFUL_OUTCOMES


#: What a spreadsheet reads as the start of a formula (OWASP "CSV injection"), tab and CR included.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text beginning with ``= + - @``, tab or CR gets a
    leading single quote (OWASP's advice), so ``=HYPERLINK(...)`` shows as text. Numbers stay
    numbers: ints and floats are never touched, and text that is wholly a number (``-3``,
    ``+1.5e3``) is left as it is, since a spreadsheet reads it as that number, not as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    fields = ["trainee", "instructor", "scenario", "started_at", "seed", "duration", "ending", "outcome", "complete", "score",
              "force", "outside_policy", "look_for_met", "look_for_total", "time_inside_gap", "first_words_time",
              "instructor_actions", "run_id", "software", "branched_from", "role"]
    buf = io.StringIO()
    # CRLF (RFC 4180): a CR or LF inside a name is then quoted, never a row break
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: safe_cell(v) for k, v in r.items()})
    return buf.getvalue()


def to_xapi(rows: Iterable[dict[str, Any]], home_page: str = "urn:talkdown") -> list[dict[str, Any]]:
    """xAPI 1.0.3 statements, one per session: the trainee *completed* the scenario, with its result."""
    out = []
    for r in rows:
        statement: dict[str, Any] = {
            "actor": {"objectType": "Agent", "name": r["trainee"], "account": {"homePage": home_page, "name": r["trainee"]}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
            "object": {"objectType": "Activity", "id": f"{home_page}:scenario:{r['scenario']}",
                       "definition": {"name": {"en-US": r["scenario"]},
                                      "type": "http://adlnet.gov/expapi/activities/simulation"}},
            "result": {"score": {"scaled": round(r["score"] / 100, 2), "raw": r["score"], "min": 0, "max": 100},
                       "success": r["outcome"] in PEACEFUL_OUTCOMES, "completion": bool(r["complete"]),
                       "duration": f"PT{r['duration']:.1f}S",
                       "extensions": {f"{home_page}:ending": r["ending"], f"{home_page}:outcome": r["outcome"],
                                      f"{home_page}:force-outside-policy": r.get("outside_policy", 0)}},
            "context": {"extensions": {f"{home_page}:run": r["run_id"], f"{home_page}:seed": r["seed"],
                                       f"{home_page}:role": r.get("role") or "officer"}},
        }
        if r.get("branched_from"):  # a replay branch: another choice tried from a moment of run_id
            statement["context"]["extensions"][f"{home_page}:branched-from"] = json.loads(r["branched_from"])
        if r.get("instructor"):
            statement["context"]["instructor"] = {"objectType": "Agent", "name": r["instructor"],
                                                  "account": {"homePage": home_page, "name": r["instructor"]}}
        if r.get("started_at"):
            statement["timestamp"] = r["started_at"]
        out.append(statement)
    return out


def xapi_json(rows: Iterable[dict[str, Any]]) -> str:
    return json.dumps(to_xapi(rows), indent=2, ensure_ascii=False) + "\n"
