"""Security of the tool itself: a case file is data, and only data.

* no YAML tag, key or value makes the validator run code, start a process, open a
  network connection, read a file outside the paths it was given, or write anywhere;
  the real command runs under an audit hook that sees all of these
  (``tests/fixtures/hostile/audit_guard.py``);
* the site build never includes anything from ``cases/``;
* a message quotes at most a short excerpt of hostile input (40 characters), with
  control characters escaped, so a file can neither flood the output nor write
  terminal escape sequences into the reader's screen or a CI log.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from validator.reporters import REPORTER_BY_NAME

from conftest import POLICY_DIR, REPO, run_cli

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
sys.path.insert(0, str(HOSTILE))
from audit_guard import CLI_WRAPPER  # noqa: E402

WRAPPER = CLI_WRAPPER.format(guard_folder=str(HOSTILE))


def run_guarded(allowed: list[Path], *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """The real command under the audit guard; what it must not do is printed as ``AUDIT:``."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    environment["PYTHONDONTWRITEBYTECODE"] = "1"  # Python's own caches are not the validator writing
    return subprocess.run(
        [sys.executable, "-c", WRAPPER, ":".join(str(path) for path in [*allowed, POLICY_DIR]), *args,
         "--policy", str(POLICY_DIR)],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=120)


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(path.relative_to(folder)): (path.lstat().st_size, path.lstat().st_mtime_ns)
            for path in sorted(folder.rglob("*"))}


# --- nothing runs, nothing is read outside, nothing is written --------------------------------------

def test_code_tags_and_code_like_text_run_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    shutil.copytree(HOSTILE / "code-tags", folder)
    before = _tree(tmp_path)
    for output in sorted(REPORTER_BY_NAME):
        completed = run_guarded([tmp_path], "validate", str(folder), "--format", output, "--as-of", "2026-11-28",
                                "--lang", "en", cwd=tmp_path)
        assert completed.returncode == 1
        assert completed.stderr == ""  # no AUDIT line, no traceback
    assert _tree(tmp_path) == before  # nothing written, created or touched; no pwned-* file
    report = json.loads(run_cli("validate", str(folder), "--format", "json", "--as-of", "2026-11-28",
                                "--lang", "en", "--policy", str(POLICY_DIR), cwd=tmp_path).stdout)
    tagged = [number for number, line in enumerate((folder / "2026-900.yaml").read_text("utf-8").splitlines(), 1)
              if re.search(r": !", line)]
    s007 = sorted({d["line"] for d in report["diagnostics"] if d["file"].endswith("900.yaml") and d["code"] == "S007"})
    assert s007 == tagged
    # The code-like values are text: quoted as written (or not at all), never evaluated.
    messages = " ".join(d["message"] for d in report["diagnostics"])
    assert "__import__('os').system('touch pwned-pr" in messages
    assert "root:" not in messages and "<class" not in messages


def test_nothing_outside_the_given_paths_is_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("id: secret\nnotes: OUTSIDE-CONTENT\n", "utf-8")
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.yaml").symlink_to(outside / "secret.yaml")
    (folder / "b.yaml").symlink_to("../outside/secret.yaml")
    (folder / "sub").symlink_to(outside, target_is_directory=True)
    (folder / "c.yaml").write_text("id: c\nnotes: !include ../outside/secret.yaml\n$ref: ../outside/secret.yaml\n"
                                   "request: file:///etc/passwd\n", "utf-8")
    completed = run_guarded([folder], "validate", str(folder), "--format", "json", "--as-of", "2026-11-28")
    assert completed.stderr == ""  # the guard allowed cases/ and the policy only
    assert completed.returncode == 1
    assert "OUTSIDE-CONTENT" not in completed.stdout
    # A file named on the command line is held to the same rule (an editor or a hook may name one).
    completed = run_guarded([folder], "validate", str(folder / "a.yaml"), "--format", "json", "--as-of", "2026-11-28")
    assert completed.stderr == "" and "OUTSIDE-CONTENT" not in completed.stdout
    assert [d["code"] for d in json.loads(completed.stdout)["diagnostics"]] == ["S007"]


def test_the_site_build_never_includes_cases(tmp_path: Path) -> None:
    """Build the real site from a copy of the project whose cases/ holds a marked case."""
    if not (REPO / "mkdocs.yml").exists():
        pytest.skip("no site in this checkout")
    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "docs", "policy", "overrides"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    (project / "validator").symlink_to(REPO / "validator", target_is_directory=True)
    marker = "CASE-MARKER-7f3a9c"
    (project / "cases" / "2026").mkdir(parents=True)
    (project / "cases" / "2026" / f"{marker}.yaml").write_text(f"id: {marker}\nnotes: {marker}\n", "utf-8")
    (project / "cases" / "index.md").write_text(f"# {marker}\n", "utf-8")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    environment.pop("SUPPORT_POLICY_DIR", None)
    completed = subprocess.run([str(mkdocs), "build", "--strict", "-q", "-f", str(project / "mkdocs.yml"),
                                "-d", str(project / "site")], capture_output=True, text=True, timeout=300,
                               env=environment)
    assert completed.returncode == 0, completed.stderr
    built = [path for path in (project / "site").rglob("*") if path.is_file()]
    assert built
    assert not [path for path in built if "cases" in path.relative_to(project / "site").parts
                or marker in path.name]
    assert not [path for path in built if marker.encode() in path.read_bytes()]


# --- messages quote short, harmless excerpts --------------------------------------------------------

CASE = """\
id: c
opened: 2026-11-02
customer:
  license: L-1
  same_paypal_account: true
product: raku-affiliate
triage: {date: 2026-11-03, outcome: paid}
estimate:
  date: 2026-11-03
  items:
    - fee: mail-check
      amount: 15000
  total: 15000
payments:
  - {date: 2026-11-04, amount: 15000, method: bank, kind: full}
work: {started: 2026-11-05, items: [mail-check], completed: 2026-11-06}
"""

# Hostile text in YAML's double-quoted form: an ESC that would clear the screen and set the
# window title, a right-to-left override, then 3,000 characters.
HOSTILE_TEXT = r'"\e[2J\e]0;pwned\a\u202eQ' + "Q" * 3000 + '"'

# where the text goes into the case
PLACES: dict[str, Any] = {
    "unknown-key": lambda text: CASE + f"{_key(text)}: 1\n",
    "duplicate-key": lambda text: CASE + f"{_key(text)}: 1\n{_key(text)}: 2\n",
    "date": lambda text: CASE.replace("opened: 2026-11-02", f"opened: {text}"),
    "product": lambda text: CASE.replace("product: raku-affiliate", f"product: {text}"),
    "fee": lambda text: CASE.replace("- fee: mail-check", f"- fee: {text}"),
    "outcome": lambda text: CASE.replace("outcome: paid", f"outcome: {text}"),
    "method": lambda text: CASE.replace("method: bank", f"method: {text}"),
    "license": lambda text: CASE.replace("license: L-1", f"license: {text}"),
    "amount": lambda text: CASE.replace("amount: 15000\n  total", f"amount: {text}\n  total"),
    "tag": lambda text: CASE.replace("product: raku-affiliate", "product: !<%1B%5B2J%E2%80%AE" + "Q" * 3000 + "> x"),
    "anchor": lambda text: CASE.replace("product: raku-affiliate", "product: &" + "Q" * 3000 + " x"),
    "notes": lambda text: CASE + f"notes: {text[:-1]}{'Q' * 20_000}\"\n",  # too long
    "id": lambda text: CASE.replace("id: c", f"id: {text}"),
    "follow-up": lambda text: CASE + f"follow_up: [{text}]\n",
    "work-item": lambda text: CASE.replace("items: [mail-check]", f"items: [{text}]"),
}


def _key(text: str) -> str:
    return text[:800] + '"'  # YAML limits an implicit key to 1,024 characters


# Places whose message is built outside the loader and the schema check (engine.py: S005
# quotes the id, S004 a follow-up id). They once quoted the whole value; each is checked
# in a folder of its own, since a hostile id would also trip the others' cross-file rules.
QUOTED_WHOLE = ("id", "follow-up")


def _run_every_format(folder: Path) -> dict[str, str]:
    outputs = {}
    for output in sorted(REPORTER_BY_NAME):
        completed = run_cli("validate", str(folder), "--format", output, "--as-of", "2026-11-28", "--lang", "en")
        assert completed.returncode == 1 and completed.stderr == ""
        outputs[output] = completed.stdout
    return outputs


@pytest.fixture(scope="module")
def hostile_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every output format of one run over a folder with the hostile text in each place."""
    folder = tmp_path_factory.mktemp("excerpts")
    for place, build in PLACES.items():
        if place not in QUOTED_WHOLE:
            (folder / f"{place}.yaml").write_text(build(HOSTILE_TEXT).replace("id: c\n", f"id: {place}\n", 1),
                                                  "utf-8")
    return _run_every_format(folder)


def _assert_short_excerpts(report: dict[str, Any], place: str) -> None:
    found = [d for d in report["diagnostics"] if Path(d["file"]).stem == place]
    assert found, place
    for diagnostic in found:
        message = diagnostic["message"]
        assert max((len(run) for run in re.findall("Q+", message)), default=0) <= 40, (place, message[:200])
        assert len(message) <= 600, (place, len(message))
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", message), (place, message[:200])


@pytest.mark.parametrize("place", [place for place in PLACES if place not in QUOTED_WHOLE])
def test_messages_quote_a_short_excerpt_with_control_characters_escaped(hostile_outputs: dict[str, str],
                                                                        place: str) -> None:
    _assert_short_excerpts(json.loads(hostile_outputs["json"]), place)


def test_no_output_format_carries_a_control_character(hostile_outputs: dict[str, str]) -> None:
    for output, stdout in hostile_outputs.items():
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", stdout), output


@pytest.mark.parametrize("place", QUOTED_WHOLE)
def test_messages_built_outside_the_loader_quote_a_short_excerpt(tmp_path: Path, place: str) -> None:
    (tmp_path / f"{place}.yaml").write_text(PLACES[place](HOSTILE_TEXT), "utf-8")
    outputs = _run_every_format(tmp_path)
    _assert_short_excerpts(json.loads(outputs["json"]), place)
    for output, stdout in outputs.items():
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", stdout), output
