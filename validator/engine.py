"""Validate case files: find them, check each, then check across files.

Each file is checked on its own (``check_file``), which yields its findings and a
small summary for the cross-file rules (S004 follow-up ids, S006 duplicate ids);
only those summaries are kept, so memory does not grow with the files' contents.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from validator.case import Case
from validator.case_schema import schema_findings
from validator.diagnostics import Diagnostic, Finding, Position, Severity, Text
from validator.policy import Policy
from validator.rules import CASE_RULES, DOCUMENT_RULES, RULE_BY_CODE
from validator.yaml_loader import load_file

CASE_SUFFIXES = (".yaml", ".yml")
GATING_CODES = frozenset({"S001", "S002", "S003", "S007"})


class UsageError(Exception):
    """A path on the command line cannot be validated (exit 2)."""


@dataclass(frozen=True)
class CaseSummary:
    """What the cross-file rules need to know about one file."""

    id: str
    id_position: Position
    follow_ups: tuple[tuple[str, Position], ...]


@dataclass(frozen=True)
class FileResult:
    path: str
    case: str
    findings: tuple[Finding, ...]
    summary: CaseSummary | None


@dataclass(frozen=True)
class Report:
    as_of: dt.date
    files: int
    cases: int
    diagnostics: tuple[Diagnostic, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.severity is severity)

    def failed(self, *, strict: bool) -> bool:
        if self.count(Severity.ERROR):
            return True
        return strict and self.count(Severity.WARNING) > 0


def discover(paths: Sequence[str]) -> list[str]:
    """The case files under ``paths``, each spelled from the path as given."""
    found: list[str] = []
    for given in paths:
        if os.path.isdir(given):
            found.extend(_walk(given))
        elif os.path.isfile(given):
            if not given.endswith(CASE_SUFFIXES):
                raise UsageError(f"{given}: not a case file (case files end in .yaml or .yml)")
            found.append(given)
        elif os.path.lexists(given):
            raise UsageError(f"{given}: neither a file nor a folder")
        else:
            raise UsageError(f"{given}: no such file or folder")
    return list(dict.fromkeys(found))


def _walk(folder: str) -> Iterable[str]:
    def fail(error: OSError) -> None:
        raise UsageError(f"{error.filename}: cannot read the folder ({error.strerror})")

    # Symlinked folders are not followed: no loops, nothing outside the given paths.
    for root, folders, files in os.walk(folder, onerror=fail):
        folders.sort()
        for name in sorted(files):
            if name.endswith(CASE_SUFFIXES):
                yield os.path.join(root, name)


def check_file(path: str, policy: Policy, as_of: dt.date) -> FileResult:
    """All single-file findings of one case file."""
    document = load_file(path)
    findings: list[Finding] = list(document.findings)
    data = document.data if isinstance(document.data, dict) else None
    if document.parsed and data is not None:
        findings.extend(schema_findings(document, policy))
    gated = any(finding.code in GATING_CODES for finding in findings) or data is None
    stem = Path(path).stem
    case_id = data.get("id") if data is not None else None
    summary = None
    if isinstance(case_id, str):
        id_position = document.position_of(("id",))
        if case_id != stem:
            findings.append(Finding("S005", id_position, Text(
                ja=f"id「{case_id}」がファイル名「{stem}」と違います。どちらかを直してください。",
                en=f"The id `{case_id}` differs from the file name `{stem}`; make them the same.")))
        follow_ups = data.get("follow_up") if isinstance(data.get("follow_up"), list) else []
        summary = CaseSummary(case_id, id_position, tuple(
            (item, document.position_of(("follow_up", index)))
            for index, item in enumerate(follow_ups) if isinstance(item, str)))
    if not gated:
        case = Case(document, policy, as_of)
        for rule in CASE_RULES:
            assert rule.check_case is not None
            findings.extend(Finding(rule.code, problem.position, problem.message)
                            for problem in rule.check_case(case))
    for rule in DOCUMENT_RULES:
        assert rule.check_document is not None
        findings.extend(Finding(rule.code, problem.position, problem.message)
                        for problem in rule.check_document(document))
    label = case_id if isinstance(case_id, str) else stem
    return FileResult(path, label, tuple(findings), summary)


def cross_file_findings(results: Sequence[FileResult]) -> dict[str, list[Finding]]:
    """S006 for every file sharing an id; S004 for follow-ups naming no known case."""
    by_id: dict[str, list[FileResult]] = defaultdict(list)
    for result in results:
        if result.summary is not None:
            by_id[result.summary.id].append(result)
    extra: dict[str, list[Finding]] = defaultdict(list)
    for case_id, sharing in by_id.items():
        if len(sharing) < 2:
            continue
        for result in sharing:
            others = ", ".join(other.path for other in sharing if other is not result)
            assert result.summary is not None
            extra[result.path].append(Finding("S006", result.summary.id_position, Text(
                ja=f"id「{case_id}」は他のファイルでも使われています: {others}",
                en=f"The id `{case_id}` is also used by: {others}")))
    for result in results:
        if result.summary is None:
            continue
        for follow_up, position in result.summary.follow_ups:
            if follow_up not in by_id:
                extra[result.path].append(Finding("S004", position, Text(
                    ja=f"follow_upの案件「{follow_up}」が見つかりません。",
                    en=f"The follow-up case `{follow_up}` does not exist.")))
    return extra


def validate(paths: Sequence[str], policy: Policy, *, as_of: dt.date, lang: str) -> Report:
    """Validate every case file under ``paths`` as of a date; messages in ``lang``."""
    files = discover(paths)
    results = [check_file(path, policy, as_of) for path in files]
    extra = cross_file_findings(results)
    diagnostics: list[Diagnostic] = []
    for result in results:
        findings = sorted((*result.findings, *extra.get(result.path, ())),
                          key=lambda f: (f.position.line, f.position.column, f.code))
        diagnostics.extend(_diagnostic(result, finding, lang) for finding in findings)
    cases = len({result.summary.id for result in results if result.summary is not None})
    return Report(as_of=as_of, files=len(files), cases=cases, diagnostics=tuple(diagnostics))


def _diagnostic(result: FileResult, finding: Finding, lang: str) -> Diagnostic:
    rule = RULE_BY_CODE[finding.code]
    return Diagnostic(code=rule.code, name=rule.name, severity=rule.severity, file=result.path,
                      line=finding.position.line, column=finding.position.column,
                      case=result.case, message=finding.message.in_language(lang))
