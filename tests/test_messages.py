"""What people read: the rules' message catalogues, the source line under a diagnostic,
the command line in the operator's language, and the case schema's descriptions."""
from __future__ import annotations

import json
import os
import re
import string
from pathlib import Path

import pytest

from validator.diagnostics import Text
from validator.formatting import cell_width, count_of, describe_path
from validator.policy import load_policy
from validator.reporters import source_excerpt
from validator.rules import RULES
from validator.schema_docs import render_schema, schema_nodes, undescribed

from conftest import POLICY_DIR, REPO, run_cli, run_on_terminal

SCHEMA = REPO / "validator" / "schemas" / "case.schema.json"


# --- catalogues ----------------------------------------------------------------------------

def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_every_message_is_a_whole_sentence_in_both_languages(rule) -> None:  # type: ignore[no-untyped-def]
    """Each entry names its rule, has both languages with the same fields, and reads as a sentence."""
    for key, text in rule.messages.items():
        assert key == rule.code or key.startswith(f"{rule.code}."), key
        assert text.ja and text.en, key
        assert _fields(text.ja) == _fields(text.en), key
        assert text.ja.rstrip("」)").endswith(("。", "?", ")")) or "{" in text.ja[-12:], key
        assert text.en[0].isupper() or text.en[0] in "`{", key
        assert "(s)" not in text.en and "見積り" not in text.ja, key


def test_every_catalogue_entry_belongs_to_a_rule_of_its_module() -> None:
    """No orphan: a key of a module's MESSAGES names a rule that module defines."""
    import importlib

    for name in ("access", "credentials", "estimate", "payments", "scope", "structure", "timeline"):
        module = importlib.import_module(f"validator.rules.{name}")
        codes = {value.code for value in vars(module).values() if hasattr(value, "code") and hasattr(value, "messages")}
        codes |= {rule.code for rule in getattr(module, "STRUCTURE_RULES", ())}
        for key in module.MESSAGES:
            assert key.split(".", 1)[0] in codes, f"{name}: {key}"
        for code in module.DOCS_JA:
            assert code in codes, f"{name}: DOCS_JA[{code}]"


def test_case_rules_own_messages_and_gating_is_a_field() -> None:
    from validator.engine import GATING_CODES

    assert {"S001", "S002", "S003", "S007"} == GATING_CODES
    for rule in RULES:
        if rule.check_case is not None or rule.check_document is not None:
            assert rule.messages, f"{rule.code} says things but owns no messages"
    assert {rule.code for rule in RULES if rule.gates} == GATING_CODES
    assert [rule.code for rule in RULES if not rule.doc_ja] == []  # the Japanese reference explains each


def test_a_text_field_is_filled_per_language() -> None:
    sentence = Text(ja="{fee}の金額", en="The price of {fee}")
    filled = sentence.format(fee=Text(ja="データ修復", en="Repairing data"))
    assert filled == Text(ja="データ修復の金額", en="The price of Repairing data")


def test_counts_and_paths_read_as_people_say_them() -> None:
    one, other = Text(ja="{count}件", en="{count} error"), Text(ja="{count}件", en="{count} errors")
    assert count_of(1, one, other) == Text(ja="1件", en="1 error")
    assert count_of(1200, one, other) == Text(ja="1,200件", en="1,200 errors")
    assert describe_path(("payments", 0, "date")) == Text(ja="payments 1件目 > date", en="payments entry 1 > date")
    assert describe_path(("estimate", "items", 1, "amount")).en == "estimate > items entry 2 > amount"


# --- the source line and the caret ---------------------------------------------------------

def test_the_caret_stands_under_the_column_counting_wide_characters_twice() -> None:
    line, caret = source_excerpt("notes: 連絡済み: amount", 1, 13)
    assert line == "    1 | notes: 連絡済み: amount"
    # "notes: 連絡済み" is 7 narrow cells and 4 wide ones: the 13th character sits at cell 16.
    assert caret.index("^") - len("    1 | ") == cell_width("notes: 連絡済み") + 1 == 16


def test_a_secret_and_control_characters_are_never_echoed() -> None:
    line, caret = source_excerpt("notes: FTP pw: Tk7#pQ92xLm", 4, 16, secret_from=16)
    assert "Tk7" not in line and line.endswith("***")
    assert caret.index("^") == line.index("***")
    line, _ = source_excerpt("request: \x1b[31mred\x1b[0m\u202e", 1, 10)
    assert "\x1b" not in line and "\u202e" not in line and "\\x1b[31m" in line


def test_a_long_line_shows_a_window_around_the_column() -> None:
    text = "notes: " + "あ" * 300 + "X" + "い" * 300
    line, caret = source_excerpt(text, 1, 308)
    assert "X" in line and line.count("あ") < 100
    shown = line[len("    1 | "):]
    assert cell_width(shown[:shown.index("X")]) == caret.index("^") - len("      | ")


def test_show_source_on_request_and_the_a004_line_masked(tmp_path: Path) -> None:
    case = tmp_path / "c-1.yaml"
    case.write_text("id: c-1\nopened: 2026-11-02\ncustomer: {license: L-1, same_paypal_account: true}\n"
                    'product: paypal-automail\nnotes: "連絡済み FTP pw: Tk7#pQ92xLm"\ntriage: {date: 2026-11-03, outcome: payd}\n',
                    "utf-8")
    completed = run_cli("validate", str(case), "--as-of", "2026-11-28", "--lang", "en", "--show-source")
    assert "Tk7#pQ92xLm" not in completed.stdout
    lines = completed.stdout.splitlines()
    a004 = next(index for index, text in enumerate(lines) if " A004 " in text)
    assert lines[a004 + 1] == '    5 | notes: "連絡済み FTP pw: ***'
    assert lines[a004 + 2] == "      | " + " " * cell_width('notes: "連絡済み FTP pw: ') + "^"
    s003 = next(index for index, text in enumerate(lines) if " S003 " in text)
    assert lines[s003 + 1] == "    6 | triage: {date: 2026-11-03, outcome: payd}"
    assert lines[s003 + 2] == "      | " + " " * len("triage: {date: 2026-11-03, outcome: ") + "^"
    # A line the parser stopped on that holds a secret is masked for every diagnostic on it.
    case.write_text(case.read_text("utf-8").replace('"連絡済み FTP pw: Tk7#pQ92xLm"', "連絡済み FTP pw: Tk7#pQ92xLm"), "utf-8")
    broken = run_cli("validate", str(case), "--as-of", "2026-11-28", "--lang", "ja", "--show-source")
    assert " S001 " in broken.stdout and "Tk7#pQ92xLm" not in broken.stdout and "pw: ***" in broken.stdout
    plain = run_cli("validate", str(case), "--as-of", "2026-11-28", "--lang", "en")
    assert " | " not in plain.stdout  # not a terminal: no source lines unless asked


# --- the command line in the operator's language -------------------------------------------

@pytest.mark.parametrize("lang, words", [
    ("ja", ("使い方: support-policy validate", "オプション:", "このヘルプを表示して終了します")),
    ("en", ("usage: support-policy validate", "options:", "show this help message and exit")),
])
def test_help_follows_lang(lang: str, words: tuple[str, ...]) -> None:
    completed = run_cli("validate", "--help", "--lang", lang)
    assert completed.returncode == 0
    for word in words:
        assert word in completed.stdout


@pytest.mark.parametrize("locale, expected", [
    ("ja_JP.UTF-8", "--format に「xml」は使えません。次のいずれかです: github, json, junit, sarif, text"),
    ("en_US.UTF-8", "--format: invalid choice `xml` (choose from github, json, junit, sarif, text)"),
])
def test_usage_errors_follow_the_locale(locale: str, expected: str) -> None:
    completed = run_cli("validate", "--format", "xml", env={"LANG": locale, "LC_ALL": "", "LC_MESSAGES": ""})
    assert completed.returncode == 2 and expected in completed.stderr, completed.stderr


def test_path_errors_follow_lang() -> None:
    completed = run_cli("validate", "no-such-folder", "--lang", "ja")
    assert completed.returncode == 2
    assert completed.stderr == "support-policy: no-such-folder: そのようなファイルやフォルダーはありません。パスを確認してください。\n"


def test_policy_is_found_from_a_subfolder_and_cases_beside_it() -> None:
    completed = run_cli("validate", "--as-of", "2026-11-28", "--format", "json", cwd=REPO / "cases")
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert report["files"] == len(list((REPO / "cases").glob("*.yaml")))


def test_without_a_policy_above_the_message_says_how_to_point_at_it(tmp_path: Path) -> None:
    completed = run_cli("validate", "--lang", "ja", cwd=tmp_path)
    assert completed.returncode == 2
    assert "policy/ が見つかりません" in completed.stderr and "--policy DIR" in completed.stderr
    completed = run_cli("validate", "--lang", "en", cwd=tmp_path)
    assert "Cannot find the policy folder policy/" in completed.stderr and "--policy DIR" in completed.stderr


# --- the rule references --------------------------------------------------------------------

def test_the_japanese_rule_reference_is_generated_and_explains_every_rule() -> None:
    """RULES.ja.md is what `python -m validator.rule_reference --lang ja` writes."""
    from validator.rule_reference import render_rule_reference
    from validator.rules import HISTORY_CODES

    rendered = render_rule_reference("ja")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        (REPO / "RULES.ja.md").write_text(rendered, "utf-8")
    assert (REPO / "RULES.ja.md").read_text("utf-8") == rendered
    policy = load_policy(POLICY_DIR)
    for rule in RULES:
        section = rendered.split(f"\n## {rule.code} {rule.name}\n", 1)[1].split("\n## ", 1)[0]
        assert re.search("[ぁ-ん]", section.split("```", 1)[0]), rule.code
        assert "$" not in section.split("```", 1)[0], rule.code  # every parameter filled in
        if rule.code in HISTORY_CODES | {"S008"}:  # about git history or file names, not a file's content
            continue
        assert "```yaml" in section and "```text" in section, rule.code
    # The numbers come from policy/: the P006 explanation names the deadline of policy.yaml.
    assert f"{policy.parameters.balance_deadline_days}日以内" in rendered.split("## P006", 1)[1]


# --- the case schema's descriptions --------------------------------------------------------

def test_the_schema_file_is_written_from_its_descriptions() -> None:
    """case.schema.json is what `python -m validator.schema_docs` writes (run it after a change)."""
    text = SCHEMA.read_text("utf-8")
    assert render_schema(load_policy(POLICY_DIR), text) == text


def test_every_key_and_allowed_value_is_described_in_both_languages() -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    assert undescribed(schema) == []
    definitions = schema["$defs"]
    for path, node in schema_nodes(schema):
        assert re.search("[ぁ-んァ-ヶ一-龠]", node["markdownDescription"]), path
        assert re.search("[A-Za-z]{3}", node["markdownDescription"]), path
        target = definitions[node["$ref"].rsplit("/", 1)[-1]] if "enum" not in node and "$ref" in node else node
        if "enum" in target:
            assert len(target["markdownEnumDescriptions"]) == len(target["enum"]), path


def test_every_sample_case_carries_the_schema_line_and_vscode_maps_cases() -> None:
    for path in sorted((REPO / "cases").rglob("*.yaml")):
        first = path.read_text("utf-8").splitlines()[0]
        reference = first.removeprefix("# yaml-language-server: $schema=")
        assert reference != first, path
        assert (path.parent / reference).resolve() == SCHEMA.resolve(), path
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text("utf-8"))
    [(schema, globs)] = settings["yaml.schemas"].items()
    assert (REPO / schema).resolve() == SCHEMA.resolve() and "cases/**/*.yaml" in globs


def test_no_file_of_ours_spells_mitsumori_without_mo() -> None:
    """見積もり, the spelling the messages and the policy use; 見積り nowhere."""
    roots = [REPO / "validator", REPO / "policy", REPO / "cases", REPO / "tests" / "examples"]
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and path.suffix in {".py", ".yaml", ".yml", ".json", ".txt"}:
                if os.path.basename(path) == "search.yaml":  # the synonyms customers type, 見積り among them
                    continue
                assert "見積り" not in path.read_text("utf-8", errors="replace"), path


def test_a_terminal_shows_the_source_line_unless_told_not_to() -> None:
    example = "tests/examples/S003/s003-full-width-amount.yaml"
    shown = run_on_terminal("validate", example, "--as-of", "2026-11-28", "--lang", "ja")
    assert "   20 |     amount: ７５００\n      |             ^\n" in shown
    hidden = run_on_terminal("validate", example, "--as-of", "2026-11-28", "--no-show-source")
    assert "amount: ７５００" not in hidden and " S003 " in hidden
