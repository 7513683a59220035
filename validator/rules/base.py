"""What a rule is: an identity, its messages, whether it gates others, and (for most) a check.

How a rule is written (the convention every rule module follows):

* The module keeps its user-facing sentences in one module-level ``MESSAGES: dict[str, Text]``.
  Keys are the rule's code, or the code and a variant after a dot (``"P007.on-due"``);
  values are whole sentences in every language with ``{named}`` fields, never fragments
  glued together (a translator reads them all in one place; ``Text.format`` fills them).
  Plurals are variants too (``"P008.one-day"``, ``"P008.days"``), not ``day(s)``.
* A rule is one ``Rule`` value in the registry (``validator/rules/__init__.py``):
  ``case_rule(...)`` turns a check function into one, and ``Rule(...)`` builds those whose
  problems another part reports (the loader, the schema check, the cross-file pass).
  ``messages=MESSAGES`` hands the module's catalogue over; the rule keeps the entries of
  its own code, so ``rule.messages`` lists every sentence the rule can say.
* The docstring explains the rule in English (what, why, a failing and a passing example);
  ``DOCS_JA[code]`` in the module says the what and why in Japanese, where ``${name}``
  stands for a parameter of the policy (``${balance_deadline_days}``), filled from
  ``policy/`` in RULES.ja.md, so no number of the policy is written twice.
* ``gates=True`` marks a structural rule whose finding means the file cannot be read as a
  case: the case rules (``check_case``) are then not run on it. Nothing else lists them.
* Every rule has examples in ``tests/examples/<CODE>/`` (``# expect: CODE line:col``);
  their messages in both languages are pinned in ``tests/examples/<CODE>/messages.txt``.

A new rule, in short::

    MESSAGES: dict[str, Text] = {
        "A005": Text(ja="「paypal_api_signature」が未確認({value})です。…してください。",
                     en="`paypal_api_signature` is not known yet ({value}); ask …"),
    }
    DOCS_JA: dict[str, str] = {"A005": "アカウントをお借りする前に…"}

    @case_rule("A005", "api-signature-unknown", Severity.WARNING, "remove-api-signature",
               Text(ja="…", en="…"), messages=MESSAGES, docs_ja=DOCS_JA)
    def api_signature_unknown(case: Case) -> Iterator[Problem]:
        # docstring: what it asks for and why; a "Fails::" and a "Passes::" example
        if ...:
            yield Problem(case.at("paypal_api_signature"), MESSAGES["A005"].format(value="null"))
"""
from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from validator.diagnostics import Problem, Severity, Text

if TYPE_CHECKING:
    from validator.case import Case
    from validator.yaml_loader import LoadedDocument

CaseCheck = Callable[["Case"], Iterable[Problem]]
DocumentCheck = Callable[["LoadedDocument"], Iterable[Problem]]
Messages = Mapping[str, Text]


def messages_of(code: str, catalogue: Messages) -> Messages:
    """The entries of ``catalogue`` that belong to the rule ``code`` (``CODE`` or ``CODE.variant``)."""
    return MappingProxyType({key: text for key, text in catalogue.items() if key.split(".", 1)[0] == code})


@dataclass(frozen=True)
class Rule:
    """One rule: SPEC section 4 (and 7.2) gives its code, name and severity.

    ``check_case`` runs on schema-valid cases; ``check_document`` runs on any readable
    file (A004); a rule with neither is reported by the loader, the schema check or
    the cross-file pass, and is here for its identity, its messages and its docs.
    """

    code: str
    name: str
    severity: Severity
    clause: str | None
    summary: Text
    doc: str
    check_case: CaseCheck | None = None
    check_document: DocumentCheck | None = None
    messages: Messages = field(default_factory=lambda: MappingProxyType({}))
    gates: bool = False
    doc_ja: str = ""  # what the docstring says, in Japanese, for the Japanese rule reference

    def __post_init__(self) -> None:
        # Keep only this rule's entries, whatever catalogue the module passed in.
        object.__setattr__(self, "messages", messages_of(self.code, self.messages))

    def message(self, variant: str | None = None) -> Text:
        """The rule's sentence ``CODE`` or ``CODE.variant``."""
        return self.messages[self.code if variant is None else f"{self.code}.{variant}"]


def case_rule(code: str, name: str, severity: Severity, clause: str, summary: Text, *,
              messages: Messages | None = None,
              docs_ja: Mapping[str, str] | None = None) -> Callable[[CaseCheck], Rule]:
    """Turn a check function into a rule; its docstring becomes the rule's documentation
    (in English; ``docs_ja[code]`` says the same in Japanese).

    ``messages`` and ``docs_ja`` are the module's ``MESSAGES`` and ``DOCS_JA``; the tests
    (tests/test_messages.py) require both for every rule that reports anything.
    """
    def wrap(check: CaseCheck) -> Rule:
        return Rule(code, name, severity, clause, summary, inspect.getdoc(check) or "",
                    check_case=check, messages=messages or {}, doc_ja=(docs_ja or {}).get(code, ""))
    return wrap
