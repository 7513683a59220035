"""The policy files only the customers' site reads: contact, privacy, FAQ, search words and
the site's own words (labels).

They live in ``policy/`` beside the validator's files (one source of truth for every
sentence), but the validator never needs them, so they are loaded here, with their own
schema (``validator/schemas/site.schema.json``) and the same line:column errors.
"""
from __future__ import annotations

import copy
import json
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

import jsonschema

from validator.diagnostics import Text
from validator.policy import MESSAGES as POLICY_MESSAGES
from validator.policy import Policy, PolicyError, load_checked_file
from validator.yaml_loader import LoadedDocument

SITE_FILES = ("contact.yaml", "privacy.yaml", "faq.yaml", "search.yaml", "labels.yaml")


@dataclass(frozen=True)
class ProductHelp:
    product: str
    manual: str
    qa: str


@dataclass(frozen=True)
class SitePolicy:
    """What the site shows beyond the validator's policy (``Policy``)."""

    contact: Mapping[str, Any]
    help: tuple[ProductHelp, ...]
    privacy: Mapping[str, Any]
    faq: tuple[Mapping[str, Any], ...]
    synonyms: Mapping[str, tuple[tuple[str, ...], ...]]
    ignored_words: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, Mapping[str, str]]
    directory: Path

    def label(self, key: str, lang: str, **values: object) -> str:
        """The word ``key`` of ``labels.yaml`` in ``lang``, its ``{fields}`` filled from ``values``."""
        where = str(self.directory / "labels.yaml")
        if key not in self.labels:
            raise PolicyError(MESSAGES["label-missing"].format(where=where, key=key))
        try:
            return self.labels[key][lang].format(**values)
        except (KeyError, IndexError):  # a {field} the site does not fill here ({0} included)
            unfilled = sorted((_fields(self.labels[key][lang]) or set()) - set(values))
            filled = ", ".join("{" + name + "}" for name in sorted(values)) or "-"
            raise PolicyError(MESSAGES["label-unknown-field"].format(
                where=where, key=key, field=unfilled[0] if unfilled else "", filled=filled)) from None
        except ValueError:  # a field with a format the value does not take: {days:q}
            raise PolicyError(MESSAGES["label-format"].format(where=where, key=key)) from None

    def search_words(self, lang: str) -> dict[str, Any]:
        """The query words of ``lang`` as the browser's search reads them (JSON-ready)."""
        return {"synonyms": [list(group) for group in self.synonyms.get(lang, ())],
                "ignore": list(self.ignored_words.get(lang, ()))}


def site_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        resources.files("validator").joinpath("schemas/site.schema.json").read_text("utf-8"))
    return schema


MESSAGES: dict[str, Text] = {
    "label-missing": Text(
        ja="{where}: サイトに必要なラベル「{key}」がありません。`labels:` の下に、すべての言語で書き足してください。",
        en="{where}: the site needs the label {key!r}; add it under `labels:` in every language."),
    "label-fields": Text(
        ja="{where}: labels > {key} > {lang}: 差し込み欄 {{fields}} は {first} と同じにしてください({fields})。欄は {{name}}、括弧そのものは {{{{ か }}}} と書きます。",
        en="{where}: labels.{key}.{lang}: its {{fields}} must be the same as in {first} ({fields}); write a field "
           "as {{name}} and a brace as {{{{ or }}}}."),
    "label-unknown-field": Text(
        ja="{where}: ラベル「{key}」の差し込み欄 {{{field}}} はサイトが埋めない欄です。ここで使える欄: {filled}",
        en="{where}: the label {key!r} has the field {{{field}}}, which the site does not fill; the fields here: {filled}."),
    "label-format": Text(
        ja="{where}: ラベル「{key}」を埋められません。差し込み欄は {{days}} のように名前だけで書いてください(「:」以降の書式は使えません)。",
        en="{where}: the label {key!r} cannot be filled; write each field as just its name, such as {{days}} "
           "(no format after a colon)."),
    "product": Text(ja="製品", en="product"),
    "clause": Text(ja="条項", en="clause"),
}


def load_site_policy(policy: Policy) -> SitePolicy:
    """Read and check the site's files in the policy's folder, against the loaded policy."""
    schema = copy.deepcopy(site_schema())
    schema["$defs"]["text"]["required"] = list(policy.languages)
    validator = jsonschema.Draft202012Validator(schema)
    documents = {name: load_checked_file(policy.directory, name, validator) for name in SITE_FILES}
    contact = documents["contact.yaml"].data["contact"]
    for index, entry in enumerate(contact["products"]):
        if entry["product"] not in policy.products:
            _unknown(documents["contact.yaml"], policy.directory / "contact.yaml",
                     ("contact", "products", index, "product"), MESSAGES["product"], entry["product"], policy.products)
    clause_ids = {clause["id"] for clause in policy.clauses}
    for index, entry in enumerate(documents["faq.yaml"].data["faq"]):
        named = [(("faq", index, "clause"), entry["clause"]),
                 *((("faq", index, "also", other), clause) for other, clause in enumerate(entry.get("also", ())))]
        for where, clause in named:
            if clause not in clause_ids:
                _unknown(documents["faq.yaml"], policy.directory / "faq.yaml", where, MESSAGES["clause"], clause,
                         clause_ids)
    _check_label_fields(documents["labels.yaml"], policy.directory / "labels.yaml")
    search = documents["search.yaml"].data["search"]
    return SitePolicy(
        contact=contact,
        help=tuple(ProductHelp(entry["product"], entry["manual"], entry["qa"]) for entry in contact["products"]),
        privacy=documents["privacy.yaml"].data["privacy"],
        faq=tuple(documents["faq.yaml"].data["faq"]),
        synonyms={lang: tuple(tuple(group) for group in groups) for lang, groups in search["synonyms"].items()},
        ignored_words={lang: tuple(words) for lang, words in search["ignore"].items()},
        labels=documents["labels.yaml"].data["labels"],
        directory=policy.directory,
    )


def _unknown(document: LoadedDocument, path: Path, where: tuple[str | int, ...], kind: Text, value: object,
             known: Iterable[str]) -> NoReturn:
    position = document.position_of(where)
    raise PolicyError(POLICY_MESSAGES["unknown-id"].format(
        where=f"{path}:{position.line}:{position.column}", kind=kind, value=repr(value), known=", ".join(sorted(known))))


def _fields(text: str) -> set[str] | None:
    """The ``{name}`` fields of a label, or None when its braces are not a valid format."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def _check_label_fields(document: LoadedDocument, path: Path) -> None:
    """Every language of a label has the same ``{fields}``: the site fills them by name."""
    for key, texts in document.data["labels"].items():
        first_lang, first = next(iter(texts.items()))
        for lang, text in texts.items():
            fields = _fields(text)
            if fields is None or fields != _fields(first):
                position = document.position_of(("labels", key, lang))
                raise PolicyError(MESSAGES["label-fields"].format(
                    where=f"{path}:{position.line}:{position.column}", key=key, lang=lang, first=first_lang,
                    fields=", ".join(sorted(_fields(first) or ())) or "-"))
