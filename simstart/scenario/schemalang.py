"""The small schema language scenario keys are declared in, and the checker that applies it.

``F`` describes one key (its JSON type, whether it is required, allowed values, range, pattern,
the keys of a mapping or the items of a list); ``Checker.fields`` checks a YAML mapping against
a ``dict[str, F]`` and collects one located problem per mistake. The keys themselves are
declared in ``schema``; the JSON Schema for editors is generated from them by
``schema_export``.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from .yamlsource import KeyPath, Located, ScenarioError


class F(NamedTuple):
    """One key: its JSON type, whether it is required, allowed values, and a description."""

    type: str  # "string" | "integer" | "boolean" | "array" | "object" | "array|string" …
    required: bool = False
    enum: tuple[Any, ...] | None = None
    items: Any = None  # for arrays: a type name, or a dict of F for objects
    fields: dict[str, F] | None = None  # for objects with known keys
    values: Any = None  # for free-form objects: each value's type name, F, or dict of F
    doc: str = ""
    pattern: str | None = None  # for strings (and string items): a regular expression
    expected: str = ""  # what a value that does not match ``pattern`` should look like
    minimum: int | None = None  # for integers
    maximum: int | None = None
    min_items: int | None = None  # for arrays



_PY = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict}
_WANT = {"array": "a list", "object": "a mapping", "integer": "an integer",
         "boolean": "a boolean (true or false)", "string": "a string"}


def typename(v: Any) -> str:
    if v is None:
        return "nothing (null)"
    for name, t in (("boolean", bool), ("integer", int), ("string", str), ("array", list),
                    ("object", dict)):
        if isinstance(v, t):
            return {"array": "a list", "object": "a mapping", "integer": "an integer",
                    "boolean": "a boolean", "string": "a string"}[name]
    if isinstance(v, float):
        return "a number"
    return {"datetime": "a date and time", "date": "a date", "bytes": "binary data"}.get(
        type(v).__name__, type(v).__name__)


def is_type(v: Any, t: str) -> bool:
    return any((isinstance(v, _PY[x]) and not (x == "integer" and isinstance(v, bool)))
               for x in t.split("|"))


def suggest(word: str, choices: list[str]) -> str:
    import difflib  # only when there is a typo to suggest for: keeps `simstart run` light

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:  # a language tag with a region (zh-CN, ZH_cn) for the language alone
        head = re.split(r"[-_]", word, maxsplit=1)[0].lower()
        close = [c for c in choices if head == c and head != word]
    return f" (did you mean `{close[0]}`?)" if close else ""


def short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "…"


class Checker:
    """Collects the problems of one document."""

    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.problems: list[ScenarioError] = []

    def add(self, path: KeyPath, message: str) -> None:
        """Record a problem at ``path``."""
        self.problems.append(self.doc.error(path, message))

    # -- the schema --------------------------------------------------------------------------

    def value(self, value: Any, spec: F, path: KeyPath) -> bool:
        """Check ``value`` against ``spec``; True when it (and all below it) is fine."""
        if not is_type(value, spec.type):
            want = " or ".join(_WANT[x] for x in spec.type.split("|"))
            quotable = (isinstance(value, (int, float, bool))
                        or type(value).__name__ in ("date", "datetime"))
            hint = " (put it in quotes)" if "string" in spec.type.split("|") and quotable else ""
            self.add(path, f"is {typename(value)}, expected {want}{hint}")
            return False
        if spec.enum is not None and value not in spec.enum:
            sug = suggest(str(value), [str(e) for e in spec.enum])
            choices = ", ".join(str(e) for e in spec.enum)
            self.add(path, f"{short(value)} is not allowed{sug}; expected one of: {choices}")
            return False
        if isinstance(value, str) and spec.pattern is not None and not re.search(spec.pattern,
                                                                                value):
            self.add(path, f"{short(value)} is not valid; expected {spec.expected}")
            return False
        if isinstance(value, int) and not isinstance(value, bool):
            lo, hi = spec.minimum, spec.maximum
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                rng = (f"from {lo} to {hi}" if lo is not None and hi is not None
                       else f"at least {lo}" if lo is not None else f"at most {hi}")
                self.add(path, f"{value} is out of range; expected an integer {rng}")
                return False
        ok = True
        if isinstance(value, list):
            if spec.min_items is not None and len(value) < spec.min_items:
                self.add(path, f"is empty; expected at least {spec.min_items} item")
                ok = False
            if spec.items is not None:
                for i, item in enumerate(value):
                    if isinstance(spec.items, dict):
                        ok = self.fields(item, spec.items, (*path, i)) and ok
                    else:
                        item_spec = spec.items if isinstance(spec.items, F) else F(spec.items)
                        ok = self.value(item, item_spec, (*path, i)) and ok
        if isinstance(value, dict):
            if spec.fields is not None:
                ok = self.fields(value, spec.fields, path) and ok
            elif spec.values is not None:
                for k, v in value.items():
                    if not isinstance(k, str):
                        self.add((*path, str(k)), f"key {short(k)} is {typename(k)}, "
                                 "expected a string (put it in quotes)")
                        ok = False
                        continue
                    if isinstance(spec.values, dict):
                        ok = self.fields(v, spec.values, (*path, k)) and ok
                    else:
                        vs = spec.values if isinstance(spec.values, F) else F(spec.values)
                        ok = self.value(v, vs, (*path, k)) and ok
        return ok

    def fields(self, value: Any, fields: dict[str, F], path: KeyPath) -> bool:
        """Check a mapping with known keys: unknown keys, types, required keys."""
        if not isinstance(value, dict):
            self.add(path, f"is {typename(value)}, expected a mapping with keys "
                     f"{', '.join(fields)}")
            return False
        ok = True
        for k in value:
            if not isinstance(k, str) or k not in fields:
                self.add((*path, str(k)), f"unknown key{suggest(str(k), list(fields))}; "
                         f"expected one of: {', '.join(fields)}")
                ok = False
        for k, f in fields.items():
            if k in value:
                ok = self.value(value[k], f, (*path, k)) and ok
            elif f.required:
                self.add(path, f"missing required key `{k}`")
                ok = False
        return ok

