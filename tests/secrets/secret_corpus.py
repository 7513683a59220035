"""Reading the labelled corpus of the secret detector (``corpus.yaml`` beside this file).

Shared by ``tests/test_secret_detector.py`` and ``benchmarks/secret_detector_eval.py``, so
both judge the detectors on the same entries, read the same way.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent / "corpus.yaml"
SPLIT = "{{}}"  # written inside vendor tokens so that corpus.yaml itself trips no scanner
_KEYS = frozenset({"text", "label", "secret", "kind", "match", "more", "known_miss", "reason", "held_out"})


@dataclass(frozen=True)
class Entry:
    """One labelled text of the corpus."""

    number: int  # 1-based position in the corpus, for test ids
    text: str
    label: str | None
    secret: bool
    expected: tuple[tuple[str, str], ...]  # (kind, secret text) pairs, empty for negatives
    known_miss: bool
    reason: str
    held_out: bool  # written after the detector was tuned

    @property
    def name(self) -> str:
        kind = self.expected[0][0] if self.expected else "none"
        return f"{'pos' if self.secret else 'neg'}-{self.number:03d}-{kind}"


def load_corpus(path: Path = CORPUS) -> list[Entry]:
    """Every entry of the corpus, with the split marker removed; malformed entries raise
    ``ValueError`` naming the entry."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise ValueError(f"{path}: the corpus is a list of entries")
    return [_entry(number, item, path) for number, item in enumerate(raw, start=1)]


def _entry(number: int, item: object, path: Path) -> Entry:
    where = f"{path}: entry {number}"
    if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not isinstance(item.get("secret"), bool):
        raise ValueError(f"{where}: needs a string 'text' and a boolean 'secret'")
    unknown = set(item) - _KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    expected: list[tuple[str, str]] = []
    if item["secret"]:
        if not isinstance(item.get("kind"), str) or not isinstance(item.get("match"), str):
            raise ValueError(f"{where}: a positive needs 'kind' and 'match'")
        expected.append((item["kind"], _unsplit(item["match"])))
        for extra in item.get("more") or []:
            expected.append((extra["kind"], _unsplit(extra["match"])))
    elif {"kind", "match", "more"} & set(item):
        raise ValueError(f"{where}: a negative has no 'kind', 'match' or 'more'")
    if item.get("known_miss") and not item.get("reason"):
        raise ValueError(f"{where}: a known miss needs a 'reason'")
    label = item.get("label")
    return Entry(number=number, text=_unsplit(item["text"]), label=None if label is None else str(label),
                 secret=item["secret"], expected=tuple(expected), known_miss=bool(item.get("known_miss")),
                 reason=str(item.get("reason") or ""), held_out=bool(item.get("held_out")))


def _unsplit(text: str) -> str:
    return text.replace(SPLIT, "")
