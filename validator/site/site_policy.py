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
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from validator.policy import Policy, PolicyError
from validator.yaml_loader import LoadedDocument, load_file

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
        if key not in self.labels:
            raise PolicyError(f"{self.directory / 'labels.yaml'}: the site needs the label {key!r}; add it "
                              "under `labels:` in every language")
        return self.labels[key][lang].format(**values)

    def search_words(self, lang: str) -> dict[str, Any]:
        """The query words of ``lang`` as the browser's search reads them (JSON-ready)."""
        return {"synonyms": [list(group) for group in self.synonyms.get(lang, ())],
                "ignore": list(self.ignored_words.get(lang, ()))}


def site_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        resources.files("validator").joinpath("schemas/site.schema.json").read_text("utf-8"))
    return schema


def _load(directory: Path, name: str, validator: jsonschema.protocols.Validator,
          definitions: Mapping[str, Any]) -> LoadedDocument:
    """One of the site's files, loaded with positions and checked against its schema."""
    path = directory / name
    if not path.is_file():
        raise PolicyError(f"{path}: missing policy file (the site needs it)")
    document = load_file(str(path))
    if document.findings:
        finding = document.findings[0]
        raise PolicyError(f"{path}:{finding.position.line}:{finding.position.column}: {finding.message.en}")
    sub = validator.evolve(schema={"$ref": f"#/$defs/{name}", "$defs": definitions})
    errors = sorted(sub.iter_errors(document.data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        where = tuple(errors[0].absolute_path)
        position = document.position_of(where)
        if "propertyNames" in errors[0].absolute_schema_path:  # a wrong key: point at the key itself
            position = document.key_position((*where, str(errors[0].instance)))
        dotted = ".".join(map(str, where)) or "(top level)"
        raise PolicyError(f"{path}:{position.line}:{position.column}: {dotted}: {errors[0].message}")
    return document


def load_site_policy(policy: Policy) -> SitePolicy:
    """Read and check the site's files in the policy's folder, against the loaded policy."""
    schema = copy.deepcopy(site_schema())
    schema["$defs"]["text"]["required"] = list(policy.languages)
    validator = jsonschema.Draft202012Validator(schema)
    documents = {name: _load(policy.directory, name, validator, schema["$defs"]) for name in SITE_FILES}
    contact = documents["contact.yaml"].data["contact"]
    for index, entry in enumerate(contact["products"]):
        if entry["product"] not in policy.products:
            position = documents["contact.yaml"].position_of(("contact", "products", index, "product"))
            raise PolicyError(f"{policy.directory / 'contact.yaml'}:{position.line}:{position.column}: "
                              f"unknown product {entry['product']!r}; known: {', '.join(policy.products)}")
    clause_ids = {clause["id"] for clause in policy.clauses}
    for index, entry in enumerate(documents["faq.yaml"].data["faq"]):
        named = [(("faq", index, "clause"), entry["clause"]),
                 *((("faq", index, "also", other), clause) for other, clause in enumerate(entry.get("also", ())))]
        for where, clause in named:
            if clause not in clause_ids:
                position = documents["faq.yaml"].position_of(where)
                raise PolicyError(f"{policy.directory / 'faq.yaml'}:{position.line}:{position.column}: "
                                  f"unknown clause {clause!r}")
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
                raise PolicyError(f"{path}:{position.line}:{position.column}: labels.{key}.{lang}: its {{fields}} "
                                  f"must be the same as in {first_lang} ({', '.join(sorted(_fields(first) or ())) or 'none'}); "
                                  "write a field as {name} and a brace as {{ or }}")
