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
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator.case import Case
from validator.case_schema import compiled_check, is_case_id, schema_findings
from validator.diagnostics import START, Diagnostic, Finding, Position, Severity, Text
from validator.formatting import quoted
from validator.lazy_pattern import lazy_compile
from validator.policy import Policy
from validator.rules import CASE_RULES, DOCUMENT_RULES, RULE_BY_CODE, RULES, acceptance, structure
from validator.rules.structure import MESSAGES as STRUCTURE_MESSAGES
from validator.yaml_loader import LoadedDocument, excerpt, load_file

CASE_SUFFIXES = (".yaml", ".yml")  # in any letter case: 2026-016.YAML is a case file
# A name that says YAML but ends otherwise (2026-015.yaml.txt, .yaml~, #2026-015.yaml#):
# the name it should have is the part up to the YAML suffix.
_IGNORED_NAME = lazy_compile(r"#?(?P<name>.+?\.ya?ml)[^A-Za-z0-9].*", re.IGNORECASE | re.DOTALL)
# Derived from the registry (``Rule.gates``), for the callers that ask "is this file a case?".
GATING_CODES = frozenset(rule.code for rule in RULES if rule.gates)
# Below this many files a pool costs more (starting workers) than it saves.
POOL_MIN_FILES = 200
# A hostile file can hold thousands of the same mistake (340,000 aliases): each code is
# reported this many times per file, then once more as "and N more", in every format.
MAX_PER_CODE = 20

MESSAGES: dict[str, Text] = {
    "more": Text(
        ja="このファイルには同じ指摘({code})がほかに{more:,}件あります。最初の{shown}件だけを表示しています。",
        en="This file has {more:,} more {code} {findings} like the ones above; only the first {shown} are shown."),
    "not-a-case-file": Text(
        ja="{path}: 案件ファイルではありません(案件ファイルの名前は .yaml か .yml で終わります)。",
        en="{path}: not a case file (case files end in .yaml or .yml)."),
    "not-a-file-or-folder": Text(
        ja="{path}: ファイルでもフォルダーでもありません。案件ファイルか、それを入れたフォルダーを指定してください。",
        en="{path}: neither a file nor a folder; give a case file or a folder that holds case files."),
    "no-such-path": Text(
        ja="{path}: そのようなファイルやフォルダーはありません。パスを確認してください。",
        en="{path}: no such file or folder; check the path."),
    "unreadable-folder": Text(
        ja="{path}: フォルダーを読めません({reason})。フォルダーの読み取り権限を確認してください。",
        en="{path}: cannot read the folder ({reason}); check that you may read it."),
}


class UsageError(Exception):
    """A path on the command line cannot be validated (exit 2); the message in every language."""

    def __init__(self, message: Text | str) -> None:
        # A plain string is already in the one language its caller chose.
        self.message = message if isinstance(message, Text) else Text(ja=message, en=message)
        super().__init__(self.message.en)


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


def is_case_file_name(name: str) -> bool:
    return name.lower().endswith(CASE_SUFFIXES)


def ignored_case_name(name: str) -> str | None:
    """For a file name that looks like a case but is not read (S008), the name it should
    have; None for a case file, a hidden file (an editor's swap file) or any other file."""
    if is_case_file_name(name) or name.startswith("."):
        return None
    match = _IGNORED_NAME.fullmatch(name)
    if match is None:
        return None
    stem, _, suffix = match["name"].rpartition(".")
    return f"{stem}.{suffix.lower()}"


def discover(paths: Sequence[str]) -> list[str]:
    """The case files under ``paths``, each spelled from the path as given."""
    return [path for path, ignored in scan(paths) if not ignored]


def scan(paths: Sequence[str]) -> list[tuple[str, bool]]:
    """Every case file under ``paths`` and every file a folder holds that looks like a
    case but is not read (S008, flagged True), in the order they are found."""
    found: list[tuple[str, bool]] = []
    for given in paths:
        if os.path.isdir(given):
            found.extend(_walk(given))
        elif os.path.isfile(given):
            if not is_case_file_name(given):
                raise UsageError(MESSAGES["not-a-case-file"].format(path=given))
            found.append((given, False))
        elif os.path.lexists(given):
            raise UsageError(MESSAGES["not-a-file-or-folder"].format(path=given))
        else:
            raise UsageError(MESSAGES["no-such-path"].format(path=given))
    return list(dict.fromkeys(found))


def _walk(folder: str) -> Iterable[tuple[str, bool]]:
    def fail(error: OSError) -> None:
        raise UsageError(MESSAGES["unreadable-folder"].format(path=error.filename, reason=error.strerror))

    # Symlinked folders are not followed: no loops, nothing outside the given paths.
    for root, folders, files in os.walk(folder, onerror=fail):
        folders.sort()
        for name in sorted(files):
            if is_case_file_name(name):
                yield os.path.join(root, name), False
            elif ignored_case_name(name) is not None:
                yield os.path.join(root, name), True


def ignored_file_result(path: str) -> FileResult:
    """S008 at 1:1 for a file that looks like a case but is not read."""
    folder, name = os.path.split(path)
    suggested = ignored_case_name(name) or name
    key = "S008.shadowed" if os.path.lexists(os.path.join(folder, suggested)) else "S008"
    message = structure.MESSAGES[key].format(name=excerpt(name, 80), suggested=excerpt(suggested, 80))
    stem = suggested.rpartition(".")[0]
    label = stem if is_case_id(stem) else excerpt(stem)
    return FileResult(path, label, (Finding(structure.IGNORED_FILE.code, START, message),), None)


@dataclass(frozen=True)
class ReadCase:
    """One case file read as every command reads it: loaded, schema-checked and gated.

    ``validate``, ``status`` and ``today`` all start here, so a file is judged
    unreadable (and a hostile id kept out of the output) the same way everywhere.
    """

    path: str
    label: str  # the case's name in output: its id when it is a well-formed one, else the file name
    document: LoadedDocument
    findings: tuple[Finding, ...]  # the loader's, the schema's and S005
    summary: CaseSummary | None
    case: Case | None  # None when the file is gated (S001, S002, S003, S007): no figures can be read

    @property
    def gated(self) -> bool:
        return self.case is None

    @property
    def readable(self) -> bool:
        """Whether the rules (and the commands' figures) can read it as a case."""
        return self.case is not None


def read_case(path: str, policy: Policy, as_of: dt.date) -> ReadCase:
    """Load one case file, check it against the schema and build its ``Case`` unless it is gated."""
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
    if data is not None and isinstance(case_id, str):
        id_position = document.position_of(("id",))
        if case_id != stem:
            findings.append(Finding("S005", id_position, STRUCTURE_MESSAGES["S005"].format(
                id=quoted(case_id), stem=quoted(stem))))
        listed = data.get("follow_up")
        follow_ups: list[Any] = listed if isinstance(listed, list) else []
        summary = CaseSummary(case_id, id_position, tuple(
            (item, document.position_of(("follow_up", index)))
            for index, item in enumerate(follow_ups) if isinstance(item, str)))
    label = case_id if isinstance(case_id, str) and is_case_id(case_id) else stem  # never echo a hostile id
    case = None if gated else Case(document, policy, as_of)
    return ReadCase(path, label, document, tuple(findings), summary, case)


def check_file(path: str, policy: Policy, as_of: dt.date) -> FileResult:
    """All single-file findings of one case file."""
    read = read_case(path, policy, as_of)
    findings: list[Finding] = list(read.findings)
    if read.case is not None:
        for rule in CASE_RULES:
            assert rule.check_case is not None
            findings.extend(Finding(rule.code, problem.position, problem.message)
                            for problem in rule.check_case(read.case))
    for rule in DOCUMENT_RULES:
        assert rule.check_document is not None
        findings.extend(Finding(rule.code, problem.position, problem.message)
                        for problem in rule.check_document(read.document))
    if read.case is not None:  # a schema-valid case: its accepted entries can be trusted (and checked, W001)
        findings = acceptance.accept(findings, read.document)
    return FileResult(path, read.label, tuple(findings), read.summary)


def check_files(files: Sequence[str], policy: Policy, as_of: dt.date, *,
                jobs: int | None = None) -> list[FileResult]:
    """``check_file`` on every file, in a pool of processes when it pays; in order."""
    workers = _workers(len(files), jobs)
    if workers <= 1 or not _can_fork():
        return [check_file(path, policy, as_of) for path in files]
    compiled_check(policy)  # built once here, inherited by the workers
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
        # strict: a chunk whose results are missing or extra would drop or misplace files' findings
        for chunk, results in zip(chunks, pool.imap(_check_chunk, chunks), strict=True):
            for path, (case, findings, summary) in zip(chunk, results, strict=True):
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


def cross_file_findings(results: Sequence[FileResult], neighbours: Sequence[str] = ()) -> dict[str, list[Finding]]:
    """S006 for every file sharing an id; S004 for follow-ups naming no known case.

    A follow-up not among ``results`` is looked for in the ``neighbours`` folders (the case
    folder of a file validated alone) as a case file named after it: S005 keeps every
    case's file named after its id."""
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
            extra[result.path].append(Finding("S006", result.summary.id_position, STRUCTURE_MESSAGES["S006"].format(
                id=quoted(case_id), others=others)))
    named_elsewhere: set[str] | None = None  # read on the first follow-up not found
    for result in results:
        if result.summary is None:
            continue
        for follow_up, position in result.summary.follow_ups:
            if follow_up not in by_id and neighbours and named_elsewhere is None:
                named_elsewhere = {os.path.splitext(os.path.basename(path))[0] for path in discover(neighbours)}
            if follow_up not in by_id and follow_up not in (named_elsewhere or ()):
                extra[result.path].append(Finding("S004", position, STRUCTURE_MESSAGES["S004.follow-up"].format(
                    case=quoted(follow_up))))
    return extra


def same_file(path: str) -> str:
    """A path spelled one way, to tell whether two spellings name the same file."""
    return os.path.normcase(os.path.abspath(path))


def validate(paths: Sequence[str], policy: Policy, *, as_of: dt.date, lang: str,
             jobs: int | None = None, report_only: Collection[str] | None = None,
             severity_by_code: Mapping[str, Severity] | None = None, base: str | None = None,
             recorded_paths: Sequence[str] | None = None, neighbours: Sequence[str] = ()) -> Report:
    """Validate every case file under ``paths`` as of a date; messages in ``lang``.

    ``jobs`` is the number of processes; None: one per CPU when there are many files.
    ``report_only``: report only these files (as ``same_file`` spells them), though every
    file is checked, so the cross-file rules see them all (pre-commit). ``severity_by_code``:
    a severity other than the rule's for some codes (pre-commit's overdue balance).
    ``base``: a git revision to compare the recorded payments with (L001, L002), reading the
    files it recorded under ``recorded_paths`` (default: ``paths``; they may no longer exist).
    ``neighbours``: folders whose cases a follow-up may name, not validated themselves.
    """
    found = scan(paths)
    files = [path for path, ignored in found if not ignored]
    revision = None
    if base is not None:  # read first: an unknown revision fails before any work
        from validator.git_history import read_revision

        revision = read_revision(base, paths if recorded_paths is None else recorded_paths, lang=lang)
    checked = iter(check_files(files, policy, as_of, jobs=jobs))
    results = [ignored_file_result(path) if ignored else next(checked) for path, ignored in found]
    extra = cross_file_findings(results, neighbours)
    if revision is not None:
        from validator.rules.ledger import ledger_findings

        rewritten, removed = ledger_findings(files, revision, lang=lang)
        for path, findings in rewritten.items():
            extra[path].extend(findings)
    else:
        removed = []
    if report_only is not None:
        results = [result for result in results if same_file(result.path) in report_only]
    # A removed case file is reported whatever was given: no one can give a file that is gone.
    results = [*results, *(FileResult(gone.file, gone.case, (gone.finding,), None) for gone in removed)]
    diagnostics: list[Diagnostic] = []
    for result in results:
        findings = bounded(sorted((*result.findings, *extra.get(result.path, ())),
                                  key=lambda f: (f.position.line, f.position.column, f.code)))
        diagnostics.extend(_diagnostic(result, finding, lang, severity_by_code or {}) for finding in findings)
    read = sum(1 for path in files if report_only is None or same_file(path) in report_only)
    cases = len({result.summary.id for result in results if result.summary is not None})
    return Report(as_of=as_of, files=read, cases=cases, diagnostics=tuple(diagnostics))


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


def _diagnostic(result: FileResult, finding: Finding, lang: str,
                severity_by_code: Mapping[str, Severity]) -> Diagnostic:
    rule = RULE_BY_CODE[finding.code]
    # An accepted breach is a notice (SPEC 7.1); it carries the acceptance's date and reason.
    severity = Severity.NOTICE if finding.accepted else severity_by_code.get(rule.code, rule.severity)
    return Diagnostic(code=rule.code, name=rule.name, severity=severity, file=result.path,
                      line=finding.position.line, column=finding.position.column,
                      case=result.case, message=finding.message.in_language(lang),
                      accepted=finding.accepted)
