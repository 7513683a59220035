"""Benchmark: validating N case files, against the floor and against check-jsonschema.

    make bench                                   # N = 1, 100, 1,000, 10,000; 5 runs each
    .venv/bin/python benchmarks/run.py --sizes 1,100,1000 --repeat 3     # a quick look
    .venv/bin/python benchmarks/run.py --full    # adds N = 100,000 (takes several minutes)

For each N it generates realistic cases (``benchmarks/generate.py``: settled, open,
overdue and broken files) under ``benchmarks/.work/`` (git-ignored), then times three
whole processes, interleaved, ``--repeat`` times each, and keeps the median:

* **validator**: ``support-policy validate DIR --format json`` (output to a file);
* **floor**: a bare Python process that only loads every file with PyYAML's
  ``CSafeLoader`` (``benchmarks/floor.py``): what reading the files costs;
* **check-jsonschema** with the project's case schema on the same files, from its own
  environment ``benchmarks/.work/venv`` (created on first use with pip).

Memory: ``max RSS`` is the peak resident size of the largest process of the run (from
``wait4``, exact; pool workers count as their own processes); ``tree RSS`` is the peak
of the whole process tree's resident size added up, sampled every 20 ms from ``/proc``.
The site build (``mkdocs build --strict``, both languages) is timed too when
``mkdocs.yml`` exists. Results also go to ``benchmarks/.work/results.json``.

**One file** (what pre-commit, an editor and the operator run all day): ``validate``,
``status`` and, once the command exists, ``today`` on one generated case, each a whole
process, side by side with the bare load of the same file as a whole process
(``python -c "import yaml; yaml.load(open(f), CSafeLoader)"``), interleaved
``--one-file-repeat`` times; the report gives the medians and their ratio, of the wall time
(the target) and of the CPU time (user + system, from ``wait4``), which a busy machine
disturbs far less: when other work shares the cores, read the CPU ratio. The checked
policy is cached as it is for the operator (in ``benchmarks/.work/cache``, warmed by an
untimed first run); ``validate (cold)`` is the same run with the cache turned off.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
WORK = BENCHMARKS / ".work"
BENCH_VENV = WORK / "venv"
AS_OF = "2026-11-28"
SCHEMA = ROOT / "validator" / "schemas" / "case.schema.json"
TOOLS = ("validator", "floor", "check-jsonschema", "baseline")
# The commands timed on one file, when this version of the tool has them (``today`` is newer).
ONE_FILE_COMMANDS = ("validate", "status", "today")
ONE_FILE_FLOOR = "import sys, yaml; yaml.load(open(sys.argv[1]), yaml.CSafeLoader)"
ONE_FILE_TARGET = 2.5  # x the bare load of the same file

sys.path.insert(0, str(BENCHMARKS))
import generate  # noqa: E402  (a sibling script, not a package)


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss_kib: int
    tree_rss_kib: int
    exit_code: int
    cpu_seconds: float  # user + system time of the process (and of its children it waited for)


@dataclass(frozen=True)
class Result:
    size: int
    tool: str
    seconds: float
    max_rss_mib: float
    tree_rss_mib: float
    runs: tuple[float, ...]


# --- corpora ---------------------------------------------------------------------------------

def corpus(size: int) -> Path:
    """The folder of ``size`` generated cases, generated again only when the generator changed."""
    folder = WORK / f"cases-{size}"
    stamp = hashlib.sha256((BENCHMARKS / "generate.py").read_bytes()).hexdigest() + f":{size}"
    stamp_file = WORK / f"cases-{size}.stamp"
    if folder.is_dir() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        return folder
    print(f"  generating {size:,} cases in {folder.relative_to(ROOT)} ...", flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    written = generate.generate(folder, size)
    (WORK / f"cases-{size}.list").write_text("\n".join(str(folder / path) for path in written) + "\n")
    stamp_file.write_text(stamp)
    return folder


def ensure_check_jsonschema() -> Path:
    python = BENCH_VENV / "bin" / "python"
    if not (BENCH_VENV / "bin" / "check-jsonschema").exists():
        print(f"  installing check-jsonschema into {BENCH_VENV.relative_to(ROOT)} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(BENCH_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "check-jsonschema"], check=True)
    return python


# --- running one whole process ---------------------------------------------------------------

def _tree_rss_kib(root: int) -> int:
    """The resident size of ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stream:
                stat = stream.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        pid = int(entry)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, frontier = 0, [root]
    while frontier:
        pid = frontier.pop()
        total += rss.get(pid, 0)
        frontier.extend(child for child, parent in parents.items() if parent == pid)
    return total


# Every tool runs as the operator runs it: Python caches compiled modules (.pyc) as usual,
# and the checked policy is cached (in a folder of the benchmark's own).
_ENVIRONMENT = {key: value for key, value in os.environ.items()
                if key not in ("PYTHONDONTWRITEBYTECODE", "SUPPORT_POLICY_NO_CACHE")}
_ENVIRONMENT["XDG_CACHE_HOME"] = str(WORK / "cache")


def run_once(argv: list[str], *, stdout: Path, env: dict[str, str] | None = None) -> Run:
    peak = [0]
    done = threading.Event()
    with open(stdout, "wb") as out, open(stdout.with_suffix(".stderr"), "wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, cwd=ROOT, env={**_ENVIRONMENT, **(env or {})})

        def sample() -> None:
            while not done.wait(0.02):
                peak[0] = max(peak[0], _tree_rss_kib(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss, max(peak[0], usage.ru_maxrss), process.returncode,
               usage.ru_utime + usage.ru_stime)


def validator_command() -> list[str]:
    console_script = Path(sys.executable).parent / "support-policy"
    return [str(console_script)] if console_script.exists() else [sys.executable, "-m", "validator"]


def commands(size: int, folder: Path, bench_python: Path | None,
             baseline: Path | None = None) -> dict[str, list[str]]:
    validator = validator_command()
    found = {
        "validator": [*validator, "validate", str(folder), "--format", "json", "--as-of", AS_OF,
                      "--policy", str(ROOT / "policy")],
        "floor": [sys.executable, str(BENCHMARKS / "floor.py"), str(folder)],
    }
    if baseline is not None:  # another copy of the package, e.g. the code before an optimisation
        found["baseline"] = ["env", f"PYTHONPATH={baseline}", sys.executable, "-P", "-m", "validator",
                             *found["validator"][len(validator):]]
    if bench_python is not None:
        found["check-jsonschema"] = [str(bench_python), str(BENCHMARKS / "check_jsonschema_files.py"),
                                     str(SCHEMA), str(WORK / f"cases-{size}.list")]
    return found


def measure(size: int, repeat: int, bench_python: Path | None, baseline: Path | None, *,
            first: bool) -> list[Result]:
    folder = corpus(size)
    argv_by_tool = commands(size, folder, bench_python, baseline)
    output = WORK / "out"
    output.mkdir(exist_ok=True)
    runs: dict[str, list[Run]] = {tool: [] for tool in argv_by_tool}
    # Untimed first: every tool on the first size (.pyc files), the floor on each (page cache).
    for tool, argv in argv_by_tool.items():
        if first or tool == "floor":
            run_once(argv, stdout=output / f"{tool}-{size}.txt")
    for _ in range(repeat):  # interleaved: a slow moment of the machine hits every tool alike
        for tool, argv in argv_by_tool.items():
            runs[tool].append(run_once(argv, stdout=output / f"{tool}-{size}.txt"))
    _check_validator_output(output / f"validator-{size}.txt", size)
    results = []
    for tool, measured in runs.items():
        results.append(Result(
            size=size, tool=tool, seconds=statistics.median(run.seconds for run in measured),
            max_rss_mib=max(run.max_rss_kib for run in measured) / 1024,
            tree_rss_mib=max(run.tree_rss_kib for run in measured) / 1024,
            runs=tuple(round(run.seconds, 4) for run in measured)))
    return results


# --- one file: the start-up -----------------------------------------------------------------

@dataclass(frozen=True)
class OneFile:
    command: str
    seconds: float
    floor_seconds: float
    runs: tuple[float, ...]
    cpu_seconds: float
    floor_cpu_seconds: float

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds

    @property
    def cpu_ratio(self) -> float:
        return self.cpu_seconds / self.floor_cpu_seconds


def has_command(validator: list[str], command: str) -> bool:
    """Whether this version of the tool has ``command`` (``today`` came later)."""
    return subprocess.run([*validator, command, "--help"], cwd=ROOT, env=_ENVIRONMENT, capture_output=True,
                          timeout=60).returncode == 0


def one_file_commands(path: Path, baseline: Path | None = None) -> dict[str, tuple[list[str], dict[str, str]]]:
    validator = validator_command()
    options = [str(path), "--as-of", AS_OF, "--policy", str(ROOT / "policy")]
    found: dict[str, tuple[list[str], dict[str, str]]] = {
        "floor": ([sys.executable, "-c", ONE_FILE_FLOOR, str(path)], {})}
    for command in ONE_FILE_COMMANDS:
        if command == "validate" or has_command(validator, command):
            found[command] = ([*validator, command, *options], {})
    found["validate (cold)"] = ([*validator, "validate", *options], {"SUPPORT_POLICY_NO_CACHE": "1"})
    if baseline is not None:
        found["validate (baseline)"] = ([sys.executable, "-P", "-m", "validator", "validate", *options],
                                        {"PYTHONPATH": str(baseline)})
    return found


def measure_one_file(repeat: int, baseline: Path | None) -> list[OneFile]:
    """Each command on one case file against the bare load of that file: whole processes, interleaved."""
    folder = corpus(1)
    [path] = sorted(folder.rglob("*.yaml"))
    output = WORK / "out"
    output.mkdir(exist_ok=True)
    found = one_file_commands(path, baseline)
    for name, (argv, env) in list(found.items()):  # untimed: .pyc files, the page cache, the policy cache
        run = run_once(argv, stdout=output / f"one-{name}.txt", env=env)
        if run.exit_code not in (0, 1):  # 0 or 1: the command ran (1: the case needs action)
            print(f"  {name}: not timed, it exited with {run.exit_code} (see {output / f'one-{name}.stderr'})")
            del found[name]
    runs: dict[str, list[Run]] = {name: [] for name in found}
    for _ in range(repeat):
        for name, (argv, env) in found.items():
            runs[name].append(run_once(argv, stdout=output / f"one-{name}.txt", env=env))
    floor = runs.pop("floor")
    floor_seconds = statistics.median(run.seconds for run in floor)
    floor_cpu = statistics.median(run.cpu_seconds for run in floor)
    return [OneFile(name, statistics.median(run.seconds for run in measured), floor_seconds,
                    tuple(round(run.seconds, 4) for run in measured),
                    statistics.median(run.cpu_seconds for run in measured), floor_cpu)
            for name, measured in runs.items()]


def print_one_file(results: list[OneFile]) -> None:
    print()
    print(f"One file, whole processes, medians of {len(results[0].runs)} interleaved runs "
          f"(bare load of the same file: {results[0].floor_seconds:.3f} s, CPU {results[0].floor_cpu_seconds:.3f} s)")
    print()
    print("| command | median s | bare load s | ratio | CPU s | CPU ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for result in results:
        print(f"| {result.command} | {result.seconds:.3f} | {result.floor_seconds:.3f} | {result.ratio:.2f} "
              f"| {result.cpu_seconds:.3f} | {result.cpu_ratio:.2f} |")
    missing = [command for command in ONE_FILE_COMMANDS if command not in {r.command for r in results}]
    if missing:
        print(f"  (not in this version of the tool: {', '.join(missing)})")


def _check_validator_output(path: Path, size: int) -> None:
    """The validator really validated: one JSON report over every file."""
    report = json.loads(path.read_text("utf-8"))
    if report["files"] != size:
        raise SystemExit(f"the validator reported {report['files']} files, not {size}")


def measure_site(repeat: int) -> float | None:
    if not (ROOT / "mkdocs.yml").exists():
        return None
    mkdocs = Path(sys.executable).parent / "mkdocs"
    times = []
    with tempfile.TemporaryDirectory() as target:
        for _ in range(repeat + 1):
            run = run_once([str(mkdocs), "build", "--strict", "--quiet", "--site-dir", target],
                           stdout=WORK / "out" / "mkdocs.txt")
            if run.exit_code != 0:
                print("  mkdocs build failed: see benchmarks/.work/out/mkdocs.stderr")
                return None
            times.append(run.seconds)
    return statistics.median(times[1:])


# --- the report --------------------------------------------------------------------------------

def print_report(results: list[Result], site: float | None, site_note: str,
                 one_file: list[OneFile] | None = None) -> None:
    by = {(result.size, result.tool): result for result in results}
    sizes = sorted({result.size for result in results})
    if one_file:
        print_one_file(one_file)
    print()
    print("| N | tool | median s | files/s | max RSS MiB | tree RSS MiB |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for size in sizes:
        for tool in TOOLS:
            if (size, tool) in by:
                r = by[size, tool]
                print(f"| {size:,} | {tool} | {r.seconds:.3f} | {size / r.seconds:,.0f} | "
                      f"{r.max_rss_mib:.1f} | {r.tree_rss_mib:.1f} |")
    print()
    print("| N | validator s | floor s | check-jsonschema s | validator/floor | validator/check-jsonschema "
          "| validator ms/case | check-jsonschema / validator |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        v, f = by[size, "validator"], by[size, "floor"]
        c = by.get((size, "check-jsonschema"))
        cjs = f"{c.seconds:.3f}" if c else "-"
        ratio_c = f"{v.seconds / c.seconds:.2f}" if c else "-"
        speedup = f"{c.seconds / v.seconds:.1f}x" if c else "-"
        print(f"| {size:,} | {v.seconds:.3f} | {f.seconds:.3f} | {cjs} | {v.seconds / f.seconds:.2f} | "
              f"{ratio_c} | {1000 * v.seconds / size:.3f} | {speedup} |")
    if any(result.tool == "baseline" for result in results):
        print()
        print("| N | baseline s | validator s | speed-up |")
        print("| ---: | ---: | ---: | ---: |")
        for size in sizes:
            b, v = by[size, "baseline"], by[size, "validator"]
            print(f"| {size:,} | {b.seconds:.3f} | {v.seconds:.3f} | {b.seconds / v.seconds:.2f}x |")
    print()
    print("Targets")
    if (10000, "validator") in by:
        v, f = by[10000, "validator"], by[10000, "floor"]
        _target(f"10,000 cases within 1.5 x the floor: {v.seconds / f.seconds:.2f} x", v.seconds <= 1.5 * f.seconds)
        c = by.get((10000, "check-jsonschema"))
        if c:
            _target(f"10,000 cases at least 3 x faster than check-jsonschema: {c.seconds / v.seconds:.1f} x",
                    c.seconds >= 3 * v.seconds)
    for one in one_file or ():
        if one.command in ONE_FILE_COMMANDS:
            _target(f"{one.command} on one file within {ONE_FILE_TARGET} x the bare load of it: {one.ratio:.2f} x",
                    one.ratio <= ONE_FILE_TARGET)
    large = [size for size in sizes if size >= 1000]
    if len(large) >= 2 and (1, "validator") in by:
        # Marginal cost: the one-file run's time (start-up, policy) taken off, per case.
        start_up = by[1, "validator"].seconds
        marginal = {size: 1000 * (by[size, "validator"].seconds - start_up) / (size - 1) for size in large}
        print("  linear cost, validator ms per case with start-up taken off: "
              + ", ".join(f"{size:,}: {marginal[size]:.3f}" for size in large))
        growth = max(marginal[size] / marginal[large[0]] for size in large)
        _target(f"time per case does not grow from {large[0]:,} to {large[-1]:,} "
                f"(largest / at {large[0]:,}): {growth:.2f}", growth <= 1.15)
    if len(large) >= 2:
        first, last = large[0], large[-1]
        grow = by[last, "validator"].tree_rss_mib - by[first, "validator"].tree_rss_mib
        print(f"  memory: validator tree RSS {by[first, 'validator'].tree_rss_mib:.1f} MiB at {first:,}, "
              f"{by[last, 'validator'].tree_rss_mib:.1f} MiB at {last:,} "
              f"(+{grow:.1f} MiB, {1024 * 1024 * grow / max(last - first, 1):,.0f} bytes per extra case)")
    if site is not None:
        _target(f"site build (mkdocs build --strict, both languages) under 3 s: {site:.2f} s", site < 3.0)
    else:
        print(f"  site build: not measured ({site_note})")


def _target(text: str, met: bool) -> None:
    print(f"  [{'met' if met else 'MISSED'}] {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the validator against the floor and check-jsonschema.")
    parser.add_argument("--sizes", default="1,100,1000,10000",
                        help="comma-separated numbers of cases (default: 1,100,1000,10000)")
    parser.add_argument("--full", action="store_true", help="add N = 100,000 (several minutes)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per tool and size (default: 5)")
    parser.add_argument("--one-file-repeat", type=int, default=15,
                        help="timed runs of each command on one file (default: 15; 0 skips them)")
    parser.add_argument("--no-check-jsonschema", action="store_true", help="skip check-jsonschema")
    parser.add_argument("--no-site", action="store_true", help="skip the site build")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="also time the validator package found in DIR (a folder holding validator/), "
                             "e.g. a copy of the code before an optimisation")
    arguments = parser.parse_args()
    sizes = sorted({int(size.replace("_", "")) for size in arguments.sizes.split(",")}
                   | ({100000} if arguments.full else set()))
    WORK.mkdir(parents=True, exist_ok=True)
    import yaml

    bench_python = None if arguments.no_check_jsonschema else ensure_check_jsonschema()
    print(f"machine: {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
          f"PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__}), repeat {arguments.repeat}")
    print(f"load average: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")
    baseline = arguments.baseline.resolve() if arguments.baseline else None
    one_file = measure_one_file(arguments.one_file_repeat, baseline) if arguments.one_file_repeat > 0 else []
    results: list[Result] = []
    for size in sizes:
        print(f"N = {size:,}", flush=True)
        results.extend(measure(size, arguments.repeat, bench_python, baseline, first=size == sizes[0]))
    site, site_note = None, "skipped (--no-site)"
    if not arguments.no_site:
        site = measure_site(arguments.repeat)
        site_note = "no mkdocs.yml yet" if not (ROOT / "mkdocs.yml").exists() else "the build failed"
    print_report(results, site, site_note, one_file)
    print(f"load average at the end: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")
    (WORK / "results.json").write_text(json.dumps(
        {"results": [asdict(result) for result in results], "site_seconds": site,
         "one_file": [{**asdict(one), "ratio": one.ratio, "cpu_ratio": one.cpu_ratio} for one in one_file]},
        indent=2))


if __name__ == "__main__":
    main()
