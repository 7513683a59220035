"""Check a case's shape against the case JSON Schema and explain problems to people.

The schema file (``schemas/case.schema.json``) is the one editors use. Its enums
marked ``x-policy`` hold the policy's product and fee ids; here they are refilled
from the policy in use, so ``--policy`` with other fees works. An id missing from
the policy is S004 (unknown-reference); every other schema problem is S003.

Speed: most cases are valid, and for them the only answer needed is "valid". The
schema compiled to plain Python checks (``compiled_schema.py``) gives it in a few
microseconds; jsonschema's ``iter_errors``, which explains each problem, runs only on
the cases the compiled check rejects. The compiled check is never more lenient than
jsonschema, so the findings are the same either way.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from validator.dates import is_calendar_date_or_other_shape, parse_date
from validator.diagnostics import Finding, Position, Text
from validator.formatting import describe_path
from validator.formatting import quoted as _short
from validator.lazy_pattern import lazy_compile
from validator.policy import Policy
from validator.rules.structure import MESSAGES
from validator.yaml_loader import LoadedDocument

if TYPE_CHECKING:  # imported only for a case the compiled check rejects
    import jsonschema

SCHEMA_RESOURCE = "schemas/case.schema.json"


def schema_file_text() -> str:
    # A plain file beside this module (package data), read without importlib.resources,
    # whose import costs more than validating a case.
    return (Path(__file__).parent / SCHEMA_RESOURCE).read_text("utf-8")


@cache
def case_id_rule() -> tuple[re.Pattern[str], int]:
    """The case id's pattern and length limit, from the case schema (one home for both)."""
    definition = json.loads(schema_file_text())["$defs"]["case_id"]
    return re.compile(definition["pattern"]), definition["maxLength"]


def is_case_id(text: object) -> bool:
    pattern, longest = case_id_rule()
    return isinstance(text, str) and len(text) <= longest and pattern.fullmatch(text) is not None


def case_schema(policy: Policy) -> dict[str, Any]:
    """The case schema with the ids and limits of ``policy`` filled in."""
    schema: dict[str, Any] = json.loads(schema_file_text())
    ids = {"products": sorted(policy.products), "fees": sorted(policy.fees)}
    for node in _walk(schema):
        source = node.get("x-policy")
        if source in ids:
            node["enum"] = ids[source]
        elif source == "max_amount":
            node["maximum"] = policy.parameters.max_amount
        elif node.get("x-acceptance") == "rule":
            node["enum"] = acceptable_rule_codes()
    return schema


def acceptable_rule_codes() -> list[str]:
    """The rule codes an ``accepted:`` entry may name, from the rule registry."""
    from validator.rules import RULES
    from validator.rules.acceptance import acceptable_codes

    return acceptable_codes([rule.code for rule in RULES])


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


# The years a case date may name: 0001 or 9999 is a typo, and the policy's date
# arithmetic (the due date, days after completion) must stay inside the calendar.
CASE_YEARS = range(1900, 3000)


def _case_date(value: object) -> bool:
    """The ``date`` format of a case: a real day (see dates.py) in ``CASE_YEARS``."""
    day = parse_date(value)
    return is_calendar_date_or_other_shape(value) and (day is None or day.year in CASE_YEARS)


# The formats of a case's schema, by name: jsonschema's format checker and the
# compiled check call these very functions.
CASE_FORMATS: dict[str, Callable[[object], bool]] = {"date": _case_date}


@cache
def _case_validator_class() -> type[jsonschema.protocols.Validator]:
    import jsonschema

    # JSON Schema counts 15000.0 as an integer; whole yen are written 15000, and a
    # decimal amount is S003 (SPEC 4), so only a YAML integer is an integer here.
    extended: type[jsonschema.protocols.Validator] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft202012Validator,
        type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
            "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)))
    return extended


@cache
def _validator(policy: Policy) -> jsonschema.protocols.Validator:
    import jsonschema

    schema = case_schema(policy)
    jsonschema.Draft202012Validator.check_schema(schema)
    format_checker = jsonschema.FormatChecker(formats=())
    for name, test in CASE_FORMATS.items():
        format_checker.checks(name)(test)
    return _case_validator_class()(schema, format_checker=format_checker)


@cache
def compiled_check(policy: Policy) -> Callable[[Any], bool] | None:
    """A check that is True only for a case the schema accepts; None when the schema
    uses a keyword the compiler does not know. Its formats are ``CASE_FORMATS``, as
    for the jsonschema validator, which is neither built nor imported for it."""
    from validator.compiled_schema import compile_schema

    return compile_schema(case_schema(policy), CASE_FORMATS)


def schema_findings(document: LoadedDocument, policy: Policy) -> list[Finding]:
    """One finding per problem, at the key or value a person must fix."""
    fast_check = compiled_check(policy)
    if fast_check is not None and fast_check(document.data):
        return []
    findings: list[Finding] = []
    seen: set[tuple[str, Position, str]] = set()
    errors = sorted(_validator(policy).iter_errors(document.data), key=_error_order)
    # One finding per value: a value of the wrong type gets that message only (not also
    # "too large" for .inf, "not one of" for a number as product), and a payment's amount,
    # a yen (at least 0) and at least 1, gets the stricter minimum only.
    mistyped = {tuple(error.absolute_path) for error in errors if error.validator == "type"}
    strictest: dict[tuple[str | int, ...], Any] = {}
    for error in errors:
        if error.validator == "minimum":
            path = tuple(error.absolute_path)
            strictest[path] = max(strictest.get(path, error.validator_value), error.validator_value)
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator != "type" and path in mistyped:
            continue
        if error.validator == "minimum" and error.validator_value < strictest[path]:
            continue
        for finding in _explain(error, document):
            key = (finding.code, finding.position, finding.message.en)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    return findings


def _error_order(error: jsonschema.ValidationError) -> tuple[str, ...]:
    return tuple(str(part) for part in error.absolute_path)


def _schema(error: jsonschema.ValidationError) -> dict[str, Any]:
    """The (sub)schema that failed, as the plain mapping it is for the case schema."""
    return cast("dict[str, Any]", error.schema)


def explain_schema_error(error: jsonschema.ValidationError, document: LoadedDocument) -> Finding:
    """One schema error of any YAML file checked with positions (the policy's too), said
    as the case files' mistakes are: where, what is wrong and what to write instead."""
    return next(_explain(error, document), Finding("S003", document.position_of(tuple(error.absolute_path)),
                                                    _value_message(error, document, describe_path(
                                                        tuple(error.absolute_path)))))


def _explain(error: jsonschema.ValidationError, document: LoadedDocument) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    where = describe_path(path)
    instance: Any = error.instance
    kind = error.validator
    if kind == "additionalProperties":
        known = list(_schema(error).get("properties", {}))
        for key in instance:
            if key in known:
                continue
            folded = unicodedata.normalize("NFKC", str(key)).strip().lower()
            guess = _close_matches(folded, known)
            if folded in known:  # typed with the IME on, or with a full-width space
                message = MESSAGES["S003.unknown-key.full-width"].format(key=_short(key), suggestion=folded)
            elif guess:
                message = MESSAGES["S003.unknown-key.guess"].format(key=_short(key), guess=guess[0])
            else:
                message = MESSAGES["S003.unknown-key"].format(key=_short(key), known=", ".join(known))
            yield Finding("S003", document.key_position((*path, key)), message)
        return
    if kind == "required":
        for key in cast("list[str]", error.validator_value):
            if key not in instance:
                message = (MESSAGES["S003.missing-key.in"].format(where=where, key=key) if path
                           else MESSAGES["S003.missing-key"].format(key=key))
                yield Finding("S003", document.position_of(path), message)
        return
    position = document.position_of(path)
    if _schema(error).get("x-acceptance") == "rule" and kind == "enum":
        from validator.rules.acceptance import refused_rule_message

        yield Finding("S003", position, refused_rule_message(instance, cast("list[str]", error.validator_value)))
        return
    if _schema(error).get("x-acceptance") == "reason" and kind in ("minLength", "pattern"):
        from validator.rules.acceptance import blank_reason_message

        yield Finding("S003", position, blank_reason_message())
        return
    if kind == "enum" and "x-policy" in _schema(error) and isinstance(instance, str):
        noun = "product" if _schema(error)["x-policy"] == "products" else "fee"
        choices = [str(choice) for choice in cast("list[Any]", error.validator_value)]
        meant = _guess_choice(instance, choices)
        message = (MESSAGES[f"S004.{noun}.guess"].format(where=where, value=_short(instance), guess=meant)
                   if meant else MESSAGES[f"S004.{noun}"].format(where=where, value=_short(instance),
                                                                 choices=", ".join(choices)))
        yield Finding("S004", position, message)
        return
    yield Finding("S003", position, _value_message(error, document, where))


def _close_matches(word: str, choices: list[str], cutoff: float = 0.6) -> list[str]:
    import difflib  # only a case with a problem needs it

    return difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)


# Words people write for an allowed value, which no spelling distance finds.
_SYNONYMS = {
    "japanese": "ja", "jpn": "ja", "日本語": "ja", "english": "en", "eng": "en", "英語": "en",
    "内金": "deposit", "前金": "deposit", "全額": "full", "残金": "balance", "返金": "refund",
    "振込": "bank", "銀行振込": "bank", "銀行": "bank", "カード": "card", "クレジットカード": "card",
    "credit card": "card", "有料": "paid", "マニュアル": "manual", "バグ": "bug", "お断り": "declined",
}


def _guess_choice(value: str, choices: list[str]) -> str | None:
    """The allowed value ``value`` was most likely meant to be: the same in half-width
    lower case, a common synonym, or the closest spelling (``payd`` -> ``paid``)."""
    folded = unicodedata.normalize("NFKC", value).strip().lower()
    for candidate in (folded, _SYNONYMS.get(folded)):
        if candidate in choices:
            return candidate
    # A short word shares few letters: `jp` is half of `ja`; a longer one needs more
    # (`cash` is half of `card` too, and no typo of it).
    guess = _close_matches(folded, choices, cutoff=0.5 if len(folded) <= 2 else 0.6)
    return guess[0] if guess else None


_TYPE_WORDS = {
    "yen": Text(ja="円単位の整数(カンマや引用符なし、例: 15000)", en="a whole number of yen (no commas or quotes, e.g. 15000)"),
    "integer": Text(ja="整数(カンマや引用符なし)", en="a whole number (no commas or quotes)"),
    "string": Text(ja="文字列", en="text"),
    "boolean": Text(ja="true または false", en="true or false"),
    "object": Text(ja="「キー: 値」の組(マッピング)", en="a mapping of `key: value` lines"),
    "array": Text(ja="リスト(各行を「- 」で始める)", en="a list (each entry starting with `- `)"),
    "null": Text(ja="null", en="null"),
}
_OR = Text(ja="または", en=" or ")
_PLACEHOLDER = lazy_compile(r"^[YMD]{2,4}[-/][YMD]{1,2}[-/][YMD]{1,2}$|^[Xx?]{4}-[Xx?]{2}-[Xx?]{2}$|^(?:TODO|TBD|未定)$")


def _value_message(error: jsonschema.ValidationError, document: LoadedDocument, where: Text) -> Text:
    kind, schema = error.validator, _schema(error)
    instance: Any = error.instance
    expected: Any = error.validator_value
    is_date = schema.get("format") == "date"
    if instance is None:
        return _empty_message(error, where)
    if kind in ("type", "pattern", "enum") and isinstance(instance, str):
        wide = _half_width(instance)
        if wide is not None and _fits(error, wide):
            return MESSAGES["S003.full-width"].format(where=where, suggestion=_short(wide))
    if is_date and isinstance(instance, str) and kind in ("type", "pattern", "format"):
        if _PLACEHOLDER.match(instance.strip()):
            return MESSAGES["S003.date.placeholder"].format(where=where, value=_short(instance))
        suggestion = _date_suggestion(instance)
        if suggestion is not None and kind != "format":
            return MESSAGES["S003.date.suggest"].format(where=where, value=_short(instance), suggestion=suggestion)
    if kind == "type" and is_date:
        return MESSAGES["S003.date"].format(where=where, actual=_describe(instance))
    if kind == "type":
        names = [name for name in ([expected] if isinstance(expected, str) else expected) if name != "null"]
        if names == ["string"] and isinstance(instance, (int, float)) and not isinstance(instance, bool):
            source = _source_token(document, tuple(error.absolute_path)) or _short(instance)
            key = next((part for part in reversed(error.absolute_path) if isinstance(part, str)), "")
            variant = "S003.quote-number.leading-zero" if re.fullmatch(r"0[0-9]+", source) else "S003.quote-number"
            return MESSAGES[variant].format(where=where, key=key, source=source, number=_short(instance))
        if names == ["integer"] and isinstance(instance, str):
            amount = _amount_in_text(instance)
            if amount is not None:
                return MESSAGES["S003.amount-as-text"].format(where=where, suggestion=amount)
        return MESSAGES["S003.type"].format(where=where, expected=_joined(names, schema), actual=_describe(instance))
    if kind == "enum":
        choices = [str(choice) for choice in expected if choice is not None]
        guess = _guess_choice(instance, choices) if isinstance(instance, str) else None
        if guess is not None:
            return MESSAGES["S003.choice.guess"].format(where=where, value=_short(instance), guess=guess,
                                                        choices=", ".join(choices))
        return MESSAGES["S003.choice"].format(where=where, value=_short(instance), choices=", ".join(choices))
    if kind in ("pattern", "format") and is_date:
        if kind == "pattern":
            return MESSAGES["S003.date"].format(where=where, actual=_describe(instance))
        if parse_date(instance) is not None:  # a real day, outside CASE_YEARS
            return MESSAGES["S003.date.year"].format(where=where, value=_short(instance),
                                                     first=CASE_YEARS[0], last=CASE_YEARS[-1])
        return MESSAGES["S003.date.not-a-day"].format(where=where, value=_short(instance))
    if kind in ("pattern", "minLength") and _schema(error).get("pattern") == r"\S":  # a reason
        return MESSAGES["S003.reason-blank"].format(where=where)
    if kind == "pattern":
        return MESSAGES["S003.id-characters"].format(where=where, value=_short(instance))
    if kind == "minimum":
        return MESSAGES["S003.minimum"].format(where=where, minimum=f"{expected:,}", value=_short(instance))
    if kind == "maximum":
        return MESSAGES["S003.maximum"].format(where=where, maximum=f"{expected:,}")
    if kind == "minLength":
        return MESSAGES["S003.empty-text"].format(where=where)
    if kind == "maxLength":
        return MESSAGES["S003.too-long"].format(where=where, limit=f"{expected:,}")
    return MESSAGES["S003.other"].format(where=where, detail=_short(error.message, 200))


def _empty_message(error: jsonschema.ValidationError, where: Text) -> Text:
    """An empty value (``key:`` with nothing after it): say what to write there."""
    schema = _schema(error)
    if schema.get("format") == "date":
        return MESSAGES["S003.empty.date"].format(where=where)
    choices = [str(choice) for choice in schema.get("enum", ()) if choice is not None]
    if choices:
        return MESSAGES["S003.empty.choice"].format(where=where, choices=", ".join(choices))
    names = schema.get("type", [])
    names = [name for name in ([names] if isinstance(names, str) else names) if name != "null"]
    return MESSAGES["S003.empty"].format(where=where, expected=_joined(names or ["string"], schema))


def _joined(names: list[str], schema: dict[str, Any]) -> Text:
    # An amount of a case is bounded by the policy's max_amount: its number is in yen.
    yen = schema.get("x-policy") == "max_amount"
    words = [_TYPE_WORDS["yen" if name == "integer" and yen else name] for name in names]
    return Text(ja=_OR.ja.join(word.ja for word in words), en=_OR.en.join(word.en for word in words))


def _half_width(text: str) -> str | None:
    """``text`` with full-width letters, digits and signs made half-width, when it has any."""
    folded = unicodedata.normalize("NFKC", text).strip()
    return folded if folded != text.strip() else None


def _fits(error: jsonschema.ValidationError, folded: str) -> bool:
    """Whether the half-width spelling is what the schema asks for here."""
    schema = _schema(error)
    if "enum" in schema:
        return folded in schema["enum"]
    if schema.get("format") == "date":
        return parse_date(folded) is not None
    types = schema.get("type", [])
    if "integer" in ([types] if isinstance(types, str) else types):
        return re.fullmatch(r"[0-9]+", folded) is not None
    return "pattern" in schema and re.search(schema["pattern"], folded) is not None


def _date_suggestion(text: str) -> str | None:
    """``2026/11/2``, ``2026.11.02`` or ``2026年11月2日`` as ``2026-11-02``, when it names a real day."""
    match = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*",
                         unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    year, month, day = match.groups()
    suggestion = f"{year}-{int(month):02d}-{int(day):02d}"
    return suggestion if parse_date(suggestion) is not None and suggestion != text else None


def _amount_in_text(text: str) -> str | None:
    """``"15,000"``, ``"¥15000"`` or ``"15000円"`` as the integer to write, 15000."""
    digits = re.sub(r"[,\s円¥￥]", "", unicodedata.normalize("NFKC", text))
    return f"{int(digits)}" if re.fullmatch(r"[0-9]{1,12}", digits) else None


_TOKEN = lazy_compile(r"[^\s,\]\}#]+")


def _source_token(document: LoadedDocument, path: tuple[str | int, ...]) -> str | None:
    """The value at ``path`` as written in the file (``0123``, not the number 123 YAML read)."""
    if document.text is None:
        return None
    position = document.position_of(path)
    lines = document.text.splitlines()
    if not 0 < position.line <= len(lines):
        return None
    match = _TOKEN.match(lines[position.line - 1], position.column - 1)
    return _short(match.group()) if match else None


def _describe(value: Any) -> Text:
    if isinstance(value, bool):
        word = str(value).lower()
        return Text(ja=f"真偽値 {word}", en=f"the boolean {word}")
    if isinstance(value, float):
        return Text(ja=f"小数 {_short(value)}", en=f"the decimal {_short(value)}")
    if isinstance(value, int):
        return Text(ja=f"数値 {_short(value)}", en=f"the number {_short(value)}")
    if isinstance(value, str):
        return Text(ja=f"文字列「{_short(value)}」", en=f"the text `{_short(value)}`")
    if isinstance(value, list):
        return Text(ja="リスト", en="a list")
    return Text(ja="マッピング", en="a mapping")
