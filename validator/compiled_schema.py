"""A JSON Schema turned into plain Python functions that only answer "valid or not".

jsonschema explains every problem, which the messages need, but costs about a third
of a millisecond even on a valid case. Most cases are valid: for them this check says
so in a few microseconds, and jsonschema runs only on the cases it rejects.

It is built from closures, not generated source: no code is compiled at run time.
It knows the keywords the case schema uses (type, enum, required, properties,
additionalProperties, items, pattern, format, minimum, maximum, exclusiveMinimum,
exclusiveMaximum, minLength, maxLength, local ``$ref``) and annotations; for a schema
with any other keyword ``compile_schema`` returns None, and jsonschema does all the
work. Each check is as strict as JSON Schema 2020-12 or stricter, never more
lenient, so a case it accepts has no schema error:

* types are exact Python types: an ``integer`` is an ``int`` (not a bool, not 15000.0);
* ``enum`` compares type and value (``true`` is not ``1``);
* a comparison with NaN fails (jsonschema lets NaN through ``minimum``);
* ``format`` calls the very functions of the jsonschema validator's format checker,
  and an exception anywhere rejects the value.

A rejected case is not necessarily invalid: jsonschema decides.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

_TYPES: dict[str, Check] = {
    "object": lambda value: type(value) is dict,
    "array": lambda value: type(value) is list,
    "string": lambda value: type(value) is str,
    "integer": lambda value: type(value) is int,
    "number": lambda value: type(value) is int or type(value) is float,
    "boolean": lambda value: type(value) is bool,
    "null": lambda value: value is None,
}
_NUMBER = (int, float)
# Keywords that never make a value invalid.
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "definitions", "title", "description",
                          "default", "examples", "deprecated", "readOnly", "writeOnly",
                          # editors' annotations (VS Code, yaml-language-server): hover and completion text
                          "markdownDescription", "enumDescriptions", "markdownEnumDescriptions"})


class _Unsupported(Exception):
    """The schema uses a keyword this compiler does not know."""


def compile_schema(schema: Mapping[str, Any], formats: Mapping[str, Check]) -> Check | None:
    """A function telling whether a value is valid, or None for a schema it cannot compile.

    ``formats``: the format checks of the jsonschema validator that has the last word,
    by format name (a format not listed is not checked, as jsonschema does).
    """
    try:
        root = _Compiler(schema, formats).node(schema)
    except _Unsupported:
        return None

    def check(value: Any) -> bool:
        try:
            return root(value)
        except Exception:  # anything unexpected: jsonschema decides
            return False
    return check


class _Compiler:
    def __init__(self, root: Mapping[str, Any], formats: Mapping[str, Check]) -> None:
        self.root = root
        self.formats = formats
        self.references: dict[str, Check] = {}

    def node(self, schema: Any) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, Mapping):
            raise _Unsupported(schema)
        checks: list[Check] = []
        for keyword, argument in schema.items():
            if keyword in _ANNOTATIONS or keyword.startswith("x-") or keyword in (
                    "properties", "additionalProperties"):
                continue
            method = _METHOD_BY_KEYWORD.get(keyword)
            if method is None:
                raise _Unsupported(keyword)
            checks.append(getattr(self, method)(argument))
        if "properties" in schema or "additionalProperties" in schema:
            checks.append(self._object(schema.get("properties", {}), schema.get("additionalProperties", True)))
        return _all(checks)

    # --- keywords --------------------------------------------------------------------

    def _type(self, names: str | list[str]) -> Check:
        try:
            tests = tuple(_TYPES[name] for name in ([names] if isinstance(names, str) else names))
        except (KeyError, TypeError):
            raise _Unsupported(names) from None
        if len(tests) == 1:
            return tests[0]
        if len(tests) == 2:
            first, second = tests
            return lambda value: first(value) or second(value)
        return lambda value: any(test(value) for test in tests)

    def _enum(self, choices: list[Any]) -> Check:
        allowed = []
        for choice in choices:
            if choice is not None and type(choice) not in (str, int, bool):
                raise _Unsupported(choice)
            allowed.append((type(choice), choice))
        allowed_set = frozenset(allowed)
        return lambda value: type(value) in (str, int, bool, type(None)) and (type(value), value) in allowed_set

    def _required(self, keys: list[str]) -> Check:
        needed = frozenset(keys)
        return lambda value: type(value) is not dict or needed <= value.keys()

    def _object(self, properties: Mapping[str, Any], additional: Any) -> Check:
        checks = {key: self.node(sub) for key, sub in properties.items()}
        others = None if additional is True else self.node(additional)

        def check(value: Any) -> bool:
            if type(value) is not dict:
                return True
            for key, item in value.items():
                sub = checks.get(key)
                if sub is None:
                    if others is not None and not others(item):
                        return False
                elif not sub(item):
                    return False
            return True
        return check

    def _items(self, items: Any) -> Check:
        if not isinstance(items, (Mapping, bool)):
            raise _Unsupported("items as a list")
        sub = self.node(items)

        def check(value: Any) -> bool:
            if type(value) is not list:
                return True
            for item in value:  # noqa: SIM110 - a loop costs less than all() over a generator, per value
                if not sub(item):
                    return False
            return True
        return check

    def _pattern(self, pattern: str) -> Check:
        search = re.compile(pattern).search  # jsonschema searches too, with no flags
        return lambda value: type(value) is not str or search(value) is not None

    def _format(self, name: str) -> Check:
        test = self.formats.get(name)
        if test is None:
            return lambda value: True
        return lambda value: bool(test(value))

    def _minimum(self, limit: float) -> Check:
        return lambda value: type(value) not in _NUMBER or value >= limit

    def _maximum(self, limit: float) -> Check:
        return lambda value: type(value) not in _NUMBER or value <= limit

    def _exclusive_minimum(self, limit: float) -> Check:
        if isinstance(limit, bool):
            raise _Unsupported("exclusiveMinimum as a boolean (draft 4)")
        return lambda value: type(value) not in _NUMBER or value > limit

    def _exclusive_maximum(self, limit: float) -> Check:
        if isinstance(limit, bool):
            raise _Unsupported("exclusiveMaximum as a boolean (draft 4)")
        return lambda value: type(value) not in _NUMBER or value < limit

    def _min_length(self, length: int) -> Check:
        return lambda value: type(value) is not str or len(value) >= length

    def _max_length(self, length: int) -> Check:
        return lambda value: type(value) is not str or len(value) <= length

    def _reference(self, reference: str) -> Check:
        if reference in self.references:
            return self.references[reference]
        if not reference.startswith("#/"):
            raise _Unsupported(reference)
        target: Any = self.root
        for part in reference[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or part not in target:
                raise _Unsupported(reference)
            target = target[part]
        resolved: list[Check] = []
        self.references[reference] = lambda value: resolved[0](value)  # for a schema that refers to itself
        resolved.append(self.node(target))
        self.references[reference] = resolved[0]
        return resolved[0]


_METHOD_BY_KEYWORD = {
    "type": "_type", "enum": "_enum", "required": "_required", "items": "_items", "pattern": "_pattern",
    "format": "_format", "minimum": "_minimum", "maximum": "_maximum",
    "exclusiveMinimum": "_exclusive_minimum", "exclusiveMaximum": "_exclusive_maximum",
    "minLength": "_min_length", "maxLength": "_max_length", "$ref": "_reference",
}


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    checks_tuple = tuple(checks)

    def check_all(value: Any) -> bool:
        for check in checks_tuple:  # noqa: SIM110 - a loop costs less than all() over a generator, per value
            if not check(value):
                return False
        return True
    return check_all
