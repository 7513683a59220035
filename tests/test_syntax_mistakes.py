"""The YAML mistakes people really make, each in a real file (``tests/fixtures/mistakes/``),
reported at the line and column of the mistake with the fix in Japanese and English.

The messages are pinned word for word: a change of wording is a reviewed diff here.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from validator.yaml_loader import load_file

MISTAKES = Path(__file__).resolve().parent / "fixtures" / "mistakes"

# file, line, column, Japanese message, English message
TABLE = [
    ('backslash-in-double-quotes.yaml', 3, 15,
     '二重引用符(")の中の「\\」は、続く文字と合わせて特別な意味になります(\\n は改行)。「\\」そのものを書くなら「\\\\」と2つ重ねるか、値を単一引用符(\')で囲んでください。',
     "Inside double quotes, `\\` starts an escape (`\\n` is a line break). For a backslash itself, write `\\\\`, or put the value in single quotes (')."),
    ('bad-indentation.yaml', 5, 5,
     'この行の字下げが上の行と揃っていません。同じ階層のキーは同じ数の空白で字下げしてください。',
     'The indentation of this line does not match the lines above. Keys at the same level need the same number of spaces.'),
    ('colon-in-notes.yaml', 8, 16,
     '値の途中に「: 」(コロンと空白)があるため、新しいキーの始まりと読まれます。値全体を引用符で囲むか(notes: "…")、「notes: >-」と書いて次の行から字下げして書いてください。「 #」も同じで、引用符がないとそこから後ろはコメントとして消えます。',
     'The value contains `: ` (a colon and a space), which YAML reads as the start of a new key. Put the whole value in quotes (notes: "..."), or write `notes: >-` and the text indented on the next lines. The same goes for ` #`: without quotes, the text after it is dropped as a comment.'),
    ('comment-glued-to-quote.yaml', 10, 20,
     '「#」の前に空白がありません。コメントにするなら「"manual" # 電話で確認」のように「#」の前に空白を入れ、値の一部なら値全体を引用符で囲んでください。',
     'There is no space before `#`. For a comment, put a space before it (`"manual" # called`); if the `#` belongs to the value, put the whole value in quotes.'),
    ('dash-without-space.yaml', 9, 3,
     '「-」の後に空白がありません。リストの項目は「- 項目」のように「-」の後に空白を入れて書いてください。',
     'There is no space after `-`. Write list items as `- item`, with a space after the dash.'),
    ('fullwidth-colon.yaml', 12, 13,
     '「amount」の後のコロンが全角(：)です。半角のコロンと空白で「amount: 値」と書いてください。',
     'The colon after `amount` is a full-width colon (：). Write a half-width colon and a space: `amount: value`.'),
    ('fullwidth-space-after-colon.yaml', 7, 9,
     '全角の空白(\u3000)があります。字下げや「:」の後の空白は半角の空白で書いてください。',
     'This is a full-width space (U+3000). Indentation and the space after `:` must be ordinary half-width spaces.'),
    ('fullwidth-space-indent.yaml', 4, 1,
     '全角の空白(\u3000)があります。字下げや「:」の後の空白は半角の空白で書いてください。',
     'This is a full-width space (U+3000). Indentation and the space after `:` must be ordinary half-width spaces.'),
    ('missing-space-after-colon.yaml', 2, 7,
     '「opened:」の後に空白がありません。「opened: 値」のように、コロンの後に半角の空白を1つ入れてください。',
     'There is no space after `opened:`. Put one space after the colon: `opened: value`.'),
    ('quote-inside-quotes.yaml', 3, 14,
     '引用符(")で値が閉じた後に、まだ文字が続いています。値の中で同じ引用符を使うなら、外側を別の種類の引用符にするか("…"の中に\'…\'など)、中の引用符を「」に書き換えてください。',
     'The value ends at the quote ("), but more text follows. To use that quote inside the value, put the value in the other kind of quotes ("..." around \'...\'), or write the inner quotes as 「」.'),
    ('tab-indentation.yaml', 4, 1,
     '字下げにタブが使われています。YAMLの字下げは半角の空白だけで書いてください(多くのエディターはタブを空白に変換できます)。',
     'This line is indented with a tab. YAML indentation must use spaces only (most editors can turn tabs into spaces).'),
    ('unclosed-bracket.yaml', 8, 12,
     'ここで始まる「[」が閉じられていません。値の終わりに「]」を書いてください。',
     'The `[` opened here is never closed. Write `]` at the end of the value.'),
    ('unclosed-quote.yaml', 8, 10,
     'ここで始まる引用符(")が閉じられていません。値の終わりに同じ引用符を書いてください。',
     'The quote (") opened here is never closed. End the value with the same quote.'),
    ('unclosed-quote-closed-later.yaml', 2, 8,
     'ここで始まる引用符(")が閉じられていません。値の終わりに同じ引用符を書いてください。',
     'The quote (") opened here is never closed. End the value with the same quote.'),
    ('unindented-notes.yaml', 9, 1,
     'この行は上の行の値の続きのようですが、字下げされていません。続きの行は空白2つで字下げするか、「notes: >-」と書いて次の行から字下げして書いてください。',
     'This line seems to continue the value above but is not indented. Indent continuation lines by two spaces, or write `notes: >-` and the text indented on the next lines.'),
]


@pytest.mark.parametrize(("name", "line", "column", "ja", "en"), TABLE, ids=[row[0] for row in TABLE])
def test_the_mistake_is_reported_where_it_is_with_the_fix(name: str, line: int, column: int,
                                                          ja: str, en: str) -> None:
    document = load_file(str(MISTAKES / name))
    assert [(f.code, f.position.line, f.position.column, f.message.ja, f.message.en)
            for f in document.findings] == [("S001", line, column, ja, en)]


def test_every_mistake_file_is_in_the_table() -> None:
    assert sorted(path.name for path in MISTAKES.glob("*.yaml")) == sorted(row[0] for row in TABLE)


def test_the_reported_line_holds_the_mistake() -> None:
    """The column points into the line: at the character the fix is about."""
    for name, line, column, _, _ in TABLE:
        text = (MISTAKES / name).read_text("utf-8").splitlines()[line - 1]
        assert 1 <= column <= len(text) + 1, name


def test_unknown_errors_give_the_parsers_words_in_full_after_the_advice() -> None:
    from validator.yaml_loader import load_bytes

    document = load_bytes(b"a: &\n", path="x.yaml")
    (finding,) = document.findings
    assert finding.code == "S001"
    assert finding.message.en.startswith("The YAML is not well-formed.")
    parser_words = finding.message.en.split("The parser says: ", 1)[1]
    assert not parser_words.endswith("…") and "…" not in parser_words
