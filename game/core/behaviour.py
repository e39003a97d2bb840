"""A compact behaviour-tree engine for subjects.

The tree owns the loop: :meth:`Node.tick` calls a node's hooks in order, and the
subject's mind ticks its root (see :class:`~game.core.subject.SubjectMind`).
Leaf behaviours fill in three hooks:

* ``start(body)`` — when the node is ticked while not already running;
* ``update(body)`` — on every tick, after ``start`` on the first; returns a :class:`Status`;
* ``stop(body, status)`` — when the node finishes (``SUCCESS``/``FAILURE``) or is halted
  (``HALTED``) because something of higher priority took over.

Composites are fixed: ``selector`` (priority, re-evaluated on every tick, so a guard
that starts to hold pre-empts what runs below it), ``sequence`` (in order, resuming
where it was), ``loop`` (a sequence that starts again), ``once``, ``random`` (one
child picked with the subject's seeded randomness) and the guard ``when``/``do``.
The data shape is documented in docs/scenario-reference.md; the content loader has
checked it before :func:`compile_tree` sees it.

Why not py_trees: ``talkdown bench`` measures both on the same tree; this engine ticks
a 34-node tree in a fraction of py_trees' time, which the 1 ms budget for eight
subjects needs.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Callable, Mapping, Sequence


class Status(IntEnum):
    SUCCESS = 1
    FAILURE = 2
    RUNNING = 3
    HALTED = 4  # only ever passed to ``stop``


SUCCESS, FAILURE, RUNNING, HALTED = Status.SUCCESS, Status.FAILURE, Status.RUNNING, Status.HALTED


class Node:
    """A node of a tree. Subclasses fill ``start``/``update``/``stop``; do not override ``tick``."""

    __slots__ = ("label", "running")

    def __init__(self, label: str) -> None:
        self.label = label
        self.running = False

    def tick(self, body: Any) -> Status:
        if not self.running:
            self.start(body)
            self.running = True
        status = self.update(body)
        if status is not RUNNING:
            self.running = False
            self.stop(body, status)
        return status

    def halt(self, body: Any) -> None:
        """Called by a parent when something else takes over while this node runs."""
        if self.running:
            self.running = False
            self.stop(body, HALTED)

    def start(self, body: Any) -> None:
        """Called when the node is ticked while not running (before ``update``)."""

    def update(self, body: Any) -> Status:  # pragma: no cover - abstract
        """Called on every tick; returns what the node is at."""
        raise NotImplementedError

    def stop(self, body: Any, status: Status) -> None:
        """Called when the node succeeds, fails or is halted."""

    def active(self) -> list[str]:
        """Labels of the running path below and including this node (for the instructor's HUD)."""
        return [self.label] if self.running else []


class _Composite(Node):
    __slots__ = ("children", "index")

    def __init__(self, label: str, children: Sequence[Node]) -> None:
        super().__init__(label)
        self.children = list(children)
        self.index = 0

    def stop(self, body: Any, status: Status) -> None:
        for child in self.children:
            child.halt(body)
        self.index = 0

    def active(self) -> list[str]:
        if not self.running:
            return []
        for child in self.children:
            if child.running:
                return [self.label, *child.active()]
        return [self.label]


class Selector(_Composite):
    """Tries children in order on every tick; the first that does not fail wins, and a
    lower-priority child that was running is halted."""

    __slots__ = ()

    def update(self, body: Any) -> Status:
        children = self.children
        for i, child in enumerate(children):
            status = child.tick(body)
            if status is not FAILURE:
                for later in children[i + 1:]:
                    later.halt(body)
                return status
        return FAILURE


class Sequence_(_Composite):
    """Runs children one after another, resuming at the running one; fails when one fails."""

    __slots__ = ()

    def update(self, body: Any) -> Status:
        children = self.children
        while self.index < len(children):
            status = children[self.index].tick(body)
            if status is not SUCCESS:
                return status
            self.index += 1
        return SUCCESS


class Loop(Sequence_):
    """A sequence that starts over, on the next tick, when it finishes: runs until it fails or
    is halted (one pass a tick at most, so a loop of instant actions cannot spin)."""

    __slots__ = ()

    def update(self, body: Any) -> Status:
        status = super().update(body)
        if status is SUCCESS:
            self.index = 0
            return RUNNING
        return status


class Once(Node):
    """Runs its child until it succeeds once; afterwards succeeds at once without ticking it."""

    __slots__ = ("child", "done")

    def __init__(self, label: str, child: Node) -> None:
        super().__init__(label)
        self.child = child
        self.done = False

    def update(self, body: Any) -> Status:
        if self.done:
            return SUCCESS
        status = self.child.tick(body)
        if status is SUCCESS:
            self.done = True
        return status

    def stop(self, body: Any, status: Status) -> None:
        self.child.halt(body)

    def active(self) -> list[str]:
        return [self.label, *self.child.active()] if self.running else []


class Random(_Composite):
    """Picks one child when it starts (the subject's seeded randomness) and runs it."""

    __slots__ = ()

    def start(self, body: Any) -> None:
        self.index = body.rng.randrange(len(self.children))

    def update(self, body: Any) -> Status:
        return self.children[self.index].tick(body)


class Guard(Node):
    """``when: CONDITION, do: ...``: fails (halting its child) whenever the condition does not
    hold; otherwise runs the child."""

    __slots__ = ("condition", "child")

    def __init__(self, label: str, condition: Any, child: Node) -> None:
        super().__init__(label)
        self.condition = condition
        self.child = child

    def update(self, body: Any) -> Status:
        if not self.condition.holds(body.context):
            return FAILURE
        return self.child.tick(body)

    def stop(self, body: Any, status: Status) -> None:
        self.child.halt(body)

    def active(self) -> list[str]:
        return [self.label, *self.child.active()] if self.running else []


class Check(Node):
    """``check: CONDITION``: succeeds when the condition holds, fails otherwise."""

    __slots__ = ("condition",)

    def __init__(self, label: str, condition: Any) -> None:
        super().__init__(label)
        self.condition = condition

    def update(self, body: Any) -> Status:
        return SUCCESS if self.condition.holds(body.context) else FAILURE


#: Keys that make composite nodes; every other node key is an action (or ``when``/``check``).
COMPOSITES = ("selector", "sequence", "loop", "random", "once")
#: Keys that belong to the guard node.
GUARD_KEYS = ("when", "do")


def compile_tree(
    data: Any,
    actions: Mapping[str, Callable[[Any, Mapping[str, Any]], Node]],
    condition: Callable[[Mapping[str, Any]], Any],
    path: str = "tree",
) -> Node:
    """Builds nodes from checked tree data. ``data`` is a node mapping or a list (a sequence);
    ``actions`` maps action names to factories ``(value, node) -> Node``; ``condition``
    compiles a condition mapping. Each call makes fresh nodes (nodes keep running state)."""
    if isinstance(data, str):  # a bare action word: ``- idle``
        data = {data: True}
    if isinstance(data, (list, tuple)):
        children = [compile_tree(d, actions, condition, f"{path}[{i}]") for i, d in enumerate(data)]
        return children[0] if len(children) == 1 else Sequence_("sequence", children)
    # the HUD shows an author's name for the node, else what the node is ("when agitation_above 0.6")
    name = data.get("name")
    if "when" in data:
        return Guard(name or f"when {describe(data['when'])}", condition(data["when"]),
                     compile_tree(data["do"], actions, condition, f"{path}.do"))
    if "check" in data:
        return Check(name or f"check {describe(data['check'])}", condition(data["check"]))
    for key in COMPOSITES:
        if key in data:
            value = data[key]
            if key == "once":
                return Once(name or "once", compile_tree(value, actions, condition, f"{path}.once"))
            children = [compile_tree(d, actions, condition, f"{path}.{key}[{i}]") for i, d in enumerate(value)]
            cls = {"selector": Selector, "sequence": Sequence_, "loop": Loop, "random": Random}[key]
            return cls(name or key, children)
    (name,) = [k for k in data if k in actions]
    return actions[name](data[name], data)


def describe(condition: Mapping[str, Any], limit: int = 48) -> str:
    """A condition in a few words for the HUD: ``trainee_within 2, agitation_above 0.45``."""
    parts = []
    for key, value in condition.items():
        if isinstance(value, Mapping):
            inner = value.get("intents", value.get("intent", value.get("subject", "…")))
            value = inner if not isinstance(inner, (list, tuple)) else "/".join(map(str, inner))
        elif isinstance(value, (list, tuple)):
            value = f"[{len(value)}]" if key in ("all", "any") else "/".join(map(str, value))
        parts.append(f"{key} {value:g}" if isinstance(value, float) else f"{key} {value}")
    text = ", ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"
