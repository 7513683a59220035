"""Load the policy from ``policy/``: validated, typed, and the only home of its numbers.

A broken policy is a configuration failure, not a case problem: it raises
``PolicyError`` with the file, line and column, and the CLI exits with 2.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from validator import policy_cache
from validator.dates import date_format_checker, parse_date
from validator.diagnostics import Text
from validator.formatting import describe_path
from validator.yaml_loader import MESSAGES as LOADER_MESSAGES
from validator.yaml_loader import LoadedDocument, load_file

if TYPE_CHECKING:  # jsonschema is imported only when a policy is checked, not read from the cache
    import jsonschema

POLICY_FILES = ("policy.yaml", "fees.yaml", "products.yaml", "clauses.yaml", "flow.yaml", "legal.yaml",
                "history.yaml")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_ID_PATTERN = "^[a-z][a-z0-9-]*$"  # the schemas' `id`: fee, product, clause and label names
_LANGUAGE_PATTERN = "^[a-z]{2}$"  # the keys of a `text`: ja, en


class PolicyError(Exception):
    """The policy cannot be used; the message names the file and the place, in every
    language (``text``); ``str()`` is the English."""

    def __init__(self, message: str | Text) -> None:
        self.text = message if isinstance(message, Text) else Text(ja=message, en=message)
        super().__init__(self.text.en)


MESSAGES: dict[str, Text] = {
    "no-folder": Text(ja="{where}: ポリシーのフォルダーがありません。--policy でフォルダーを指定してください。",
                      en="{where}: the policy folder does not exist; name it with --policy."),
    "missing-file": Text(ja="{where}: ポリシーのファイルがありません。git checkout -- {path} などで元に戻してください。",
                         en="{where}: missing policy file; restore it (e.g. git checkout -- {path})."),
    "empty-file": Text(ja="{where}: ポリシーのファイルが空です。内容を元に戻してください(git checkout -- {path} など)。",
                       en="{where}: the policy file is empty; restore its content (e.g. git checkout -- {path})."),
    "not-a-mapping": Text(ja="{where}: ポリシーのファイルは「キー: 値」の形で書きます。内容を元に戻してください(git checkout -- {path} など)。",
                          en="{where}: a policy file is written as `key: value` lines; restore its content "
                             "(e.g. git checkout -- {path})."),
    "in-file": Text(ja="{where}: {detail}", en="{where}: {detail}"),
    "languages": Text(ja="{where}: `languages` にはサイトの言語を ja と en から挙げてください。",
                      en="{where}: `languages` must list the site's languages, from ja and en."),
    "translation-missing": Text(ja="{where}: 「{path}」の訳がありません: {missing}",
                                en="{where}: `{path}`: a translation is missing: {missing}"),
    "history-placeholder": Text(
        ja="{where}: 改定履歴は書いた時のまま残します。置き換え用の {{{name}}} ではなく数字を書いてください。",
        en="{where}: the history is written out: write the number instead of the placeholder {{{name}}}."),
    "unknown-placeholder": Text(ja="{where}: 置き換え用の {{{name}}} は使えません。使えるもの: {known}",
                                en="{where}: unknown placeholder {{{name}}}; known: {known}"),
    "used-twice": Text(ja="{where}: {key} {value} が2回使われています。それぞれに別の {key} を付けてください。",
                       en="{where}: {key} {value} is used twice; give each its own {key}."),
    "unknown-note": Text(ja="{where}: 注記{note}を持つ条項がありません。clauses.yaml の条項にある note の番号を書いてください。",
                         en="{where}: no clause carries note {note}; write the note number of a clause of clauses.yaml."),
    "time-zone": Text(ja="{where}: タイムゾーン {zone} が見つかりません(例: Asia/Tokyo)。",
                      en="{where}: unknown time zone {zone} (e.g. Asia/Tokyo)."),
    "reminder-too-early": Text(
        ja="{where}: balance_reminder_days の {days} が、支払期限までの日数(balance_deadline_days: {deadline})より大きくなっています。",
        en="{where}: balance_reminder_days: {days} is more days before the due date than the "
           "balance_deadline_days ({deadline})."),
    "deposit-ratio": Text(ja="{where}: deposit_ratio は1以下にしてください(numerator を denominator 以下に)。",
                          en="{where}: deposit_ratio must not exceed 1 (numerator at most the denominator)."),
    "id-key": Text(ja="{where}: 「{key}」は名前に使えません。小文字の英字で始め、小文字の英字・数字・「-」だけで書いてください。",
                   en="{where}: `{key}` cannot be a name here: start with a lowercase letter and use only lowercase "
                      "letters, digits and `-`."),
    "language-key": Text(ja="{where}: 「{key}」は言語のキーになりません。ja、en のように小文字2文字で書いてください。",
                         en="{where}: `{key}` is no language key: write two lowercase letters, such as ja or en."),
    "key-name": Text(ja="{where}: キー「{key}」はここでは使えません(形式: {pattern})。",
                     en="{where}: the key `{key}` is not allowed here (it must match {pattern})."),
    "unknown-id": Text(ja="{where}: {kind} {value} はありません。使えるもの: {known}",
                       en="{where}: unknown {kind} {value}; known: {known}"),
    "history-unknown-fee": Text(
        ja="{where}: バージョン {version}: {fee} は fees.yaml にない料金です。以前のバージョンには fees.yaml の料金ごとに目安を書きます。",
        en="{where}: version {version}: {fee} is not a fee of fees.yaml; an earlier version gives a guide for "
           "each fee of fees.yaml."),
    "history-missing-fees": Text(
        ja="{where}: バージョン {version}: {fees} の料金の目安がありません。どのバージョンにもすべての条件を書きます。",
        en="{where}: version {version}: no guide price for {fees}; every version's terms are complete."),
    "history-order": Text(
        ja="{where}: バージョンは古い順に、後のものほど遅い日付で書きます。バージョン {older}({older_date})が{later}({later_date})より前になっていません。",
        en="{where}: versions are listed oldest first, each taking effect later: version {older} "
           "({older_date}) is not before {later} ({later_date})."),
    "history-current": Text(ja="現在のバージョン(policy.yaml)", en="the current version (policy.yaml)"),
    "history-version": Text(ja="バージョン {version}", en="version {version}"),
    "history-twice": Text(ja="{where}: バージョン {version} が2回書かれています。版ごとに別の番号を付けてください。",
                          en="{where}: version {version} is listed twice; give each version its own number."),
}


def _at(path: Path, document: LoadedDocument | None = None, at: tuple[str | int, ...] | None = None, *,
        key: bool = False) -> str:
    """``file:line:column`` of a place in a policy file (just the file when none is known)."""
    if document is None or at is None:
        return str(path)
    position = document.key_position(at) if key else document.position_of(at)
    return f"{path}:{position.line}:{position.column}"


@dataclass(frozen=True)
class Fee:
    id: str
    name: Mapping[str, str]
    minimum: int  # the fee guide's "from" price in whole yen


@dataclass(frozen=True)
class Product:
    id: str
    name: Mapping[str, str]
    api_signature_step: bool
    backup_step: bool


@dataclass(frozen=True)
class Parameters:
    time_zone: str
    currency: str
    self_operated_multiplier: int
    deposit_ratio: Fraction
    balance_deadline_days: int
    max_amount: int
    # Days before the due date on which the customer is reminded (0: the due date), latest first.
    balance_reminder_days: tuple[int, ...] = ()


@dataclass(frozen=True, eq=False)  # identity equality, like Policy: a cache key
class PolicyVersion:
    """One version of the policy: when it took effect, what it changed, and its terms
    (the parameters and fee guides the rules read)."""

    version: str
    effective: dt.date
    changes: Mapping[str, str]
    parameters: Parameters
    fees: Mapping[str, Fee]


@dataclass(frozen=True, eq=False)  # identity equality: one loaded policy, usable as a cache key
class Policy:
    """The whole policy. Numbers are read from here by the rules and the site alike."""

    directory: Path
    version: str
    effective: dt.date
    languages: tuple[str, ...]
    title: Mapping[str, str]
    parameters: Parameters
    fees: Mapping[str, Fee]
    products: Mapping[str, Product]
    clauses: tuple[Mapping[str, Any], ...]
    steps: tuple[Mapping[str, Any], ...]
    legal_notice: tuple[Mapping[str, Any], ...]
    # Every version, oldest first; the last is this file's current one (history.yaml).
    history: tuple[PolicyVersion, ...] = ()
    history_applies: Mapping[str, str] | None = None  # which version a case is handled by, in words

    # --- versions (SPEC 7.3) -------------------------------------------------------

    def version_in_force(self, day: dt.date) -> PolicyVersion | None:
        """The version in force on ``day``; the oldest for a day before every version."""
        if not self.history:
            return None
        chosen = self.history[0]
        for version in self.history:
            if version.effective <= day:
                chosen = version
        return chosen

    def in_force(self, day: dt.date | None) -> Policy:
        """This policy with the terms of the version in force on ``day``.

        Everything but the terms (products, texts, the time zone) stays today's. The
        policy of each version is made once, so the caches keyed by policy keep working.
        """
        version = self.version_in_force(day) if day is not None else None
        if version is None or (version.version == self.version and version.effective == self.effective):
            return self
        return _policy_of_version(self, version)

    # --- the policy's arithmetic ---------------------------------------------------

    def deposit(self, total: int) -> int:
        """The share of ``total`` due before work starts, rounded up to the yen."""
        return math.ceil(total * self.parameters.deposit_ratio)

    def due_date(self, completed: dt.date) -> dt.date:
        """The last day on which the balance is paid in time."""
        return completed + dt.timedelta(days=self.parameters.balance_deadline_days)

    def fee_guide(self, fee_id: str, *, self_operated: bool) -> int:
        """The guide price of a fee, multiplied when the customer operates the server."""
        minimum = self.fees[fee_id].minimum
        return minimum * self.parameters.self_operated_multiplier if self_operated else minimum

    # --- texts --------------------------------------------------------------------

    def placeholders(self, lang: str) -> dict[str, str]:
        """The values that ``{name}`` stands for in the policy's texts."""
        parameters = self.parameters
        return {
            "self_operated_multiplier": str(parameters.self_operated_multiplier),
            "balance_deadline_days": str(parameters.balance_deadline_days),
            "deposit_share": share_in_words(parameters.deposit_ratio, lang),
        }

    def text(self, localized: Mapping[str, str], lang: str) -> str:
        """A localized text of the policy in ``lang``, its parameters filled in."""
        values = self.placeholders(lang)
        return _PLACEHOLDER.sub(lambda match: values[match.group(1)], localized[lang])

    def clause(self, clause_id: str) -> Mapping[str, Any]:
        for clause in self.clauses:
            if clause["id"] == clause_id:
                return clause
        raise KeyError(clause_id)


def share_in_words(ratio: Fraction, lang: str) -> str:
    """A fraction as a customer would say it: 半額 / half, 3分の1 / 1/3."""
    if ratio == Fraction(1, 2):
        return "半額" if lang == "ja" else "half"
    if lang == "ja":
        return f"{ratio.denominator}分の{ratio.numerator}"
    return f"{ratio.numerator}/{ratio.denominator}"


def load_policy(directory: str | Path) -> Policy:
    """Read, validate and type the policy in ``directory``.

    The policy is checked once per content: in this process, and across runs through
    ``policy_cache`` (keyed by the text of every policy file and the validator's code),
    so an edited policy is always checked again, whatever its path.
    """
    folder = Path(directory).resolve()
    key = policy_cache.policy_key(folder) if folder.is_dir() else None
    return _load_policy(folder, key)


def forget_loaded_policies() -> None:
    """Drop the policies loaded in this process (``mkdocs serve``); edits are noticed anyway."""
    _load_policy.cache_clear()
    _policy_of_version.cache_clear()


@cache
def _policy_of_version(policy: Policy, version: PolicyVersion) -> Policy:
    return replace(policy, version=version.version, effective=version.effective,
                   parameters=version.parameters, fees=version.fees)


@lru_cache(maxsize=32)  # by folder and content: a test editing a policy copy gets the new policy
def _load_policy(directory: Path, key: str | None) -> Policy:
    if not directory.is_dir():
        raise PolicyError(MESSAGES["no-folder"].format(where=str(directory)))
    data = policy_cache.read(key) if key is not None else None
    if data is not None:
        return _build(directory, data)
    policy, data = _check(directory)
    if key is not None and policy_cache.policy_key(directory) == key:  # unchanged while checked
        policy_cache.write(key, data)
    return policy


def _check(directory: Path) -> tuple[Policy, dict[str, Any]]:
    """Every check of the policy in ``directory``; the policy and the data that passed them."""
    documents = {name: _load_document(directory, name) for name in POLICY_FILES}
    meta = documents["policy.yaml"]
    languages = _validate_meta(directory, meta)
    validator = _schema_validator(languages)
    for name, document in documents.items():
        _validate(directory, name, document, validator)
    _check_placeholders(directory, documents)
    data = {name: document.data for name, document in documents.items()}
    policy = _build(directory, data, history_document=documents["history.yaml"])
    _check_ids(directory, documents)
    return policy, data


def _load_document(directory: Path, name: str) -> LoadedDocument:
    path = directory / name
    if not path.is_file():
        raise PolicyError(MESSAGES["missing-file"].format(where=str(path), path=str(path)))
    document = load_file(str(path))
    if document.findings:
        finding = document.findings[0]
        where = f"{path}:{finding.position.line}:{finding.position.column}"
        # The loader's words for an empty file or one that is no mapping speak of a case file.
        if finding.message == LOADER_MESSAGES["S003.empty"]:
            raise PolicyError(MESSAGES["empty-file"].format(where=where, path=str(path)))
        if finding.message in (LOADER_MESSAGES["S003.top-level-list"], LOADER_MESSAGES["S003.top-level-value"]):
            raise PolicyError(MESSAGES["not-a-mapping"].format(where=where, path=str(path)))
        raise PolicyError(MESSAGES["in-file"].format(where=where, detail=finding.message))
    return document


def load_policy_file(policy: Policy, name: str) -> LoadedDocument:
    """One more file of the policy's folder (``templates.yaml``), checked against its
    definition in the policy schema; a broken file raises ``PolicyError`` at line:col."""
    return load_checked_file(policy.directory, name, _schema_validator(policy.languages))


def load_checked_file(directory: Path, name: str, validator: jsonschema.protocols.Validator) -> LoadedDocument:
    """A YAML file of a policy folder, loaded with positions and checked against the
    definition ``$defs/<name>`` of ``validator``'s schema (the policy's, or the site's own);
    a missing or broken file raises ``PolicyError`` at its line:col, in every language."""
    document = _load_document(directory, name)
    _validate(directory, name, document, validator)
    return document


def _validate_meta(directory: Path, meta: LoadedDocument) -> tuple[str, ...]:
    languages = meta.data.get("languages") if isinstance(meta.data, dict) else None
    if not isinstance(languages, list) or not languages or not all(
            lang in ("ja", "en") for lang in languages):
        raise PolicyError(MESSAGES["languages"].format(where=_at(directory / "policy.yaml", meta, ("languages",))))
    return tuple(languages)


@cache
def _schema_validator(languages: tuple[str, ...]) -> jsonschema.protocols.Validator:
    import copy

    import jsonschema

    schema = copy.deepcopy(policy_schema())
    schema["$defs"]["text"]["required"] = list(languages)
    return jsonschema.Draft202012Validator(schema, format_checker=date_format_checker())


def policy_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((Path(__file__).parent / "schemas" / "policy.schema.json").read_text("utf-8"))
    return schema


def _validate(directory: Path, name: str, document: LoadedDocument,
              validator: jsonschema.protocols.Validator) -> None:
    definitions = cast("Mapping[str, Any]", validator.schema)["$defs"]
    sub = validator.evolve(schema={"$ref": f"#/$defs/{name}", "$defs": definitions})
    errors = sorted(sub.iter_errors(document.data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        error = errors[0]
        path = tuple(error.absolute_path)
        if error.validator == "required" and "propertyNames" in cast("Mapping[str, Any]", error.schema):  # a `text`
            present = cast("Mapping[str, Any]", error.instance)
            missing = ", ".join(lang for lang in cast("list[str]", error.validator_value) if lang not in present)
            raise PolicyError(MESSAGES["translation-missing"].format(
                where=_at(directory / name, document, path), path=describe_path(path), missing=missing))
        if "propertyNames" in error.absolute_schema_path:  # a key's own name is wrong: point at the key
            key = str(error.instance)
            pattern = cast("Mapping[str, Any]", error.schema).get("pattern")
            kind = {_ID_PATTERN: "id-key", _LANGUAGE_PATTERN: "language-key"}.get(str(pattern), "key-name")
            raise PolicyError(MESSAGES[kind].format(
                where=_at(directory / name, document, (*path, key), key=True), key=key, pattern=pattern))
        from validator.case_schema import explain_schema_error  # the case files' words for each mistake

        finding = explain_schema_error(error, document)
        raise PolicyError(MESSAGES["in-file"].format(
            where=f"{directory / name}:{finding.position.line}:{finding.position.column}", detail=finding.message))


def _check_placeholders(directory: Path, documents: Mapping[str, LoadedDocument]) -> None:
    known = {"self_operated_multiplier", "balance_deadline_days", "deposit_share"}
    for name, document in documents.items():
        for string in document.strings:
            for match in _PLACEHOLDER.finditer(string.value):
                where = _at(directory / name, document, string.path)
                if name == "history.yaml":  # filled with today's numbers, an old text would change
                    raise PolicyError(MESSAGES["history-placeholder"].format(where=where, name=match.group(1)))
                if match.group(1) not in known:
                    raise PolicyError(MESSAGES["unknown-placeholder"].format(
                        where=where, name=match.group(1), known=", ".join(sorted(known))))


def _check_ids(directory: Path, documents: Mapping[str, LoadedDocument]) -> None:
    for name, list_key, id_key in (("fees.yaml", "fees", "id"), ("products.yaml", "products", "id"),
                                   ("clauses.yaml", "clauses", "id"), ("flow.yaml", "steps", "number"),
                                   ("legal.yaml", "legal_notice", "id")):
        seen: set[object] = set()
        for index, entry in enumerate(documents[name].data[list_key]):
            if entry[id_key] in seen:
                raise PolicyError(MESSAGES["used-twice"].format(
                    where=_at(directory / name, documents[name], (list_key, index, id_key)), key=id_key,
                    value=repr(entry[id_key])))
            seen.add(entry[id_key])
    notes = {clause.get("note") for clause in documents["clauses.yaml"].data["clauses"]}
    for index, step in enumerate(documents["flow.yaml"].data["steps"]):
        for note_index, note in enumerate(step.get("notes", [])):
            if note not in notes:
                raise PolicyError(MESSAGES["unknown-note"].format(
                    where=_at(directory / "flow.yaml", documents["flow.yaml"], ("steps", index, "notes", note_index)),
                    note=note))


def _build(directory: Path, data: Mapping[str, Any], *, history_document: LoadedDocument | None = None) -> Policy:
    """The typed policy from checked data (from the files, or from the policy cache)."""
    meta = data["policy.yaml"]
    raw = meta["parameters"]
    try:
        ZoneInfo(raw["time_zone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise PolicyError(MESSAGES["time-zone"].format(where=str(directory / "policy.yaml"),
                                                       zone=repr(raw["time_zone"]))) from None
    parameters = Parameters(
        time_zone=raw["time_zone"],
        currency=raw["currency"],
        self_operated_multiplier=raw["self_operated_multiplier"],
        deposit_ratio=Fraction(raw["deposit_ratio"]["numerator"], raw["deposit_ratio"]["denominator"]),
        balance_deadline_days=raw["balance_deadline_days"],
        max_amount=raw["max_amount"],
        balance_reminder_days=tuple(sorted(raw["balance_reminder_days"], reverse=True)),
    )
    late = [day for day in parameters.balance_reminder_days if day > parameters.balance_deadline_days]
    if late:
        raise PolicyError(MESSAGES["reminder-too-early"].format(
            where=str(directory / "policy.yaml"), days=late[0], deadline=parameters.balance_deadline_days))
    if parameters.deposit_ratio > 1:
        raise PolicyError(MESSAGES["deposit-ratio"].format(where=str(directory / "policy.yaml")))
    effective = parse_date(meta["effective"])
    assert effective is not None  # the schema's date format guarantees it
    current = Policy(
        directory=directory,
        version=meta["version"],
        effective=effective,
        languages=tuple(meta["languages"]),
        title=meta["title"],
        parameters=parameters,
        fees={fee["id"]: Fee(fee["id"], fee["name"], fee["from"]) for fee in data["fees.yaml"]["fees"]},
        products={product["id"]: Product(product["id"], product["name"], product["api_signature_step"],
                                         product["backup_step"])
                  for product in data["products.yaml"]["products"]},
        clauses=tuple(data["clauses.yaml"]["clauses"]),
        steps=tuple(data["flow.yaml"]["steps"]),
        legal_notice=tuple(data["legal.yaml"]["legal_notice"]),
    )
    history = data["history.yaml"]
    return replace(current, history=_history(directory, history, current, history_document),
                   history_applies=history["applies"])


def _history(directory: Path, history: Mapping[str, Any], current: Policy,
             document: LoadedDocument | None) -> tuple[PolicyVersion, ...]:
    """Every version, oldest first, checked: complete terms, dates in order, unique versions.

    ``document`` places an error at its line and column; it is None for data read from
    the policy cache, which passed these checks when it was written.
    """
    path = directory / "history.yaml"

    def fail(at: tuple[str | int, ...], key: str, **fields: object) -> PolicyError:
        return PolicyError(MESSAGES[key].format(where=_at(path, document, at, key=True), **fields))

    versions: list[PolicyVersion] = []
    for index, entry in enumerate(history["earlier"]):
        where: tuple[str | int, ...] = ("earlier", index)
        guides = entry["fees"]
        for fee_id in guides:
            if fee_id not in current.fees:
                raise fail((*where, "fees", fee_id), "history-unknown-fee", version=entry["version"], fee=repr(fee_id))
        missing = [fee_id for fee_id in current.fees if fee_id not in guides]
        if missing:
            raise fail((*where, "fees"), "history-missing-fees", version=entry["version"], fees=", ".join(missing))
        raw = entry["parameters"]
        ratio = Fraction(raw["deposit_ratio"]["numerator"], raw["deposit_ratio"]["denominator"])
        if ratio > 1:
            raise fail((*where, "parameters", "deposit_ratio"), "deposit-ratio")
        effective = parse_date(entry["effective"])
        assert effective is not None  # the schema's date format guarantees it
        parameters = replace(current.parameters, self_operated_multiplier=raw["self_operated_multiplier"],
                             deposit_ratio=ratio, balance_deadline_days=raw["balance_deadline_days"])
        fees = {fee.id: replace(fee, minimum=guides[fee.id]) for fee in current.fees.values()}
        versions.append(PolicyVersion(entry["version"], effective, entry["changes"], parameters, fees))
    versions.append(PolicyVersion(current.version, current.effective, history["changes"],
                                  current.parameters, current.fees))
    last_earlier = len(versions) - 2
    for index, (older, newer) in enumerate(pairwise(versions)):
        # At the later entry of history.yaml; for the current version, at the last earlier one.
        at = ("earlier", min(index + 1, last_earlier), "effective")
        if newer.effective <= older.effective:
            later = (MESSAGES["history-current"] if newer is versions[-1]
                     else MESSAGES["history-version"].format(version=newer.version))
            raise fail(at, "history-order", older=older.version, older_date=older.effective, later=later,
                       later_date=newer.effective)
    seen: set[str] = set()
    for index, version in enumerate(versions):
        if version.version in seen:
            raise fail(("earlier", min(index, last_earlier), "version"), "history-twice", version=repr(version.version))
        seen.add(version.version)
    return tuple(versions)
