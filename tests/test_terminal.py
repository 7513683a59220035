"""Text laid out for a terminal (``validator.terminal``): widths in cells, lines that break
where a reader expects them."""
from __future__ import annotations

import pytest

from validator.formatting import cell_width
from validator.terminal import wrap

WRAPPED = [
    # Japanese breaks between phrases (after 。 or 、) when one is in the line's second half...
    ("残金12,500円の支払期限は本日2026-12-01です。本日中のお支払いをお願いしてください。", 74,
     ["残金12,500円の支払期限は本日2026-12-01です。", "本日中のお支払いをお願いしてください。"]),
    # ... or before a bracket after a wide character ...
    ("ライセンスL-1902を削除したことを、本日お客様にお知らせしてください(未払いの残金12,500円)。", 74,
     ["ライセンスL-1902を削除したことを、本日お客様にお知らせしてください", "(未払いの残金12,500円)。"]),
    # ... else anywhere between wide characters, never with 。 first on a line.
    ("あいうえおかきくけこさしすせそたちつてと。", 20, ["あいうえおかきくけこ", "さしすせそたちつて", "と。"]),
    # English breaks at spaces only.
    ("The balance of ¥12,500 was due on 2026-11-25, 6 days ago. Unless it is paid, delete the license.", 40,
     ["The balance of ¥12,500 was due on", "2026-11-25, 6 days ago. Unless it is", "paid, delete the license."]),
]


@pytest.mark.parametrize(("text", "width", "lines"), WRAPPED, ids=[case[0][:12] for case in WRAPPED])
def test_wrap_breaks_where_a_reader_expects(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines
    assert all(cell_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
