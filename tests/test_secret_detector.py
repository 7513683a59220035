"""The secret detector behind A004 (``validator/secrets.py``), on its labelled corpus
(``tests/secrets/corpus.yaml``): every secret found at its exact span and kind, nothing
found in the operator's ordinary notes, and ``mask`` never giving a secret away."""
from __future__ import annotations

import dataclasses
import itertools
import sys
import time
from pathlib import Path

import pytest

from validator.secrets import SecretMatch, find_secrets, mask

sys.path.insert(0, str(Path(__file__).resolve().parent / "secrets"))
from secret_corpus import Entry, load_corpus

CORPUS = load_corpus()
POSITIVES = [entry for entry in CORPUS if entry.secret]
NEGATIVES = [entry for entry in CORPUS if not entry.secret]
SECRETS = sorted({secret for entry in POSITIVES for _, secret in entry.expected})


def _params(entries: list[Entry]) -> list[object]:
    return [pytest.param(entry, id=entry.name,
                         marks=[pytest.mark.xfail(strict=True, reason=entry.reason)] if entry.known_miss else [])
            for entry in entries]


def _found(entry: Entry) -> set[tuple[str, str]]:
    return {(match.kind, entry.text[match.start:match.end])
            for match in find_secrets(entry.text, label=entry.label)}


def test_the_corpus_is_large_enough() -> None:
    assert len(POSITIVES) >= 50
    assert len(NEGATIVES) >= 50
    assert all(secret in entry.text for entry in POSITIVES for _, secret in entry.expected)


@pytest.mark.parametrize("entry", _params(POSITIVES))
def test_every_secret_is_found_at_its_value(entry: Entry) -> None:
    assert _found(entry) == set(entry.expected)


@pytest.mark.parametrize("entry", _params(NEGATIVES))
def test_nothing_is_found_in_ordinary_text(entry: Entry) -> None:
    assert find_secrets(entry.text, label=entry.label) == []


@pytest.mark.parametrize("entry", CORPUS, ids=[entry.name for entry in CORPUS])
def test_matches_are_ordered_spans_inside_the_text(entry: Entry) -> None:
    matches = find_secrets(entry.text, label=entry.label)
    assert all(0 <= match.start < match.end <= len(entry.text) for match in matches)
    assert all(before.end <= after.start for before, after in itertools.pairwise(matches))
    assert all(not entry.text[match.start].isspace() and not entry.text[match.end - 1].isspace()
               for match in matches)


def test_a_key_name_alone_never_fires() -> None:
    for word in ("password", "パスワード", "PW", "api_key", "secret", "token", "暗号", "API署名"):
        assert find_secrets(word) == []
        assert find_secrets(f"{word}:") == []
        assert find_secrets("", label=word) == []


def test_the_label_is_context_only() -> None:
    assert find_secrets("Tk7#pQ92xLm") == []
    assert find_secrets("Tk7#pQ92xLm", label="notes") == []
    assert find_secrets("Tk7#pQ92xLm", label="ftp_password") == [SecretMatch(0, 11, "password")]
    assert find_secrets("  Tk7#pQ92xLm", label="パスワード") == [SecretMatch(2, 13, "password")]


def test_a_match_is_a_frozen_value() -> None:
    match = SecretMatch(0, 4, "password")
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.start = 1  # type: ignore[misc]


@pytest.mark.parametrize("secret", SECRETS)
def test_mask_reveals_nothing_of_the_secret(secret: str) -> None:
    masked = mask(secret)
    assert masked == "***"
    assert secret[0] not in masked and str(len(secret)) not in masked


def test_mask_of_short_and_odd_values() -> None:
    for secret in ("Tk7#pQ92xLm", "4821", "", "\nkey material"):
        assert mask(secret) == "***"  # nothing of the secret: no character, no length


@pytest.mark.parametrize("text", [
    "a_" * 50_000 + "password",
    "pw: Abc123! " * 5_000,
    "ftp " + "a / " * 30_000,
    "password '" * 20_000,
    "-----BEGIN RSA PRIVATE KEY-----" + "A" * 100_000,
    "ftp://" + "a" * 50_000 + ":" + "b" * 50_000,
    "パスワード" * 20_000,
])
def test_long_hostile_text_stays_fast(text: str) -> None:
    started = time.process_time()  # CPU time: other jobs on the machine add none
    find_secrets(text)
    assert time.process_time() - started < 2.0  # linear patterns: tens of milliseconds in practice
