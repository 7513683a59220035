"""A004: no credential is ever written into a case file (they live in git)."""
from __future__ import annotations

import bisect
from collections.abc import Iterator

from validator.diagnostics import Position, Problem, Severity, Text
from validator.formatting import describe_path
from validator.lazy_pattern import lazy_compile
from validator.rules.base import Rule
from validator.yaml_loader import LoadedDocument, Path_

# The messages say what kind of credential is where, never any of its characters or
# its length: the position (line:column) shows the operator what to delete.
MESSAGES: dict[str, Text] = {
    "A004.value": Text(
        ja="「{where}」に{kind}らしきものが書かれています。案件ファイルはgitに残るため、削除して「変更済み」などの事実だけを記録してください。実際に使われている値なら、お客様に変更を依頼してください。",
        en="`{where}` holds what looks like {kind}. Case files live in git: delete it and record only the fact (e.g. \"password changed\"). If it is real, ask the customer to change it."),
    "A004.comment": Text(
        ja="コメントに{kind}らしきものが書かれています。コメントもgitに残るため、削除して「変更済み」などの事実だけを記録してください。実際に使われている値なら、お客様に変更を依頼してください。",
        en="A comment holds what looks like {kind}. Comments live in git too: delete it and record only the fact (e.g. \"password changed\"). If it is real, ask the customer to change it."),
    "A004.line": Text(
        ja="この行に{kind}らしきものが書かれています。案件ファイルはgitに残るため、削除して「変更済み」などの事実だけを記録してください。実際に使われている値なら、お客様に変更を依頼してください。",
        en="This line holds what looks like {kind}. Case files live in git: delete it and record only the fact (e.g. \"password changed\"). If it is real, ask the customer to change it."),
}

# What each kind of secret (validator/secrets.py) is called; a kind not listed is "a credential".
KIND_NAMES: dict[str, Text] = {
    "password": Text(ja="パスワード", en="a password"),
    "secret": Text(ja="秘密の値(シークレットキーやトークン)", en="a secret (a secret key or token)"),
    "url-credentials": Text(ja="URLに含まれるユーザー名とパスワード", en="a user name and password inside a URL"),
    "private-key": Text(ja="秘密鍵", en="a private key"),
    "cloud-key": Text(ja="クラウドサービスのAPIキーやトークン", en="an API key or token of a cloud service"),
    "paypal-api-signature": Text(ja="PayPalのAPI署名", en="a PayPal API signature"),
    "paypal-api-username": Text(ja="PayPalのAPIユーザー名", en="a PayPal API user name"),
    "paypal-api-password": Text(ja="PayPalのAPIパスワード", en="a PayPal API password"),
}
_ANY_CREDENTIAL = Text(ja="認証情報", en="a credential")


def kind_name(kind: str) -> Text:
    return KIND_NAMES.get(kind, _ANY_CREDENTIAL)


def _in_value(path: Path_, kind: str) -> Text:
    return MESSAGES["A004.value"].format(where=describe_path(path), kind=kind_name(kind))


def secret_in_case(document: LoadedDocument) -> Iterator[Problem]:
    """No password, API signature, API key or similar credential appears in the file,
    in any string value or any comment (a comment lands in git too); key names are
    never flagged by themselves. The message says where, never the secret.

    Runs on whatever text can be read, even when the YAML is broken.

    Fails::

        notes: "FTP: ftp.example.jp / shop01 / pw: Tk7#pQ92xLm"

    Passes::

        notes: FTPのパスワードは変更済み(作業後に元に戻すよう依頼)
    """
    text = document.text
    if text is None:
        return
    from validator.secrets import find_secrets  # compiled patterns: loaded on first use

    if document.parsed or document.strings or document.scalar_spans:
        yield from _scan_values(document, text)
        yield from _scan_comments(document, text)
    else:  # broken or oversized YAML: scan every line as free text
        reported: set[Position] = set()  # overlapping pieces of a long line find a secret twice
        for number, column, piece in _pieces(text):
            for found in find_secrets(piece):
                position = Position(number, column + found.start)
                if position not in reported:
                    reported.add(position)
                    yield Problem(position, MESSAGES["A004.line"].format(kind=kind_name(found.kind)))


# Lines as YAML 1.2 counts them (LF, CRLF, CR), each cut into pieces of at most _PIECE
# characters that overlap by _OVERLAP (a credential is far shorter), so that a file of
# 16 MiB on one line is scanned in linear time and bounded memory.
_LINE = lazy_compile(r"[^\r\n]*(?:\r\n|\n|\r)?")
_PIECE, _OVERLAP = 4096, 512


def _pieces(text: str) -> Iterator[tuple[int, int, str]]:
    """(1-based line, 1-based column of the piece's start, piece) over the whole text."""
    for number, line in enumerate(_LINE.finditer(text), start=1):
        content = line.group()
        if not content:
            return
        if len(content) <= _PIECE:
            yield number, 1, content
            continue
        start = 0
        while start < len(content):
            yield number, start + 1, content[start:start + _PIECE]
            start += _PIECE - _OVERLAP


def _scan_values(document: LoadedDocument, text: str) -> Iterator[Problem]:
    from validator.secrets import find_secrets

    for string in document.strings:
        label = next((part for part in reversed(string.path) if isinstance(part, str)), None)
        for found in find_secrets(string.value, label=label):
            secret = string.value[found.start:found.end]
            # A secret over several lines (a key block) is indented differently in the
            # source: find its first line, which is where a person looks.
            first_line = secret.splitlines()[0] if secret else ""
            offset = text.find(first_line, string.start, string.end) if first_line else -1
            position = (document.position_at_offset(offset) if offset >= 0
                        else document.position_of(string.path))
            yield Problem(position, _in_value(string.path, found.kind))


def _scan_comments(document: LoadedDocument, text: str) -> Iterator[Problem]:
    from validator.secrets import find_secrets

    spans = sorted(document.scalar_spans)
    starts = [start for start, _ in spans]
    for start in comment_starts(text, spans, starts):
        end = start
        while end < len(text) and text[end] not in "\r\n":
            end += 1
        comment = text[start + 1:end]
        for found in find_secrets(comment):
            yield Problem(document.position_at_offset(start + 1 + found.start),
                          MESSAGES["A004.comment"].format(kind=kind_name(found.kind)))


def comment_starts(text: str, spans: list[tuple[int, int]], starts: list[int]) -> Iterator[int]:
    """Offsets of each ``#`` that opens a comment: outside every scalar, after a space
    or at the start of a line."""
    index = text.find("#")
    while index >= 0:
        inside = bisect.bisect_right(starts, index) - 1
        in_scalar = inside >= 0 and spans[inside][0] <= index < spans[inside][1]
        if not in_scalar and (index == 0 or text[index - 1] in " \t\r\n"):
            yield index
            newline = text.find("\n", index)
            if newline < 0:
                return
            index = text.find("#", newline)
        else:
            index = text.find("#", index + 1)


DOCS_JA: dict[str, str] = {
    "A004": (
        "パスワード、API署名、APIキーなどの認証情報を案件ファイルに書かないこと。値にもコメントにも(コメントもgitに残ります)。キーの名前だけでは指摘しません。メッセージは場所と種類だけを示し、認証情報の文字や長さは示しません。YAMLが壊れていても、読める範囲を調べます。"),
}


SECRET_IN_CASE = Rule("A004", "secret-in-case", Severity.ERROR, "secure-credentials", Text(
    ja="案件ファイルに認証情報", en="A credential is written in the case file"),
    secret_in_case.__doc__ or "", check_document=secret_in_case, messages=MESSAGES,
    doc_ja=DOCS_JA["A004"])
