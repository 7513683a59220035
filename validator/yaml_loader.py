"""A strict YAML loader for hand-written case and policy files.

It reads the file itself (never more than the size limit), decodes UTF-8 only,
and builds plain Python values from libyaml's event stream, so that:

* every value and key keeps its 1-based line and column, for diagnostics;
* anchors, aliases and explicit tags are refused as they are met, and an alias
  is never expanded (no alias bomb can grow);
* a repeated key is reported instead of silently overwriting the first one;
* only YAML 1.2 core-schema scalars are resolved: ``no`` stays a string,
  ``012`` is twelve, and dates stay ``YYYY-MM-DD`` strings for the schema;
* nesting and the number of values are bounded, so nothing downstream can
  recurse without end or take long on a hostile file;
* only regular files are read (a named pipe would block for ever), and a symbolic
  link is followed only to a file in its own folder or below (never out of the
  repository, e.g. to ``/etc/passwd``, whose lines would then be quoted in CI logs);
* user input quoted in a message is a short excerpt with control characters
  escaped, so no file can write terminal escape sequences to the reader's screen.

The loader reports S001 (syntax, encoding, unreadable or not a regular file), S002
(duplicate key), S003 (several documents, non-text keys, nesting, too many values)
and S007 (anchors, aliases, tags, size, a symbolic link out of its folder).

A file the loader could not read to its end (a syntax error, a second document,
too many values) keeps no scalar positions: the secret scan (A004) then reads its
whole text line by line, so a credential after the point where parsing stopped is
still found.
"""
from __future__ import annotations

import bisect
import contextlib
import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from validator.diagnostics import START, Finding, Position, Text
from validator.lazy_pattern import lazy_compile

try:  # libyaml's parser is much faster; the pure-Python one behaves the same.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 1024 * 1024
# A file over MAX_FILE_BYTES is never parsed, but this much of it is scanned for secrets.
SECRET_SCAN_MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
# A real case holds a few dozen values; a hostile file with 100,000 keys stops here,
# before the parse, the schema check and the report grow with it.
MAX_VALUES = 5000
# Python refuses to print an int of more than 4,300 digits (sys.int_max_str_digits);
# a hexadecimal or octal literal can exceed that without a long string to parse.
_MAX_INT_BITS = 14_000  # about 4,200 decimal digits
UTF8_BOM = b"\xef\xbb\xbf"

# The loader's messages (S001, S002, S003, S007), whole sentences with named fields.
MESSAGES: dict[str, Text] = {
    "S007.link-outside": Text(
        ja="このファイルはフォルダーの外({target})を指すシンボリックリンクなので読みません。案件ファイルはリンクではなく、ファイルそのものを置いてください。",
        en="This file is a symbolic link to a file outside its folder ({target}), so it is not read. Keep the case file itself here, not a link."),
    "S001.unreadable": Text(
        ja="ファイルを読めません({reason})。ファイルの権限を確認してください。",
        en="The file cannot be read ({reason}). Check its permissions."),
    "S001.not-regular": Text(
        ja="通常のファイルではありません(名前付きパイプ、デバイスなど)。読み込みません。",
        en="This is not a regular file (a named pipe, a device, ...), so it is not read."),
    "S007.too-large": Text(
        ja="ファイルが大きすぎます({size:,}バイト、上限は{limit:,}バイト)。案件ファイルとしては大きすぎるため読み込みません。",
        en="The file is too large ({size:,} bytes; the limit is {limit:,} bytes), so it is not read as a case file."),
    "S003.empty": Text(
        ja="ファイルが空です。案件の内容(id、opened、customer、product)を書いてください。",
        en="The file is empty. Write the case in it (id, opened, customer, product)."),
    "S003.top-level-list": Text(
        ja="ファイルの最上位がリストです。「キー: 値」の形で案件を書いてください。",
        en="The top level of the file is a list; write the case as `key: value` lines."),
    "S003.top-level-value": Text(
        ja="ファイルの最上位が単一の値です。「キー: 値」の形で案件を書いてください。",
        en="The top level of the file is a single value; write the case as `key: value` lines."),
    "S003.too-many-values": Text(
        ja="値が多すぎます({limit:,}個まで)。1つの案件ファイルにしては大きすぎるため、ここで読むのをやめます。",
        en="The file holds too many values (at most {limit:,}); that is not one case, so reading stops here."),
    "S003.several-documents": Text(
        ja="1つのファイルに複数のYAML文書(---)があります。1案件につき1ファイル・1文書にしてください。",
        en="The file holds several YAML documents (---). Keep one case per file, in one document."),
    "S007.alias": Text(
        ja="エイリアス(*{name})は使えません。値をそのまま書いてください。",
        en="Aliases (*{name}) are not allowed. Write the value out in full."),
    "S007.anchor": Text(
        ja="アンカー(&{name})は使えません。値をそのまま書いてください。",
        en="Anchors (&{name}) are not allowed. Write each value out in full."),
    "S007.tag": Text(
        ja="タグ({tag})は使えません。タグを外して値だけを書いてください。",
        en="Tags ({tag}) are not allowed. Remove the tag and write the plain value."),
    "S002.duplicate-key": Text(
        ja="キー「{key}」が同じ場所に2回書かれています(最初は{first_line}行目)。どちらか1つにまとめてください。",
        en="The key `{key}` appears twice here (first on line {first_line}). Keep only one."),
    "S003.complex-key": Text(
        ja="キーにリストやマッピングは使えません。キーは文字だけで書いてください。",
        en="A key cannot be a list or a mapping; write keys as plain text."),
    "S003.too-deep": Text(
        ja="入れ子が深すぎます({limit}段まで)。案件ファイルの形を確認してください。",
        en="The nesting is too deep (at most {limit} levels). Check the structure of the case."),
    "S001.binary": Text(
        ja="テキストファイルではありません(NULバイトを含みます)。YAMLのテキストファイルを指定してください。",
        en="This is not a text file (it contains NUL bytes). Give a YAML text file."),
    "S001.not-utf8": Text(
        ja="UTF-8として読めない文字があります。UTF-8で保存し直してください。",
        en="Some bytes are not valid UTF-8. Save the file again as UTF-8."),
    "S001.other-encoding": Text(
        ja="文字コードが{encoding}のようです。UTF-8で保存し直してください(メモ帳なら「名前を付けて保存」で文字コードUTF-8を選びます)。",
        en="The file seems to be encoded as {encoding}. Save it again as UTF-8."),
    "S001.not-yaml": Text(
        ja="YAMLとして読めません。パーサーの説明: {parser}",
        en="This cannot be read as YAML. The parser says: {parser}"),
    "S001.control-character": Text(
        ja="YAMLでは使えない制御文字({character})があります。画面に見えないことが多い文字です。この位置の文字を削除してください。",
        en="This is a control character ({character}) that YAML does not allow; such characters are often invisible. Delete the character at this position."),
    "S001.comment-needs-space": Text(
        ja="「#」の前に空白がありません。コメントにするなら「\"manual\" # 電話で確認」のように「#」の前に空白を入れ、値の一部なら値全体を引用符で囲んでください。",
        en="There is no space before `#`. For a comment, put a space before it (`\"manual\" # called`); if the `#` belongs to the value, put the whole value in quotes."),
    "S001.continuation-not-indented": Text(
        ja="この行は上の行の値の続きですが、字下げが足りません。続きの行はキーより深く(空白2つなど)字下げするか、値を1行にまとめてください。",
        en="This line continues the value above but is not indented enough. Indent continuation lines further than the key (e.g. by two spaces), or keep the value on one line."),
    "S001.tab-indentation": Text(
        ja="行の始めにタブがあります。YAMLの字下げにはタブを使えません。タブを空白に置き換えてください。",
        en="There is a tab at the start of this line. YAML indentation cannot use tabs: replace the tab with spaces."),
    "S001.blank-line-indented-deeper": Text(
        ja="ブロック(「|」や「>」)の最初の行より前の空行に、最初の行({spaces}文字)より多い空白があります。この行の余分な空白を消してください。",
        en="This blank line before the first line of a | or > block has more spaces than that first line ({spaces}). Delete the extra spaces on this line."),
    "S001.flow-question-mark": Text(
        ja="「[ ]」や「{ }」の中で「?」のすぐ後に文字が続くと、読み方がYAMLのバージョンで変わります(キーとして読まれることがあります)。値を引用符で囲んで「\"?...\"」と書いてください。",
        en="A `?` directly followed by text inside [ ] or { } is read differently by YAML versions (possibly as a key). Put the value in quotes: \"?...\"."),
}

Path_ = tuple[str | int, ...]
# Findings after which the value tree is still whole: the schema check runs on it.
_SCHEMA_KEEPS = frozenset({"S002", "S007"})

_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
# Any of the patterns above: plain text, most scalars, costs one match instead of seven.
_NOT_TEXT = re.compile("|".join(p.pattern for p in (_NULL, _INT, _OCT, _HEX, _FLOAT, _INF, _NAN)))


def resolve_plain_scalar(value: str) -> Any:
    """Resolve an unquoted scalar by the YAML 1.2 core schema."""
    if value not in _BOOL and not _NOT_TEXT.match(value):
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    try:
        if _INT.match(value):
            return _bounded(int(value))
        if _OCT.match(value):
            return _bounded(int(value[2:], 8))
        if _HEX.match(value):
            return _bounded(int(value[2:], 16))
    except ValueError:  # more digits than Python converts: no sane amount anyway
        return -math.inf if value.startswith("-") else math.inf
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


def _bounded(number: int) -> int | float:
    """An integer Python can still print; beyond that, no sane amount: infinity."""
    if number.bit_length() <= _MAX_INT_BITS:
        return number
    return -math.inf if number < 0 else math.inf


class StringValue(NamedTuple):
    """The source text of a scalar value (not a key), kept for the secret scan."""

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
    # The parser's marks (0-based line and column), made Positions only when asked for:
    # most values never appear in a diagnostic.
    value_positions: dict[Path_, Any] = field(default_factory=dict)
    key_positions: dict[Path_, Any] = field(default_factory=dict)
    strings: list[StringValue] = field(default_factory=list)
    scalar_spans: list[tuple[int, int]] = field(default_factory=list)
    stopped_early: bool = False  # the parser did not read the file to its end
    # Where an alias or a tagged value stands (S007): the value stored there is not what
    # the author meant (an alias is stored as null), so no schema finding repeats it.
    unsafe_values: set[Position] = field(default_factory=set)
    _line_starts: list[int] | None = None

    @property
    def parsed(self) -> bool:
        """True when the file gave a value tree with no structural finding."""
        return not self.findings and self.text is not None

    @property
    def schema_ready(self) -> bool:
        """True when the whole file was read into a mapping whose only findings are
        repeated keys (S002) or anchors, aliases and tags (S007): the schema check still
        runs on it, since gating silences T, E, P, A and C rules, not S rules (SPEC 4)."""
        return (self.text is not None and not self.stopped_early and isinstance(self.data, dict)
                and all(finding.code in _SCHEMA_KEEPS for finding in self.findings))

    def position_of(self, path: Path_) -> Position:
        """The value at ``path``, or the closest enclosing value that exists."""
        while path:
            if path in self.value_positions:
                return _mark(self.value_positions[path])
            path = path[:-1]
        root = self.value_positions.get(())
        return START if root is None else _mark(root)

    def key_position(self, path: Path_) -> Position:
        mark = self.key_positions.get(path)
        return self.position_of(path) if mark is None else _mark(mark)

    def position_at_offset(self, offset: int) -> Position:
        """Turn a character offset of the source text into a line and column
        (lines end at LF, CRLF or CR only, as in YAML 1.2)."""
        starts = self._starts()
        line = bisect.bisect_right(starts, offset)
        return Position(line, offset - starts[line - 1] + 1)

    def line_start(self, line: int) -> int:
        """The offset of the first character of a 1-based line (the end of the text past the last)."""
        starts = self._starts()
        return starts[line - 1] if line <= len(starts) else len(self.text or "")

    def _starts(self) -> list[int]:
        if self._line_starts is None:
            text = self.text or ""
            self._line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", text)]
        return self._line_starts


def load_file(path: str, *, max_bytes: int = MAX_FILE_BYTES) -> LoadedDocument:
    """Read and load one file; problems become findings, never exceptions.

    Nothing is read from a file that is not a regular file, that is larger than
    ``max_bytes``, or that is a symbolic link to a file outside the link's own folder
    (see ``_link_outside``); each of these is one finding at 1:1. An unreadable file
    (permissions, a broken link) is S001 with the system's reason.
    """
    document = LoadedDocument(path=path)
    target = _link_outside(path)
    if target is not None:
        document.findings.append(Finding("S007", START, MESSAGES["S007.link-outside"].format(
            target=excerpt(target, tail=True))))
        return document
    try:
        raw = _read_regular_file(path, max_bytes)
    except OSError as error:
        reason = error.strerror or str(error)
        document.findings.append(Finding("S001", START, MESSAGES["S001.unreadable"].format(reason=reason)))
        return document
    except _NotARegularFile:
        document.findings.append(Finding("S001", START, MESSAGES["S001.not-regular"]))
        return document
    except _TooLarge as too_large:
        size = too_large.size
        document.findings.append(Finding("S007", START, MESSAGES["S007.too-large"].format(size=size, limit=max_bytes)))
        _keep_oversize_for_secret_scan(document, path)
        return document
    return load_bytes(raw, path=path)


def _keep_oversize_for_secret_scan(document: LoadedDocument, path: str) -> None:
    """A file too large to parse is still in git: its first ``SECRET_SCAN_MAX_BYTES``
    are kept as text for the secret scan alone (line by line, linear in the size), and the
    YAML is never parsed. It is cut at its last line break, so no line is scanned in half."""
    try:
        raw = _read_regular_file(path, SECRET_SCAN_MAX_BYTES)
    except _TooLarge:
        with open(path, "rb") as stream:
            raw = stream.read(SECRET_SCAN_MAX_BYTES)
        raw = raw[:raw.rfind(b"\n") + 1] or raw
    except (OSError, _NotARegularFile):  # pragma: no cover - it changed since the first read
        return
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        document.text = raw.decode("utf-16", errors="replace")
    else:
        document.text = raw.removeprefix(UTF8_BOM).decode("utf-8", errors="replace")
    document.stopped_early = True


class _NotARegularFile(Exception):
    pass


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _read_regular_file(path: str, max_bytes: int) -> bytes:
    """At most ``max_bytes`` of a regular file; a pipe or a device is never read.

    The file is opened without blocking (opening a named pipe would otherwise wait
    for a writer for ever) and checked on the open descriptor, so what is checked
    is what is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _NotARegularFile(path)
        # Sized by the file, not the limit: read(max_bytes + 1) allocates 1 MiB per file.
        raw = stream.read(min(info.st_size, max_bytes) + 1)
        if len(raw) > info.st_size:  # it grew since fstat: read on, up to the same limit
            raw += stream.read(max_bytes + 1 - len(raw))
    if len(raw) > max_bytes:
        raise _TooLarge(max(info.st_size, len(raw)))
    return raw


def _link_outside(path: str) -> str | None:
    """The target of a symbolic link that leads out of the link's folder, else None.

    A case file may be a link to another file in its folder or below it; a link
    out of it (``cases/a.yaml -> /etc/passwd``, ``-> ../../secrets.yaml``) is not
    followed, whether the file was found in a folder or named on the command line
    (an editor or a hook may name files one by one), so the validator never reads,
    and quotes in its messages, a file outside the paths it was given.
    """
    if not os.path.islink(path):
        return None
    folder = os.path.realpath(os.path.dirname(path) or os.curdir)
    target = os.path.realpath(path)
    try:
        inside = os.path.commonpath([folder, target]) == folder
    except ValueError:  # different drives (Windows)
        inside = False
    if inside:
        return None
    try:
        return os.readlink(path)
    except OSError:  # pragma: no cover - the link vanished meanwhile
        return target


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
        _keep_for_secret_scan(document, raw, "utf-16")
        return None
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        good = raw[: error.start].decode("utf-8", errors="replace")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        guess = _guess_encoding(raw)
        _encoding_finding(document, Position(line, column), guess)
        if guess != "unknown":
            _keep_for_secret_scan(document, raw, guess)
        return None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        _encoding_finding(document, Position(line, column), "binary")
        return None
    return text


def _keep_for_secret_scan(document: LoadedDocument, raw: bytes, encoding: str) -> None:
    """A file refused for its encoding is still text in git: keep it for A004 alone
    (the findings already stop every other rule)."""
    with contextlib.suppress(UnicodeDecodeError):  # undecodable: nothing to scan
        document.text = raw.decode(encoding.replace("Shift_JIS", "shift_jis"))


def _guess_encoding(raw: bytes) -> str:
    for encoding in ("shift_jis", "euc_jp"):
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding.replace("_", "-").upper().replace("SHIFT-JIS", "Shift_JIS")
    return "unknown"


def _encoding_finding(document: LoadedDocument, position: Position, guess: str) -> None:
    if guess in ("binary", "unknown"):
        message = MESSAGES["S001.binary" if guess == "binary" else "S001.not-utf8"]
    else:
        message = MESSAGES["S001.other-encoding"].format(encoding=guess)
    document.findings.append(Finding("S001", position, message))


# --- what libyaml (YAML 1.1) reads differently from YAML 1.2 -------------------------------
#
# The parser is given a copy of the text with the same length, so every offset, line and
# column it reports is one of the real text: a line holding only tabs and spaces is blank
# (libyaml refuses its tab), and NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR are ordinary
# characters (libyaml breaks lines there, and every later line number would be wrong):
# they stand in as private-use characters while parsing and are put back in the values.
_TAB_ONLY_LINE = lazy_compile(r"(?:^|(?<=[\r\n]))[ \t]*\t[ \t]*(?=[\r\n]|\Z)")
_YAML11_BREAKS = re.compile("[\x85\u2028\u2029]")
_STAND_IN = str.maketrans({"\x85": "\ue085", "\u2028": "\ue028", "\u2029": "\ue029"})
_STAND_IN_BACK = str.maketrans({"\ue085": "\x85", "\ue028": "\u2028", "\ue029": "\u2029"})
_STAND_INS_USED = lazy_compile("[\ue085\ue028\ue029]")
# What YAML 1.2 does not allow in a file (outside c-printable).
_NOT_PRINTABLE = lazy_compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_BLOCK_HEADER = lazy_compile(r"[|>][1-9+-]{0,2}")
_LINE_STARTING_WITH_TAB = lazy_compile(r"(?:(?<=[\r\n]))\t")


def _for_parser(text: str) -> str:
    """The text as libyaml should see it to read it as YAML 1.2 does (same length)."""
    source = text
    if "\t" in source:
        source = _TAB_ONLY_LINE.sub(lambda blank: " " * len(blank.group()), source)
    if _YAML11_BREAKS.search(source) and not _STAND_INS_USED.search(text):
        source = source.translate(_STAND_IN)
    return source


def _blank_line(text: str, begin: int) -> bool:
    end = begin
    while end < len(text) and text[end] in " \t":
        end += 1
    return end >= len(text) or text[end] in "\r\n"


def _visible_text(text: str) -> str:
    return "".join(_visible(character) for character in text)


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DOCUMENT_START, _STREAM_END = yaml.DocumentStartEvent, yaml.StreamEndEvent


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
        self.values = 0
        self.too_deep = False
        self.question_marks: set[int] = set()
        self.last_quoted: tuple[Any, Any] | None = None  # marks of the last quoted value read
        self.misread_block_line = 0  # the first line of a block whose indentation a blank line set

    def build(self) -> None:
        text = self.document.text or ""
        self.text = text
        source = _for_parser(text)
        self.stand_ins = source is not text and _STAND_INS_USED.search(source) is not None
        try:
            # The parser's own loop, not yaml.parse: its generator costs a tenth of the load.
            parser = _EventLoader(source)
            try:
                handle, get_event = self._handle, parser.get_event
                while (event := get_event()) is not None and type(event) is not _STREAM_END:
                    if not handle(event):
                        self._stopped_early()
                        break
            finally:
                parser.dispose()
        except yaml.MarkedYAMLError as error:
            self._syntax_finding(error)
            self._stopped_early()
            return
        except yaml.YAMLError as error:  # a reader error: a control character
            self._reader_finding(text, error)
            self._stopped_early()
            return
        if self.documents == 0 or (self.root is None and not self.findings):
            self.findings.append(Finding("S003", START, MESSAGES["S003.empty"]))
        elif not self.findings and not isinstance(self.root, dict):
            message = MESSAGES["S003.top-level-list" if isinstance(self.root, list) else "S003.top-level-value"]
            self.findings.append(Finding("S003", self.document.position_of(()), message))
        self.document.data = self.root

    def _stopped_early(self) -> None:
        """The rest of the file was not read: keep no scalar spans, so the secret scan
        reads every line of the text instead (see the module doc)."""
        self.document.stopped_early = True
        self.document.strings.clear()
        self.document.scalar_spans.clear()

    def _syntax_finding(self, error: yaml.MarkedYAMLError) -> None:
        mark = error.problem_mark or error.context_mark
        if error.problem == "exceeded maximum nesting depth":  # libyaml's own limit (1,000)
            if not self.too_deep:  # already said at MAX_DEPTH, further up the same branch
                self._too_deep(_mark(mark) if mark is not None else START)
            return
        from validator.yaml_errors import syntax_finding  # only a broken file needs it

        finding = syntax_finding(self.text, error, self._line_text, self.last_quoted)
        if finding.position.line == self.misread_block_line:
            return  # the parser took a blank line's spaces for the block's indentation: said already
        if self.last_quoted is not None and finding.position == _mark(self.last_quoted[0]):
            # Reported at the quote that opened the value: its "unindented" lines were the
            # rest of the file, read into a value never closed where it was meant to be.
            start = self.last_quoted[0].line + 1
            self.findings[:] = [f for f in self.findings if not (
                f.message == MESSAGES["S001.continuation-not-indented"] and f.position.line > start)]
        end = self.document.position_at_offset(len(self.text))
        if (finding.position.line, finding.position.column) > (end.line, end.column):
            # libyaml places "end of stream" on a line after a last line with no line break.
            finding = Finding(finding.code, end, finding.message)
        self.findings.append(finding)

    def _line_text(self, line: int) -> str:
        """A 1-based line of the text, without its line break ('' past the end)."""
        begin = self.document.line_start(line)
        end = self.document.line_start(line + 1) if line < len(self.document._starts()) else len(self.text)
        return self.text[begin:end].rstrip("\r\n")

    def _reader_finding(self, text: str, error: yaml.YAMLError) -> None:
        """A character YAML does not allow, found where it really stands (libyaml's
        reader gives a byte count that is not a character offset)."""
        found = _NOT_PRINTABLE.search(text)
        if found is None:  # pragma: no cover - the reader refuses nothing else
            self.findings.append(Finding("S001", START, MESSAGES["S001.not-yaml"].format(parser=_visible_text(str(error)))))
            return
        self.findings.append(Finding("S001", self.document.position_at_offset(found.start()),
                                     MESSAGES["S001.control-character"].format(character=_visible(found.group()))))

    # --- checks of YAML 1.2 that libyaml (YAML 1.1) does not make ----------------------

    def _check_quoted_or_block(self, event: Any) -> None:
        start, end, text = event.start_mark, event.end_mark, self.text
        if event.style in ("'", '"'):
            self.last_quoted = (start, end)
            if text[end.index:end.index + 1] == "#":  # `"manual"# 電話で確認`
                self.findings.append(Finding("S001", self.document.position_at_offset(end.index),
                                             MESSAGES["S001.comment-needs-space"]))
            if start.line != end.line:
                self._check_continuation(start, end, self.stack[-1].indent if self.stack else -1)
        else:  # a block scalar: `>#` after its indicator is no comment
            header = _BLOCK_HEADER.match(text, start.index)
            if header is not None and text[header.end():header.end() + 1] == "#":
                self.findings.append(Finding("S001", self.document.position_at_offset(header.end()),
                                             MESSAGES["S001.comment-needs-space"]))
            if header is not None and not any(character.isdigit() for character in header.group()):
                self._check_leading_blank_lines(start.line + 1, self.stack[-1].indent if self.stack else -1)
            # A blank line was given to the parser as spaces; inside | or > a tab at the
            # start of a line stands where indentation must be spaces.
            tab = _LINE_STARTING_WITH_TAB.search(text, start.index, end.index) if "\t" in text else None
            if tab is not None:
                self.findings.append(Finding("S001", self.document.position_at_offset(tab.end() - 1),
                                             MESSAGES["S001.tab-indentation"]))

    def _check_leading_blank_lines(self, header_line: int, parent_indent: int) -> None:
        """The first text line of a | or > block sets its indentation; a blank line before it
        may not hold more spaces (YAML 1.2; libyaml takes the block silently)."""
        text, deepest = self.text, None  # (spaces, line) of the deepest blank line so far
        line = header_line
        while (begin := self.document.line_start(line := line + 1)) < len(text):
            spaces = 0
            while begin + spaces < len(text) and text[begin + spaces] == " ":
                spaces += 1
            if text[begin + spaces:begin + spaces + 1] not in ("", "\n", "\r"):
                if spaces > parent_indent and deepest is not None and deepest[0] > spaces:
                    self.misread_block_line = line
                    self.findings.append(Finding("S001", Position(deepest[1], spaces + 1), MESSAGES[
                        "S001.blank-line-indented-deeper"].format(spaces=spaces)))
                return
            if deepest is None or spaces > deepest[0]:
                deepest = (spaces, line)

    def _check_continuation(self, start: Any, end: Any, indent: int) -> None:
        """Each further line of a quoted value or a [ ] / { } written over several lines
        is indented past the key it belongs to (YAML 1.2; libyaml takes `b` of
        `quoted: "a⏎b"` silently, though the line looks like a new key)."""
        if indent < 0:
            return
        text = self.text
        for line in range(start.line + 1, end.line + 1):
            begin = self.document.line_start(line + 1)
            spaces = 0
            while begin + spaces < len(text) and text[begin + spaces] == " ":
                spaces += 1
            rest = text[begin + spaces:begin + spaces + 1]
            if spaces <= indent and rest not in ("", "\n", "\r", "#") and not (rest == "\t" and _blank_line(text, begin)):
                self.findings.append(Finding("S001", Position(line + 1, spaces + 1),
                                             MESSAGES["S001.continuation-not-indented"]))
                return

    def _flow_question_mark(self, offset: int) -> None:
        """`[?x]` is the text "?x" in YAML 1.2 but a mapping to libyaml: say so rather
        than read it wrong."""
        following = self.text[offset + 1:offset + 2]
        if following and following not in " \t\r\n" and offset not in self.question_marks:
            self.question_marks.add(offset)  # met as a mapping's start and as its key's
            self.findings.append(Finding("S001", self.document.position_at_offset(offset),
                                         MESSAGES["S001.flow-question-mark"]))

    # --- events -----------------------------------------------------------------

    def _handle(self, event: Any) -> bool:
        kind = type(event)  # the parser makes exactly these classes: no isinstance chain
        if kind is _SCALAR or kind is _MAPPING_START or kind is _SEQUENCE_START or kind is _ALIAS:
            self.values += 1  # an alias counts too: 340,000 `*a` are as many values to report
            if self.values > MAX_VALUES:
                self.findings.append(Finding("S003", _mark(event.start_mark),
                                             MESSAGES["S003.too-many-values"].format(limit=MAX_VALUES)))
                self.root = None  # a tree cut anywhere: nothing downstream reads it
                return False
        if kind is _ALIAS:
            self._alias(event)
        elif kind is _SCALAR or kind is _MAPPING_START or kind is _SEQUENCE_START:
            if event.anchor is not None or event.tag is not None:
                self._check_anchor_and_tag(event)
            if kind is _SCALAR:
                self._scalar(event)
            else:
                self._open(event, {} if kind is _MAPPING_START else [])
        elif kind is _MAPPING_END or kind is _SEQUENCE_END:
            frame = self.stack.pop()
            if frame.flow and frame.start is not None and frame.start.line != event.end_mark.line:
                self._check_continuation(frame.start, event.end_mark, frame.indent)
        elif kind is _DOCUMENT_START:
            self.documents += 1
            if self.documents > 1:
                self.findings.append(Finding("S003", _mark(event.start_mark), MESSAGES["S003.several-documents"]))
                return False
        return True

    def _alias(self, event: Any) -> None:
        self.document.unsafe_values.add(_mark(event.start_mark))
        self._unsafe(event, MESSAGES["S007.alias"].format(name=excerpt(event.anchor)))
        if self._expects_key():
            self.stack[-1].pending_key = _SKIP  # an alias as a key: drop its value too
        else:
            self._add_value(None, event)

    def _check_anchor_and_tag(self, event: Any) -> None:
        if event.anchor is not None:
            self._unsafe(event, MESSAGES["S007.anchor"].format(name=excerpt(event.anchor)))
        if event.tag is not None:
            self.document.unsafe_values.add(_mark(event.start_mark))
            # The parser resolves `!!str` to its full name; show the tag as it was written.
            standard = "tag:yaml.org,2002:"
            written = "!!" + event.tag.removeprefix(standard) if event.tag.startswith(standard) else event.tag
            self._unsafe(event, MESSAGES["S007.tag"].format(tag=excerpt(written)))

    def _unsafe(self, event: Any, message: Text) -> None:
        self.findings.append(Finding("S007", _mark(event.start_mark), message))

    def _expects_key(self) -> bool:
        if not self.stack:
            return False
        frame = self.stack[-1]
        return frame.is_mapping and frame.pending_key is None

    def _scalar(self, event: Any) -> None:
        start, end = event.start_mark, event.end_mark
        self.document.scalar_spans.append((start.index, end.index))
        if event.style:
            self._check_quoted_or_block(event)
        elif self.stack and self.stack[-1].flow and self.text[start.index - 1:start.index] == "?":
            self._flow_question_mark(start.index - 1)
        text_value = event.value if not self.stand_ins else event.value.translate(_STAND_IN_BACK)
        if self.stack:
            frame = self.stack[-1]
            if frame.is_mapping and frame.pending_key is None:
                self._key(frame, text_value, start)
                return
        plain = not event.style and event.tag is None
        value = resolve_plain_scalar(text_value) if plain else text_value
        path = self._add_value(value, event)
        # Every value's source text is kept for the secret scan, even where not stored:
        # `password: 12345678` is a number to YAML and still a password in git.
        self.document.strings.append(StringValue(path or (), text_value, start.index, end.index))

    def _key(self, frame: _Frame, key: str, mark: Any) -> None:
        first = frame.key_marks.get(key)
        if first is not None:
            self.findings.append(Finding("S002", _mark(mark), MESSAGES["S002.duplicate-key"].format(
                key=excerpt(key), first_line=_mark(first).line)))
            frame.pending_key = _SKIP
            return
        frame.key_marks[key] = mark
        if frame.path is not None:
            self.document.key_positions[(*frame.path, key)] = mark
        frame.pending_key = key

    def _open(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        if self._expects_key():
            self.findings.append(Finding("S003", _mark(event.start_mark), MESSAGES["S003.complex-key"]))
            self.stack[-1].pending_key = _SKIP  # drop the value that follows too
            frame = _Frame(container, None)
            self._place(frame, event)
            self.stack.append(frame)
            return
        path = self._add_value(container, event)
        if path is not None and len(self.stack) >= MAX_DEPTH:
            self._too_deep(_mark(event.start_mark))
            path = None
        # Below a dropped value or the depth limit, containers are detached: keys are
        # still checked, nothing is stored, so memory stays bounded.
        frame = _Frame(container if path is not None else _detached(container), path)
        self._place(frame, event)
        self.stack.append(frame)

    def _place(self, frame: _Frame, event: Any) -> None:
        """Where a container stands: flow or block, and the column its continuation
        lines must pass (the enclosing block container's)."""
        parent = self.stack[-1] if self.stack else None
        frame.flow = bool(event.flow_style)
        frame.start = event.start_mark
        if frame.flow:
            frame.indent = parent.indent if parent is not None else -1
            if self.text[event.start_mark.index:event.start_mark.index + 1] == "?":
                self._flow_question_mark(event.start_mark.index)
        else:
            frame.indent = event.start_mark.column

    def _too_deep(self, position: Position) -> None:
        self.too_deep = True
        self.findings.append(Finding("S003", position, MESSAGES["S003.too-deep"].format(limit=MAX_DEPTH)))

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
            if not frame.is_mapping:
                path = (*frame.path, len(frame.container))
                frame.container.append(value)  # type: ignore[union-attr]
            else:
                key, frame.pending_key = frame.pending_key, None
                if key is _SKIP:
                    return None
                path = (*frame.path, key)
                frame.container[key] = value
        self.document.value_positions[path] = event.start_mark
        return path


@dataclass
class _Frame:
    """An open mapping or sequence while the event stream is read."""

    container: dict[str, Any] | list[Any]
    path: Path_ | None  # None: detached, its contents are not kept
    pending_key: Any = None  # the key whose value comes next (mappings)
    key_marks: dict[str, Any] = field(default_factory=dict)  # where each key was first seen
    is_mapping: bool = field(init=False)
    flow: bool = False  # written [ ... ] or { ... }
    indent: int = -1  # continuation lines of a value in it are indented past this column
    start: Any = None  # the parser's mark of its first character

    def __post_init__(self) -> None:
        self.is_mapping = isinstance(self.container, dict)


def _detached(container: dict[str, Any] | list[Any]) -> dict[str, Any] | list[Any]:
    return {} if isinstance(container, dict) else []


_SKIP = object()  # the pending key of a value that is reported, not stored


def excerpt(text: Any, limit: int = 40, *, tail: bool = False) -> str:
    """Quote at most ``limit`` characters of user input in a message: its start, or
    with ``tail`` its end (where a path says the most).

    A credential in it is masked as A004 masks it (``opened: "pw: Tk7#pQ92xLm"``
    must not print the password in the S003 message that says it is no date).
    Control and format characters (an ESC starting a terminal escape sequence, a
    right-to-left override, a line separator) are shown escaped, ``\\x1b``, so
    the excerpt reads the same on any screen and cannot act on it.
    """
    whole = str(text)
    if tail:
        shown = "".join(_visible(character) for character in whole[-(limit + 1):].replace("\n", " "))
        return shown if len(shown) <= limit else "…" + shown[-(limit - 1):]
    head = _masked(whole[:_MASK_CONTEXT])[: limit + 1]  # one character shows as one or more
    shown = "".join(_visible(character) for character in head.replace("\n", " "))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


# A credential that shows in the first 40 characters ends within the first 1,000
# (secrets.py takes values of at most a few hundred; a PEM block cut short is still
# one): the scan reads no more, however long the value.
_MASK_CONTEXT = 1000


def _masked(text: str) -> str:
    from validator.secrets import hide_secrets  # compiled patterns: loaded on first use

    return hide_secrets(text)


def _visible(character: str) -> str:
    """A control or format character as its Python escape (``\\x1b``, ``\\u202e``)."""
    if character == "\t" or unicodedata.category(character) not in ("Cc", "Cf", "Zl", "Zp"):
        return character
    return character.encode("unicode_escape").decode("ascii")
