"""What the command line says when it is used wrongly, pinned word for word in both languages.

Each row is a mistake an operator makes at the prompt; the last lines of standard error must
be exactly these, and each says how to fix it. A wording change is a reviewed diff here.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli

MISTAKES: list[tuple[tuple[str, ...], dict[str, list[str]]]] = [
    (("validate", "--jobs", "0"), {
        "ja": ["support-policy validate: エラー: --jobs: 「0」は使えません。プロセス数は1以上の整数で書いてください(例: --jobs 2)。",
               "使い方は「support-policy validate --help」で表示できます。"],
        "en": ["support-policy validate: error: argument --jobs: `0` cannot be used; give the number of processes "
               "as a whole number of 1 or more (e.g. --jobs 2).",
               "Run `support-policy validate --help` for the usage."]}),
    (("validate", "--as-of", "2026-13-01"), {
        "ja": ["support-policy validate: エラー: --as-of: 「2026-13-01」は日付ではありません。YYYY-MM-DDの形で書いてください"
               "(例: 2026-11-28)。",
               "使い方は「support-policy validate --help」で表示できます。"],
        "en": ["support-policy validate: error: argument --as-of: `2026-13-01` is not a date written YYYY-MM-DD "
               "(e.g. 2026-11-28).",
               "Run `support-policy validate --help` for the usage."]}),
    (("payments", "--min", "15,000"), {
        "ja": ["support-policy payments: エラー: --min: 「15,000」は金額ではありません。円単位の整数で、カンマなしで書いてください"
               "(例: 15000)。",
               "使い方は「support-policy payments --help」で表示できます。"],
        "en": ["support-policy payments: error: argument --min: `15,000` is not an amount; write whole yen without "
               "commas (e.g. 15000).",
               "Run `support-policy payments --help` for the usage."]}),
    (("validate", "nosuch.yaml"), {
        "ja": ["support-policy: nosuch.yaml: そのようなファイルやフォルダーはありません。パスを確認してください。"],
        "en": ["support-policy: nosuch.yaml: no such file or folder; check the path."]}),
    (("validate", "--cases", "cases"), {
        "ja": ["support-policy: --cases は --only-given と一緒に使います。検査するフォルダーは PATH として指定してください。"],
        "en": ["support-policy: --cases is for --only-given; give the folders to validate as PATHs."]}),
    (("today", "--drafts", "cases"), {
        "ja": ["support-policy: cases: 下書きの保存先が案件フォルダー cases の中です。案件フォルダーの外を指定してください。"],
        "en": ["support-policy: cases: the drafts folder is inside the case folder cases; choose a folder outside it."]}),
    (("validate", "/dev/null"), {
        "ja": ["support-policy: /dev/null: ファイルでもフォルダーでもありません。案件ファイルか、それを入れたフォルダーを指定してください。"],
        "en": ["support-policy: /dev/null: neither a file nor a folder; give a case file or a folder that holds case "
               "files."]}),
    (("today", "--drafts", "README.md"), {
        "ja": ["support-policy: README.md: 下書きを書けません(File exists)。フォルダーの書き込み権限と空き容量を確認してください。"],
        "en": ["support-policy: README.md: cannot write the drafts (File exists); check the folder's permissions and "
               "free space."]}),
    (("new", "bad id"), {
        "ja": ["support-policy: 「bad id」は案件idに使えません。英数字、- と _ だけで100文字以内にしてください(例: 2026-015)。"],
        "en": ["support-policy: `bad id` is not a valid case id: use letters, digits, - and _ only, at most 100 "
               "characters (e.g. 2026-015)."]}),
]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(("args", "said"), MISTAKES, ids=[" ".join(args) for args, _ in MISTAKES])
def test_a_usage_mistake_gets_the_pinned_words(args: tuple[str, ...], said: dict[str, list[str]], lang: str) -> None:
    completed = run_cli(*args, "--lang", lang)
    assert completed.returncode == 2
    assert completed.stdout == ""
    expected = said[lang]
    assert completed.stderr.splitlines()[-len(expected):] == expected


@pytest.mark.parametrize(("lang", "said"), [
    ("ja", "support-policy: ポリシーのフォルダー policy/ が見つかりません({folder} とその上のフォルダーを探しました)。"
           "リポジトリの一番上のフォルダーで実行するか、--policy DIR で場所を指定してください。"),
    ("en", "support-policy: Cannot find the policy folder policy/ (looked in {folder} and every folder above it). "
           "Run the command from the repository's top folder, or give the folder with --policy DIR."),
])
def test_no_policy_folder_says_how_to_point_at_one(tmp_path: Path, lang: str, said: str) -> None:
    completed = run_cli("validate", "--lang", lang, cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stderr == said.format(folder=tmp_path.resolve()) + "\n"


@pytest.mark.parametrize(("lang", "said"), [
    ("ja", "support-policy: ステップサマリー {path} に書き込めません: No such file or directory(検査の結果は変わりません。"
           "GITHUB_STEP_SUMMARY の指す場所を確認してください)"),
    ("en", "support-policy: cannot write the step summary {path}: No such file or directory (the result of the check "
           "stands; check where GITHUB_STEP_SUMMARY points)"),
])
def test_an_unwritable_step_summary_says_the_result_stands(tmp_path: Path, lang: str, said: str) -> None:
    summary = tmp_path / "no" / "such.md"
    completed = run_cli("validate", "tests/fixtures/reporting/cases", "--as-of", "2026-11-28", "--lang", lang,
                        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert completed.returncode == 1
    assert completed.stderr == said.format(path=summary) + "\n"
