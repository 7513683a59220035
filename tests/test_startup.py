"""What a one-file run loads: ``validate``, ``status`` and ``today`` on one case, which
pre-commit, an editor and the operator run all day, start in about twice the time a bare
Python process needs to load the file (``benchmarks/run.py`` times both side by side).
Time belongs to the machine; what a run imports and compiles belongs to the code, so that
is what these tests pin: a module pulled back onto the start-up path fails here, on any
machine, however fast."""
from __future__ import annotations

import copy
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from validator.lazy_pattern import lazy_compile

from conftest import POLICY_DIR, REPO, command_environment

CASE = REPO / "cases" / "2026-001.yaml"

# Run as the console script runs it; then write down what the process holds.
_PROBE = """
import json, sys
from validator.cli import main
report = sys.argv.pop(1)
sys.argv[0] = "support-policy"
try:
    code = main()
finally:
    secrets = sys.modules.get("validator.secrets")
    lazy = [value for value in vars(secrets).values() if type(value).__name__ == "_LazyPattern"] if secrets else []
    with open(report, "w", encoding="utf-8") as stream:
        json.dump({"modules": sorted(sys.modules), "patterns": len(lazy),
                   "compiled": sum("search" in vars(value) for value in lazy)}, stream)
"""

# Needed only by a policy that is not in the cache, a broken file, --base, --jobs, --help,
# other formats or other commands; never by an ordinary one-file run.
NEVER = ("jsonschema", "difflib", "csv", "string", "shutil", "bz2", "lzma", "multiprocessing", "subprocess", "importlib.metadata",
         "xml.etree.ElementTree", "validator.site", "validator.git_history", "validator.drafts",
         "validator.payment_search", "validator.new_case", "hypothesis", "pytest")
NOT_FOR_VALIDATE = ("validator.status", "validator.today", "validator.standing")


def _probe(tmp_path: Path, *args: str) -> dict[str, object]:
    report = tmp_path / "report.json"
    command = [sys.executable, "-c", _PROBE, str(report), *args, str(CASE), "--as-of", "2026-11-28",
               "--policy", str(POLICY_DIR)]
    completed = subprocess.run(command, cwd=REPO, env=command_environment(None), capture_output=True, text=True,
                               timeout=120)
    assert completed.returncode in (0, 1), completed.stderr
    result: dict[str, object] = json.loads(report.read_text("utf-8"))
    return result


@pytest.mark.slow
@pytest.mark.parametrize("command", ["validate", "status", "today"])
def test_a_one_file_run_imports_only_what_it_uses(tmp_path: Path, command: str) -> None:
    _probe(tmp_path, command)  # the first run checks the policy and fills the cache
    loaded = set(_probe(tmp_path, command)["modules"])  # type: ignore[call-overload]
    unwanted = NEVER + (NOT_FOR_VALIDATE if command == "validate" else ())
    assert sorted(loaded & set(unwanted)) == []
    assert "validator.cli" in loaded and "yaml" in loaded  # the probe did run the command


@pytest.mark.slow
def test_the_secret_scan_of_one_case_compiles_few_of_its_patterns(tmp_path: Path) -> None:
    _probe(tmp_path, "validate")
    result = _probe(tmp_path, "validate")
    patterns, compiled = result["patterns"], result["compiled"]
    assert isinstance(patterns, int) and isinstance(compiled, int)
    assert patterns >= 40  # the detector's patterns are all lazy
    assert 0 < compiled <= patterns // 2


def test_a_lazy_pattern_behaves_as_the_compiled_one() -> None:
    source, text = r"(?P<word>[a-z]+)(\d+)", "ab12 CD34 ef56"
    lazy, compiled = lazy_compile(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    assert "search" not in vars(lazy)  # nothing compiled yet
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert "search" in vars(lazy)  # compiled once, its methods now plain attributes
    found, expected = lazy.search(text, 3), compiled.search(text, 3)
    assert found is not None and expected is not None and found.group("word") == expected.group("word")
    assert lazy.fullmatch("ab12") is not None and lazy.match("-ab12") is None
    assert lazy.sub("<\\1>", text) == compiled.sub("<\\1>", text)
    assert lazy.split(text) == compiled.split(text)
    assert (lazy.pattern, lazy.flags, lazy.groups, dict(lazy.groupindex)) == (
        compiled.pattern, compiled.flags, compiled.groups, dict(compiled.groupindex))


def test_a_lazy_pattern_fails_as_the_compiled_one_on_a_bad_source() -> None:
    broken = lazy_compile("(unclosed")
    with pytest.raises(re.error):
        broken.search("text")
    with pytest.raises(AttributeError):
        lazy_compile("x").no_such_method  # noqa: B018


@pytest.mark.parametrize("module", ["validator.secrets", "validator.yaml_loader", "validator.yaml_errors",
                                    "validator.engine", "validator.case_schema", "validator.reporters",
                                    "validator.rules.credentials", "validator.cli"])
def test_every_lazy_pattern_of_the_validator_compiles(module: str) -> None:
    """A pattern is compiled when first used: a broken one must not wait for that day."""
    import importlib

    namespace = vars(importlib.import_module(module))
    lazy = [value for value in namespace.values() if type(value).__name__ == "_LazyPattern"]
    lazy += [pattern for value in namespace.values() if isinstance(value, tuple)
             for entry in value if isinstance(entry, tuple)
             for pattern in entry if type(pattern).__name__ == "_LazyPattern"]
    assert lazy, f"{module} has no lazy pattern"
    for pattern in lazy:
        pattern.search("")  # compiles it: a broken source raises re.error here
        assert "search" in vars(pattern)


def test_copying_or_pickling_a_lazy_pattern_does_not_compile_it() -> None:
    lazy = lazy_compile(r"\d+")
    assert "search" not in vars(copy.copy(lazy))
    assert pickle.loads(pickle.dumps(lazy)).findall("a1b22") == ["1", "22"]
