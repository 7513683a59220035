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
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from validator.dates import is_calendar_date_or_other_shape, parse_date
from validator.diagnostics import Finding, Position, Text
from validator.policy import Policy
from validator.yaml_loader import LoadedDocument
from validator.yaml_loader import excerpt as _short

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
    schema = json.loads(schema_file_text())
    ids = {"products": sorted(policy.products), "fees": sorted(policy.fees)}
    for node in _walk(schema):
        source = node.get("x-policy")
        if source in ids:
            node["enum"] = ids[source]
        elif source == "max_amount":
            node["maximum"] = policy.parameters.max_amount
    return schema


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


def _explain(error: jsonschema.ValidationError, document: LoadedDocument) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    where_ja, where_en = describe_path(path, "ja"), describe_path(path, "en")
    instance = error.instance
    kind = error.validator
    if kind == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        for key in instance:
            if key in known:
                continue
            guess = _close_matches(key, known)
            hint_ja = f"「{guess[0]}」の書き間違いではありませんか?" if guess else f"使えるキー: {', '.join(known)}"
            hint_en = f"did you mean `{guess[0]}`?" if guess else f"known keys: {', '.join(known)}"
            yield Finding("S003", document.key_position((*path, key)), Text(
                ja=f"「{_short(key)}」は使えないキーです。{hint_ja}",
                en=f"`{_short(key)}` is not a known key; {hint_en}"))
        return
    if kind == "required":
        for key in error.validator_value:
            if key not in instance:
                place_ja = f"{where_ja}に" if path else ""
                place_en = f" in {where_en}" if path else ""
                yield Finding("S003", document.position_of(path), Text(
                    ja=f"{place_ja}必須のキー「{key}」がありません。",
                    en=f"The required key `{key}` is missing{place_en}."))
        return
    position = document.position_of(path)
    if kind == "enum" and "x-policy" in error.schema and isinstance(instance, str):
        source = error.schema["x-policy"]
        noun_ja, noun_en = ("製品", "product") if source == "products" else ("料金", "fee")
        choices = ", ".join(error.validator_value)
        guess = _close_matches(instance, error.validator_value)
        hint_en = f" Did you mean `{guess[0]}`?" if guess else f" Known: {choices}."
        hint_ja = f"「{guess[0]}」の書き間違いではありませんか?" if guess else f"使えるid: {choices}"
        yield Finding("S004", position, Text(
            ja=f"{where_ja}: ポリシーにない{noun_ja}id「{_short(instance)}」です。{hint_ja}",
            en=f"{where_en}: `{_short(instance)}` is not a {noun_en} id of the policy.{hint_en}"))
        return
    yield Finding("S003", position, _value_message(error, where_ja, where_en))


def _close_matches(word: str, choices: list[str]) -> list[str]:
    import difflib  # only a case with a problem needs it

    return difflib.get_close_matches(word, choices, n=1, cutoff=0.6)


_TYPE_WORDS = {
    "integer": ("円単位の整数(カンマや引用符なし、例: 15000)", "a whole number of yen (no commas or quotes, e.g. 15000)"),
    "string": ("文字列", "text"),
    "boolean": ("true または false", "true or false"),
    "object": ("「キー: 値」の組(マッピング)", "a mapping of `key: value` lines"),
    "array": ("リスト(各行を「- 」で始める)", "a list (each entry starting with `- `)"),
    "null": ("null", "null"),
}


def _value_message(error: jsonschema.ValidationError, where_ja: str, where_en: str) -> Text:
    kind, instance, expected = error.validator, error.instance, error.validator_value
    if kind == "type" and error.schema.get("format") == "date":
        return Text(ja=f"{where_ja}は日付をYYYY-MM-DDの形で書いてください(例: 2026-11-02)。今は{_describe(instance, 'ja')}です。",
                    en=f"{where_en} must be a date written YYYY-MM-DD (e.g. 2026-11-02), not {_describe(instance, 'en')}.")
    if kind == "type":
        names = [name for name in ([expected] if isinstance(expected, str) else expected) if name != "null"]
        ja = "または".join(_TYPE_WORDS[name][0] for name in names)
        en = " or ".join(_TYPE_WORDS[name][1] for name in names)
        return Text(ja=f"{where_ja}は{ja}で書いてください(今は{_describe(instance, 'ja')})。",
                    en=f"{where_en} must be {en}, not {_describe(instance, 'en')}.")
    if kind == "enum":
        choices = ", ".join(str(choice) for choice in expected if choice is not None)
        return Text(ja=f"{where_ja}に「{_short(instance)}」は使えません。次のいずれかです: {choices}",
                    en=f"{where_en} cannot be `{_short(instance)}`; use one of: {choices}.")
    if kind in ("pattern", "format") and "format" in error.schema:
        if kind == "pattern":
            return Text(ja=f"{where_ja}は日付をYYYY-MM-DDの形で書いてください(例: 2026-11-02)。今は「{_short(instance)}」です。",
                        en=f"{where_en} must be a date written YYYY-MM-DD (e.g. 2026-11-02), not `{_short(instance)}`.")
        if parse_date(instance) is not None:  # a real day, outside CASE_YEARS
            return Text(ja=f"{where_ja}の「{_short(instance)}」は案件の日付としてありえません({CASE_YEARS[0]}〜{CASE_YEARS[-1]}年)。年を確認してください。",
                        en=f"{where_en}: `{_short(instance)}` is not a plausible case date (years {CASE_YEARS[0]}-{CASE_YEARS[-1]}); check the year.")
        return Text(ja=f"{where_ja}の「{_short(instance)}」は存在しない日付です。",
                    en=f"{where_en}: `{_short(instance)}` is not a real calendar date.")
    if kind == "pattern":
        return Text(ja=f"{where_ja}は英数字と「-」「_」だけで書いてください(今は「{_short(instance)}」)。",
                    en=f"{where_en} may contain only letters, digits, `-` and `_` (not `{_short(instance)}`).")
    if kind == "minimum":
        return Text(ja=f"{where_ja}は{expected:,}以上にしてください(今は{_short(instance)})。",
                    en=f"{where_en} must be at least {expected:,} (not {_short(instance)}).")
    if kind == "maximum":
        return Text(ja=f"{where_ja}が大きすぎます(上限{expected:,})。金額を確認してください。",
                    en=f"{where_en} is larger than the sane maximum of {expected:,}. Check the amount.")
    if kind in ("maxLength", "minLength"):
        return Text(ja=f"{where_ja}の長さが許容範囲外です({kind}: {expected})。",
                    en=f"{where_en} has a length outside what is allowed ({kind}: {expected}).")
    return Text(ja=f"{where_ja}: {error.message}", en=f"{where_en}: {error.message}")


def describe_path(path: tuple[str | int, ...], lang: str) -> str:
    """A place in a case as a person reads it: `payments の2件目の amount`."""
    if not path:
        return "ファイル全体" if lang == "ja" else "the case"
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts[-1] += f" {part + 1}件目" if lang == "ja" else f" #{part + 1}"
        else:
            parts.append(part)
    text = " > ".join(parts)
    return f"「{text}」" if lang == "ja" else f"`{text}`"


def _describe(value: Any, lang: str) -> str:
    if value is None:
        return "空" if lang == "ja" else "empty"
    if isinstance(value, bool):
        return f"真偽値 {str(value).lower()}" if lang == "ja" else f"the boolean {str(value).lower()}"
    if isinstance(value, float):
        return f"小数 {value}" if lang == "ja" else f"the decimal {value}"
    if isinstance(value, int):
        return f"数値 {_short(value)}" if lang == "ja" else f"the number {_short(value)}"
    if isinstance(value, str):
        return f"文字列「{_short(value)}」" if lang == "ja" else f"the text `{_short(value)}`"
    if isinstance(value, list):
        return "リスト" if lang == "ja" else "a list"
    return "マッピング" if lang == "ja" else "a mapping"
