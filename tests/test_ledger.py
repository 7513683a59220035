"""L001 and L002 on real git repositories made in temporary folders: commit cases, edit them
as an operator would, and run ``support-policy validate --base REF`` in the repository."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from validator.yaml_loader import load_file

from conftest import POLICY_DIR, REPO, run_cli

AS_OF = "2026-11-28"

CASE = """\
id: {id}
opened: 2026-11-02
customer: {{ref: C-0192, license: L-1, same_paypal_account: true}}
product: paypal-automail
triage: {{date: 2026-11-03, outcome: paid}}
estimate:
  date: 2026-11-03
  items: [{{fee: mail-check, amount: 15000}}]
  total: 15000
payments:
  - date: 2026-11-04
    amount: 7500
    method: paypal
    kind: deposit
work: {{started: 2026-11-05, items: [mail-check]}}
"""


def git(repo: Path, *arguments: str) -> str:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    environment.update(GIT_AUTHOR_NAME="Operator", GIT_AUTHOR_EMAIL="operator@example.invalid",
                       GIT_COMMITTER_NAME="Operator", GIT_COMMITTER_EMAIL="operator@example.invalid")
    completed = subprocess.run(["git", *arguments], cwd=repo, env=environment, capture_output=True,
                               text=True, check=True)
    return completed.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the policy and one committed case, cases/2026-014.yaml, with a deposit."""
    root = tmp_path / "operator"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch=main")
    shutil.copytree(POLICY_DIR, root / "policy")
    (root / "cases").mkdir()
    (root / "cases" / "2026-014.yaml").write_text(CASE.format(id="2026-014"), "utf-8")
    commit(root, "Case 2026-014 with its deposit")
    return root


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", message)


def case_file(repo: Path) -> Path:
    return repo / "cases" / "2026-014.yaml"


def edit(repo: Path, old: str, new: str) -> None:
    path = case_file(repo)
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def validate(repo: Path, *arguments: str, lang: str = "en") -> tuple[int, dict[str, Any]]:
    completed = run_cli("validate", "--format", "json", "--as-of", AS_OF, "--lang", lang, *arguments, cwd=repo)
    assert completed.stderr == "", completed.stderr
    return completed.returncode, json.loads(completed.stdout)


def ledger(report: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    return [(d["code"], d["file"], d["line"], d["column"]) for d in report["diagnostics"]
            if d["code"] in ("L001", "L002")]


def test_the_committed_case_is_clean(repo: Path) -> None:
    code, report = validate(repo, "--base", "HEAD")
    assert (code, report["diagnostics"]) == (0, [])


def test_an_edited_amount_is_l001_at_the_amount(repo: Path) -> None:
    edit(repo, "    amount: 7500\n", "    amount: 8000\n")
    code, report = validate(repo, "--base", "HEAD")
    assert code == 1
    assert ledger(report) == [("L001", "cases/2026-014.yaml", 12, 13)]
    message = report["diagnostics"][0]["message"]
    assert "HEAD" in message and "2026-11-04" in message and "¥7,500" in message
    assert "`7500` -> `8000`" in message and "void" in message


def test_a_changed_date_is_l001_at_the_date_in_both_languages(repo: Path) -> None:
    edit(repo, "  - date: 2026-11-04\n", "  - date: 2026-11-05\n")
    _, english = validate(repo, "--base", "HEAD")
    _, japanese = validate(repo, "--base", "HEAD", lang="ja")
    assert ledger(english) == ledger(japanese) == [("L001", "cases/2026-014.yaml", 11, 11)]
    assert "「2026-11-04」→「2026-11-05」" in japanese["diagnostics"][0]["message"]
    assert "7,500円" in japanese["diagnostics"][0]["message"]


def test_a_deleted_entry_is_l001_at_payments(repo: Path) -> None:
    edit(repo, "  - date: 2026-11-04\n    amount: 7500\n    method: paypal\n    kind: deposit\n", "  []\n")
    code, report = validate(repo, "--base", "HEAD")
    assert code == 1
    assert ledger(report) == [("L001", "cases/2026-014.yaml", 11, 3)]
    assert "has been removed" in report["diagnostics"][0]["message"]


def test_a_deleted_case_is_l002_at_its_path(repo: Path) -> None:
    case_file(repo).unlink()
    (repo / "cases" / "2026-015.yaml").write_text(CASE.format(id="2026-015"), "utf-8")
    code, report = validate(repo, "--base", "HEAD")
    assert code == 1
    assert ledger(report) == [("L002", "cases/2026-014.yaml", 1, 1)]
    diagnostic = next(d for d in report["diagnostics"] if d["code"] == "L002")
    assert diagnostic["case"] == "2026-014"
    assert "git checkout HEAD -- cases/2026-014.yaml" in diagnostic["message"]
    assert report["files"] == 1  # the missing file is reported, not counted as checked


def test_a_deleted_case_is_spelled_under_the_folder_given(repo: Path, tmp_path: Path) -> None:
    case_file(repo).unlink()
    code, report = validate(repo, str(repo / "cases"), "--base", "HEAD")
    assert code == 1
    assert ledger(report) == [("L002", str(repo / "cases" / "2026-014.yaml"), 1, 1)]


def test_the_hook_reports_a_deleted_case_though_no_file_is_given(repo: Path) -> None:
    """pre-commit passes only files that exist: a commit that deletes a case gives none, or
    only others; its L002 is reported all the same."""
    hook = ("--only-given", "--overdue-as-warning", "--base", "HEAD")
    git(repo, "rm", "--quiet", "cases/2026-014.yaml")
    code, report = validate(repo, *hook)
    assert code == 1 and ledger(report) == [("L002", "cases/2026-014.yaml", 1, 1)]
    assert not (repo / "cases").exists()  # git removed the emptied folder too
    (repo / "cases").mkdir()
    (repo / "cases" / "2026-015.yaml").write_text(CASE.format(id="2026-015"), "utf-8")
    code, report = validate(repo, *hook, "cases/2026-015.yaml")
    assert code == 1 and ledger(report) == [("L002", "cases/2026-014.yaml", 1, 1)]
    git(repo, "checkout", "HEAD", "--", "cases/2026-014.yaml")
    code, report = validate(repo, *hook)
    assert (code, report["diagnostics"]) == (0, [])


def test_a_new_payment_is_quiet_appended_or_inserted(repo: Path) -> None:
    edit(repo, "payments:\n", "payments:\n  - {date: 2026-11-04, amount: 2000, method: bank, kind: deposit}\n")
    path = case_file(repo)
    path.write_text(path.read_text("utf-8").replace(
        "work:", "  - {date: 2026-11-06, amount: 5500, method: bank, kind: balance}\nwork:"), "utf-8")
    code, report = validate(repo, "--base", "HEAD")
    assert (code, report["diagnostics"]) == (0, [])  # 2,000 + 7,500 + 5,500: the total, paid


def test_an_added_void_is_quiet_and_the_entry_no_longer_counts(repo: Path) -> None:
    edit(repo, "    kind: deposit\n", "    kind: deposit\n    void:\n      date: 2026-11-05\n"
                                      "      reason: 二重に記録した\n")
    code, report = validate(repo, "--base", "HEAD")
    assert ledger(report) == []
    # The deposit was voided, so nothing was paid when work started: P001.
    assert code == 1 and [d["code"] for d in report["diagnostics"]] == ["P001"]


def test_a_void_once_committed_cannot_be_removed_or_changed(repo: Path) -> None:
    edit(repo, "    kind: deposit\n", "    kind: deposit\n    void: {date: 2026-11-05, reason: 二重に記録した}\n")
    commit(repo, "Void the deposit recorded twice")
    edit(repo, "reason: 二重に記録した", "reason: 金額の誤り")
    _, changed = validate(repo, "--base", "HEAD")
    assert ledger(changed) == [("L001", "cases/2026-014.yaml", 15, 11)]
    edit(repo, "    void: {date: 2026-11-05, reason: 金額の誤り}\n", "")
    _, removed = validate(repo, "--base", "HEAD")
    assert ledger(removed) == [("L001", "cases/2026-014.yaml", 11, 5)]
    assert "`void`" in removed["diagnostics"][0]["message"]


def test_reformatting_and_moving_a_case_are_not_rewriting(repo: Path) -> None:
    edit(repo, "  - date: 2026-11-04\n    amount: 7500\n    method: paypal\n    kind: deposit\n",
         "  # the deposit, by PayPal\n  - {kind: deposit, method: paypal, amount: 7500, date: 2026-11-04}\n")
    (repo / "cases" / "2026").mkdir()
    case_file(repo).rename(repo / "cases" / "2026" / "2026-014.yaml")
    code, report = validate(repo, "--base", "HEAD")
    assert (code, report["diagnostics"]) == (0, [])


def test_a_null_void_is_no_void_either_way(repo: Path) -> None:
    edit(repo, "    kind: deposit\n", "    kind: deposit\n    void: null\n")
    code, report = validate(repo, "--base", "HEAD")
    assert (code, report["diagnostics"]) == (0, [])
    commit(repo, "An explicit null")
    edit(repo, "    void: null\n", "")
    assert ledger(validate(repo, "--base", "HEAD")[1]) == []


def test_a_moved_case_with_an_edited_payment_is_still_l001(repo: Path) -> None:
    edit(repo, "    amount: 7500\n", "    amount: 7000\n")
    (repo / "cases" / "2026").mkdir()
    case_file(repo).rename(repo / "cases" / "2026" / "2026-014.yaml")
    _, report = validate(repo, "--base", "HEAD")
    assert ledger(report) == [("L001", "cases/2026/2026-014.yaml", 12, 13)]


def test_a_deleted_case_without_payments_is_quiet(repo: Path) -> None:
    (repo / "cases" / "2026-016.yaml").write_text(
        "id: 2026-016\nopened: 2026-11-20\ncustomer: {license: L-2, same_paypal_account: true}\n"
        "product: paypal-automail\n", "utf-8")
    commit(repo, "Inquiry 2026-016")
    (repo / "cases" / "2026-016.yaml").unlink()
    code, report = validate(repo, "--base", "HEAD")
    assert (code, report["diagnostics"]) == (0, [])


def test_an_older_revision_and_a_branch_name_are_bases(repo: Path) -> None:
    edit(repo, "    amount: 7500\n", "    amount: 8000\n")
    commit(repo, "A rewrite that was committed")
    assert ledger(validate(repo, "--base", "HEAD")[1]) == []  # against itself: nothing changed
    assert ledger(validate(repo, "--base", "HEAD~1")[1]) == [("L001", "cases/2026-014.yaml", 12, 13)]
    git(repo, "branch", "recorded", "HEAD~1")
    assert ledger(validate(repo, "--base", "recorded")[1]) == [("L001", "cases/2026-014.yaml", 12, 13)]


def test_a_subfolder_and_a_single_file_work_like_the_folder(repo: Path) -> None:
    edit(repo, "    amount: 7500\n", "    amount: 8000\n")
    completed = run_cli("validate", "2026-014.yaml", "--policy", "../policy", "--base", "HEAD",
                        "--as-of", AS_OF, "--lang", "en", "--format", "json", cwd=repo / "cases")
    assert [(d["code"], d["file"]) for d in json.loads(completed.stdout)["diagnostics"]] == [
        ("L001", "2026-014.yaml")]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_unknown_revision_is_exit_2_with_a_clear_message(repo: Path, lang: str) -> None:
    for ref in ("no-such-branch", "--output=x", ""):
        completed = run_cli("validate", f"--base={ref}", "--lang", lang, cwd=repo)
        assert completed.returncode == 2, ref
        assert completed.stdout == ""
        expected = "というリビジョン" if lang == "ja" else "has no revision"
        assert expected in completed.stderr and "Traceback" not in completed.stderr
    assert not (repo / "x").exists()


@pytest.mark.parametrize(("lang", "head", "tail"), [
    ("ja", "support-policy: --base HEAD: gitが失敗しました: ",
     "。同じフォルダーで git status を実行して、gitが使えるか確かめてください。\n"),
    ("en", "support-policy: --base HEAD: git failed: ",
     ". Run git status in the same folder to see whether git works there.\n"),
])
def test_a_damaged_repository_is_exit_2_with_gits_words_and_what_to_try(repo: Path, lang: str, head: str,
                                                                        tail: str) -> None:
    tree = git(repo, "rev-parse", "HEAD:cases").strip()  # the recorded folder's object, lost
    (repo / ".git" / "objects" / tree[:2] / tree[2:]).unlink()
    completed = run_cli("validate", "--base", "HEAD", "--as-of", AS_OF, "--lang", lang, cwd=repo)
    assert completed.returncode == 2 and completed.stdout == ""
    assert completed.stderr.startswith(head) and completed.stderr.endswith(tail), completed.stderr
    assert tree in completed.stderr  # git's own words name what it could not read


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_outside_a_repository_is_exit_2_with_a_clear_message(tmp_path: Path, lang: str) -> None:
    folder = tmp_path / "no-git"
    (folder / "cases").mkdir(parents=True)
    shutil.copytree(POLICY_DIR, folder / "policy")
    environment = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}  # never find a repository above tmp
    completed = run_cli("validate", "--base", "HEAD", "--lang", lang, cwd=folder, env=environment)
    assert completed.returncode == 2
    expected = "gitリポジトリの中にありません" if lang == "ja" else "is not inside a git repository"
    assert expected in completed.stderr and "Traceback" not in completed.stderr


def test_the_first_commit_has_nothing_to_compare_with(tmp_path: Path) -> None:
    """The pre-commit hook runs --base HEAD before the repository's first commit too."""
    root = tmp_path / "fresh"
    root.mkdir()
    git(root, "init", "--quiet")
    shutil.copytree(POLICY_DIR, root / "policy")
    (root / "cases").mkdir()
    (root / "cases" / "2026-014.yaml").write_text(CASE.format(id="2026-014"), "utf-8")
    code, report = validate(root, "--base", "HEAD")
    assert (code, report["diagnostics"]) == (0, [])


def test_validate_never_writes_to_the_repository(repo: Path) -> None:
    edit(repo, "    amount: 7500\n", "    amount: 8000\n")
    before = git(repo, "status", "--porcelain", "--untracked-files=all")
    validate(repo, "--base", "HEAD")
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == before
    assert git(repo, "stash", "list") == ""


# --- CI and pre-commit use --base -------------------------------------------------------------

def _ci_script() -> str:
    workflow = load_file(str(REPO / ".github" / "workflows" / "ci.yml")).data
    [script] = [step["run"] for step in workflow["jobs"]["validate"]["steps"]
                if "support-policy validate" in step.get("run", "")]
    return script


def _run_ci(repo: Path, **event: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "GIT_"))}
    environment.update(event, GITHUB_ACTIONS="true", SUPPORT_POLICY_NOW="2026-11-28T00:00:00Z", LANG="C.UTF-8",
                       PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run(["bash", "-e", "-c", _ci_script()], cwd=repo, env=environment, capture_output=True,
                          text=True, timeout=120, check=False)


L001_ANNOTATION = "::error file=cases/2026-014.yaml,line=12,col=13,title=L001 payment-rewritten::"


def test_ci_compares_a_pull_request_with_its_base(repo: Path) -> None:
    base = git(repo, "rev-parse", "HEAD").strip()
    edit(repo, "    amount: 7500\n", "    amount: 8000\n")
    commit(repo, "Rewrite the deposit")
    completed = _run_ci(repo, EVENT="pull_request", PR_BASE=base, BEFORE="")
    assert completed.returncode == 1, completed.stderr
    assert L001_ANNOTATION in completed.stdout


def test_ci_compares_a_push_with_the_commit_before_it(repo: Path) -> None:
    before = git(repo, "rev-parse", "HEAD").strip()
    edit(repo, "    amount: 7500\n", "    amount: 8000\n")
    commit(repo, "Rewrite the deposit")
    edit(repo, "work:", "notes: another commit of the same push\nwork:")
    commit(repo, "Another commit")
    assert L001_ANNOTATION in _run_ci(repo, EVENT="push", BEFORE=before, PR_BASE="").stdout
    # A new branch (no commit before the push): its last commit's parent.
    assert _run_ci(repo, EVENT="push", BEFORE="0" * 40, PR_BASE="").returncode == 0
    git(repo, "reset", "--quiet", "--hard", before)
    edit(repo, "    amount: 7500\n", "    amount: 8000\n")
    commit(repo, "Rewrite the deposit")
    assert L001_ANNOTATION in _run_ci(repo, EVENT="push", BEFORE="0" * 40, PR_BASE="").stdout
    # Started by hand: no base, the plain check.
    assert _run_ci(repo, EVENT="workflow_dispatch", BEFORE="", PR_BASE="").returncode == 0


def test_the_pre_commit_hooks_compare_with_head() -> None:
    [hook] = load_file(str(REPO / ".pre-commit-hooks.yaml")).data
    assert hook["entry"].split()[:2] == ["support-policy", "validate"]
    assert hook["entry"].split()[-2:] == ["--base", "HEAD"]
    local = load_file(str(REPO / ".pre-commit-config.yaml")).data["repos"][0]["hooks"][0]
    assert local["entry"].split()[-2:] == ["--base", "HEAD"]


def test_a_file_unreadable_today_is_its_own_error_not_a_rewrite(repo: Path) -> None:
    case_file(repo).write_text("id: 2026-014\npayments: [\n", "utf-8")
    _, report = validate(repo, "--base", "HEAD")
    assert [d["code"] for d in report["diagnostics"]] == ["S001"]


def test_git_is_asked_once_and_unchanged_files_are_not_read(repo: Path, tmp_path: Path) -> None:
    """Counted with GIT_TRACE, which logs every git command the validator runs."""
    for number in range(40):
        (repo / "cases" / f"2026-{100 + number}.yaml").write_text(CASE.format(id=f"2026-{100 + number}"), "utf-8")
    commit(repo, "Forty more cases")

    def git_commands() -> list[str]:
        trace = tmp_path / "trace.log"
        trace.unlink(missing_ok=True)
        completed = run_cli("validate", "--base", "HEAD", "--as-of", AS_OF, "--format", "json", cwd=repo,
                            env={"GIT_TRACE": str(trace)})
        assert completed.returncode in (0, 1), completed.stderr
        return [line.split("git ", 1)[1].split()[0].strip("'") for line in trace.read_text().splitlines()
                if "trace: built-in: git " in line]

    unchanged = git_commands()
    assert unchanged.count("ls-tree") == 1 and "cat-file" not in unchanged  # no file differs: none read
    edit(repo, "    amount: 7500\n", "    amount: 8000\n")
    assert git_commands().count("cat-file") == 1  # one batch for the one changed file


def test_an_edit_behind_a_new_entry_is_found_at_the_edited_entry(repo: Path) -> None:
    """The deposit edited and a new entry inserted before it: L001 at the edited deposit."""
    edit(repo, "payments:\n  - date: 2026-11-04\n    amount: 7500\n",
         "payments:\n  - {date: 2026-11-06, amount: 2000, method: bank, kind: balance}\n"
         "  - date: 2026-11-04\n    amount: 7000\n")
    _, report = validate(repo, "--base", "HEAD")
    assert ledger(report) == [("L001", "cases/2026-014.yaml", 13, 13)]
    assert "`7500` -> `7000`" in report["diagnostics"][0]["message"]


def test_one_of_two_identical_entries_removed_is_one_l001(repo: Path) -> None:
    entry = "  - date: 2026-11-04\n    amount: 7500\n    method: paypal\n    kind: deposit\n"
    edit(repo, entry, entry + entry)
    commit(repo, "Recorded twice")
    edit(repo, entry + entry, entry)
    _, report = validate(repo, "--base", "HEAD")
    assert ledger(report) == [("L001", "cases/2026-014.yaml", 11, 3)]


def test_a_replaced_entry_is_removed_not_rewritten(repo: Path) -> None:
    edit(repo, "  - date: 2026-11-04\n    amount: 7500\n    method: paypal\n    kind: deposit\n",
         "  - {date: 2026-11-09, amount: 7500, method: bank, kind: balance}\n")
    _, report = validate(repo, "--base", "HEAD")
    assert ledger(report) == [("L001", "cases/2026-014.yaml", 11, 3)]
    assert "has been removed" in report["diagnostics"][0]["message"]
