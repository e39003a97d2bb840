"""Located content errors: every problem names its file, line, column and key path."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a content file, where it is and how to fix it."""

    file: str
    line: int  # 1-based; 0 when unknown
    column: int  # 1-based; 0 when unknown
    path: str  # key path, e.g. ``subjects[0].profile.comfort_distance``; empty for the whole file
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        key = f" {self.path}:" if self.path else ""
        label = "" if self.severity == "error" else f" {self.severity}:"
        return f"{where}:{label}{key} {self.message}"


class ContentError(Exception):
    """A content file (scenario, scene, script, bindings, manifest) cannot be used.

    Carries every problem found in the file at once; ``str()`` gives one line each.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(parts: tuple[object, ...] | list[object]) -> str:
    """``("subjects", 0, "profile")`` → ``subjects[0].profile``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
