"""Values shared by the loader, the rules, the engine and the reporters."""
from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(str, enum.Enum):
    """How much a diagnostic matters: errors fail, warnings fail with --strict."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a file."""

    line: int
    column: int


START = Position(1, 1)


@dataclass(frozen=True)
class Text:
    """A message in every language the tool speaks."""

    ja: str
    en: str

    def in_language(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja

    def format(self, **fields: object) -> Text:
        """This message with its ``{named}`` fields filled in each language.

        Messages are whole sentences kept as data; a field that is itself a ``Text``
        (an amount, a date, a fee's name) is filled with its own words in each language.
        """
        def values(lang: str) -> dict[str, object]:
            return {name: value.in_language(lang) if isinstance(value, Text) else value
                    for name, value in fields.items()}
        return Text(ja=self.ja.format(**values("ja")), en=self.en.format(**values("en")))


@dataclass(frozen=True)
class Problem:
    """What a rule found: where, and what to tell the person.

    A problem carries no code or severity; the engine stamps those from the rule
    registry, so a check cannot mislabel itself.
    """

    position: Position
    message: Text


@dataclass(frozen=True)
class Acceptance:
    """A breach reviewed and accepted by the operator (a case's ``accepted:`` entry, SPEC 7.1)."""

    date: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"date": self.date, "reason": self.reason}


@dataclass(frozen=True)
class Finding:
    """A problem attributed to a rule code (by the engine, or by the loader for S-rules).

    ``accepted``: the case's acceptance of it; the engine reports it as a notice.
    """

    code: str
    position: Position
    message: Text
    accepted: Acceptance | None = None


@dataclass(frozen=True)
class Diagnostic:
    """A finding placed in a file, with its rule's identity and one language chosen."""

    code: str
    name: str
    severity: Severity
    file: str
    line: int
    column: int
    case: str
    message: str
    accepted: Acceptance | None = None

    def as_dict(self) -> dict[str, object]:
        fields: dict[str, object] = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "case": self.case,
            "message": self.message,
        }
        if self.accepted is not None:
            fields["accepted"] = self.accepted.as_dict()
        return fields
