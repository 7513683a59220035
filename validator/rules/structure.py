"""Rules about the file itself. The loader, the schema check and the cross-file pass
report them; they are defined here for their identity and documentation."""
from __future__ import annotations

from validator.diagnostics import Severity, Text
from validator.rules.base import Rule

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
""")

DUPLICATE_KEY = Rule("S002", "duplicate-key", Severity.ERROR, None, Text(
    ja="同じキーが2回", en="A mapping repeats a key"), """\
A mapping names each key once; YAML would otherwise keep the last value silently.

Fails::

    payments: []
    payments: [{date: 2026-11-04, amount: 7500, method: paypal, kind: deposit}]

Passes::

    payments: [{date: 2026-11-04, amount: 7500, method: paypal, kind: deposit}]
""")

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
""")

UNKNOWN_REFERENCE = Rule("S004", "unknown-reference", Severity.ERROR, None, Text(
    ja="存在しない製品・料金・案件id", en="An unknown product, fee or case id"), """\
Product and fee ids exist in the policy; ``follow_up`` names cases that exist in
the folders validated together.

Fails::

    product: raku-afiliate

Passes::

    product: raku-affiliate
""")

ID_FILENAME_MISMATCH = Rule("S005", "id-filename-mismatch", Severity.ERROR, None, Text(
    ja="idとファイル名の不一致", en="The id differs from the file name"), """\
A case's ``id`` equals its file name without the extension, so a case can be found
by its id.

Fails (in ``2026-014.yaml``)::

    id: 2026-041

Passes::

    id: 2026-014
""")

DUPLICATE_CASE_ID = Rule("S006", "duplicate-case-id", Severity.ERROR, None, Text(
    ja="複数のファイルが同じid", en="Two files carry the same id"), """\
Each case id is used by one file only, across all folders validated together;
every file carrying a repeated id is flagged.

Fails: ``2025/2026-001.yaml`` and ``2026/2026-001.yaml`` both with ``id: 2026-001``.

Passes: ids that differ.
""")

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
""")

STRUCTURE_RULES = (YAML_SYNTAX, DUPLICATE_KEY, SCHEMA, UNKNOWN_REFERENCE,
                   ID_FILENAME_MISMATCH, DUPLICATE_CASE_ID, UNSAFE_YAML)
