"""Rules about the file itself. The loader, the schema check and the cross-file pass
report them; they are defined here with their identity, documentation and the messages
of S003-S006 (the loader keeps the words of what only it can see: syntax, duplicate keys,
anchors and tags, an empty file).

S001, S002, S003 and S007 gate the case rules: a file with one of them is not read as a
case (SPEC 4, "Gating"); S004, S005 and S006 gate nothing.
"""
from __future__ import annotations

from validator.diagnostics import Severity, Text
from validator.rules.base import Rule
from validator.yaml_errors import MESSAGES as SYNTAX_MESSAGES
from validator.yaml_loader import MESSAGES as LOADER_MESSAGES

_DATE_EXAMPLE = "2026-11-02"

MESSAGES: dict[str, Text] = {
    # S003: keys
    "S003.unknown-key.guess": Text(
        ja="「{key}」は使えないキーです。「{guess}」の書き間違いではありませんか?",
        en="`{key}` is not a known key; did you mean `{guess}`?"),
    "S003.unknown-key.full-width": Text(
        ja="キー「{key}」に全角の文字(または空白)が使われています。半角で「{suggestion}」と書いてください。",
        en="The key `{key}` holds full-width characters (or spaces); write it in half-width (ASCII) characters: `{suggestion}`."),
    "S003.unknown-key": Text(
        ja="「{key}」は使えないキーです。ここで使えるキー: {known}",
        en="`{key}` is not a known key; the keys allowed here: {known}."),
    "S003.missing-key": Text(
        ja="必須のキー「{key}」がありません。「{key}: 値」の行を書き足してください。",
        en="The required key `{key}` is missing; add a line `{key}: ...`."),
    "S003.missing-key.in": Text(
        ja="「{where}」に必須のキー「{key}」がありません。「{key}: 値」の行を書き足してください。",
        en="The required key `{key}` is missing in `{where}`; add a line `{key}: ...`."),
    # S003: empty values
    "S003.empty": Text(
        ja="「{where}」が空欄です。{expected}を書いてください。",
        en="`{where}` is empty; write {expected}."),
    "S003.empty.choice": Text(
        ja="「{where}」が空欄です。次のいずれかを書いてください: {choices}",
        en="`{where}` is empty; write one of: {choices}."),
    "S003.empty.date": Text(
        ja="「{where}」が空欄です。日付をYYYY-MM-DDの形で書いてください(例: " + _DATE_EXAMPLE + ")。",
        en="`{where}` is empty; write a date as YYYY-MM-DD (e.g. " + _DATE_EXAMPLE + ")."),
    "S003.empty-text": Text(
        ja="「{where}」が空の文字列(\"\")です。値を書くか、ない場合は null と書いてください。",
        en="`{where}` is an empty string (\"\"); write the value, or null when there is none."),
    # S003: values of the wrong type
    "S003.type": Text(
        ja="「{where}」は{expected}で書いてください(今は{actual})。",
        en="`{where}` must be {expected}, not {actual}."),
    "S003.quote-number": Text(
        ja="「{where}」は文字列です。数字だけの値は引用符で囲んで {key}: \"{source}\" と書いてください。",
        en="`{where}` is text: put a value made of digits in quotes, {key}: \"{source}\"."),
    "S003.quote-number.leading-zero": Text(
        ja="「{where}」は文字列です。数字だけの値は引用符で囲んで {key}: \"{source}\" と書いてください(引用符がないと先頭の0が消えて{number}と読まれます)。",
        en="`{where}` is text: put a value made of digits in quotes, {key}: \"{source}\" (without quotes the leading zero is lost and it reads as {number})."),
    "S003.full-width": Text(
        ja="「{where}」に全角の文字が使われています。半角で「{suggestion}」と書いてください。",
        en="`{where}` is written in full-width characters; write it in half-width (ASCII) characters: `{suggestion}`."),
    "S003.amount-as-text": Text(
        ja="「{where}」は円単位の整数です。カンマ・「円」・引用符を付けずに {suggestion} と書いてください。",
        en="`{where}` is a whole number of yen: write {suggestion}, without commas, currency signs or quotes."),
    # S003: dates
    "S003.date": Text(
        ja="「{where}」は日付をYYYY-MM-DDの形で書いてください(例: " + _DATE_EXAMPLE + ")。今は{actual}です。",
        en="`{where}` must be a date written YYYY-MM-DD (e.g. " + _DATE_EXAMPLE + "), not {actual}."),
    "S003.date.suggest": Text(
        ja="「{where}」は日付をYYYY-MM-DDの形で書いてください。「{value}」なら「{suggestion}」です。",
        en="`{where}` must be a date written YYYY-MM-DD: `{value}` is written `{suggestion}`."),
    "S003.date.placeholder": Text(
        ja="「{where}」がひな形の「{value}」のままです。実際の日付をYYYY-MM-DDの形で書いてください(例: " + _DATE_EXAMPLE + ")。",
        en="`{where}` still holds the placeholder `{value}`: write the real date as YYYY-MM-DD (e.g. " + _DATE_EXAMPLE + ")."),
    "S003.reason-blank": Text(
        ja="「{where}」には理由を言葉で書いてください(空や空白だけにはできません)。",
        en="`{where}` must give the reason in words; it cannot be empty or only spaces."),
    "S003.date.not-a-day": Text(
        ja="「{where}」の「{value}」は存在しない日付です。月と日を確認してください。",
        en="`{where}`: `{value}` is not a real calendar date; check the month and the day."),
    "S003.date.year": Text(
        ja="「{where}」の「{value}」は案件の日付としてありえません({first}〜{last}年)。年を確認してください。",
        en="`{where}`: `{value}` is not a plausible case date (years {first}-{last}); check the year."),
    # S003: allowed values and limits
    "S003.choice": Text(
        ja="「{where}」に「{value}」は使えません。次のいずれかです: {choices}",
        en="`{where}` cannot be `{value}`; use one of: {choices}."),
    "S003.choice.guess": Text(
        ja="「{where}」に「{value}」は使えません。「{guess}」の書き間違いではありませんか?(使える値: {choices})",
        en="`{where}` cannot be `{value}`; did you mean `{guess}`? (allowed: {choices})"),
    "S003.id-characters": Text(
        ja="「{where}」は半角の英数字と「-」「_」だけで書いてください(今は「{value}」)。",
        en="`{where}` may contain only letters, digits, `-` and `_` (not `{value}`)."),
    "S003.minimum": Text(
        ja="「{where}」は{minimum}以上にしてください(今は{value})。",
        en="`{where}` must be at least {minimum} (not {value})."),
    "S003.maximum": Text(
        ja="「{where}」が大きすぎます(上限{maximum})。金額を確認してください。",
        en="`{where}` is larger than the sane maximum of {maximum}; check the amount."),
    "S003.too-long": Text(
        ja="「{where}」が長すぎます({limit}文字まで)。",
        en="`{where}` is too long (at most {limit} characters)."),
    "S003.other": Text(
        ja="「{where}」の値が案件の形に合いません(JSON Schemaの説明: {detail})。",
        en="`{where}` does not fit the case format (JSON Schema says: {detail})."),
    # S004
    "S004.product.guess": Text(
        ja="「{where}」: ポリシーにない製品id「{value}」です。「{guess}」の書き間違いではありませんか?",
        en="`{where}`: `{value}` is not a product id of the policy; did you mean `{guess}`?"),
    "S004.product": Text(
        ja="「{where}」: ポリシーにない製品id「{value}」です。使えるid: {choices}",
        en="`{where}`: `{value}` is not a product id of the policy; known: {choices}."),
    "S004.fee.guess": Text(
        ja="「{where}」: ポリシーにない料金id「{value}」です。「{guess}」の書き間違いではありませんか?",
        en="`{where}`: `{value}` is not a fee id of the policy; did you mean `{guess}`?"),
    "S004.fee": Text(
        ja="「{where}」: ポリシーにない料金id「{value}」です。使えるid: {choices}",
        en="`{where}`: `{value}` is not a fee id of the policy; known: {choices}."),
    "S004.follow-up": Text(
        ja="follow_upの案件「{case}」が見つかりません。案件のidを確認してください。",
        en="The follow-up case `{case}` does not exist; check the case id."),
    # S005, S006
    "S005": Text(
        ja="id「{id}」がファイル名「{stem}」と違います。どちらかを直して同じにしてください。",
        en="The id `{id}` differs from the file name `{stem}`; make them the same."),
    "S006": Text(
        ja="id「{id}」は他のファイルでも使われています: {others}",
        en="The id `{id}` is also used by: {others}"),
    "S008": Text(
        ja="「{name}」は案件ファイルとして読まれません(読まれるのは名前が .yaml か .yml で終わるファイルです)。"
           "案件なら「{suggested}」に名前を変えてください。控えなら案件フォルダーの外へ移すか削除してください。",
        en="`{name}` is not read as a case file (only names ending in .yaml or .yml are). If it is a case, "
           "rename it to `{suggested}`; if it is a backup copy, move it out of the case folder or delete it."),
    "S008.shadowed": Text(
        ja="「{name}」は案件ファイルとして読まれません。「{suggested}」はすでにあるので、古い控えなら"
           "案件フォルダーの外へ移すか削除してください。別の案件なら、その案件のidの名前(.yaml)にしてください。",
        en="`{name}` is not read as a case file. `{suggested}` exists already: if this is an old copy, move it "
           "out of the case folder or delete it; if it is another case, name it after that case's id (.yaml)."),
}

DOCS_JA: dict[str, str] = {
    "S008": (
        "案件フォルダーの中で、名前は案件ファイルに見えるのに .yaml / .yml で終わらないファイル"
        "(メモ帳が付ける 2026-015.yaml.txt、*.yaml.bak、*.yaml~ など)は読まれないので、中の違反も見逃されます。"
        "1:1 に警告し、付けるべき名前を示します。控えは cases/ の外に置きます。.YAML も案件として読みます。"),
    "S001": (
        "ファイルが正しいYAMLで、UTF-8で書かれていること(BOMの有無、LF・CRLFは問いません)。Shift_JISやUTF-16のファイルは、使うべき文字コードを示して読みません。書き方の誤りは誤りのある行と列を指します。読めないファイルは 1:1 で理由を示し、フォルダーの残りは検査を続けます。"),
    "S002": (
        "1つのマッピングに同じキーを2回書かないこと。YAMLでは後の値が黙って使われてしまいます。"),
    "S003": (
        "案件の形が正しいこと: 必須のキーがあり、知らないキーがなく(payements のような打ち間違いを見逃さない)、金額は円単位の整数、日付は YYYY-MM-DD の実在する日、決まった値は決まった値のいずれか。空のファイル、最上位がマッピングでないファイル、複数のYAML文書も S003 です。メッセージは何をどう書けばよいかを示します(空欄、全角、引用符、ひな形の YYYY-MM-DD、書き間違いの候補)。"),
    "S004": (
        "製品idと料金idはポリシーにあるもの、follow_up は一緒に検査したフォルダーにある案件のidであること。ファイルを1つずつ検査するときは、案件フォルダーとそのファイルのフォルダーにある、その名前の案件ファイルも探します。"),
    "S005": (
        "案件の id は、ファイル名から拡張子を除いたものと同じであること。idから案件のファイルを見つけられるようにするためです。"),
    "S006": (
        "1つの案件idを使うファイルは1つだけ(一緒に検査したすべてのフォルダーを通じて)。同じidのファイルはすべて指摘します。"),
    "S007": (
        "案件ファイルはただのデータです: アンカーとエイリアス(際限なく展開されうる)、明示的なタグ(!!str などの標準のものも)、1 MiB を超えるファイル、フォルダーの外を指すシンボリックリンクは、読む前に断ります。"),
}


YAML_SYNTAX = Rule("S001", "yaml-syntax", Severity.ERROR, None, Text(
    ja="YAMLとして読めない、またはUTF-8でない", en="Not well-formed YAML, or not UTF-8"), """\
The file is well-formed YAML in UTF-8 (with or without a BOM, LF or CRLF).

Shift_JIS, UTF-16 and binary files are refused with the encoding to use; a syntax
error points at the mistake itself (a full-width colon or space, no space after a colon,
a tab, ``: `` inside an unquoted note, an unindented second line, an unclosed quote or
bracket) and says how to fix it. Where libyaml (YAML 1.1) and YAML 1.2 differ in ways a
case file meets, YAML 1.2 wins: a line holding only a tab is blank, NEL and the Unicode
line and paragraph separators are not line breaks, ``"manual"# note`` is refused. A file that cannot be read (permissions,
a dangling link, a pipe or socket named ``*.yaml``) is S001 at 1:1 with the reason,
and the rest of the folder is still validated.

Fails::

    customer: {license: L-1, same_paypal_account: true

Passes::

    customer: {license: L-1, same_paypal_account: true}
""", gates=True, messages={**LOADER_MESSAGES, **SYNTAX_MESSAGES}, doc_ja=DOCS_JA["S001"])

DUPLICATE_KEY = Rule("S002", "duplicate-key", Severity.ERROR, None, Text(
    ja="同じキーが2回", en="A mapping repeats a key"), """\
A mapping names each key once; YAML would otherwise keep the last value silently.

Fails::

    payments: []
    payments: [{date: 2026-11-04, amount: 7500, method: paypal, kind: deposit}]

Passes::

    payments: [{date: 2026-11-04, amount: 7500, method: paypal, kind: deposit}]
""", gates=True, messages=LOADER_MESSAGES, doc_ja=DOCS_JA["S002"])

SCHEMA = Rule("S003", "schema", Severity.ERROR, None, Text(
    ja="キーの不足・不明、型や値の誤り", en="A key is missing or unknown, or a value has the wrong type"), """\
The case has the shape of SPEC section 3: required keys present, no unknown key
(a typo such as ``payements`` must not pass), whole-yen integer amounts, dates
written ``YYYY-MM-DD`` naming real days (years 1900-2999), allowed values for enums,
amounts up to the policy's ``max_amount``. An empty file, a top level that is not a
mapping, several YAML documents, nesting deeper than a case ever needs, or more values
than a case ever holds are S003 too.

Fails::

    payements: []
    amount: "15,000"

Passes::

    payments: []
    amount: 15000
""", gates=True, messages={**MESSAGES, **LOADER_MESSAGES}, doc_ja=DOCS_JA["S003"])

UNKNOWN_REFERENCE = Rule("S004", "unknown-reference", Severity.ERROR, None, Text(
    ja="存在しない製品・料金・案件id", en="An unknown product, fee or case id"), """\
Product and fee ids exist in the policy; ``follow_up`` names cases that exist in
the folders validated together. A file validated on its own also finds a case file of
that name in the case folder or in its own folder.

Fails::

    product: raku-afiliate

Passes::

    product: raku-affiliate
""", messages=MESSAGES, doc_ja=DOCS_JA["S004"])

ID_FILENAME_MISMATCH = Rule("S005", "id-filename-mismatch", Severity.ERROR, None, Text(
    ja="idとファイル名の不一致", en="The id differs from the file name"), """\
A case's ``id`` equals its file name without the extension, so a case can be found
by its id.

Fails (in ``2026-014.yaml``)::

    id: 2026-041

Passes::

    id: 2026-014
""", messages=MESSAGES, doc_ja=DOCS_JA["S005"])

DUPLICATE_CASE_ID = Rule("S006", "duplicate-case-id", Severity.ERROR, None, Text(
    ja="複数のファイルが同じid", en="Two files carry the same id"), """\
Each case id is used by one file only, across all folders validated together;
every file carrying a repeated id is flagged.

Fails: ``2025/2026-001.yaml`` and ``2026/2026-001.yaml`` both with ``id: 2026-001``.

Passes: ids that differ.
""", messages=MESSAGES, doc_ja=DOCS_JA["S006"])

UNSAFE_YAML = Rule("S007", "unsafe-yaml", Severity.ERROR, None, Text(
    ja="アンカー・エイリアス・タグ、または大きすぎるファイル", en="Anchors, aliases, tags, or a file over the size limit"), """\
Case files are plain data: anchors and aliases (which can expand without bound),
explicit tags (standard ones such as ``!!str`` included), files over 1 MiB, and
symlinks that lead out of their folder are refused before anything is read or
expanded. A file over 1 MiB is never parsed, but its first 16 MiB are still scanned
for secrets (A004). Aliases count against the value limit, and like every code S007
is reported at most 20 times per file, then once as "and N more".

Fails::

    deposit: &half 7500
    balance: *half

Passes::

    deposit: 7500
    balance: 7500
""", gates=True, messages=LOADER_MESSAGES, doc_ja=DOCS_JA["S007"])



IGNORED_FILE = Rule("S008", "ignored-file", Severity.WARNING, None, Text(
    ja="案件ファイルに見えるが読まれないファイル", en="A file that looks like a case but is not read"), """\
Only files ending in ``.yaml`` or ``.yml`` (in any case: ``.YAML`` is read too) are
case files. A file under a case folder whose name says YAML but ends otherwise is not
read, so a breach in it would pass unnoticed: ``2026-015.yaml.txt`` (Notepad adds
``.txt``), ``*.yml.txt``, ``*.yaml.bak``, ``*.yaml.orig``, ``*.yaml~``, ``#*.yaml#``.
The warning, at 1:1, says which name to give it; a backup belongs outside ``cases/``.

Fails: ``cases/2026-015.yaml.txt``.

Passes: ``cases/2026-015.yaml``, ``cases/2026-016.YAML``.
""", messages=MESSAGES, doc_ja=DOCS_JA["S008"])

STRUCTURE_RULES = (YAML_SYNTAX, DUPLICATE_KEY, SCHEMA, UNKNOWN_REFERENCE,
                   ID_FILENAME_MISMATCH, DUPLICATE_CASE_ID, UNSAFE_YAML, IGNORED_FILE)
