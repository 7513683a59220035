"""A fuzzing campaign: no hostile case file makes the validator crash, lie or touch the system.

Property-based tests (hypothesis) feed the loader arbitrary bytes and YAML-shaped text,
feed the whole check case-shaped documents full of hostile values, and feed the command
line arbitrary arguments. A mutation fuzzer (``tests/fixtures/hostile/hostile.py``)
mutates the sample cases: byte flips, deletions, indentation changes, inserted YAML
syntax, invalid UTF-8, huge and deeply nested values, alias bombs, secrets. For every
input:

* nothing raises (a traceback is a defect: it goes to ``test_regressions.py``);
* every finding points at line >= 1 and column >= 1, and every output format renders;
* nothing is written, no process is started, nothing outside the given paths is read
  (``audit_guard.py`` watches with an audit hook);
* the real command, on a folder of mutated files, exits 0, 1 or 2, prints no traceback
  and still reports every file of the folder.

How much: ``FUZZ_EXAMPLES`` examples per property (default 100) and 20 times as many
mutated files (default 2,000); the default run takes some 20 seconds. A long run:
``FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py``. The mutations
follow ``FUZZ_SEED`` (default 0, so the suite is reproducible; ``random`` for a fresh
seed, printed so that a failure can be replayed). Each test prints how many inputs it ran
(``-s`` shows them).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import random
import sys
from collections import Counter as Counter_
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator.cli import main
from validator.engine import MAX_PER_CODE, validate
from validator.policy import load_policy
from validator.reporters import REPORTER_BY_NAME
from validator.rules import RULE_BY_CODE
from validator.yaml_loader import MAX_VALUES, load_bytes, load_file

from conftest import POLICY_DIR, REPO, run_cli

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
sys.path.insert(0, str(HOSTILE))
import hostile  # noqa: E402
from audit_guard import CLI_WRAPPER, Guard, warm_up  # noqa: E402

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
MUTATIONS = 20 * EXAMPLES
_SEED = os.environ.get("FUZZ_SEED", "0")
SEED = random.SystemRandom().randrange(2**32) if _SEED == "random" else int(_SEED)
AS_OF = dt.date(2026, 11, 28)
POLICY = load_policy(POLICY_DIR)
# Reproducible by default; a long run (FUZZ_EXAMPLES set) explores new inputs each time.
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize="FUZZ_EXAMPLES" not in os.environ,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

warm_up(str(POLICY_DIR))


def check_invariants(path: Path, guard_folders: list[str], *, lang: str = "en") -> Any:
    """Validate one file in process, under the audit guard, and check what must always hold."""
    with Guard([*guard_folders, str(POLICY_DIR)]) as guard:
        report = validate([str(path)], POLICY, as_of=AS_OF, lang=lang)
        rendered = {name: reporter(lang=lang).render(report) for name, reporter in REPORTER_BY_NAME.items()}
    assert guard.violations == [], guard.violations
    assert report.files == 1
    for diagnostic in report.diagnostics:
        assert diagnostic.code in RULE_BY_CODE
        assert diagnostic.line >= 1 and diagnostic.column >= 1, diagnostic
        assert diagnostic.file == str(path)
    json.loads(rendered["json"])
    # Bounded work and a bounded report, counted (not timed): the loader builds at most
    # MAX_VALUES values, and no code is reported more than MAX_PER_CODE times plus its "and N more".
    assert len(load_file(str(path)).value_positions) <= MAX_VALUES + 1
    per_code = Counter_(diagnostic.code for diagnostic in report.diagnostics)
    assert all(count <= MAX_PER_CODE + 1 for count in per_code.values()), per_code
    return report


class Counter:
    """How many inputs a test ran, printed at its end for the campaign's report."""

    def __init__(self, name: str) -> None:
        self.name, self.count = name, 0

    def __enter__(self) -> Counter:
        return self

    def __exit__(self, *_: Any) -> None:
        print(f"\nfuzz inputs: {self.name}: {self.count}")


# --- the loader on anything ----------------------------------------------------------------

_YAML_TOKENS = [
    "a", "id", "é", "あ", "0", "9", "-", ":", ": ", "- ", "? ", "[", "]", "{", "}", ",", "#", " ", "  ", "\t",
    "\n", "\r\n", "\r", "'", '"', "\\", "|", ">", "&a", "*a", "!", "!!", "%", "@", "`", "---", "...",
    "\x00", "\x1b", "\x85", "\u2028", "\ufeff", "\ud7ff", "\U0001f600", "1e9", "0x", "0o", ".inf", "null",
]
yaml_like_text = st.lists(st.sampled_from(_YAML_TOKENS), max_size=60).map("".join)


@FUZZ_SETTINGS
@given(raw=st.one_of(st.binary(max_size=400), yaml_like_text.map(lambda text: text.encode("utf-8", "surrogatepass"))))
def test_loader_never_raises_on_any_bytes(raw: bytes) -> None:
    document = load_bytes(raw, path="x.yaml")
    for finding in document.findings:
        assert finding.position.line >= 1 and finding.position.column >= 1
        assert finding.code in RULE_BY_CODE
    if document.text is not None:
        for string in document.strings:
            assert 0 <= string.start <= string.end <= len(document.text)


# --- case-shaped documents through the whole check -------------------------------------------

_hostile_strings = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2026-11-02", "2024-02-29", "2026-02-29", "9999-12-31", "0001-01-01", "mail-check",
                     "raku-affiliate", "paid", "lent", "deposit", "paypal", "\x1b[31m", "\u202e", "{0.__class__}",
                     "%s%n", "${HOME}", "$(id)", "__import__('os')", f"pw: {hostile.SECRET}", "x" * 5000]),
)
_hostile_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(), _hostile_strings,
)
_values = st.recursive(_hostile_scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(_hostile_strings, children, max_size=4)), max_leaves=12)
_KEYS = ["id", "opened", "customer", "product", "paypal_api_signature", "request", "triage", "access", "estimate",
         "payments", "checks", "work", "license_revoked", "follow_up", "notes", "payements", "<<", "__class__"]
_SUBKEYS = ["ref", "language", "license", "same_paypal_account", "date", "outcome", "items", "total", "fee",
            "amount", "method", "kind", "credentials_secured", "api_signature_removed", "backups_removed",
            "started", "completed", "password"]


@st.composite
def case_like(draw: st.DrawFn) -> dict[str, Any]:
    """A document with the case's keys, most values of the right shape, some hostile."""
    seed = yaml.safe_load(draw(st.sampled_from(hostile.seed_files())).read_text("utf-8"))
    for _ in range(draw(st.integers(1, 6))):
        key = draw(st.sampled_from(_KEYS))
        if isinstance(seed.get(key), dict) and draw(st.booleans()):
            seed[key][draw(st.sampled_from(_SUBKEYS))] = draw(_values)
        elif isinstance(seed.get(key), list) and seed[key] and draw(st.booleans()):
            item = seed[key][0]
            if isinstance(item, dict):
                item[draw(st.sampled_from(_SUBKEYS))] = draw(_values)
            else:
                seed[key].append(draw(_values))
        else:
            seed[key] = draw(_values)
    return seed


@FUZZ_SETTINGS
@given(case=case_like(), flow=st.sampled_from([None, True, False]), unicode=st.booleans())
def test_case_shaped_documents_are_checked_without_error(tmp_path_factory: pytest.TempPathFactory,
                                                         case: dict[str, Any], flow: bool | None,
                                                         unicode: bool) -> None:
    folder = tmp_path_factory.mktemp("case", numbered=True)
    path = folder / f"{case.get('id') if isinstance(case.get('id'), str) and case['id'].isalnum() else 'c'}.yaml"
    text = yaml.safe_dump(case, default_flow_style=flow, allow_unicode=unicode, sort_keys=False, width=60)
    path.write_text(text, "utf-8")
    check_invariants(path, [str(folder)])


# --- the mutation fuzzer over the sample cases -------------------------------------------------

def test_mutated_sample_cases_never_break_the_validator(tmp_path: Path) -> None:
    """``MUTATIONS`` mutated copies of the sample cases, each checked in process."""
    rng = random.Random(SEED)
    seeds = [(path.name, path.read_bytes()) for path in hostile.seed_files()]
    codes: dict[str, int] = {}
    with Counter(f"mutated sample cases (FUZZ_SEED={SEED})") as counter:
        for number in range(MUTATIONS):
            name, data = seeds[number % len(seeds)]
            path = tmp_path / name
            mutated = hostile.mutate(rng, data)
            path.write_bytes(mutated)
            try:
                report = check_invariants(path, [str(tmp_path)], lang=("en", "ja")[number % 2])
            except BaseException:
                kept = tmp_path.parent / f"fuzz-failure-{SEED}-{number}.yaml"
                kept.write_bytes(mutated)
                print(f"\nthe failing input is kept in {kept}")
                raise
            for diagnostic in report.diagnostics:
                codes[diagnostic.code] = codes.get(diagnostic.code, 0) + 1
            counter.count += 1
    print("diagnostics by code:", dict(sorted(codes.items())))
    # The campaign reached past the parser: rules of every family fired on some input.
    assert {"S001", "S002", "S003", "S007", "A004"} <= set(codes)
    assert set(codes) & {"T001", "T002", "E001", "P001", "P006"}


# --- the command line ----------------------------------------------------------------------------

def _argument_vocabulary(folder: Path) -> list[str]:
    return [
        "validate", "validate", "validate", str(hostile.SEEDS), str(hostile.SEEDS / "2026-014.yaml"),
        str(folder / "missing.yaml"), str(folder / "notes.txt"), str(folder / "dir.yaml"), str(folder),
        "/dev/null", "", "-", "--", "--strict", "--format", "json", "text", "xml", *sorted(REPORTER_BY_NAME),
        "--lang", "ja", "en", "fr", "--as-of", "2026-11-28", "2026-02-30", "9999-12-31", "0001-01-01", "tomorrow",
        "--policy", str(POLICY_DIR), str(folder), "--jobs", "1", "--help", "-h", "status", "new", "2026-099",
        "--unknown", "\x1b[31m", "あ", "x" * 300,
    ]


def test_command_line_arguments_always_give_exit_0_1_or_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a case", "utf-8")
    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "dir.yaml" / "2026-014.yaml").write_bytes((hostile.SEEDS / "2026-014.yaml").read_bytes())
    vocabulary = _argument_vocabulary(tmp_path)
    with Counter("command lines") as counter:

        @FUZZ_SETTINGS
        @given(argv=st.lists(st.sampled_from(vocabulary), max_size=7))
        def run(argv: list[str]) -> None:
            if "new" in argv:  # `new` writes a case file: it is not the validator under test
                return
            stdout, stderr = io.StringIO(), io.StringIO()
            with Guard([str(tmp_path), str(hostile.SEEDS), str(REPO / "cases"), str(POLICY_DIR)]) as guard, \
                    contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                try:
                    status = main(argv)
                except SystemExit as stop:  # argparse: --help is 0, a usage error 2
                    status = stop.code
            assert status in (0, 1, 2), (argv, status, stderr.getvalue())
            assert "Traceback" not in stderr.getvalue()
            assert guard.violations == [], guard.violations
            counter.count += 1

        run()


def test_a_folder_of_mutated_files_through_the_real_command(tmp_path: Path) -> None:
    """The command, in its own process and under the audit guard, on 60 mutated files at once:
    exit 1, no traceback, every file counted, the sample cases' own findings unchanged."""
    rng = random.Random(SEED + 1)
    folder = tmp_path / "cases"
    seeds = hostile.seed_files()
    for index, path in enumerate(seeds):  # two seeds may share a name: one folder each
        (folder / "clean" / str(index)).mkdir(parents=True)
        (folder / "clean" / str(index) / path.name).write_bytes(path.read_bytes())
    for number in range(60):
        seed = seeds[number % len(seeds)]
        (folder / f"m{number:02d}-{seed.name}").write_bytes(hostile.mutate(rng, seed.read_bytes()))
    wrapper = CLI_WRAPPER.format(guard_folder=str(HOSTILE))
    for output in sorted(REPORTER_BY_NAME):
        completed = run_cli_guarded(wrapper, [str(tmp_path), str(POLICY_DIR)],
                                    "validate", str(folder), "--format", output, "--as-of", "2026-11-28",
                                    "--lang", "en", "--policy", str(POLICY_DIR))
        assert completed.returncode == 1, completed.stderr
        assert completed.stderr == ""
    report = json.loads(run_cli_guarded(wrapper, [str(tmp_path), str(POLICY_DIR)], "validate", str(folder),
                                        "--format", "json", "--as-of", "2026-11-28", "--lang", "en",
                                        "--policy", str(POLICY_DIR)).stdout)
    assert report["files"] == 60 + len(seeds)
    assert all(d["line"] >= 1 and d["column"] >= 1 for d in report["diagnostics"])
    clean = folder / "clean"
    alone = json.loads(run_cli("validate", str(clean), "--format", "json", "--as-of", "2026-11-28",
                               "--lang", "en").stdout)
    # Each sample case gets the same findings of its own beside the mutated files; only the
    # cross-file ones (a mutated copy keeps its seed's id, or is a follow-up) may differ.
    assert _own(report["diagnostics"], clean) == _own(alone["diagnostics"], clean)


def _own(diagnostics: list[dict[str, Any]], folder: Path) -> list[dict[str, Any]]:
    return [d for d in diagnostics if d["file"].startswith(str(folder)) and d["code"] != "S006"
            and not (d["code"] == "S004" and "follow-up" in d["message"])]


def run_cli_guarded(wrapper: str, allowed: list[str], *args: str) -> Any:
    import subprocess

    environment = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    return subprocess.run([sys.executable, "-c", wrapper, ":".join(allowed), *args], cwd=REPO,
                          env=environment, capture_output=True, text=True, timeout=120)


# --- mutations of the official YAML test suite's inputs ----------------------------------------

YAML_SUITE = REPO.parent / "shared" / "yaml-test-suite"
needs_suite = pytest.mark.skipif(not YAML_SUITE.is_dir(), reason=f"the YAML test suite is not at {YAML_SUITE}")


def _suite_inputs() -> list[bytes]:
    return [path.read_bytes() for path in sorted(YAML_SUITE.rglob("in.yaml"))]


@needs_suite
def test_mutated_yaml_suite_inputs_never_break_the_loader() -> None:
    """Every input of the suite, and ``MUTATIONS`` mutations of them (the campaign's own
    mutations: flips, deletions, indentation, inserted syntax, bad UTF-8, bombs, secrets)."""
    rng = random.Random(SEED + 2)
    inputs = _suite_inputs()
    with Counter(f"mutated YAML suite inputs (FUZZ_SEED={SEED})") as counter:
        for number in range(len(inputs) + MUTATIONS):
            raw = inputs[number] if number < len(inputs) else hostile.mutate(rng, inputs[number % len(inputs)])
            document = load_bytes(raw, path="in.yaml")
            last_line = document.position_at_offset(len(document.text)).line if document.text is not None else None
            for finding in document.findings:
                assert finding.code in RULE_BY_CODE
                assert finding.position.line >= 1 and finding.position.column >= 1, (raw, finding)
                if last_line is not None:
                    assert finding.position.line <= last_line, (raw, finding)
            counter.count += 1


@needs_suite
def test_mutated_yaml_suite_inputs_through_the_whole_check(tmp_path: Path) -> None:
    """A sample of them as case files, through every rule and every output format."""
    rng = random.Random(SEED + 3)
    inputs = _suite_inputs()
    with Counter(f"mutated YAML suite inputs, whole check (FUZZ_SEED={SEED})") as counter:
        for number in range(max(40, MUTATIONS // 10)):
            path = tmp_path / f"s{number}.yaml"
            path.write_bytes(hostile.mutate(rng, rng.choice(inputs)))
            check_invariants(path, [str(tmp_path)], lang=("en", "ja")[number % 2])
            counter.count += 1


_MEASURE = """
import datetime as dt, json, resource, sys, time, tracemalloc
from validator.engine import validate
from validator.policy import load_policy
from validator.reporters import REPORTER_BY_NAME
from validator.secrets import _find_secrets_memo
policy = load_policy(sys.argv[1])
validate([sys.argv[2]], policy, as_of=dt.date(2026, 11, 28), lang="en")  # warm: imports, schema
results = {"warm_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
def check(path):
    report = validate([path], policy, as_of=dt.date(2026, 11, 28), lang="en")
    for reporter in REPORTER_BY_NAME.values():
        reporter(lang="en").render(report)
    return report
for path in sys.argv[2:]:
    cpu = float("inf")
    for _ in range(2):  # CPU time without tracemalloc (which slows it); the lower of two runs,
        _find_secrets_memo.cache_clear()  # as other processes on a shared machine can add to it
        started = time.process_time()
        report = check(path)
        cpu = min(cpu, time.process_time() - started)
    tracemalloc.start()
    check(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    results[path] = {"cpu": cpu, "peak": peak, "diagnostics": len(report.diagnostics)}
results["maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(results))
"""


def _mebibyte_inputs(rng: random.Random, inputs: list[bytes]) -> dict[str, bytes]:
    """Files of about 1 MiB built from the suite: its inputs one after another, mutated
    ones, one input repeated, and the campaign's hostile shapes."""
    def fill(pick: Any) -> bytes:
        parts, size = [], 0
        while size < 1024 * 1024 - 4096:
            part = pick()
            parts.append(part)
            size += len(part) + 1
        return b"\n".join(parts)[:1024 * 1024]

    return {
        "suite-concatenated": fill(lambda: rng.choice(inputs)),
        "suite-mutated": fill(lambda: hostile.mutate(rng, rng.choice(inputs))),
        "suite-one-repeated": fill(lambda: inputs[7]),
        "alias-flood": b"a: &a x\nl:\n" + b"  - *a\n" * 149_000,
        "many-keys": hostile.many_keys(100_000)[:1024 * 1024],
        "deep-flow": hostile.deep_flow(500_000)[:1024 * 1024],
        "long-line": hostile.long_line(),
        "secret-like": hostile.secret_like_text(),
    }


@needs_suite
def test_a_mebibyte_of_hostile_yaml_stays_within_cpu_and_memory(tmp_path: Path) -> None:
    """Each file of about 1 MiB: under 2 s of CPU time (wide margin for a slow shared
    machine: the files take a fraction of it) and under 100 MiB of memory, measured in a
    process of its own: the Python allocations' peak per file, and the process's peak."""
    import subprocess

    rng = random.Random(SEED + 4)
    files = []
    for name, data in _mebibyte_inputs(rng, _suite_inputs()).items():
        path = tmp_path / f"{name}.yaml"
        path.write_bytes(data)
        assert 900_000 < len(data) <= 1024 * 1024, (name, len(data))
        files.append(str(path))
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    completed = subprocess.run([sys.executable, "-c", _MEASURE, str(POLICY_DIR), *files], cwd=REPO,
                               env=environment, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr
    results = json.loads(completed.stdout)
    maxrss, warm = results.pop("maxrss_kib"), results.pop("warm_maxrss_kib")
    for path, measured in results.items():
        print(f"\n{Path(path).name}: {measured['cpu']:.2f} s CPU, peak {measured['peak'] / 2**20:.1f} MiB, "
              f"{measured['diagnostics']} diagnostics")
        assert measured["cpu"] < 2.0, (path, measured)
        assert measured["peak"] < 100 * 2**20, (path, measured)
        assert measured["diagnostics"] <= 200, (path, measured)  # bounded report
    print(f"process peak: {maxrss / 1024:.0f} MiB ({warm / 1024:.0f} MiB after the imports and the policy)")
    assert maxrss - warm < 100 * 1024  # what the files added: the interpreter and its imports aside
