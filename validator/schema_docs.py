"""The case schema's descriptions, in Japanese and English, written from one source.

``schemas/case_fields.yaml`` says what each key of a case means (and each allowed value);
this module writes those words into ``schemas/case.schema.json``, where editors read them:
yaml-language-server (VS Code's YAML extension) shows ``markdownDescription`` on hover and
``markdownEnumDescriptions`` beside each completion of an enum. The plain ``description``
and ``enumDescriptions`` carry the same words for tools that read only those. The product
and fee ids are described by their names in ``policy/``.

Write the schema again after changing the descriptions or the policy's names (a test
fails until it is)::

    python -m validator.schema_docs
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from validator.policy import Policy, load_policy
from validator.yaml_loader import load_file

FIELDS_RESOURCE = "schemas/case_fields.yaml"
SCHEMA_RESOURCE = "schemas/case.schema.json"
_LANGUAGES = ("ja", "en")
_NULL_MEANS = {"ja": "null: 書かないのと同じ", "en": "null: the same as leaving the key out"}


def field_descriptions() -> dict[str, Any]:
    document = load_file(str(resources.files("validator").joinpath(FIELDS_RESOURCE)))
    if document.findings or not isinstance(document.data, dict):  # pragma: no cover - a broken source file
        raise ValueError(f"{FIELDS_RESOURCE}: {[finding.message.en for finding in document.findings]}")
    return document.data


def schema_nodes(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every key of the case schema by its path (``payments[].date``), its node with ``$ref`` followed."""
    definitions = schema.get("$defs", {})

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        reference = node.get("$ref", "")
        return definitions.get(reference.rsplit("/", 1)[-1], {}) if reference.startswith("#/$defs/") else {}

    def walk(path: str, node: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        yield path, node
        target = {**resolve(node), **node}
        for key, child in target.get("properties", {}).items():
            yield from walk(f"{path}.{key}" if path else key, child)
        items = target.get("items")
        if isinstance(items, dict):
            yield from walk(f"{path}[]", items)

    yield from walk("", schema)


def _parameters(policy: Policy) -> dict[str, object]:
    parameters = policy.parameters
    return {"self_operated_multiplier": parameters.self_operated_multiplier,
            "balance_deadline_days": parameters.balance_deadline_days}


def described_schema(schema: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """``schema`` with the descriptions of every key and allowed value filled in."""
    fields = field_descriptions()
    parameters = _parameters(policy)
    names = {"products": {key: product.name for key, product in policy.products.items()},
             "fees": {key: fee.name for key, fee in policy.fees.items()}}
    definitions = schema.get("$defs", {})
    for path, node in schema_nodes(schema):
        entry = fields.get(path)
        if entry is None:
            continue
        words = {lang: entry[lang].format(**parameters) for lang in _LANGUAGES}
        node["description"] = f"{words['ja']}\n\n{words['en']}"
        node["markdownDescription"] = f"{words['ja']}\n\n*{words['en']}*"
        target = node
        reference = node.get("$ref", "")
        if "enum" not in node and reference.startswith("#/$defs/"):
            target = definitions.get(reference.rsplit("/", 1)[-1], node)
        choices = [choice for choice in target.get("enum", ()) if choice is not None]
        source = target.get("x-policy")
        meanings = names.get(source) if isinstance(source, str) else None
        if target.get("x-acceptance") == "rule":  # the rule codes mean what the rules' summaries say
            from validator.rules import RULE_BY_CODE

            meanings = {code: {"ja": rule.summary.ja, "en": rule.summary.en} for code, rule in RULE_BY_CODE.items()}
        values = entry.get("values", {}) if meanings is None else meanings
        if choices and all(choice in values for choice in choices):
            described = [values[choice] if choice is not None else _NULL_MEANS for choice in target["enum"]]
            target["enumDescriptions"] = [f"{text['ja']} / {text['en']}" for text in described]
            target["markdownEnumDescriptions"] = [f"{text['ja']}  \n*{text['en']}*" for text in described]
    return schema


def undescribed(schema: dict[str, Any]) -> list[str]:
    """The keys of the schema that the descriptions do not cover (a test keeps this empty)."""
    fields = field_descriptions()
    return [path for path, _ in schema_nodes(schema) if path not in fields]


def render_schema(policy: Policy, schema_text: str) -> str:
    schema = described_schema(json.loads(schema_text), policy)
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def main() -> None:  # pragma: no cover - exercised by the test that compares the file
    schema_path = Path(str(resources.files("validator").joinpath(SCHEMA_RESOURCE)))
    policy = load_policy(Path(__file__).resolve().parent.parent / "policy")
    schema_path.write_text(render_schema(policy, schema_path.read_text("utf-8")), "utf-8")


if __name__ == "__main__":  # pragma: no cover
    main()
