"""Turning pydantic's validation errors into findings a person editing YAML can act on.

pydantic words its errors for programmers ("Input should be a valid string"); an agency's
protocol editor needs "expected text, got a list" and, for a misspelt key, the key they meant.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .problems import Finding, Path, did_you_mean

_NOUNS = {
    "string": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "dict": "a mapping (key: value lines)",
    "model": "a mapping (key: value lines)",
    "list": "a list (lines starting with '- ')",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"'{value}'"


def _bad_key(parent: Path, key: Any) -> Finding:
    """A key YAML read as no word (`~:`, `1:`, `true:`, an anchor with no name)."""
    return Finding(
        (*parent, key),
        f"a key must be a word; YAML reads this one as {_as_yaml_reads(key)}",
        "bad-key",
        "write the key as a word, or quote it",
        at_key=True,
    )


def _as_yaml_reads(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return _describe(value)


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation allows, Optional and Annotated peeled off."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [kind for arg in typing.get_args(annotation) for kind in _unwrap(arg)]
    return [annotation]


def _model_at(root: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The model class that validates the mapping found at `path`, if one does."""
    current: list[Any] = [root]
    for part in path:
        following: list[Any] = []
        for kind in current:
            origin = typing.get_origin(kind)
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                field = kind.model_fields.get(str(part))
                if field is not None:
                    following.extend(_unwrap(field.annotation))
            elif origin is list and isinstance(part, int):
                following.extend(_unwrap(typing.get_args(kind)[0]))
            elif origin is dict:
                following.extend(_unwrap(typing.get_args(kind)[1]))
        current = following
    for kind in current:
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return kind
    return None


def _finding(root: type[BaseModel], error: ErrorDetails) -> Finding:
    path: Path = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    context = error.get("ctx", {})
    if path and path[-1] == "[key]":
        path = path[:-1]
        if not isinstance(value, str):
            return _bad_key(path[:-1], value)
        if kind == "string_pattern_mismatch":
            return Finding(
                path,
                f"'{path[-1]}' is not a valid id",
                "bad-id",
                "use lowercase letters, digits and _, starting with a letter",
                at_key=True,
            )
    if kind == "invalid_key":
        return _bad_key(path[:-1], value)
    if kind == "extra_forbidden":
        model = _model_at(root, path[:-1])
        hint = did_you_mean(str(path[-1]), model.model_fields) if model else None
        return Finding(path, f"unknown key '{path[-1]}'", "unknown-key", hint, at_key=True)
    if kind == "missing":
        return Finding(path, f"missing required key '{path[-1]}'", "missing-key")
    if kind == "empty_text":
        return Finding(path, "text is empty", "empty-text")
    if kind == "string_pattern_mismatch":
        return Finding(
            path,
            f"{_describe(value)} is not a valid id",
            "bad-id",
            "use lowercase letters, digits and _, starting with a letter",
        )
    if kind == "literal_error":
        return Finding(
            path, f"expected one of {context.get('expected')}, got {_describe(value)}", "wrong-type"
        )
    if kind == "too_short":
        return Finding(path, f"needs at least {context.get('min_length')} item(s)", "wrong-type")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        noun = _NOUNS.get(kind.split("_")[0], kind.split("_")[0])
        if kind == "model_type":
            noun = _NOUNS["model"]
        return Finding(path, f"expected {noun}, got {_describe(value)}", "wrong-type")
    return Finding(path, str(error["msg"]), kind.replace("_", "-"))


# pydantic names the branch of a union it tried ("str", "int", "function-after[...]") in the
# error's location; those are not keys of the file, so they are dropped from the path.
_UNION_TAG = re.compile(r"^(str|int|float|bool|none|constrained-str|[a-z-]+\[.*\])$")


def findings_from(root: type[BaseModel], error: ValidationError) -> list[Finding]:
    """One finding a key path: a union's branches would otherwise each report the same key."""
    found: dict[Path, Finding] = {}
    for detail in error.errors(include_url=False):
        loc = list(detail["loc"])
        while len(loc) > 1 and isinstance(loc[-1], str) and _UNION_TAG.match(loc[-1]):
            loc.pop()
        detail["loc"] = tuple(loc)
        finding = _finding(root, detail)
        found.setdefault(finding.path, finding)
    # A misspelt key also leaves the key it meant missing; the hint on the misspelling says
    # both, so the missing-key finding would only repeat it.
    meant = {
        (*f.path[:-1], f.hint.split("'")[1])
        for f in found.values()
        if f.rule == "unknown-key" and f.hint
    }
    # What is wrong under a key that is no word is not worth reading until the key is one
    # (pydantic names the key in text there).
    under_bad_keys = {
        (*f.path[:-1], str(f.path[-1])) for f in found.values() if f.rule == "bad-key"
    }
    return [
        f
        for f in found.values()
        if not (f.rule == "missing-key" and f.path in meant)
        and not any(f.path[: len(bad)] == bad and f.rule != "bad-key" for bad in under_bad_keys)
    ]
