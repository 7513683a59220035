"""What a rule is: an identity (code, name, severity, clause) and, for most, a check."""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from validator.diagnostics import Problem, Severity, Text

if TYPE_CHECKING:
    from validator.case import Case
    from validator.yaml_loader import LoadedDocument

CaseCheck = Callable[["Case"], Iterable[Problem]]
DocumentCheck = Callable[["LoadedDocument"], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    """One rule of SPEC section 4.

    ``check_case`` runs on schema-valid cases; ``check_document`` runs on any
    readable file (A004); a rule with neither is reported by the loader, the
    schema check or the cross-file pass, and is here for its identity and docs.
    """

    code: str
    name: str
    severity: Severity
    clause: str | None
    summary: Text
    doc: str
    check_case: CaseCheck | None = None
    check_document: DocumentCheck | None = None

    @property
    def gated(self) -> bool:
        """Whether a structural problem in the file silences this rule."""
        return self.check_case is not None


def case_rule(code: str, name: str, severity: Severity, clause: str,
              summary: Text) -> Callable[[CaseCheck], Rule]:
    """Turn a check function into a rule; its docstring becomes the rule's documentation."""
    def wrap(check: CaseCheck) -> Rule:
        return Rule(code, name, severity, clause, summary, inspect.getdoc(check) or "", check_case=check)
    return wrap
