"""Text laid out for a terminal: widths in cells, East-Asian wide characters counted as two.

Tables of ``status`` and ``today`` fit an 80-column terminal and use no character
of ambiguous width (U+2500 box drawing, U+2026 ellipsis...), which a Japanese
terminal draws two cells wide and a Western one one cell wide.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from validator.formatting import cell_width  # one measure of cells for every table and caret

TERMINAL_WIDTH = 80


def pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * max(0, width - cell_width(text))
    return space + text if right else text + space


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, marked with ``~`` (ASCII: never ambiguous) when cut."""
    if cell_width(text) <= width:
        return text
    kept = ""
    for character in text:
        if cell_width(kept + character) > width - 1:
            break
        kept += character
    return kept + "~"


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells: at spaces where there are
    some (English), between wide characters (Japanese), preferably between phrases (after
    。 or 、) when one is in the line's second half, so that a word such as ください stays whole."""
    lines: list[str] = []
    line = ""
    for word in _words(text):
        if line and cell_width(line + word) > width:
            phrase = _phrase_end(line)
            if phrase is not None:
                line, word = line[:phrase], line[phrase:] + word
            elif word in _NO_LINE_START and len(line) > 1:  # 。 and ) never start a line: carry one character over
                line, word = line[:-1], line[-1] + word
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
        while cell_width(line) > width:  # one word longer than a line
            cut = clip(line, width + 1)[:-1]
            lines.append(cut)
            line = line[len(cut):]
    if line.strip():
        lines.append(line.rstrip())
    return lines


_NO_LINE_START = frozenset("。、」』）)]")
_PHRASE_ENDS = frozenset("。、」』）")
_PHRASE_STARTS = frozenset("「『（(")


def _phrase_end(line: str) -> int | None:
    """Where a full ``line`` of Japanese can break between phrases: after its last 。, 、 or
    space (around a key such as ``work.started``), or before a bracket that follows a wide
    character, when that carries at most half the line to the next one. None for a line
    with no wide character: English already breaks at its spaces."""
    if not any(unicodedata.east_asian_width(character) in "WF" for character in line):
        return None
    reach = cell_width(line) // 2
    for index in range(len(line) - 1, 0, -1):
        if cell_width(line[index:]) > reach:
            return None
        if line[index - 1] in _PHRASE_ENDS or line[index - 1] == " " or (
                line[index] in _PHRASE_STARTS and unicodedata.east_asian_width(line[index - 1]) in "WF"):
            return index
    return None


def _words(text: str) -> list[str]:
    """Pieces a line may break after: a word with the spaces before it, or one wide character."""
    pieces: list[str] = []
    current = ""
    for character in text:
        wide = unicodedata.east_asian_width(character) in "WF"
        if wide or (character == " " and current.strip()):
            if current:
                pieces.append(current)
            current = ""
            if wide:
                pieces.append(character)
                continue
        current += character
    if current:
        pieces.append(current)
    return pieces


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: frozenset[int] = frozenset(),
          gap: str = "  ") -> list[str]:
    """Header, rule line (ASCII ``-``) and rows, each column as wide as its widest cell."""
    widths = [max(cell_width(line[index]) for line in (headers, *rows)) for index in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return gap.join(pad(cell, width, right=index in right)
                        for index, (cell, width) in enumerate(zip(cells, widths, strict=True))).rstrip()

    header = line(headers)
    return [header, "-" * cell_width(header), *(line(cells) for cells in rows)]


def ambiguous_characters(text: str) -> set[str]:
    """The characters of ``text`` whose width depends on the terminal (East Asian Width A)."""
    return {character for character in text if unicodedata.east_asian_width(character) == "A"}
