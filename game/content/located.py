"""YAML that remembers where each value came from.

:func:`load_located` parses YAML safely into plain dicts, lists and scalars,
and returns a :class:`Locations` index from key paths to (line, column), so any
later check can say exactly where a value is. Duplicate keys, which YAML would
silently overwrite, are reported as problems.
"""

from __future__ import annotations

import math
import os
import stat
from typing import Any

import yaml

from game.content.errors import ContentError, Problem, format_path

Path = tuple[object, ...]

#: Refuse files larger than this before parsing (a scenario is a few kB).
MAX_BYTES = 4 * 1024 * 1024
#: Refuse documents with more values than this (e.g. aliases that expand exponentially).
MAX_NODES = 200_000
#: Refuse values nested deeper than this (content nests a few levels; deep nesting only exhausts the stack).
MAX_DEPTH = 100
#: Whole numbers beyond this are refused (they would lose precision as floats).
MAX_INT = 10**15


class Locations:
    """Line and column (1-based) of every key path in a parsed file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._marks: dict[Path, tuple[int, int]] = {}

    def add(self, path: Path, line: int, column: int) -> None:
        self._marks[path] = (line, column)

    def at(self, path: Path) -> tuple[int, int]:
        """Where ``path`` is, or where its nearest located parent is."""
        p = tuple(path)
        while p:
            if p in self._marks:
                return self._marks[p]
            p = p[:-1]
        return self._marks.get((), (1, 1))

    def problem(self, path: Path, message: str, severity: str = "error") -> Problem:
        line, col = self.at(path)
        return Problem(self.file, line, col, format_path(path), message, severity)


#: libyaml's parser where PyYAML was built with it (several times faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Builder:
    def __init__(self, locations: Locations, problems: list[Problem]) -> None:
        self.loc = locations
        self.problems = problems
        self.constructor = yaml.SafeLoader.__new__(yaml.SafeLoader)
        yaml.constructor.SafeConstructor.__init__(self.constructor)
        self.count = 0

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        if len(path) > MAX_DEPTH:
            raise _TooDeep(node)
        self.loc.add(path, node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            self.constructor.flatten_mapping(node)
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.build_scalar_key(key_node, path)
                if key is _BAD:
                    continue
                if key in out:
                    first, _ = self.loc.at(path + (key,))
                    self.problems.append(
                        Problem(self.loc.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                format_path(path + (key,)),
                                f"key '{key}' appears twice (first on line {first}); the second would silently win")
                    )
                    continue
                self.loc.add(path + (key,), key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.build(value_node, path + (key,))
                self.loc.add(path + (key,), key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        try:
            value = self.constructor.construct_object(node, deep=True)
        except ValueError:  # PyYAML's own constructors fail on scalars such as '0x_' (resolved as an int)
            self.problems.append(self.loc.problem(path, f"'{node.value}' looks like a number but is not one"))
            return _BAD
        if isinstance(value, float) and not math.isfinite(value):
            self.problems.append(self.loc.problem(path, f"'{node.value}' is not a finite number"))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            self.problems.append(self.loc.problem(path, f"number too large ({node.value})"))
        return value

    def build_scalar_key(self, node: yaml.Node, path: Path) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.problems.append(
                Problem(self.loc.file, node.start_mark.line + 1, node.start_mark.column + 1,
                        format_path(path), "keys must be plain words, not lists or mappings")
            )
            return _BAD
        key = self.constructor.construct_object(node)
        return key if isinstance(key, str) else str(node.value)


_BAD = object()


class _TooBig(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.line, self.column = node.start_mark.line + 1, node.start_mark.column + 1


def load_located(text: str, file: str) -> tuple[Any, Locations]:
    """Parses YAML ``text`` (named ``file`` in messages). Raises :class:`ContentError`."""
    locations = Locations(file)
    if len(text) > MAX_BYTES:
        raise ContentError([Problem(file, 0, 0, "", f"file is too large ({len(text)} bytes; at most {MAX_BYTES})")])
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = exc.problem or "not valid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        raise ContentError([Problem(file, line, col, "", f"YAML syntax: {what}")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(file, 0, 0, "", f"YAML: {exc}")]) from None
    if node is None:
        raise ContentError([Problem(file, 1, 1, "", "file is empty")])
    problems: list[Problem] = []
    try:
        data = _Builder(locations, problems).build(node, ())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise ContentError([Problem(file, line, col, "", f"YAML: {getattr(exc, 'problem', exc)}")]) from None
    except _TooBig:
        raise ContentError([Problem(file, 0, 0, "", f"too many values (over {MAX_NODES}; aliases that expand?)")]) from None
    except _TooDeep as exc:
        raise ContentError([Problem(file, exc.line, exc.column, "",
                                    f"YAML nests too deeply (more than {MAX_DEPTH} levels)")]) from None
    except RecursionError:
        raise ContentError([Problem(file, 0, 0, "", f"YAML nests too deeply (more than {MAX_DEPTH} levels)")]) from None
    if problems:
        raise ContentError(problems)
    return data, locations


def read_located(path: str, display: str | None = None) -> tuple[Any, Locations, bytes]:
    """Reads and parses a YAML file; returns data, locations and the raw bytes (for checksums).

    The one way content is read: only a plain file is opened for reading (a FIFO, a device
    or a socket would block or never end), its size is checked before a byte is parsed,
    and every problem is one located line (:class:`ContentError`)."""
    name = display or path
    raw = _read_plain_file(path, name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(name, 0, 0, "", f"not UTF-8 text (byte {exc.start})")]) from None
    data, loc = load_located(text, name)
    return data, loc, raw


def _read_plain_file(path: str, name: str) -> bytes:
    def refuse(message: str) -> ContentError:
        return ContentError([Problem(name, 0, 0, "", message)])

    try:
        st = os.stat(path)
        _check_plain(st, refuse)
        # non-blocking: if the path was swapped for a FIFO since the stat, opening it does not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            _check_plain(os.fstat(f.fileno()), refuse)
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise refuse("file not found") from None
    except IsADirectoryError:
        raise refuse("is a folder, not a file") from None
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise refuse(f"file is too large (over {MAX_BYTES} bytes)")
    return raw


def not_plain_file(path: str | os.PathLike[str]) -> str:
    """Why ``path`` is not a plain file one can read without blocking ("is a named pipe (FIFO),
    not a plain file: ..."), or "" when it is one (or does not exist: opening it says so).
    For files that are not YAML (recordings) but must not hang a command either."""
    try:
        st = os.stat(path)
    except OSError:
        return ""
    try:
        _check_plain(st, lambda message: ValueError(message), size_limit=False)
    except ValueError as exc:
        return str(exc)
    return ""


def _check_plain(st: os.stat_result, refuse: Any, *, size_limit: bool = True) -> None:
    """A folder, a FIFO, a device or a socket is refused; so is a plain file over :data:`MAX_BYTES`."""
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise refuse("is a folder, not a file")
    if not stat.S_ISREG(mode):
        what = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a plain file")
        raise refuse(f"is {what}, not a plain file: content is read only from plain files")
    if size_limit and st.st_size > MAX_BYTES:
        raise refuse(f"file is too large ({st.st_size} bytes; at most {MAX_BYTES})")
