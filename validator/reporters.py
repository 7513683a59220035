"""Output formats of ``validate``: one reporter class each, listed in REPORTER_BY_NAME.

A reporter turns a finished report into text; it never decides the exit code.
"""
from __future__ import annotations

import json
from typing import ClassVar

from validator.diagnostics import Severity
from validator.engine import Report

_COLOR_BY_SEVERITY = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.NOTICE: "\x1b[36m"}
_RESET = "\x1b[0m"
_SEVERITY_WORDS = {
    "ja": {Severity.ERROR: "エラー", Severity.WARNING: "警告", Severity.NOTICE: "お知らせ"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "notice"},
}


class Reporter:
    """Base of the output formats."""

    name: ClassVar[str]

    def __init__(self, *, lang: str, color: bool = False) -> None:
        self.lang = lang
        self.color = color

    def render(self, report: Report) -> str:
        raise NotImplementedError


class TextReporter(Reporter):
    """``file:line:col: severity CODE message``, then a summary line."""

    name = "text"

    def render(self, report: Report) -> str:
        lines = []
        for diagnostic in report.diagnostics:
            severity = diagnostic.severity.value
            if self.color:
                severity = f"{_COLOR_BY_SEVERITY[diagnostic.severity]}{severity}{_RESET}"
            lines.append(f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: "
                         f"{severity} {diagnostic.code} {diagnostic.message}")
        lines.append(self._summary(report))
        return "\n".join(lines) + "\n"

    def _summary(self, report: Report) -> str:
        errors, warnings, notices = (report.count(severity) for severity in Severity)
        if self.lang == "ja":
            return (f"{report.files}ファイル({report.cases}案件)を{report.as_of}時点で検査: "
                    f"エラー{errors}件、警告{warnings}件、お知らせ{notices}件")
        return (f"Checked {report.files} file(s), {report.cases} case(s), as of {report.as_of}: "
                f"{errors} error(s), {warnings} warning(s), {notices} notice(s)")


class JsonReporter(Reporter):
    """One JSON object, as SPEC section 5 fixes it."""

    name = "json"

    def render(self, report: Report) -> str:
        errors, warnings, notices = (report.count(severity) for severity in Severity)
        document = {
            "as_of": report.as_of.isoformat(),
            "files": report.files,
            "cases": report.cases,
            "diagnostics": [diagnostic.as_dict() for diagnostic in report.diagnostics],
            "summary": {"errors": errors, "warnings": warnings, "notices": notices},
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


REPORTER_BY_NAME: dict[str, type[Reporter]] = {
    reporter.name: reporter for reporter in (TextReporter, JsonReporter)
}
