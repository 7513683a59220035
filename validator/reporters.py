"""Output formats of ``validate``: one reporter class each, listed in REPORTER_BY_NAME.

A reporter turns a finished report into text; it never decides the exit code and
never writes files (the CLI writes what it returns, GitHub's step summary included).

- ``text``: ``file:line:col: severity CODE message`` and a summary line.
- ``json``: the object SPEC section 5 fixes.
- ``github``: GitHub Actions workflow commands (``::error file=...,line=...::...``),
  one annotation per diagnostic, and a Markdown summary for ``$GITHUB_STEP_SUMMARY``
  (GitHub shows only the first few annotations of a step; the summary lists them all).
- ``sarif``: SARIF 2.1.0 for GitHub code scanning: every rule with its help, one
  result per diagnostic.
- ``junit``: JUnit XML: one test case per case file, one failure per error.
"""
from __future__ import annotations

import json
import posixpath
import urllib.parse
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from validator.diagnostics import Diagnostic, Severity, Text
from validator.engine import Report
from validator.formatting import cell_width, count_of, visible
from validator.lazy_pattern import lazy_compile
from validator.rule_reference import (
    REFERENCE_FILE_BY_LANGUAGE,
    anchor,
    rule_first_paragraph,
    rule_help_markdown,
    rule_help_text,
)
from validator.rules import RULE_BY_CODE, RULES
from validator.rules.base import Rule

if TYPE_CHECKING:  # the JUnit reporter imports it when it runs: not every start pays for it
    import xml.etree.ElementTree as ET

TOOL_NAME = "support-policy"

_COLOR_BY_SEVERITY = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.NOTICE: "\x1b[36m"}
_RESET = "\x1b[0m"
_SEVERITY_WORDS = {
    "ja": {Severity.ERROR: "エラー", Severity.WARNING: "警告", Severity.NOTICE: "お知らせ"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "notice"},
}


MESSAGES: dict[str, Text] = {
    "accepted": Text(ja="{message}({date}に受け入れ済み: {reason})",
                     en="{message} (accepted on {date}: {reason})"),
    "summary": Text(
        ja="{files}({cases})を{as_of}時点で検査: エラー{errors}、警告{warnings}、お知らせ{notices}",
        en="Checked {files}, {cases}, as of {as_of}: {errors}, {warnings}, {notices}"),
}


def shown_message(diagnostic: Diagnostic, lang: str) -> str:
    """The diagnostic's message, with the date and reason of its acceptance when it was accepted."""
    if diagnostic.accepted is None:
        return diagnostic.message
    return MESSAGES["accepted"].format(message=diagnostic.message, date=diagnostic.accepted.date,
                                       reason=diagnostic.accepted.reason).in_language(lang)


class Reporter:
    """Base of the output formats.

    ``files``: every case file checked, for the formats that list clean files too
    (``lists_every_file``); the report itself only counts them.
    ``show_source``: follow each diagnostic with its source line and a caret (text only).
    ``repository_url``: where the repository's files can be browsed at the checked
    commit (``https://github.com/OWNER/REPO/blob/SHA``), for links to the rule
    reference and to the files; None when unknown.
    """

    name: ClassVar[str]
    lists_every_file: ClassVar[bool] = False

    def __init__(self, *, lang: str, color: bool = False, files: Sequence[str] = (),
                 repository_url: str | None = None, show_source: bool = False) -> None:
        self.lang = lang
        self.color = color
        self.show_source = show_source
        self.files = tuple(files)
        self.repository_url = repository_url

    def render(self, report: Report) -> str:
        raise NotImplementedError

    def step_summary(self, report: Report) -> str | None:
        """Markdown for GitHub's job summary, for the formats that write one."""
        return None

    def rule_url(self, code: str) -> str | None:
        """The rule's section in the rule reference in the reader's language (RULES.ja.md for
        Japanese), when the repository's address is known."""
        if self.repository_url is None:
            return None
        return f"{self.repository_url}/{self.reference_file}#{anchor(RULE_BY_CODE[code])}"

    @property
    def reference_file(self) -> str:
        return REFERENCE_FILE_BY_LANGUAGE.get(self.lang, REFERENCE_FILE_BY_LANGUAGE["en"])


# Counted nouns: Japanese counts with 件 whatever the number; English has a singular.
_COUNTED: dict[str, tuple[Text, Text]] = {
    "files": (Text(ja="{count}ファイル", en="{count} file"), Text(ja="{count}ファイル", en="{count} files")),
    "cases": (Text(ja="{count}案件", en="{count} case"), Text(ja="{count}案件", en="{count} cases")),
    "errors": (Text(ja="{count}件", en="{count} error"), Text(ja="{count}件", en="{count} errors")),
    "warnings": (Text(ja="{count}件", en="{count} warning"), Text(ja="{count}件", en="{count} warnings")),
    "notices": (Text(ja="{count}件", en="{count} notice"), Text(ja="{count}件", en="{count} notices")),
}


def summary_line(report: Report, lang: str) -> str:
    """One line: what was checked, as of when, and how many diagnostics of each severity."""
    errors, warnings, notices = (report.count(severity) for severity in Severity)
    counts = {"files": report.files, "cases": report.cases, "errors": errors, "warnings": warnings,
              "notices": notices}
    fields = {name: count_of(count, *_COUNTED[name]) for name, count in counts.items()}
    return MESSAGES["summary"].format(as_of=report.as_of, **fields).in_language(lang)


class TextReporter(Reporter):
    """``file:line:col: severity CODE message``, then a summary line.

    With ``show_source`` (on a terminal), each diagnostic is followed by its source line
    and a caret under the column, as compilers do; see ``source_excerpt``.
    """

    name = "text"

    def render(self, report: Report) -> str:
        lines = []
        sources = _SourceLines(report.diagnostics) if self.show_source else None
        for diagnostic in report.diagnostics:
            severity = diagnostic.severity.value
            if self.color:
                severity = f"{_COLOR_BY_SEVERITY[diagnostic.severity]}{severity}{_RESET}"
            lines.append(f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: "
                         f"{severity} {diagnostic.code} {shown_message(diagnostic, self.lang)}")
            if sources is not None:
                lines.extend(sources.excerpt(diagnostic))
        lines.append(summary_line(report, self.lang))
        return "\n".join(lines) + "\n"


# A source line longer than this many characters is shown as a window around the column.
_SOURCE_WINDOW = 120
# Files larger than this are not read again to show a line (S007 refused them anyway).
_SOURCE_MAX_BYTES = 2 * 1024 * 1024
_HIDDEN = "***"


class _SourceLines:
    """The lines of the reported files, read once each, made safe to print.

    Safe: control characters are shown escaped (``formatting.visible``); a secret is never
    echoed: on a line with an A004 diagnostic everything from its column on is hidden, and
    anything the secret scan finds on any shown line is hidden too.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.lines: dict[str, list[str] | None] = {}
        self.secret_columns: dict[tuple[str, int], int] = {}
        for diagnostic in diagnostics:
            if diagnostic.code == "A004":
                key = (diagnostic.file, diagnostic.line)
                self.secret_columns[key] = min(diagnostic.column, self.secret_columns.get(key, diagnostic.column))

    def excerpt(self, diagnostic: Diagnostic) -> list[str]:
        lines = self._read(diagnostic.file)
        if lines is None or not 0 < diagnostic.line <= len(lines):
            return []
        return source_excerpt(lines[diagnostic.line - 1], diagnostic.line, diagnostic.column,
                              secret_from=self.secret_columns.get((diagnostic.file, diagnostic.line)))

    def _read(self, file: str) -> list[str] | None:
        if file not in self.lines:
            self.lines[file] = _read_lines(file)
        return self.lines[file]


def _read_lines(file: str) -> list[str] | None:
    """The file's lines, or None when it cannot be shown (unreadable, too large, not UTF-8)."""
    try:
        with open(file, "rb") as handle:
            raw = handle.read(_SOURCE_MAX_BYTES + 1)
    except OSError:
        return None
    if len(raw) > _SOURCE_MAX_BYTES:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    # Lines as the validator counts them: only CR, LF and CRLF end a line.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def source_excerpt(line: str, number: int, column: int, *, secret_from: int | None = None) -> list[str]:
    """The source line under a diagnostic and a caret under ``column`` (1-based, in characters).

    The caret is placed by display width: a CJK character takes two terminal cells.
    """
    from validator.secrets import find_secrets  # only a terminal run shows source lines

    index = max(0, min(column - 1, len(line)))
    if secret_from is not None:
        line = line[:max(0, secret_from - 1)] + _HIDDEN
        index = min(index, len(line))
    for found in reversed(find_secrets(line)):
        line = line[:found.start] + _HIDDEN + line[found.end:]
        if index >= found.end:
            index += len(_HIDDEN) - (found.end - found.start)
        elif index > found.start:
            index = found.start
    start = 0
    if len(line) > _SOURCE_WINDOW:
        start = max(0, min(index - _SOURCE_WINDOW // 3, len(line) - _SOURCE_WINDOW))
    shown = line[start:start + _SOURCE_WINDOW]
    before = visible(line[start:index])
    text = ("…" if start else "") + visible(shown) + ("…" if start + _SOURCE_WINDOW < len(line) else "")
    gutter = f"{number:>5} | "
    pad = cell_width(before) + (1 if start else 0)
    return [f"{gutter}{text}".rstrip(), f"{' ' * 5} | {' ' * pad}^"]


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


# --- GitHub Actions -------------------------------------------------------------------------

def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped (as @actions/core does)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


# GitHub keeps a step summary up to 1 MiB; a very long table is cut well before that.
STEP_SUMMARY_MAX_ROWS = 500

_SUMMARY_WORDS = {
    "ja": {"title": "サポート案件の検査", "ok": "問題はありません。", "severity": "重要度", "where": "場所",
           "rule": "ルール", "message": "内容", "more": "ほか{count}件は省略しました(ログの注釈と `--format text` で全件を確認できます)。"},
    "en": {"title": "Support case check", "ok": "No problems found.", "severity": "severity", "where": "where",
           "rule": "rule", "message": "message", "more": "{count} more not shown (the log and `--format text` list them all)."},
}
_SEVERITY_MARK = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.NOTICE: "ℹ️"}


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: an annotation per diagnostic, then the summary line."""

    name = "github"

    def render(self, report: Report) -> str:
        lines = [self._annotation(diagnostic) for diagnostic in report.diagnostics]
        lines.append(summary_line(report, self.lang))
        return "\n".join(lines) + "\n"

    def _annotation(self, diagnostic: Diagnostic) -> str:
        properties = {
            "file": diagnostic.file,
            "line": str(diagnostic.line),
            "col": str(diagnostic.column),
            "title": f"{diagnostic.code} {diagnostic.name}",
        }
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
        return f"::{diagnostic.severity.value} {joined}::{escape_data(shown_message(diagnostic, self.lang))}"

    def step_summary(self, report: Report) -> str:
        words = _SUMMARY_WORDS[self.lang]
        lines = [f"### {words['title']}", "", summary_line(report, self.lang), ""]
        if not report.diagnostics:
            lines.append(words["ok"])
            return "\n".join(lines) + "\n"
        lines += [f"| | {words['severity']} | {words['where']} | {words['rule']} | {words['message']} |",
                  "| --- | --- | --- | --- | --- |"]
        for diagnostic in report.diagnostics[:STEP_SUMMARY_MAX_ROWS]:
            lines.append(" | ".join((
                f"| {_SEVERITY_MARK[diagnostic.severity]}",
                _SEVERITY_WORDS[self.lang][diagnostic.severity],
                self._where(diagnostic),
                self._rule(diagnostic),
                f"{_markdown_cell(shown_message(diagnostic, self.lang))} |",
            )))
        hidden = len(report.diagnostics) - STEP_SUMMARY_MAX_ROWS
        if hidden > 0:
            lines += ["", words["more"].format(count=hidden)]
        return "\n".join(lines) + "\n"

    def _where(self, diagnostic: Diagnostic) -> str:
        label = _markdown_cell(f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}")
        relative = _repository_path(diagnostic.file)
        if self.repository_url is None or relative is None:
            return f"`{label}`"
        url = f"{self.repository_url}/{urllib.parse.quote(relative)}#L{diagnostic.line}"
        return f"[`{label}`]({url})"

    def _rule(self, diagnostic: Diagnostic) -> str:
        label = f"{diagnostic.code} {diagnostic.name}"
        url = self.rule_url(diagnostic.code)
        return f"[{label}]({url})" if url else label


def _markdown_cell(text: str) -> str:
    """Text that stays inside one cell of a Markdown table: one line, ``|`` escaped, no HTML tags.

    Nothing else is escaped: messages quote keys in code spans, where a backslash would show.
    """
    return " ".join(text.splitlines()).replace("|", "\\|").replace("<", "&lt;")


def _repository_path(file: str) -> str | None:
    """``file`` relative to the repository root, when it is given that way (as from the root)."""
    path = posixpath.normpath(file.replace("\\", "/"))
    if path.startswith(("/", "../")) or path == "..":
        return None
    return path


# --- SARIF ----------------------------------------------------------------------------------

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "note"}


def tool_version() -> str:
    from importlib import metadata  # only SARIF names the version: not every start pays for it

    try:
        return metadata.version(TOOL_NAME)
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "0"


class SarifReporter(Reporter):
    """SARIF 2.1.0, as GitHub code scanning reads it."""

    name = "sarif"

    def render(self, report: Report) -> str:
        rule_index = {rule.code: index for index, rule in enumerate(RULES)}
        driver: dict[str, object] = {"name": TOOL_NAME, "semanticVersion": tool_version()}
        if self.repository_url is not None:
            driver["informationUri"] = f"{self.repository_url}/{self.reference_file}"
        driver["rules"] = [self._rule(rule) for rule in RULES]
        run = {
            "tool": {"driver": driver},
            # Columns count characters, as the validator's do (SARIF's default is UTF-16 units).
            "columnKind": "unicodeCodePoints",
            "properties": {"as_of": report.as_of.isoformat(), "files": report.files, "cases": report.cases},
            "results": [self._result(diagnostic, rule_index[diagnostic.code])
                        for diagnostic in report.diagnostics],
        }
        document = {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    def _rule(self, rule: Rule) -> dict[str, object]:
        entry: dict[str, object] = {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary.in_language(self.lang)},
            "fullDescription": {"text": rule_first_paragraph(rule)},
            "help": {"text": rule_help_text(rule), "markdown": rule_help_markdown(rule)},
        }
        url = self.rule_url(rule.code)
        if url is not None:
            entry["helpUri"] = url
        entry["defaultConfiguration"] = {"level": _SARIF_LEVEL[rule.severity]}
        entry["properties"] = {"tags": [TOOL_NAME, *([rule.clause] if rule.clause else [])]}
        return entry

    def _result(self, diagnostic: Diagnostic, index: int) -> dict[str, object]:
        result: dict[str, object] = {
            "ruleId": diagnostic.code,
            "ruleIndex": index,
            "level": _SARIF_LEVEL[diagnostic.severity],
            "message": {"text": shown_message(diagnostic, self.lang)},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _file_uri(diagnostic.file)},
                "region": {"startLine": diagnostic.line, "startColumn": diagnostic.column},
            }}],
            "properties": {"case": diagnostic.case},
        }
        if diagnostic.accepted is not None:
            # SARIF's own word for a reviewed finding: suppressed in the source, status accepted.
            result["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                       "justification": diagnostic.accepted.reason}]
            result["properties"] = {"case": diagnostic.case, "accepted": diagnostic.accepted.as_dict()}
        return result


def _file_uri(file: str) -> str:
    """A path as a URI reference: relative paths stay relative (to the repository root)."""
    path = file.replace("\\", "/")
    if path.startswith("/"):
        return "file://" + urllib.parse.quote(path)
    return urllib.parse.quote(path)


# --- JUnit XML ------------------------------------------------------------------------------

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = lazy_compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", text)


class JunitReporter(Reporter):
    """JUnit XML: a test case per case file; a failure per error; warnings and notices as output.

    Only errors fail a test case, whatever ``--strict`` says: the exit code is the
    CLI's to decide, and a warning stays visible in the test case's output.
    """

    name = "junit"
    lists_every_file = True

    def render(self, report: Report) -> str:
        import xml.etree.ElementTree as ET

        by_file: defaultdict[str, list[Diagnostic]] = defaultdict(list)
        for diagnostic in report.diagnostics:
            by_file[diagnostic.file].append(diagnostic)
        files = list(dict.fromkeys([*self.files, *by_file]))
        failures = report.count(Severity.ERROR)
        failed_files = sum(1 for file in files if any(d.severity is Severity.ERROR for d in by_file.get(file, ())))
        counts = {"tests": str(len(files)), "failures": str(failed_files), "errors": "0", "skipped": "0"}
        suites = ET.Element("testsuites", {"name": TOOL_NAME, **counts})
        suite = ET.SubElement(suites, "testsuite", {"name": f"{TOOL_NAME} validate", **counts})
        properties = ET.SubElement(suite, "properties")
        for key, value in (("as_of", report.as_of.isoformat()), ("cases", str(report.cases)),
                           ("errors", str(failures))):
            ET.SubElement(properties, "property", {"name": key, "value": value})
        for file in files:
            self._testcase(suite, file, by_file.get(file, []))
        ET.indent(suites)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"

    def _testcase(self, suite: ET.Element, file: str, diagnostics: list[Diagnostic]) -> None:
        import xml.etree.ElementTree as ET

        case = ET.SubElement(suite, "testcase", {"classname": f"{TOOL_NAME}.validate", "name": _xml_text(file),
                                                 "file": _xml_text(file)})
        others = []
        for diagnostic in diagnostics:
            line = _xml_text(f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: "
                             f"{diagnostic.severity.value} {diagnostic.code} {diagnostic.name}: "
                             f"{shown_message(diagnostic, self.lang)}")
            if diagnostic.severity is Severity.ERROR:
                failure = ET.SubElement(case, "failure", {"type": f"{diagnostic.code} {diagnostic.name}",
                                                          "message": _xml_text(diagnostic.message)})
                failure.text = line
            else:
                others.append(line)
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(others)


REPORTER_BY_NAME: dict[str, type[Reporter]] = {
    reporter.name: reporter
    for reporter in (TextReporter, JsonReporter, GithubReporter, SarifReporter, JunitReporter)
}
