"""Reading a use-of-force policy file (``scenarios/policies/*.yaml``, format 1) with located errors."""

from __future__ import annotations

import os
from types import MappingProxyType

from game.content.document import read_document
from game.content.errors import ContentError
from game.content.library import package_dir
from game.core.policy import LEVELS, Condition, ForceOption, Policy
from game.core.terms import TOOLS, WEAPONS

#: What a policy's force option may name: a hand on the subject, or a force option of the tool table.
POLICY_TOOLS = ("touch", *(t for t in TOOLS if t in WEAPONS))

SCHEMA = ("scenarios", "policies/policy.schema.json")


def default_policy_path() -> str:
    """The agency's policy: ``TALKDOWN_POLICY`` (a file path) if set, else the shipped example.

    Every command that scores — ``run`` filing a session, ``review``, ``records add``, a replay
    branch — uses it unless given ``--policy``; an agency sets it once on each training PC."""
    return os.environ.get("TALKDOWN_POLICY") or os.fspath(package_dir("scenarios") / "policies" / "default.yaml")


def check_policy(path: str | os.PathLike[str]) -> list:
    """Every problem of a policy file (empty when it loads)."""
    try:
        load_policy(path)
    except ContentError as err:
        return list(err.problems)
    return []


def load_policy(path: str | os.PathLike[str] | None = None) -> Policy:
    """Reads and checks a policy (the shipped default for None). Raises :class:`ContentError`."""
    doc = read_document(path or default_policy_path(), kind="policy", schema=SCHEMA)
    d, loc = doc.data, doc.locations
    problems = []
    ids = [lv["id"] for lv in d["levels"]]
    if ids != list(LEVELS):
        problems.append(loc.problem(("levels",), f"the levels must be, lowest first: {', '.join(LEVELS)} (got {', '.join(ids)})"))
    conditions = d.get("conditions", {})
    seen_tools: dict[str, str] = {}
    seen_ids: set[str] = set()
    for i, o in enumerate(d["options"]):
        if o["id"] in seen_ids:
            problems.append(loc.problem(("options", i, "id"), f"option '{o['id']}' is listed twice"))
        seen_ids.add(o["id"])
        for j, c in enumerate(o.get("not_when", ())):
            if c not in conditions:
                known = ", ".join(conditions) or "none defined"
                problems.append(loc.problem(("options", i, "not_when", j), f"unknown condition '{c}' (known: {known})"))
        for j, t in enumerate(o.get("tools", ())):
            if t not in POLICY_TOOLS:
                problems.append(loc.problem(("options", i, "tools", j),
                                            f"unknown tool '{t}' (known: {', '.join(POLICY_TOOLS)})"))
            if t in seen_tools:
                problems.append(loc.problem(("options", i, "tools", j), f"tool '{t}' already belongs to option '{seen_tools[t]}'"))
            seen_tools[t] = o["id"]
    if problems:
        raise ContentError(problems)
    return Policy(
        title=d["title"],
        levels=MappingProxyType({lv["id"]: lv["text"] for lv in d["levels"]}),
        options=tuple(ForceOption(id=o["id"], text=o["text"], allowed_from=o["allowed_from"], tools=tuple(o.get("tools", ())),
                                  drawn_from=o.get("drawn_from", ""), not_when=tuple(o.get("not_when", ())))
                      for o in d["options"]),
        conditions=MappingProxyType({k: Condition(k, v["text"], MappingProxyType({w: tuple(n) for w, n in v["when"].items()}))
                                     for k, v in conditions.items()}),
        path=doc.path,
    )
