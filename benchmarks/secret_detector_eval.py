"""Evaluation: our secret detector (``validator/secrets.py``) against detect-secrets, on the
labelled corpus ``tests/secrets/corpus.yaml``.

detect-secrets is not a dependency of the project; run this script from an environment
that has it and PyYAML (the repository's own code is imported from its path)::

    python3 -m venv /tmp/ds-venv && /tmp/ds-venv/bin/pip install detect-secrets pyyaml
    /tmp/ds-venv/bin/python benchmarks/secret_detector_eval.py [--repeat 5] [--details]

How each detector sees the corpus:

* **ours**: ``find_secrets(text, label=...)`` on each entry, as rule A004 calls it for each
  string value (with its key as the label) and each comment (with no label).
* **detect-secrets**: its default plugins and filters (``default_settings()``), scanning one
  small YAML file per entry with ``scan_file``, as its pre-commit hook scans
  ``cases/*.yaml``: a labelled entry stands as a value under its key, an unlabelled one as
  a comment, after an ``id:`` line. (Its ad-hoc ``scan_line`` is not used: it reports every
  candidate of the entropy plugins without their threshold, so it flags nearly every word.
  One file holding every entry is not used either: its YAML transformer then loses most
  findings.)
* **ds (plain text)**: detect-secrets again, on one ``.txt`` file per entry holding the
  entry's lines (``label: text`` when it has a label, no comment sign): its best chance,
  since no YAML transformer drops comments or re-reads values.

An entry counts as found when the detector reports anything for it; **exact** counts the
positives whose every expected secret is reported with exactly its text. The time is the
median of ``--repeat`` runs over the whole corpus, divided by the number of entries
(detect-secrets' time includes opening and parsing each file).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "secrets"))

from secret_corpus import Entry, load_corpus  # noqa: E402

from validator.secrets import find_secrets  # noqa: E402

Findings = list[set[str]]  # per entry: the texts reported as secrets


@dataclass(frozen=True)
class Score:
    positives: int
    negatives: int
    true_positives: int
    exact: int
    false_positives: int
    seconds_per_entry: float

    @property
    def false_negatives(self) -> int:
        return self.positives - self.true_positives

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_positives / self.negatives if self.negatives else 0.0


def run_ours(corpus: list[Entry]) -> Findings:
    return [{entry.text[m.start:m.end] for m in find_secrets(entry.text, label=entry.label)} for entry in corpus]


def _yaml_lines(entry: Entry) -> list[str]:
    """The entry as it would stand in a case file."""
    lines = entry.text.splitlines() or [""]
    if entry.label is None:
        return [f"#{line}" for line in lines]
    if len(lines) == 1:
        quoted = "'" + lines[0].replace("'", "''") + "'"
        return [f"{entry.label}: {quoted}"]
    return [f"{entry.label}: |"] + [f"  {line}" for line in lines]


def _plain_lines(entry: Entry) -> list[str]:
    """The entry as plain text: its lines, the first after its label when it has one."""
    lines = entry.text.splitlines() or [""]
    return [f"{entry.label}: {lines[0]}", *lines[1:]] if entry.label else lines


def make_detect_secrets_runner(corpus: list[Entry], workdir: Path, *, as_yaml: bool) -> Callable[[], Findings]:
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import default_settings

    paths: list[str] = []
    for entry in corpus:  # one small file per entry, as the operator keeps one file per case
        if as_yaml:
            path, lines = workdir / f"{entry.name}.yaml", [f"id: {entry.name}", *_yaml_lines(entry)]
        else:
            path, lines = workdir / f"{entry.name}.txt", _plain_lines(entry)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))

    def run() -> Findings:
        with default_settings():
            return [{secret.secret_value or "" for secret in scan_file(path)} for path in paths]

    return run


def score(corpus: list[Entry], findings: Findings, seconds: float) -> Score:
    positives = [(entry, found) for entry, found in zip(corpus, findings, strict=True) if entry.secret]
    negatives = [(entry, found) for entry, found in zip(corpus, findings, strict=True) if not entry.secret]
    return Score(
        positives=len(positives), negatives=len(negatives),
        true_positives=sum(1 for _, found in positives if found),
        exact=sum(1 for entry, found in positives if all(secret in found for _, secret in entry.expected)),
        false_positives=sum(1 for _, found in negatives if found),
        seconds_per_entry=seconds / len(corpus) if corpus else 0.0)


def timed(run: Callable[[], Findings], repeat: int) -> tuple[Findings, float]:
    times: list[float] = []
    findings: Findings = []
    for _ in range(repeat):
        started = time.perf_counter()
        findings = run()
        times.append(time.perf_counter() - started)
    return findings, statistics.median(times)


def table(title: str, rows: dict[str, Score]) -> str:
    header = (f"{'detector':<16}{'TP':>5}{'FN':>5}{'FP':>5}{'exact':>7}{'recall':>9}"
              f"{'false alarms':>14}{'time/entry':>13}")
    lines = [title, header, "-" * len(header)]
    for name, s in rows.items():
        lines.append(f"{name:<16}{s.true_positives:>5}{s.false_negatives:>5}{s.false_positives:>5}{s.exact:>7}"
                     f"{s.recall:>9.1%}{s.false_alarm_rate:>14.1%}{s.seconds_per_entry * 1e6:>10.1f} µs")
    first = next(iter(rows.values()))
    lines.append(f"({first.positives} positives, {first.negatives} negatives)")
    return "\n".join(lines)


def by_kind(corpus: list[Entry], results: dict[str, Findings]) -> str:
    kinds = sorted({entry.expected[0][0] for entry in corpus if entry.secret})
    header = f"{'kind':<22}{'n':>4}" + "".join(f"{name:>16}" for name in results)
    lines = ["Found, by expected kind", header, "-" * len(header)]
    for kind in kinds:
        indexes = [i for i, entry in enumerate(corpus) if entry.secret and entry.expected[0][0] == kind]
        cells = "".join(f"{sum(1 for i in indexes if found[i]):>16}" for found in results.values())
        lines.append(f"{kind:<22}{len(indexes):>4}{cells}")
    return "\n".join(lines)


def details(corpus: list[Entry], results: dict[str, Findings]) -> str:
    lines = []
    for name, findings in results.items():
        misses = [entry for entry, found in zip(corpus, findings, strict=True) if entry.secret and not found]
        alarms = [(entry, found) for entry, found in zip(corpus, findings, strict=True) if not entry.secret and found]
        lines.append(f"\n{name}: missed {len(misses)}, false alarms {len(alarms)}")
        lines += [f"  miss   {entry.name}: {entry.text.splitlines()[0][:90]}" for entry in misses]
        lines += [f"  alarm  {entry.name}: {entry.text.splitlines()[0][:70]}  -> {sorted(found)[:4]}"
                  for entry, found in alarms]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs over the corpus per detector (median kept)")
    parser.add_argument("--details", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args(argv)

    corpus = load_corpus()
    with tempfile.TemporaryDirectory() as directory:
        runners: dict[str, Callable[[], Findings]] = {"ours": lambda: run_ours(corpus)}
        try:
            runners["detect-secrets"] = make_detect_secrets_runner(corpus, Path(directory), as_yaml=True)
            runners["ds (plain text)"] = make_detect_secrets_runner(corpus, Path(directory), as_yaml=False)
        except ImportError:
            print("detect-secrets is not installed here: only our detector is measured "
                  "(see the docstring for the environment).", file=sys.stderr)
        results: dict[str, Findings] = {}
        times: dict[str, float] = {}
        for name, run in runners.items():
            results[name], times[name] = timed(run, max(1, args.repeat))

    print(table("Whole corpus", {name: score(corpus, found, times[name]) for name, found in results.items()}))
    held_out = [i for i, entry in enumerate(corpus) if entry.held_out]
    if held_out:
        subset = [corpus[i] for i in held_out]
        print()
        print(table("Held-out entries (written after the detector was tuned)",
                    {name: score(subset, [found[i] for i in held_out], times[name] * len(subset) / len(corpus))
                     for name, found in results.items()}))
    print()
    print(by_kind(corpus, results))
    if args.details:
        print(details(corpus, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
