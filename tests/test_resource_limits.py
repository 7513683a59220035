"""Resource limits: hostile files finish with a diagnostic, in bounded work and memory; hostile
folders are validated to the end, each odd entry with a clear message.

Nothing here depends on how fast or how busy the machine is (a wall-clock limit of 2 s
passed on a quiet machine and failed beside a CPU-bound job). What is asserted instead:

* **counts**: each hostile file gets its diagnostic, and the report does not grow with the
  file (100,000 duplicate keys give at most ``MAX_VALUES`` diagnostics);
* **memory**: the peak resident size of the checking process grows by less than 64 MiB;
* **growth ratios**: four times the input costs at most about four times the CPU, measured
  side by side in one run (quadratic work would cost sixteen times; the limit is eight);
* **CPU time, with a wide margin**: at most 10 s of CPU per file, where the slowest takes
  about half a second (CPU time, unlike wall time, does not count the time other jobs
  hold the CPU).

Each hostile file is checked by the real command in one fresh process, which measures the
CPU and the peak resident size around each check and prints the figures (``-s`` shows them).

What a folder may hold, and what the validator does with it:

* ``*.yaml`` / ``*.yml`` files are read; anything else (notes.txt, README.md) is not;
* a folder named ``x.yaml`` is a folder, validated like any other;
* a symbolic link to a folder is not followed (no loop, nothing outside the tree);
* a symbolic link to a file in its own folder or below is read; one that leads out
  of it is not read: S007 at 1:1, naming the link's target (a link in git could
  otherwise make CI print lines of ``/etc/passwd`` or of a secrets file);
* an unreadable file (permissions, a broken or looping link, a socket) is S001 at 1:1
  with the system's reason; a named pipe or a device is S001 "not a regular file",
  never opened for reading (it would block);
* the rest of the folder is validated in every case.

On the command line, a path that does not exist, is not a ``.yaml``/``.yml`` file, is
neither a file nor a folder, or is a folder that cannot be listed is a usage error: exit 2
with the path and the reason on stderr.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from validator.yaml_loader import MAX_VALUES

from conftest import POLICY_DIR, REPO, run_cli, run_json

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
sys.path.insert(0, str(HOSTILE))
import hostile  # noqa: E402

MAX_CPU_SECONDS = 10.0  # about twenty times the slowest file's CPU time
MAX_GROWTH_MIB = 64
MAX_GROWTH_RATIO = 8  # for four times the input: linear work is 4, quadratic 16

# Run in a fresh process: the command's own work on the file, measured. The policy is
# loaded and the seeds validated first, so that imports and schema compiling are not counted.
_MEASURE = """\
import contextlib, io, json, resource, sys, time
sys.path.insert(0, {hostile!r})
from audit_guard import warm_up
from validator.cli import main

def peak_rss():
    # VmHWM is this program's; ru_maxrss would also count the parent before exec.
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

def reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # Linux: the peak starts again from the current size
    except OSError:
        pass

warm_up({policy!r})
results = []
for path in sys.argv[1:]:
    output = io.StringIO()
    reset_peak_rss()
    before = peak_rss()
    started = time.process_time()
    with contextlib.redirect_stdout(output):
        status = main(["validate", path, "--format", "json", "--as-of", "2026-11-28", "--lang", "en"])
    cpu = time.process_time() - started
    peak = peak_rss()
    results.append({{"status": status, "cpu": cpu, "peak": peak, "growth": peak - before,
                     "report": json.loads(output.getvalue())}})
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def measurements(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every hostile file checked by the command, one after the other in one fresh process."""
    folder = tmp_path_factory.mktemp("resources")
    paths = []
    for name, build in sorted(hostile.RESOURCE_FILES.items()):
        paths.append(folder / f"{name}.yaml")
        paths[-1].write_bytes(build())
    script = _MEASURE.format(hostile=str(HOSTILE), policy=str(POLICY_DIR))
    completed = subprocess.run([sys.executable, "-c", script, *map(str, paths)], cwd=REPO, capture_output=True,
                               text=True, timeout=600)
    assert completed.stderr == ""
    results = dict(zip(sorted(hostile.RESOURCE_FILES), json.loads(completed.stdout), strict=True))
    for (_, result), path in zip(results.items(), paths, strict=True):
        result["size"] = path.stat().st_size
    return results


# name -> (code, line, column, words of the message) of the diagnostic that must be there
EXPECTED = {
    "alias-bomb": ("S007", 1, 5, "Anchors"),
    "5-mib-file": ("S007", 1, 1, "too large"),
    "10000-deep-flow": ("S003", 2, 1007, "nesting is too deep"),
    "10000-deep-block": ("S003", 3, 65, "nesting is too deep"),
    "10000-deep-mappings": ("S003", 2, 132, "nesting is too deep"),
    "100000-keys": ("S003", 2500, 8, "too many values"),
    "100000-list-items": ("S003", 4998, 3, "too many values"),
    "100000-duplicate-keys": ("S003", 2500, 8, "too many values"),
    "60000-tags": ("S003", 2500, 8, "too many values"),
    "1-mib-line": ("S003", 2, 8, "too long"),
    "1-mib-secret-bait": ("S003", 1, 1, "required key"),
}


@pytest.mark.slow  # a fresh process, 11 MiB of hostile files
@pytest.mark.parametrize("name", sorted(hostile.RESOURCE_FILES))
def test_hostile_file_is_checked_in_bounded_work_with_a_diagnostic(
        measurements: dict[str, dict[str, Any]], name: str) -> None:
    result = measurements[name]
    report = result["report"]
    code, line, column, words = EXPECTED[name]
    print(f"\nresource limit: {name:22} {result['size'] / 2**20:5.2f} MiB  CPU {result['cpu']:6.3f} s  "
          f"peak RSS {result['peak'] / 2**20:5.1f} MiB (+{result['growth'] / 2**20:5.1f} MiB)  "
          f"{len(report['diagnostics'])} diagnostic(s)")
    assert result["status"] == 1
    assert any((d["code"], d["line"], d["column"]) == (code, line, column) and words in d["message"]
               for d in report["diagnostics"]), report["diagnostics"][:5]
    assert len(report["diagnostics"]) <= MAX_VALUES  # the report does not grow with the file
    assert result["growth"] < MAX_GROWTH_MIB * 2**20
    assert result["cpu"] < MAX_CPU_SECONDS


# --- growth: four times the input, about four times the work -----------------------------------

# name -> (builder of a file of a given size, the full size). Each file is checked at a quarter
# of its size and at its full size, in this process, interleaved; the CPU time of the full one
# must stay within MAX_GROWTH_RATIO of the quarter's.
SIZED: dict[str, tuple[Callable[[int], bytes], int]] = {
    "deep-flow": (hostile.deep_flow, 10_000),
    "deep-block": (hostile.deep_block, 10_000),
    "deep-mappings": (hostile.deep_mappings, 10_000),
    "keys": (hostile.many_keys, 100_000),
    "list-items": (hostile.many_items, 100_000),
    "duplicate-keys": (hostile.many_duplicates, 100_000),
    "tags": (hostile.many_tags, 60_000),
    "long-line": (hostile.long_line, hostile.MIB - 64),
    "secret-bait": (hostile.secret_like_text, hostile.MIB - 64),
}
# Below this much CPU a measurement is mostly noise: a smaller quarter counts as this much.
_NOISE_SECONDS = 0.02


def cpu_seconds(action: Callable[[], object], repeat: int = 3) -> float:
    """The least CPU time ``action`` took over ``repeat`` runs (other jobs add none)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        action()
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.slow  # each file checked six times, up to 1 MiB
@pytest.mark.parametrize("name", sorted(SIZED))
def test_four_times_the_input_costs_about_four_times_the_work(tmp_path: Path, name: str) -> None:
    from validator.engine import validate
    from validator.policy import load_policy

    policy = load_policy(POLICY_DIR)
    build, size = SIZED[name]
    quarter, full = tmp_path / "quarter.yaml", tmp_path / "full.yaml"
    quarter.write_bytes(build(size // 4))
    full.write_bytes(build(size))

    def check(path: Path) -> Callable[[], object]:
        return lambda: validate([str(path)], policy, as_of=dt.date(2026, 11, 28), lang="en")

    check(quarter)()  # warm: imports, the compiled schema, jsonschema's validator
    small, large = [], []
    for _ in range(3):  # interleaved: whatever the machine does hits both sizes alike
        small.append(cpu_seconds(check(quarter), repeat=1))
        large.append(cpu_seconds(check(full), repeat=1))
    ratio = min(large) / max(min(small), _NOISE_SECONDS)
    print(f"\ngrowth: {name:15} quarter {min(small):.4f} s, full {min(large):.4f} s CPU: x{ratio:.1f}")
    assert ratio <= MAX_GROWTH_RATIO


# The secret detector (validator/secrets.py, rule A004) looked for a value after every
# credential word with a pattern that ran to the end of the printable text, and for the END
# line of every private-key header to the end of the text: quadratic. 150 KB of either
# took 3-5 s, a 1 MiB file minutes. Measured as a ratio of CPU times, so the machine's speed
# cancels out: four times the text must take about four times as long, not sixteen.
@pytest.mark.parametrize("unit", ["password=", "-----BEGIN RSA PRIVATE KEY-----"])
def test_the_secret_scan_grows_linearly_with_the_text(unit: str) -> None:
    from validator.secrets import find_secrets

    def text(size: int) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    small_text, large_text = text(20_000), text(80_000)
    small = cpu_seconds(lambda: find_secrets(small_text))
    large = cpu_seconds(lambda: find_secrets(large_text))
    assert large <= MAX_GROWTH_RATIO * max(small, 1e-3), f"{small:.4f} s for 20 KB, {large:.4f} s for 80 KB"


def test_a_file_of_exactly_the_size_limit_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    from validator.yaml_loader import MAX_FILE_BYTES

    (tmp_path / "at").mkdir()
    (tmp_path / "over").mkdir()
    (tmp_path / "at" / "c.yaml").write_bytes(b"# " + b"x" * (MAX_FILE_BYTES - 3) + b"\n")
    (tmp_path / "over" / "c.yaml").write_bytes(b"# " + b"x" * (MAX_FILE_BYTES - 2) + b"\n")
    _, at = run_json(str(tmp_path / "at"), "--as-of", "2026-11-28", "--lang", "en")
    _, over = run_json(str(tmp_path / "over"), "--as-of", "2026-11-28", "--lang", "en")
    assert [d["code"] for d in at["diagnostics"]] == ["S003"]  # read: an empty case
    assert [(d["code"], d["line"], d["column"]) for d in over["diagnostics"]] == [("S007", 1, 1)]
    assert f"{MAX_FILE_BYTES + 1:,} bytes" in over["diagnostics"][0]["message"]


# --- hostile folders ---------------------------------------------------------------------------

GOOD = (HOSTILE / "seeds" / "2026-014.yaml").read_bytes()


def _odd_folder(tmp_path: Path) -> Path:
    """A folder with every odd entry a repository can hold, beside one ordinary case."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secrets.yaml").write_text("id: secrets\nnotes: the shop's admin password list\n", "utf-8")
    folder = tmp_path / "cases"
    (folder / "data").mkdir(parents=True)
    (folder / "2026-014.yaml").write_bytes(GOOD)
    (folder / "notes.txt").write_text("id: [not read", "utf-8")
    (folder / "README.md").write_text("# cases", "utf-8")
    (folder / "2026.yaml").mkdir()  # a folder named like a case file
    (folder / "2026.yaml" / "2026-015.yaml").write_bytes(GOOD.replace(b"2026-014", b"2026-015"))
    (folder / "loop").symlink_to(".", target_is_directory=True)  # a symlink loop
    (folder / "linked-folder").symlink_to(outside, target_is_directory=True)
    (folder / "outside.yaml").symlink_to(outside / "secrets.yaml")
    (folder / "up.yaml").symlink_to(Path("..") / "outside" / "secrets.yaml")
    (folder / "data" / "2026-016.txt").write_bytes(GOOD.replace(b"2026-014", b"2026-016"))
    (folder / "2026-016.yaml").symlink_to(Path("data") / "2026-016.txt")  # inside: read
    (folder / "dangling.yaml").symlink_to("nowhere.yaml")
    (folder / "self.yaml").symlink_to("self.yaml")
    os.mkfifo(folder / "pipe.yaml")
    return folder


def test_a_folder_of_odd_entries_is_validated_to_the_end(tmp_path: Path) -> None:
    folder = _odd_folder(tmp_path)
    completed = run_cli("validate", str(folder), "--format", "json", "--as-of", "2026-11-28", "--lang", "en")
    assert completed.returncode == 1 and completed.stderr == ""
    report = json.loads(completed.stdout)
    by_file: dict[str, list[tuple[str, int, int, str]]] = {}
    for d in report["diagnostics"]:
        by_file.setdefault(os.path.relpath(d["file"], folder), []).append(
            (d["code"], d["line"], d["column"], d["message"]))
    # every case file, the folder named 2026.yaml's included; nothing else
    assert report["files"] == 8
    assert sorted(by_file) == ["2026-014.yaml", "2026-016.yaml", "2026.yaml/2026-015.yaml", "dangling.yaml",
                               "outside.yaml", "pipe.yaml", "self.yaml", "up.yaml"]
    alone = run_json(str(folder / "2026-014.yaml"), "--as-of", "2026-11-28", "--lang", "en")[1]
    assert by_file["2026-014.yaml"] == [(d["code"], d["line"], d["column"], d["message"])
                                        for d in alone["diagnostics"]]
    assert [code for code, *_ in by_file["2026-016.yaml"]] == ["P006"]  # the link inside was read
    for name, target in (("outside.yaml", str(tmp_path / "outside" / "secrets.yaml")),
                         ("up.yaml", "../outside/secrets.yaml")):
        [(code, line, column, message)] = by_file[name]
        assert (code, line, column) == ("S007", 1, 1)
        assert "symbolic link" in message and "not read" in message and target[-30:] in message
    assert [(c, line, col) for c, line, col, _ in by_file["dangling.yaml"]] == [("S001", 1, 1)]
    assert "No such file" in by_file["dangling.yaml"][0][3]
    assert [(c, line, col) for c, line, col, _ in by_file["self.yaml"]] == [("S001", 1, 1)]
    assert "symbolic links" in by_file["self.yaml"][0][3]
    assert [(c, line, col) for c, line, col, _ in by_file["pipe.yaml"]] == [("S001", 1, 1)]
    assert "not a regular file" in by_file["pipe.yaml"][0][3]
    assert "admin password list" not in completed.stdout  # the file outside was never read


def test_a_socket_named_like_a_case_is_unreadable_not_fatal(tmp_path: Path) -> None:
    folder = tmp_path / "c"  # a short path: a socket's path is limited to about 100 bytes
    folder.mkdir()
    (folder / "2026-014.yaml").write_bytes(GOOD)
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(folder / "s.yaml"))
        code, report = run_json(str(folder), "--as-of", "2026-11-28", "--lang", "en")
    finally:
        listener.close()
    assert code == 1 and report["files"] == 2
    [(line, column, message)] = [(d["line"], d["column"], d["message"]) for d in report["diagnostics"]
                                 if d["file"].endswith("s.yaml")]
    assert (line, column) == (1, 1) and "cannot be read" in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file whatever its permissions")
def test_an_unreadable_file_is_s001_with_the_reason_and_the_rest_is_validated(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "2026-014.yaml").write_bytes(GOOD)
    locked = folder / "locked.yaml"
    locked.write_bytes(GOOD)
    locked.chmod(0)
    try:
        code, report = run_json(str(folder), "--as-of", "2026-11-28", "--lang", "en")
    finally:
        locked.chmod(0o644)
    assert code == 1 and report["files"] == 2
    [diagnostic] = [d for d in report["diagnostics"] if d["file"].endswith("locked.yaml")]
    assert (diagnostic["code"], diagnostic["line"], diagnostic["column"]) == ("S001", 1, 1)
    assert "Permission denied" in diagnostic["message"]
    assert any(d["file"].endswith("2026-014.yaml") for d in report["diagnostics"])


@pytest.mark.parametrize(("make", "words"), [
    (lambda tmp: tmp / "missing.yaml", "no such file or folder"),
    (lambda tmp: _write(tmp / "notes.txt", b"id: x\n"), "not a case file"),
    (lambda tmp: _fifo(tmp / "pipe.yaml"), "neither a file nor a folder"),
    (lambda tmp: _link(tmp / "loop.yaml", "loop.yaml"), "neither a file nor a folder"),
    (lambda tmp: Path("/dev/null"), "neither a file nor a folder"),
])
def test_odd_paths_on_the_command_line_are_usage_errors(tmp_path: Path, make: Any, words: str) -> None:
    path = make(tmp_path)
    completed = run_cli("validate", str(path), "--as-of", "2026-11-28", "--lang", "en")
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.startswith(f"support-policy: {path}") and words in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder whatever its permissions")
def test_an_unlistable_folder_is_a_usage_error(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    folder.chmod(0)
    try:
        completed = run_cli("validate", str(folder), "--as-of", "2026-11-28")
    finally:
        folder.chmod(0o755)
    assert completed.returncode == 2 and "cannot read the folder" in completed.stderr


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _link(path: Path, target: str) -> Path:
    path.symlink_to(target)
    return path
