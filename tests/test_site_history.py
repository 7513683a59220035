"""The change-history page (改定履歴 / Change history): rendered from policy/history.yaml, and
in the real ``mkdocs build --strict`` of a policy copy with two versions, in both languages."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_policy_versions import make_version_2
from test_site_build import build, text_of

from validator.policy import load_policy
from validator.site import history

from conftest import POLICY_DIR

ROOT = {"ja": "", "en": "en/"}


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    policy = tmp_path_factory.mktemp("versions") / "policy"
    policy.mkdir()
    for source in POLICY_DIR.glob("*.yaml"):
        (policy / source.name).write_bytes(source.read_bytes())
    make_version_2(policy)
    return policy


def test_the_changed_terms_are_computed_from_the_two_versions(two_versions: Path) -> None:
    policy = load_policy(two_versions)
    old, new = policy.history
    assert history.changed_terms(policy, old, new, "ja") == [
        ("作業開始前のお支払い(内金)", "料金の半額", "料金の3分の2"),
        ("残金のお支払い期限", "終了のお知らせから5日以内", "終了のお知らせから10日以内"),
        ("ご自身で操作する場合の料金", "料金の目安の10倍", "料金の目安の12倍"),
        ("メール送信の調査", "15,000円〜", "18,000円〜")]
    assert history.changed_terms(policy, old, new, "en")[0] == ("Deposit before the work", "Half of the fee", "2/3 of the fee")
    assert history.changed_terms(policy, old, old, "en") == []


def test_the_newest_version_comes_first_and_the_oldest_has_no_table(two_versions: Path) -> None:
    markdown = history.render_history(load_policy(two_versions), "en")
    current = markdown.index("## Version 2.0.0 (from January 1, 2027, current) {#version-2-0-0}")
    oldest = markdown.index("## Version 1.0.0 (from November 1, 2026) {#version-1-0-0}")
    assert current < oldest
    assert markdown.count("| Term | Before | After |") == 1
    assert markdown.startswith("A request is handled under the version in force on its estimate date.")


@pytest.fixture(scope="module")
def site(two_versions: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("history") / "site", env={"SUPPORT_POLICY_DIR": str(two_versions)})


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_built_page_shows_both_versions_and_the_changes(site: Path, lang: str) -> None:
    html = (site / ROOT[lang] / "history" / "index.html").read_text("utf-8")
    title = history.page_title(load_policy(POLICY_DIR), lang)
    assert f'<html lang="{lang}"' in html and f"<title>{title} - " in html
    text = text_of(html)
    if lang == "ja":
        assert "バージョン 2.0.0(2027年1月1日から、現在の版)" in text
        assert "バージョン 1.0.0(2026年11月1日から)" in text
        assert "残金の期限を10日に延ばし" in text and "初版。" in text
        assert "残金のお支払い期限 終了のお知らせから5日以内 終了のお知らせから10日以内" in text
        assert "メール送信の調査 15,000円〜 18,000円〜" in text
    else:
        assert "Version 2.0.0 (from January 1, 2027, current)" in text
        assert "Version 1.0.0 (from November 1, 2026)" in text
        assert "Deposit before the work Half of the fee 2/3 of the fee" in text
        assert "Investigating mail delivery from ¥15,000 from ¥18,000" in text
        assert text.index("Version 2.0.0") < text.index("Version 1.0.0")
    assert 'id="version-2-0-0"' in html and 'id="version-1-0-0"' in html
    other = "en" if lang == "ja" else "ja"
    assert f'hreflang="{other}"' in html


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_links_to_the_history_in_its_navigation(site: Path, lang: str) -> None:
    html = (site / ROOT[lang] / "fees" / "index.html").read_text("utf-8")
    assert history.page_title(load_policy(POLICY_DIR), lang) in html
    assert re.search(r'href="(\.\./)?history/"', html)


def test_the_real_policy_has_one_version(tmp_path: Path) -> None:
    markdown = history.render_history_page(load_policy(POLICY_DIR), "ja")
    assert markdown.count("\n## ") == 1 and "現在の版" in markdown
