"""A strict YAML loader for hand-written case and policy files.

It reads the file itself (never more than the size limit), decodes UTF-8 only,
and builds plain Python values from libyaml's event stream, so that:

* every value and key keeps its 1-based line and column, for diagnostics;
* anchors, aliases and explicit tags are refused as they are met, and an alias
  is never expanded (no alias bomb can grow);
* a repeated key is reported instead of silently overwriting the first one;
* only YAML 1.2 core-schema scalars are resolved: ``no`` stays a string,
  ``012`` is twelve, and dates stay ``YYYY-MM-DD`` strings for the schema;
* nesting is bounded, so nothing downstream can recurse without end.

The loader reports S001 (syntax, encoding), S002 (duplicate key), S003 (several
documents, non-text keys, nesting) and S007 (anchors, aliases, tags, size).
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from validator.diagnostics import START, Finding, Position, Text

try:  # libyaml's parser is much faster; the pure-Python one behaves the same.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32
UTF8_BOM = b"\xef\xbb\xbf"

Path_ = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


def resolve_plain_scalar(value: str) -> Any:
    """Resolve an unquoted scalar by the YAML 1.2 core schema."""
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    try:
        if _INT.match(value):
            return int(value)
        if _OCT.match(value):
            return int(value[2:], 8)
        if _HEX.match(value):
            return int(value[2:], 16)
    except ValueError:  # more digits than Python converts: no sane amount anyway
        return math.inf
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


@dataclass(frozen=True)
class StringValue:
    """A string value of the document (not a key), kept for the secret scan."""

    path: Path_
    value: str
    start: int  # character offsets of the scalar in the source text
    end: int


@dataclass
class LoadedDocument:
    """Everything the rules need from one file: its values and where they stand."""

    path: str
    text: str | None = None
    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    value_positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)
    strings: list[StringValue] = field(default_factory=list)
    scalar_spans: list[tuple[int, int]] = field(default_factory=list)
    _line_starts: list[int] | None = None

    @property
    def parsed(self) -> bool:
        """True when the file gave a value tree with no structural finding."""
        return not self.findings and self.text is not None

    def position_of(self, path: Path_) -> Position:
        """The value at ``path``, or the closest enclosing value that exists."""
        while path:
            if path in self.value_positions:
                return self.value_positions[path]
            path = path[:-1]
        return self.value_positions.get((), START)

    def key_position(self, path: Path_) -> Position:
        return self.key_positions.get(path) or self.position_of(path)

    def position_at_offset(self, offset: int) -> Position:
        """Turn a character offset of the source text into a line and column."""
        if self._line_starts is None:
            text = self.text or ""
            self._line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return Position(line, offset - self._line_starts[line - 1] + 1)


def load_file(path: str, *, max_bytes: int = MAX_FILE_BYTES) -> LoadedDocument:
    """Read and load one file; problems become findings, never exceptions."""
    document = LoadedDocument(path=path)
    try:
        with open(path, "rb") as stream:
            raw = stream.read(max_bytes + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        document.findings.append(Finding("S001", START, Text(
            ja=f"ファイルを読めません({reason})。ファイルの権限を確認してください。",
            en=f"The file cannot be read ({reason}). Check its permissions.")))
        return document
    if len(raw) > max_bytes:
        size = Path(path).stat().st_size
        document.findings.append(Finding("S007", START, Text(
            ja=f"ファイルが大きすぎます({size:,}バイト、上限は{max_bytes:,}バイト)。案件ファイルとしては大きすぎるため読み込みません。",
            en=f"The file is too large ({size:,} bytes; the limit is {max_bytes:,} bytes), so it is not read as a case file.")))
        return document
    return load_bytes(raw, path=path)


def load_bytes(raw: bytes, *, path: str) -> LoadedDocument:
    """Load a document from bytes already read."""
    document = LoadedDocument(path=path)
    text = _decode(raw, document)
    if text is None:
        return document
    document.text = text
    _Builder(document).build()
    return document


def _decode(raw: bytes, document: LoadedDocument) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        _encoding_finding(document, START, "UTF-16")
        return None
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        good = raw[: error.start].decode("utf-8", errors="replace")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        _encoding_finding(document, Position(line, column), _guess_encoding(raw))
        return None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        _encoding_finding(document, Position(line, column), "binary")
        return None
    return text


def _guess_encoding(raw: bytes) -> str:
    for encoding in ("shift_jis", "euc_jp"):
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding.replace("_", "-").upper().replace("SHIFT-JIS", "Shift_JIS")
    return "unknown"


def _encoding_finding(document: LoadedDocument, position: Position, guess: str) -> None:
    if guess == "binary":
        ja = "テキストファイルではありません(NULバイトを含みます)。YAMLのテキストファイルを指定してください。"
        en = "This is not a text file (it contains NUL bytes). Give a YAML text file."
    elif guess == "unknown":
        ja = "UTF-8として読めない文字があります。UTF-8で保存し直してください。"
        en = "Some bytes are not valid UTF-8. Save the file again as UTF-8."
    else:
        ja = f"文字コードが{guess}のようです。UTF-8で保存し直してください(メモ帳なら「名前を付けて保存」で文字コードUTF-8を選びます)。"
        en = f"The file seems to be encoded as {guess}. Save it again as UTF-8."
    document.findings.append(Finding("S001", position, Text(ja=ja, en=en)))


def _mark(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


class _Builder:
    """Builds values from parse events with an explicit stack (no recursion)."""

    def __init__(self, document: LoadedDocument) -> None:
        self.document = document
        self.findings = document.findings
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0

    def build(self) -> None:
        text = self.document.text or ""
        try:
            for event in yaml.parse(text, Loader=_EventLoader):
                if not self._handle(event):
                    break
        except yaml.MarkedYAMLError as error:
            self._syntax_finding(error)
            return
        except yaml.YAMLError as error:  # e.g. a reader error on a control character
            self.findings.append(Finding("S001", START, Text(
                ja=f"YAMLとして読めません: {_short(str(error))}",
                en=f"This is not valid YAML: {_short(str(error))}")))
            return
        if self.documents == 0 or (self.root is None and not self.findings):
            self.findings.append(Finding("S003", START, Text(
                ja="ファイルが空です。案件の内容(id、opened、customer、product)を書いてください。",
                en="The file is empty. Write the case in it (id, opened, customer, product).")))
        elif not self.findings and not isinstance(self.root, dict):
            kind = "リスト" if isinstance(self.root, list) else "単一の値"
            kind_en = "a list" if isinstance(self.root, list) else "a single value"
            self.findings.append(Finding("S003", self.document.value_positions.get((), START), Text(
                ja=f"ファイルの最上位が{kind}です。「キー: 値」の形で案件を書いてください。",
                en=f"The top level of the file is {kind_en}; write the case as `key: value` lines.")))
        self.document.data = self.root

    def _syntax_finding(self, error: yaml.MarkedYAMLError) -> None:
        mark = error.problem_mark or error.context_mark
        position = _mark(mark) if mark is not None else START
        problem = _short(error.problem or "syntax error")
        context = f" ({_short(error.context)})" if error.context else ""
        self.findings.append(Finding("S001", position, Text(
            ja=f"YAMLの書き方に誤りがあります: {problem}{context}。インデント、コロンの後の空白、引用符の閉じ忘れを確認してください。",
            en=f"The YAML is not well-formed: {problem}{context}. Check the indentation, the space after each colon and unclosed quotes.")))

    # --- events -----------------------------------------------------------------

    def _handle(self, event: Any) -> bool:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.findings.append(Finding("S003", _mark(event.start_mark), Text(
                    ja="1つのファイルに複数のYAML文書(---)があります。1案件につき1ファイル・1文書にしてください。",
                    en="The file holds several YAML documents (---). Keep one case per file, in one document.")))
                return False
            return True
        if isinstance(event, yaml.AliasEvent):
            self._unsafe(event, Text(
                ja=f"エイリアス(*{_short(event.anchor)})は使えません。値をそのまま書いてください。",
                en=f"Aliases (*{_short(event.anchor)}) are not allowed. Write the value out in full."))
            if self._expects_key():
                self.stack[-1].pending_key = _SKIP  # an alias as a key: drop its value too
            else:
                self._add_value(None, event)
            return True
        if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._check_anchor_and_tag(event)
        if isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, yaml.MappingStartEvent):
            self._open(event, {})
        elif isinstance(event, yaml.SequenceStartEvent):
            self._open(event, [])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()
        return True

    def _check_anchor_and_tag(self, event: Any) -> None:
        if event.anchor is not None:
            self._unsafe(event, Text(
                ja=f"アンカー(&{_short(event.anchor)})は使えません。値をそのまま書いてください。",
                en=f"Anchors (&{_short(event.anchor)}) are not allowed. Write each value out in full."))
        if event.tag is not None:
            self._unsafe(event, Text(
                ja=f"タグ({_short(event.tag)})は使えません。タグを外して値だけを書いてください。",
                en=f"Tags ({_short(event.tag)}) are not allowed. Remove the tag and write the plain value."))

    def _unsafe(self, event: Any, message: Text) -> None:
        self.findings.append(Finding("S007", _mark(event.start_mark), message))

    def _expects_key(self) -> bool:
        return bool(self.stack) and self.stack[-1].expects_key

    def _scalar(self, event: Any) -> None:
        self.document.scalar_spans.append((event.start_mark.index, event.end_mark.index))
        if self._expects_key():
            self._key(self.stack[-1], event)
            return
        plain = event.style in (None, "") and event.tag is None
        value = resolve_plain_scalar(event.value) if plain else event.value
        path = self._add_value(value, event)
        if isinstance(value, str):  # kept even where not stored, for the secret scan
            self.document.strings.append(
                StringValue(path or (), value, event.start_mark.index, event.end_mark.index))

    def _key(self, frame: _Frame, event: Any) -> None:
        key = event.value
        position = _mark(event.start_mark)
        first = frame.key_positions.get(key)
        if first is not None:
            self.findings.append(Finding("S002", position, Text(
                ja=f"キー「{_short(key)}」が同じ場所に2回書かれています(最初は{first.line}行目)。どちらか1つにまとめてください。",
                en=f"The key `{_short(key)}` appears twice here (first on line {first.line}). Keep only one.")))
            frame.pending_key = _SKIP
            return
        frame.key_positions[key] = position
        if frame.path is not None:
            self.document.key_positions[(*frame.path, key)] = position
        frame.pending_key = key

    def _open(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        if self._expects_key():
            self.findings.append(Finding("S003", _mark(event.start_mark), Text(
                ja="キーにリストやマッピングは使えません。キーは文字だけで書いてください。",
                en="A key cannot be a list or a mapping; write keys as plain text.")))
            self.stack[-1].pending_key = _SKIP  # drop the value that follows too
            self.stack.append(_Frame(container, None))
            return
        path = self._add_value(container, event)
        if path is not None and len(self.stack) >= MAX_DEPTH:
            self.findings.append(Finding("S003", _mark(event.start_mark), Text(
                ja=f"入れ子が深すぎます({MAX_DEPTH}段まで)。案件ファイルの形を確認してください。",
                en=f"The nesting is too deep (at most {MAX_DEPTH} levels). Check the structure of the case.")))
            path = None
        # Below a dropped value or the depth limit, containers are detached: keys are
        # still checked, nothing is stored, so memory stays bounded.
        self.stack.append(_Frame(container if path is not None else _detached(container), path))

    def _add_value(self, value: Any, event: Any) -> Path_ | None:
        """Store a value where the open container expects it; return its path.

        None means the value is not part of the document: it belongs to a repeated
        key, or lies in a detached container.
        """
        if not self.stack:
            self.root = value
            path: Path_ = ()
        else:
            frame = self.stack[-1]
            if frame.path is None:
                frame.pending_key = None
                return None
            if isinstance(frame.container, list):
                path = (*frame.path, len(frame.container))
                frame.container.append(value)
            else:
                key, frame.pending_key = frame.pending_key, None
                if key is _SKIP:
                    return None
                path = (*frame.path, key)
                frame.container[key] = value
        self.document.value_positions[path] = _mark(event.start_mark)
        return path


@dataclass
class _Frame:
    """An open mapping or sequence while the event stream is read."""

    container: dict[str, Any] | list[Any]
    path: Path_ | None  # None: detached, its contents are not kept
    pending_key: Any = None  # the key whose value comes next (mappings)
    key_positions: dict[str, Position] = field(default_factory=dict)

    @property
    def expects_key(self) -> bool:
        return isinstance(self.container, dict) and self.pending_key is None


def _detached(container: dict[str, Any] | list[Any]) -> dict[str, Any] | list[Any]:
    return {} if isinstance(container, dict) else []


_SKIP = object()  # the pending key of a value that is reported, not stored


def _short(text: Any, limit: int = 40) -> str:
    """Quote at most ``limit`` characters of user input in a message."""
    text = str(text).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
