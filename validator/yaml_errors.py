"""Syntax errors explained at the mistake (S001), for people who write YAML by hand.

libyaml reports where it *stopped*, often the line after the mistake ("could not find
expected ':'" on the next key for ``amount：17500``), in programmer's English. Here the
parser's marks and the source text are read together to find the line and column that
hold the mistake, and the common ones get a whole sentence in Japanese and English
saying how to fix them. When nothing better is known, the parser's own words follow
the general advice in full, never cut.
"""
from __future__ import annotations

from typing import Any

from validator.diagnostics import START, Finding, Position, Text
from validator.lazy_pattern import lazy_compile

MESSAGES: dict[str, Text] = {
    "S001.fullwidth-colon": Text(
        ja="「{key}」の後のコロンが全角(：)です。半角のコロンと空白で「{key}: 値」と書いてください。",
        en="The colon after `{key}` is a full-width colon (：). Write a half-width colon and a space: `{key}: value`."),
    "S001.fullwidth-space": Text(
        ja="全角の空白(　)があります。字下げや「:」の後の空白は半角の空白で書いてください。",
        en="This is a full-width space (U+3000). Indentation and the space after `:` must be ordinary half-width spaces."),
    "S001.missing-space": Text(
        ja="「{key}:」の後に空白がありません。「{key}: 値」のように、コロンの後に半角の空白を1つ入れてください。",
        en="There is no space after `{key}:`. Put one space after the colon: `{key}: value`."),
    "S001.tab": Text(
        ja="字下げにタブが使われています。YAMLの字下げは半角の空白だけで書いてください(多くのエディターはタブを空白に変換できます)。",
        en="This line is indented with a tab. YAML indentation must use spaces only (most editors can turn tabs into spaces)."),
    "S001.colon-in-value": Text(
        ja="値の途中に「: 」(コロンと空白)があるため、新しいキーの始まりと読まれます。値全体を引用符で囲むか({key}: \"…\")、「{key}: >-」と書いて次の行から字下げして書いてください。「 #」も同じで、引用符がないとそこから後ろはコメントとして消えます。",
        en="The value contains `: ` (a colon and a space), which YAML reads as the start of a new key. Put the whole value in quotes ({key}: \"...\"), or write `{key}: >-` and the text indented on the next lines. The same goes for ` #`: without quotes, the text after it is dropped as a comment."),
    "S001.unindented-continuation": Text(
        ja="この行は上の行の値の続きのようですが、字下げされていません。続きの行は空白2つで字下げするか、「{key}: >-」と書いて次の行から字下げして書いてください。",
        en="This line seems to continue the value above but is not indented. Indent continuation lines by two spaces, or write `{key}: >-` and the text indented on the next lines."),
    "S001.unclosed-quote": Text(
        ja="ここで始まる引用符({quote})が閉じられていません。値の終わりに同じ引用符を書いてください。",
        en="The quote ({quote}) opened here is never closed. End the value with the same quote."),
    "S001.unclosed-bracket": Text(
        ja="ここで始まる「{bracket}」が閉じられていません。値の終わりに「{closing}」を書いてください。",
        en="The `{bracket}` opened here is never closed. Write `{closing}` at the end of the value."),
    "S001.unknown-escape": Text(
        ja="二重引用符(\")の中の「\\」は、続く文字と合わせて特別な意味になります(\\n は改行)。「\\」そのものを書くなら「\\\\」と2つ重ねるか、値を単一引用符(')で囲んでください。",
        en="Inside double quotes, `\\` starts an escape (`\\n` is a line break). For a backslash itself, write `\\\\`, or put the value in single quotes (')."),
    "S001.text-after-quote": Text(
        ja="引用符({quote})で値が閉じた後に、まだ文字が続いています。値の中で同じ引用符を使うなら、外側を別の種類の引用符にするか(\"…\"の中に'…'など)、中の引用符を「」に書き換えてください。",
        en="The value ends at the quote ({quote}), but more text follows. To use that quote inside the value, put the value in the other kind of quotes (\"...\" around '...'), or write the inner quotes as 「」."),
    "S001.bad-indent": Text(
        ja="この行の字下げが上の行と揃っていません。同じ階層のキーは同じ数の空白で字下げしてください。",
        en="The indentation of this line does not match the lines above. Keys at the same level need the same number of spaces."),
    "S001.dash-no-space": Text(
        ja="「-」の後に空白がありません。リストの項目は「- 項目」のように「-」の後に空白を入れて書いてください。",
        en="There is no space after `-`. Write list items as `- item`, with a space after the dash."),
    "S001.generic": Text(
        ja="YAMLの書き方に誤りがあります。インデント、コロンの後の空白、引用符の閉じ忘れを確認してください。パーサーの説明: {parser}",
        en="The YAML is not well-formed. Check the indentation, the space after each colon and unclosed quotes. The parser says: {parser}"),
}

_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_FULLWIDTH_COLON = lazy_compile(rf"^[ ]*(?:-[ ]+)?(?P<key>{_KEY})[ \u3000]*：")
_FULLWIDTH_SPACE = lazy_compile(rf"^[ ]*\u3000|^[ ]*(?:-[ ]+)?{_KEY}:\u3000")
_MISSING_SPACE = lazy_compile(rf"^[ ]*(?:-[ ]+)?(?P<key>{_KEY}):(?P<rest>[^ \t\r\n:/\u3000])")
_LEADING_TAB = lazy_compile(r"^[ ]*\t")
_DASH_NO_SPACE = lazy_compile(r"^[ ]*-(?=[A-Za-z_])")
_KEY_LINE = lazy_compile(rf"^(?P<indent>[ ]*)(?:-[ ]+)?(?P<key>{_KEY}|\"[^\"]*\"|'[^']*'):(?:[ \t]|$)")
_CLOSING = {"{": "}", "[": "]"}


def syntax_finding(text: str, error: Any, line_text: Any, last_quoted: tuple[Any, Any] | None = None) -> Finding:
    """S001 for a parse error: at the mistake, explained, or the parser's words in full.

    ``line_text(n)`` gives the 1-based line ``n`` of ``text`` without its line break;
    ``last_quoted`` the parser's marks of the last quoted value read before the error.
    """
    problem_mark, context_mark = error.problem_mark, error.context_mark
    mark = problem_mark or context_mark
    position = Position(mark.line + 1, mark.column + 1) if mark is not None else START
    problem, context = error.problem or "", error.context or ""
    explained = _explain(problem, context, problem_mark, context_mark, line_text)
    if explained is not None and explained[1] == "S001.text-after-quote" and last_quoted is not None:
        start, end = last_quoted
        if start.line < end.line == problem_mark.line:
            # `notes: "abc` never closed: the quote of a later value closed it, lines below.
            quote = line_text(start.line + 1)[start.column:start.column + 1] or '"'
            explained = ((start.line + 1, start.column + 1), "S001.unclosed-quote", {"quote": quote})
    if explained is not None:
        (line, column), key, fields = explained
        return Finding("S001", Position(line, column), MESSAGES[key].format(**fields))
    words = f"{problem} ({context})" if context else problem or "syntax error"
    return Finding("S001", position, MESSAGES["S001.generic"].format(parser=_visible(words)))


def _explain(problem: str, context: str, problem_mark: Any, context_mark: Any,
             line_text: Any) -> tuple[tuple[int, int], str, dict[str, str]] | None:
    if "escape" in problem and problem_mark is not None:  # "C:\temp" in double quotes
        return (problem_mark.line + 1, problem_mark.column + 1), "S001.unknown-escape", {}
    if "quoted scalar" in context and context_mark is not None and "end of stream" in problem:
        line, column = context_mark.line + 1, context_mark.column + 1
        return (line, column), "S001.unclosed-quote", {"quote": line_text(line)[column - 1:column] or '"'}
    if "flow" in context and context_mark is not None and problem.startswith("did not find expected ','"):
        line, column = context_mark.line + 1, context_mark.column + 1
        bracket = line_text(line)[column - 1:column]
        if bracket in _CLOSING:
            return (line, column), "S001.unclosed-bracket", {"bracket": bracket, "closing": _CLOSING[bracket]}
    if problem_mark is None:
        return None
    last = problem_mark.line + 1
    first = min(last, context_mark.line + 1) if context_mark is not None else last
    # A mistake on one of these lines made the parser stop at the last one.
    for line in range(max(1, first - 1), last + 1):
        found = _mistake_on_line(line, line_text(line))
        if found is not None:
            return found
    here = line_text(last)
    if problem.startswith("mapping values are not allowed"):
        key_line = _KEY_LINE.match(here)
        if key_line is not None and key_line.end() <= problem_mark.column:  # `notes: 11/24 連絡: ...`
            return (last, problem_mark.column + 1), "S001.colon-in-value", {"key": key_line.group("key")}
        if key_line is not None:  # a key deeper than its neighbours: read as the text above's continuation
            return (last, len(key_line.group("indent")) + 1), "S001.bad-indent", {}
    if problem.startswith("could not find expected ':'") and context_mark is not None:
        line = context_mark.line + 1
        if ":" not in line_text(line):
            previous = _previous_key_line(line, line_text)
            key = previous.group("key") if previous is not None else "notes"
            return (line, context_mark.column + 1), "S001.unindented-continuation", {"key": key}
    before = here[:problem_mark.column].rstrip(" \t")
    if problem.startswith("did not find expected") and before.endswith(("\"", "'")) \
            and len(before) > len(here) - len(here.lstrip(" ")):
        # `notes: "電話で "確認" した"`: the value ended at a quote, and more text follows.
        return (last, problem_mark.column + 1), "S001.text-after-quote", {"quote": before[-1]}
    if problem.startswith("did not find expected key") or problem.startswith("did not find expected '-'"):
        indent = len(here) - len(here.lstrip(" "))
        return (last, indent + 1), "S001.bad-indent", {}
    return None


def _mistake_on_line(line: int, text: str) -> tuple[tuple[int, int], str, dict[str, str]] | None:
    """A mistake visible in one line by itself: full-width colon or space, a tab in the
    indentation, a key with no space after its colon, a dash glued to its item."""
    if text.lstrip(" ").startswith("#"):
        return None
    found = _FULLWIDTH_COLON.match(text)
    if found is not None and ": " not in text[:found.end()]:
        return (line, found.end()), "S001.fullwidth-colon", {"key": found.group("key")}
    found = _FULLWIDTH_SPACE.match(text)
    if found is not None:
        return (line, found.end()), "S001.fullwidth-space", {}
    found = _LEADING_TAB.match(text)
    if found is not None:
        return (line, found.end()), "S001.tab", {}
    found = _MISSING_SPACE.match(text)
    if found is not None and ": " not in text:
        return (line, found.start("rest")), "S001.missing-space", {"key": found.group("key")}
    found = _DASH_NO_SPACE.match(text)
    if found is not None:
        return (line, found.end()), "S001.dash-no-space", {}
    return None


def _previous_key_line(line: int, line_text: Any) -> Any:
    for number in range(line - 1, 0, -1):
        found = _KEY_LINE.match(line_text(number))
        if found is not None:
            return found
    return None


def _visible(text: str) -> str:
    """Control characters in the parser's words shown escaped (it may quote the input)."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
