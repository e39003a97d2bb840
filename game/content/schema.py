"""JSON Schema checks with located, readable messages.

Each content format publishes its schema beside its files (``scenarios/schema.json``,
``scenes/schema.json`` ...), so editors can autocomplete and lint; the loader
checks against the very same file.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from game.content.errors import Problem
from game.content.library import package_dir
from game.content.located import Locations


@lru_cache(maxsize=None)
def validator_for(package: str, name: str) -> Draft202012Validator:
    """The checked validator for schema ``name`` shipped in ``package`` (loaded once)."""
    text = (package_dir(package) / name).read_text(encoding="utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def check(data: Any, locations: Locations, package: str, name: str) -> list[Problem]:
    """Every schema problem of ``data``, one per place, without cascades."""
    errors = sorted(validator_for(package, name).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    problems: list[Problem] = []
    broken: list[tuple[object, ...]] = []
    required_done: set[tuple[object, ...]] = set()
    for error in errors:
        choice = _required_choice(error)
        if choice:
            broken.append(tuple(error.absolute_path))
            problems.append(locations.problem(tuple(error.absolute_path), choice))
            continue
        while error.context:  # oneOf/anyOf: the branch that came closest says best what is wrong
            closer = _closest(error)
            if closer is error:
                break
            error = closer
        path = tuple(error.absolute_path)
        if "propertyNames" in error.schema_path:  # the error is the key's own: say where the key is
            path = path + (error.instance,)
        if any(path[: len(b)] == b for b in broken):
            continue  # already said what is wrong above this value
        if error.validator in ("type", "oneOf", "anyOf"):
            broken.append(path)
        if error.validator == "required":
            if path in required_done:
                continue  # one message names every missing key
            required_done.add(path)
        if error.validator == "additionalProperties":
            for key in _unknown_keys(error):
                problems.append(locations.problem(path + (key,), _unknown_key_message(key, error)))
            continue
        problems.append(locations.problem(path, _message(error)))
    return problems


def _required_choice(error: ValidationError) -> str | None:
    """For a oneOf/anyOf whose alternatives each only require one key (a scene object's
    ``shape`` or ``asset``): one plain message instead of jsonschema's."""
    alternatives = error.validator_value if error.validator in ("oneOf", "anyOf") else None
    if not alternatives or not isinstance(error.instance, dict) or not all(
            isinstance(a, dict) and set(a) == {"required"} and len(a["required"]) == 1 for a in alternatives):
        return None
    keys = [a["required"][0] for a in alternatives]
    given = [k for k in keys if k in error.instance]
    if not given:
        return f"needs {' or '.join(repr(k) for k in keys)}"
    if error.validator == "oneOf" and len(given) > 1:
        return f"has {' and '.join(repr(k) for k in given)}: give only one of them"
    return None


def _closest(error: ValidationError) -> ValidationError:
    """Of a oneOf's alternatives, the one of the value's own type (a list for a list ...),
    and in it the most telling error; otherwise jsonschema's best guess."""
    by_branch: dict[object, list[ValidationError]] = {}
    for e in error.context or ():
        by_branch.setdefault(e.schema_path[0] if e.schema_path else None, []).append(e)
    fitting = [errs for errs in by_branch.values()
               if not any(e.validator in ("type", "const", "enum") and not e.relative_path for e in errs)]
    if len(fitting) == 1:
        return best_match(fitting[0]) or error
    return best_match(error.context or ()) or error


def _unknown_keys(error: ValidationError) -> list[str]:
    allowed = set(error.schema.get("properties", {}))
    return [k for k in error.instance if k not in allowed]


def _unknown_key_message(key: str, error: ValidationError) -> str:
    known = sorted(error.schema.get("properties", {}))
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(known)})"
    return f"unknown key '{key}'{hint}"


_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "nothing",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"'{value}'" if len(value) < 40 else "text"
    return repr(value)


def _message(error: ValidationError) -> str:
    v, arg, inst = error.validator, error.validator_value, error.instance
    if v == "pattern" and "propertyNames" in error.schema_path:
        return f"key {_describe(inst)} does not match the expected form ({error.schema.get('description', arg)})"
    if v == "type":
        wanted = arg if isinstance(arg, list) else [arg]
        return f"expected {' or '.join(_TYPE_NAMES.get(w, w) for w in wanted)}, got {_describe(inst)}"
    if v == "required":
        missing = [k for k in arg if k not in inst]
        return f"missing required key{'s' if len(missing) > 1 else ''} {', '.join(repr(k) for k in missing)}"
    if v == "enum":
        close = difflib.get_close_matches(str(inst), [str(a) for a in arg], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"{_describe(inst)} is not one of: {', '.join(map(str, arg))}{hint}"
    if v == "const":
        return f"must be {arg!r}, got {_describe(inst)}"
    if v == "minimum":
        return f"must be at least {arg}, got {inst}"
    if v == "maximum":
        return f"must be at most {arg}, got {inst}"
    if v == "exclusiveMinimum":
        return f"must be more than {arg}, got {inst}"
    if v == "exclusiveMaximum":
        return f"must be less than {arg}, got {inst}"
    if v in ("minItems", "maxItems"):
        n = len(inst)
        return f"needs {'at least' if v == 'minItems' else 'at most'} {arg} item{'s' if arg != 1 else ''}, has {n}"
    if v == "minLength":
        return "must not be empty" if arg == 1 else f"must be at least {arg} characters"
    if v == "maxLength":
        return f"must be at most {arg} characters"
    if v == "pattern":
        return f"{_describe(inst)} does not match the expected form ({error.schema.get('description', arg)})"
    if v == "minProperties":
        return "must not be empty"
    if v == "propertyNames":
        return error.message
    return error.message
