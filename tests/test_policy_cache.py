"""The checked-policy cache notices every edit, never trusts a damaged entry, and never fails a run.

Each test gives the cache a folder of its own (``XDG_CACHE_HOME``) and counts how often
the policy is really checked (``policy._check``), so "served from the cache" and "checked
again" are facts, not guesses from timing.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from validator import policy as policy_module
from validator import policy_cache
from validator.policy import PolicyError, forget_loaded_policies, load_policy

from conftest import run_json

CASE = """\
id: c-1
opened: 2026-11-02
customer: {license: L-1, same_paypal_account: true}
product: raku-affiliate
triage: {date: 2026-11-03, outcome: paid}
estimate:
  date: 2026-11-03
  items:
    - {fee: mail-check, amount: 15000}
  total: 15000
"""


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv(policy_cache.DISABLE_VARIABLE, raising=False)
    forget_loaded_policies()
    return home


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders the policy was really checked for, one entry per check."""
    checked: list[Path] = []
    real_check = policy_module._check

    def counting(directory: Path) -> object:
        checked.append(directory)
        return real_check(directory)

    monkeypatch.setattr(policy_module, "_check", counting)
    return checked


def load_fresh(folder: Path) -> policy_module.Policy:
    """Load as a new process would: nothing remembered in memory, only on disk."""
    forget_loaded_policies()
    return load_policy(folder)


def entries(home: Path) -> list[Path]:
    return sorted((home / "support-policy").glob("policy-*.json"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


MAIL_CHECK = "en: Investigating mail delivery}\n    from: "


def test_a_checked_policy_is_served_from_the_cache_until_a_file_changes(
        policy_copy: Path, cache_home: Path, checks: list[Path]) -> None:
    first = load_fresh(policy_copy)
    assert len(checks) == 1 and len(entries(cache_home)) == 1
    again = load_fresh(policy_copy)
    assert len(checks) == 1  # read from the cache, not checked again
    assert again is not first and again.fees == first.fees and again.parameters == first.parameters
    assert again.directory == policy_copy.resolve()

    edit(policy_copy / "fees.yaml", MAIL_CHECK + "15000", MAIL_CHECK + "16000")
    edited = load_fresh(policy_copy)
    assert len(checks) == 2 and len(entries(cache_home)) == 2
    assert edited.fees["mail-check"].minimum == 16000


def test_an_edit_in_the_same_process_is_noticed_too(policy_copy: Path, cache_home: Path) -> None:
    assert load_policy(policy_copy).fees["mail-check"].minimum == 15000
    edit(policy_copy / "fees.yaml", MAIL_CHECK + "15000", MAIL_CHECK + "16000")
    assert load_policy(policy_copy).fees["mail-check"].minimum == 16000  # no forget_loaded_policies()


def test_the_command_sees_an_edited_policy_copy(tmp_path: Path, policy_copy: Path, cache_home: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "c-1.yaml").write_text(CASE, "utf-8")

    def codes() -> list[str]:
        _, report = run_json(str(cases), "--policy", str(policy_copy), "--as-of", "2026-11-28", "--lang", "en")
        return [diagnostic["code"] for diagnostic in report["diagnostics"]]

    assert "E002" not in codes()
    edit(policy_copy / "fees.yaml", MAIL_CHECK + "15000", MAIL_CHECK + "16000")  # above the estimate now
    assert "E002" in codes()


def test_a_broken_edit_is_an_error_not_the_cached_policy(policy_copy: Path, cache_home: Path) -> None:
    load_fresh(policy_copy)
    edit(policy_copy / "fees.yaml", MAIL_CHECK + "15000", MAIL_CHECK + "fifteen thousand")
    with pytest.raises(PolicyError, match=r"fees\.yaml"):
        load_fresh(policy_copy)
    assert len(entries(cache_home)) == 1  # nothing stored for a policy that failed


@pytest.mark.parametrize("change", ["add", "remove", "rename"])
def test_every_yaml_file_of_the_folder_is_in_the_key(policy_copy: Path, change: str) -> None:
    before = policy_cache.policy_key(policy_copy)
    if change == "add":  # e.g. policy/history.yaml or policy/templates.yaml, whatever reads them
        (policy_copy / "history.yaml").write_text("versions: []\n", "utf-8")
    elif change == "remove":
        (policy_copy / "legal.yaml").unlink()
    else:
        (policy_copy / "legal.yaml").rename(policy_copy / "legal.yml")
    assert policy_cache.policy_key(policy_copy) not in (before, None)


def test_files_that_are_not_policy_files_do_not_change_the_key(policy_copy: Path) -> None:
    before = policy_cache.policy_key(policy_copy)
    (policy_copy / "README.md").write_text("notes\n", "utf-8")
    assert policy_cache.policy_key(policy_copy) == before


def test_the_validators_code_is_in_the_key(policy_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = policy_cache.policy_key(policy_copy)
    monkeypatch.setattr(policy_cache, "code_signature", lambda: "another version of the validator")
    assert policy_cache.policy_key(policy_copy) != before


def test_a_copy_of_the_same_policy_shares_the_entry(
        tmp_path: Path, policy_copy: Path, cache_home: Path, checks: list[Path]) -> None:
    load_fresh(policy_copy)
    other = tmp_path / "elsewhere" / "policy"
    other.mkdir(parents=True)
    for source in policy_copy.iterdir():
        (other / source.name).write_bytes(source.read_bytes())
    assert load_fresh(other).directory == other.resolve()  # the policy names its own folder
    assert len(checks) == 1


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").split("\n", 2)  # the key, the checksum, the data


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _tamper(path: Path) -> None:  # valid JSON, same key, data changed behind the checksum's back
    key, checksum, text = _lines(path)
    data = json.loads(text)
    data["fees.yaml"]["fees"][0]["from"] = 1
    path.write_text("\n".join((key, checksum, json.dumps(data, ensure_ascii=False))), "utf-8")


def _other_key(path: Path) -> None:
    key, checksum, text = _lines(path)
    path.write_text("\n".join((key.replace("mail-check", "mail-checks"), checksum, text)), "utf-8")


def _not_utf8(path: Path) -> None:
    path.write_bytes(b"\x80\x81 not text")


def _wrong_shape(path: Path) -> None:
    key, _, _ = _lines(path)
    path.write_text("\n".join((key, policy_cache._checksum("[1, 2, 3]"), "[1, 2, 3]")), "utf-8")


@pytest.mark.parametrize("damage", [_truncate, _tamper, _other_key, _not_utf8, _wrong_shape])
def test_a_damaged_entry_is_never_trusted(policy_copy: Path, cache_home: Path, checks: list[Path],
                                          damage: Callable[[Path], None]) -> None:
    expected = load_fresh(policy_copy)
    [entry] = entries(cache_home)
    damage(entry)
    policy = load_fresh(policy_copy)
    assert len(checks) == 2  # checked again
    assert policy.fees == expected.fees and policy.products == expected.products
    assert policy_cache.read(policy_cache.policy_key(policy_copy) or "") is not None  # and stored again


def test_an_unwritable_cache_folder_is_silently_skipped(
        tmp_path: Path, policy_copy: Path, monkeypatch: pytest.MonkeyPatch, checks: list[Path]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))  # below a file: cannot be created
    assert load_fresh(policy_copy).fees["mail-check"].minimum == 15000
    assert load_fresh(policy_copy).fees["mail-check"].minimum == 15000
    assert len(checks) == 2  # nothing cached, nothing said


def test_the_cache_can_be_turned_off(policy_copy: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch,
                                     checks: list[Path]) -> None:
    monkeypatch.setenv(policy_cache.DISABLE_VARIABLE, "1")
    load_fresh(policy_copy)
    load_fresh(policy_copy)
    assert len(checks) == 2 and entries(cache_home) == []


def test_old_entries_are_pruned(policy_copy: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(policy_cache, "MAX_ENTRIES", 3)
    for minimum in range(16000, 16005):
        edit(policy_copy / "fees.yaml", MAIL_CHECK + ("15000" if minimum == 16000 else str(minimum - 1)),
             MAIL_CHECK + str(minimum))
        load_fresh(policy_copy)
    assert len(entries(cache_home)) == 3


def test_an_entry_is_its_whole_key_and_plain_data(policy_copy: Path, cache_home: Path) -> None:
    """The key is compared whole (no digest to collide), and the data is JSON, not pickle:
    reading the cache can never run code."""
    load_fresh(policy_copy)
    [entry] = entries(cache_home)
    key, _, text = _lines(entry)
    assert key == policy_cache.policy_key(policy_copy)
    assert (policy_copy / "fees.yaml").read_text("utf-8") == json.loads(key)["files"]["fees.yaml"]
    assert sorted(json.loads(text)) == sorted(policy_module.POLICY_FILES)


def test_two_policies_sharing_an_entry_name_are_not_mixed_up(
        policy_copy: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch, checks: list[Path]) -> None:
    monkeypatch.setattr(policy_cache, "_entry_name", lambda key: "policy-same.json")
    load_fresh(policy_copy)
    edit(policy_copy / "fees.yaml", MAIL_CHECK + "15000", MAIL_CHECK + "16000")
    assert load_fresh(policy_copy).fees["mail-check"].minimum == 16000
    assert len(checks) == 2
