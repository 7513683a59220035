"""Validate case files: find them, check each, then check across files.

Each file is checked on its own (``check_file``), which yields its findings and a
small summary for the cross-file rules (S004 follow-up ids, S006 duplicate ids);
only those summaries are kept, so memory does not grow with the files' contents.

Many files are checked by a pool of processes, one per CPU: each worker checks a
chunk of files and sends back only its findings and summaries, in the order of the
files, so the report is the same as when one process checks them all.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from validator.case import Case
from validator.case_schema import compiled_check, is_case_id, schema_findings
from validator.diagnostics import Diagnostic, Finding, Position, Severity, Text
from validator.policy import Policy
from validator.rules import CASE_RULES, DOCUMENT_RULES, RULE_BY_CODE
from validator.yaml_loader import excerpt, load_file

CASE_SUFFIXES = (".yaml", ".yml")
GATING_CODES = frozenset({"S001", "S002", "S003", "S007"})
# Below this many files a pool costs more (starting workers) than it saves.
POOL_MIN_FILES = 200
# A hostile file can hold thousands of the same mistake (340,000 aliases): each code is
# reported this many times per file, then once more as "and N more", in every format.
MAX_PER_CODE = 20

MESSAGES: dict[str, Text] = {
    "more": Text(
        ja="このファイルには同じ指摘({code})がほかに{more:,}件あります。最初の{shown}件だけを表示しています。",
        en="This file has {more:,} more {code} {findings} like the ones above; only the first {shown} are shown."),
}


class UsageError(Exception):
    """A path on the command line cannot be validated (exit 2)."""


@dataclass(frozen=True, slots=True)  # one per file is kept to the end: no __dict__
class CaseSummary:
    """What the cross-file rules need to know about one file."""

    id: str
    id_position: Position
    follow_ups: tuple[tuple[str, Position], ...]


@dataclass(frozen=True, slots=True)
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
    if document.schema_ready:
        # An alias or a tagged value is already reported where it stands (S007): one
        # diagnostic per occurrence, so no S003 of the same value beside it.
        findings.extend(finding for finding in schema_findings(document, policy)
                        if finding.position not in document.unsafe_values)
    gated = any(finding.code in GATING_CODES for finding in findings) or data is None
    stem = Path(path).stem
    case_id = data.get("id") if data is not None else None
    summary = None
    if isinstance(case_id, str):
        id_position = document.position_of(("id",))
        if case_id != stem:
            findings.append(Finding("S005", id_position, Text(
                ja=f"id「{excerpt(case_id)}」がファイル名「{excerpt(stem)}」と違います。どちらかを直してください。",
                en=f"The id `{excerpt(case_id)}` differs from the file name `{excerpt(stem)}`; make them the same.")))
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
    label = case_id if is_case_id(case_id) else stem  # never echo a hostile id as the case's name
    return FileResult(path, label, tuple(findings), summary)


def check_files(files: Sequence[str], policy: Policy, as_of: dt.date, *,
                jobs: int | None = None) -> list[FileResult]:
    """``check_file`` on every file, in a pool of processes when it pays; in order."""
    workers = _workers(len(files), jobs)
    if workers <= 1 or not _can_fork():
        return [check_file(path, policy, as_of) for path in files]
    compiled_check(policy)  # built once here (with jsonschema's validator), inherited by the workers
    return list(_check_in_pool(files, policy, as_of, workers))


def _workers(files: int, jobs: int | None) -> int:
    if jobs is not None:
        return max(1, min(jobs, files))
    if files < POOL_MIN_FILES:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return cpus


def _can_fork() -> bool:
    """Workers are forked: they start at once, with the policy and the schema checks
    inherited. Forking is safe only while this process runs no other thread; where it
    is not available (Windows), files are checked in this process."""
    import multiprocessing
    import threading

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _check_in_pool(files: Sequence[str], policy: Policy, as_of: dt.date,
                   workers: int) -> Iterator[FileResult]:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    # Small chunks keep the workers busy to the end; each costs a message or two.
    size = max(8, min(256, len(files) // (workers * 64)))
    chunks = [files[start:start + size] for start in range(0, len(files), size)]
    with context.Pool(workers, initializer=_start_worker, initargs=(policy, as_of)) as pool:
        for chunk, results in zip(chunks, pool.imap(_check_chunk, chunks)):
            for path, (case, findings, summary) in zip(chunk, results):
                yield FileResult(path, case, findings, summary)  # the path string kept once


_worker_context: tuple[Policy, dt.date] | None = None


def _start_worker(policy: Policy, as_of: dt.date) -> None:
    import signal

    global _worker_context
    _worker_context = (policy, as_of)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which ends the pool


def _check_chunk(paths: Sequence[str]) -> list[tuple[str, tuple[Finding, ...], CaseSummary | None]]:
    """Check files in a worker; the path, known to the parent, is not sent back."""
    assert _worker_context is not None
    policy, as_of = _worker_context
    results = (check_file(path, policy, as_of) for path in paths)
    return [(result.case, result.findings, result.summary) for result in results]


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
                ja=f"id「{excerpt(case_id)}」は他のファイルでも使われています: {others}",
                en=f"The id `{excerpt(case_id)}` is also used by: {others}")))
    for result in results:
        if result.summary is None:
            continue
        for follow_up, position in result.summary.follow_ups:
            if follow_up not in by_id:
                extra[result.path].append(Finding("S004", position, Text(
                    ja=f"follow_upの案件「{excerpt(follow_up)}」が見つかりません。",
                    en=f"The follow-up case `{excerpt(follow_up)}` does not exist.")))
    return extra


def validate(paths: Sequence[str], policy: Policy, *, as_of: dt.date, lang: str,
             jobs: int | None = None) -> Report:
    """Validate every case file under ``paths`` as of a date; messages in ``lang``.

    ``jobs`` is the number of processes; None: one per CPU when there are many files.
    """
    files = discover(paths)
    results = check_files(files, policy, as_of, jobs=jobs)
    extra = cross_file_findings(results)
    diagnostics: list[Diagnostic] = []
    for result in results:
        findings = bounded(sorted((*result.findings, *extra.get(result.path, ())),
                                  key=lambda f: (f.position.line, f.position.column, f.code)))
        diagnostics.extend(_diagnostic(result, finding, lang) for finding in findings)
    cases = len({result.summary.id for result in results if result.summary is not None})
    return Report(as_of=as_of, files=len(files), cases=cases, diagnostics=tuple(diagnostics))


def bounded(findings: Sequence[Finding], limit: int = MAX_PER_CODE) -> list[Finding]:
    """At most ``limit`` findings of each code, in order; for a code with more, one
    finding at the first one left out saying how many more there are."""
    counts: dict[str, int] = defaultdict(int)
    for finding in findings:
        counts[finding.code] += 1
    if all(count <= limit for count in counts.values()):
        return list(findings)
    kept: list[Finding] = []
    seen: dict[str, int] = defaultdict(int)
    for finding in findings:
        seen[finding.code] += 1
        if seen[finding.code] <= limit:
            kept.append(finding)
        elif seen[finding.code] == limit + 1:
            more = counts[finding.code] - limit
            kept.append(Finding(finding.code, finding.position, MESSAGES["more"].format(
                code=finding.code, more=more, shown=limit,
                findings="finding" if more == 1 else "findings")))
    return kept


def _diagnostic(result: FileResult, finding: Finding, lang: str) -> Diagnostic:
    rule = RULE_BY_CODE[finding.code]
    return Diagnostic(code=rule.code, name=rule.name, severity=rule.severity, file=result.path,
                      line=finding.position.line, column=finding.position.column,
                      case=result.case, message=finding.message.in_language(lang))
