"""The real site, built by ``mkdocs build --strict`` and looked at: both languages, the language
switch, hreflang, the sitemap, the search indexes, no network, nothing from cases/, and a
changed policy/ (a temporary copy) showing on both languages' pages.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import types
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from validator.formatting import format_date, format_yen
from validator.policy import load_policy
from validator.site import hooks, publish, search
from validator.site.render import PAGES, legal_rows, page_title, site_policy

from conftest import POLICY_DIR, REPO

LANGUAGE_ROOT = {"ja": "", "en": "en/"}
PAGE_PATHS = {page.id: "" if page.file == "index.md" else page.file.removesuffix(".md") + "/" for page in PAGES}
SITE_URL = "https://support.example.jp/"
POLICY = load_policy(POLICY_DIR)


def mkdocs(*args: str, config: Path = REPO / "mkdocs.yml", env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in (hooks.POLICY_VARIABLE, "SUPPORT_SITE_URL")}
    environment.update({"NO_MKDOCS_2_WARNING": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "mkdocs", *args, "--config-file", str(config)],
                          cwd=config.parent, env=environment, capture_output=True, text=True, timeout=120)


def build(site: Path, *, config: Path = REPO / "mkdocs.yml", env: dict[str, str] | None = None) -> Path:
    """Build the site into ``site`` with ``mkdocs build --strict``; no warning allowed."""
    completed = mkdocs("build", "--strict", "--site-dir", str(site), config=config, env=env)
    assert completed.returncode == 0, completed.stderr
    assert "WARNING" not in completed.stderr, completed.stderr
    return site


def page_html(site: Path, lang: str, page_id: str) -> str:
    return (site / LANGUAGE_ROOT[lang] / PAGE_PATHS[page_id] / "index.html").read_text("utf-8")


def page_url(lang: str, page_id: str) -> str:
    return SITE_URL + LANGUAGE_ROOT[lang] + PAGE_PATHS[page_id]


def text_of(html: str) -> str:
    """The visible text of the article, tags removed."""
    article = html.split('<article class="md-content__inner md-typeset">')[1].split("</article>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("real") / "site")


# --- both languages, the switch, hreflang, the sitemap -------------------------------------------------

@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page_id", list(PAGE_PATHS))
def test_every_page_exists_in_both_languages(site: Path, lang: str, page_id: str) -> None:
    html = page_html(site, lang, page_id)
    assert f'<html lang="{lang}"' in html
    assert f"<title>{page_title(page_id, POLICY, lang)} - {POLICY.title[lang]}</title>" in html
    assert "最終更新日" in html if lang == "ja" else "Last updated" in html


@pytest.mark.parametrize("lang, other", [("ja", "en"), ("en", "ja")])
@pytest.mark.parametrize("page_id", list(PAGE_PATHS))
def test_language_switch_and_hreflang_lead_to_the_same_page(site: Path, lang: str, other: str,
                                                             page_id: str) -> None:
    html = page_html(site, lang, page_id)
    here = page_url(lang, page_id)
    switch = dict(re.findall(r'<a href="([^"]*)" hreflang="([a-z]+)"(?: lang="[a-z]+")? class="md-select__link">', html))
    switch = {hreflang: href for href, hreflang in switch.items()}
    assert urljoin(here, switch[other]) == page_url(other, page_id)
    alternates = {hreflang: href for href, hreflang in
                  re.findall(r'<link rel="alternate" href="([^"]*)" hreflang="([a-z]+)">', html)}
    assert urljoin(here, alternates[other]) == page_url(other, page_id)
    assert urljoin(here, alternates[lang]) == here


def test_sitemap_lists_both_languages_with_alternates(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    # every page of ours (a page another module adds, such as the change history, may follow)
    assert set(locations) >= {page_url(lang, page_id) for lang in LANGUAGE_ROOT for page_id in PAGE_PATHS}
    for page_id in PAGE_PATHS:
        for lang in LANGUAGE_ROOT:
            assert f'hreflang="{lang}" href="{page_url(lang, page_id)}"' in sitemap


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_navigation_titles_are_translated(site: Path, lang: str) -> None:
    html = page_html(site, lang, "fees")
    navigation = html.split('<nav class="md-nav md-nav--primary"')[1]
    links = re.findall(r'<a href="([^"#]*)" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>',
                       navigation, re.DOTALL)
    ours = [page_title(page.id, POLICY, lang) for page in PAGES]
    assert [title for _, title in links if title in ours] == ours  # in site order; others may join


# --- the data on the pages ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["ja", "en"])
def test_fee_page_shows_every_fee(site: Path, lang: str) -> None:
    text = text_of(page_html(site, lang, "fees"))
    for fee in POLICY.fees.values():
        assert fee.name[lang] in text
        assert format_yen(fee.minimum, lang) in text
        assert format_yen(fee.minimum * POLICY.parameters.self_operated_multiplier, lang) in text


def test_flow_page_has_the_diagram_and_nine_steps(site: Path) -> None:
    html = page_html(site, "ja", "flow")
    assert html.count('class="sp-flow__step sp-flow__step--') == len(POLICY.steps) + 2  # + the legend
    for step in POLICY.steps:
        assert f'id="step-{step["number"]}"' in html


def test_legal_notice_page(site: Path) -> None:
    text = text_of(page_html(site, "ja", "legal"))
    for entry in POLICY.legal_notice:
        assert entry["label"]["ja"] in text


# --- search ----------------------------------------------------------------------------------------------

def test_one_search_index_per_language(site: Path) -> None:
    ja = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    en = json.loads((site / "en" / "search" / "search_index.json").read_text("utf-8"))
    # Japanese by script runs, without TinySegmenter (validator/site/search.py says why)
    assert ja["config"]["separator"] == search.JAPANESE_SEPARATOR and ja["config"]["lang"] == ["en"]
    assert en["config"]["lang"] == ["en"]
    assert not any(doc["location"].startswith("en/") for doc in ja["docs"] + en["docs"])
    assert any("返金" in doc["text"] for doc in ja["docs"]) and not any("返金" in doc["text"] for doc in en["docs"])
    assert not any("<svg" in doc["text"] or "sp-flow" in doc["text"] for doc in ja["docs"])  # diagram excluded
    assert '"base": "../../en/"' in page_html(site, "en", "fees")
    assert '"base": ".."' in page_html(site, "ja", "fees")


# --- offline and clean ------------------------------------------------------------------------------------------

def test_no_resource_is_loaded_from_the_network(site: Path) -> None:
    for path in site.rglob("*.html"):
        html = path.read_text("utf-8")
        for tag, _attribute, value in re.findall(r"<(script|link|img|iframe|source)\b[^>]*?\b(src|href)=\"([^\"]+)\"",
                                                html):
            is_resource = tag != "link" or not re.search(rf'rel="(canonical|alternate)"[^>]*{re.escape(value)}|'
                                                          rf'{re.escape(value)}[^>]*rel="(canonical|alternate)"',
                                                          html)
            if is_resource:
                assert not re.match(r"(https?:)?//", value), f"{path}: {tag} loads {value}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        assert "navigation.instant" not in html
    for path in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", path.read_text("utf-8")), path


def _case_strings(value: object) -> set[str]:
    """The distinctive texts of a case file: ids, references, free text (not enum words)."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*(_case_strings(item) for item in value))
    if not isinstance(value, str):
        return set()
    free_text = len(value) >= 12 and (" " in value or not value.isascii())
    reference = re.fullmatch(r"[A-Z]-\d+|\d{4}-\d{3}", value)
    return {value[:60]} if free_text or reference else set()


def test_nothing_from_cases_reaches_the_site(tmp_path: Path, site: Path) -> None:
    # the real build: no case file's name, id, reference or text anywhere in site/
    secrets: set[str] = set()
    for path in (REPO / "cases").rglob("*.y*ml"):
        secrets |= {path.stem} | _case_strings(yaml.safe_load(path.read_text("utf-8")))
    built = [path for path in site.rglob("*") if path.is_file()]
    assert not any("cases" in path.relative_to(site).parts for path in built)
    for path in built:
        if path.suffix in (".html", ".json", ".xml", ".js", ".css", ".txt"):
            content = path.read_text("utf-8")
            assert not [secret for secret in secrets if secret in content], path
    # and a build of the same configuration beside a case file full of sentinels
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("docs", "overrides", "policy", "validator"):
        (project / name).symlink_to(REPO / name)
    sentinel = "SENTINEL-CASE-7c1e9b"
    (project / "cases").mkdir()
    (project / "cases" / f"{sentinel}.yaml").write_text(
        f"id: {sentinel}\nopened: 2026-11-02\ncustomer: {{ref: {sentinel}, license: null, same_paypal_account: true}}\n"
        f"product: raku-affiliate\nnotes: password {sentinel}\n", "utf-8")
    built_site = build(tmp_path / "site", config=project / "mkdocs.yml")
    for path in built_site.rglob("*"):
        assert sentinel not in str(path)
        if path.is_file():
            assert sentinel.encode() not in path.read_bytes(), path


# --- a changed policy shows on every page in both languages ---------------------------------------------------

def test_changed_policy_shows_on_both_languages(tmp_path: Path, policy_copy: Path) -> None:
    before = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in POLICY_DIR.glob("*.yaml")}
    fees = policy_copy / "fees.yaml"
    first_fee = "name: {ja: サーバー移転, en: Moving to another server}\n    from: 20000"
    fees.write_text(fees.read_text("utf-8").replace(first_fee, first_fee.replace("20000", "24680")), "utf-8")
    meta = policy_copy / "policy.yaml"
    meta.write_text(meta.read_text("utf-8").replace("self_operated_multiplier: 10", "self_operated_multiplier: 8")
                    .replace("balance_deadline_days: 5", "balance_deadline_days: 7"), "utf-8")
    changed = load_policy(policy_copy)

    site = build(tmp_path / "site", env={hooks.POLICY_VARIABLE: str(policy_copy)})

    for lang in ("ja", "en"):
        fees_text = text_of(page_html(site, lang, "fees"))
        assert format_yen(24680, lang) in fees_text  # the fee
        assert format_yen(24680 * 8, lang) in fees_text  # the self-operated column
        assert format_yen(12340, lang) in fees_text  # the deposit in the worked example
        assert format_yen(200000, lang) not in fees_text  # no x10 left
        deadline_text = text_of(page_html(site, lang, "deadline"))
        assert format_date(changed.due_date(changed.effective), lang) in deadline_text
        assert ("7日以内" if lang == "ja" else "within 7 days") in text_of(page_html(site, lang, "flow"))
        assert ("7日以内" if lang == "ja" else "within 7 days") in text_of(page_html(site, lang, "legal"))
    assert before == {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in POLICY_DIR.glob("*.yaml")}


# --- the hook: a bad stub fails the build, serve watches policy/ -----------------------------------------------

def test_a_stub_with_content_fails_the_build(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("overrides", "policy", "validator"):
        (project / name).symlink_to(REPO / name)
    (project / "docs" / "fees.md").write_text("---\npage: fees\n---\n20,000円\n", "utf-8")
    completed = mkdocs("build", "--strict", "--site-dir", str(tmp_path / "site"), config=project / "mkdocs.yml")
    assert completed.returncode != 0
    assert "fees.md: a page stub holds front matter only" in completed.stderr


def test_serve_watches_the_policy_folder(policy_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    watched: list[str] = []
    server = types.SimpleNamespace(watch=watched.append)
    config = types.SimpleNamespace(config_file_path=str(REPO / "mkdocs.yml"))
    hooks.on_serve(server, config=config, builder=None)  # type: ignore[arg-type]
    assert watched == [str(POLICY_DIR.resolve())]
    monkeypatch.setenv(hooks.POLICY_VARIABLE, str(policy_copy))
    hooks.on_serve(server, config=config, builder=None)  # type: ignore[arg-type]
    assert watched[-1] == str(policy_copy.resolve())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def test_serve_rebuilds_when_the_policy_changes(policy_copy: Path) -> None:
    port = _free_port()
    environment = {**os.environ, hooks.POLICY_VARIABLE: str(policy_copy), "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=REPO, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, encoding="utf-8", errors="replace")
    # Wait for what the server says it did, not for a clock: a busy machine is only slower.
    # The watchdog only ends a server that hangs, so that the test fails instead of waiting forever.
    watchdog = threading.Timer(600, server.kill)
    watchdog.start()

    def wait_for(words: str) -> None:
        assert server.stderr is not None
        for line in server.stderr:
            if words in line:
                return
        pytest.fail(f"mkdocs serve stopped before it said {words!r}")

    fees = policy_copy / "fees.yaml"
    changed = fees.read_text("utf-8").replace("from: 30000", "from: 31234")
    changed_seen = threading.Event()

    def change_until_seen() -> None:
        # A change made while the server still starts its watcher, or while a build runs, can
        # go unnoticed: make it again until the page shows it (the watchdog bounds the wait).
        while not changed_seen.is_set():
            fees.write_text(changed, "utf-8")
            changed_seen.wait(1)

    changer = threading.Thread(target=change_until_seen, daemon=True)
    try:
        url = f"http://127.0.0.1:{port}/fees/"
        wait_for("Serving on")
        assert "20,000円" in _fetch(url)
        changer.start()
        wait_for("Detected file changes")
        while True:
            wait_for("Documentation built")
            if "31,234円" in _fetch(url):
                break
        changed_seen.set()
        assert "31,234" in _fetch(f"http://127.0.0.1:{port}/en/fees/")
    finally:
        changed_seen.set()
        watchdog.cancel()
        server.terminate()
        server.wait(timeout=60)
        if server.stderr is not None:
            server.stderr.close()


# --- release 2: the publish guard, the sample banner, 404 pages, footer, legal rows in search ------------------



def test_publish_build_refuses_the_sample_placeholders(tmp_path: Path) -> None:
    completed = mkdocs("build", "--strict", "--site-dir", str(tmp_path / "site"),
                       env={publish.PUBLISH_VARIABLE: "1", "SUPPORT_SITE_URL": "https://support.example.com/"})
    assert completed.returncode != 0
    placeholder = publish.find_placeholders(POLICY_DIR)[0]
    assert f"{placeholder.path}:{placeholder.line}:{placeholder.column}" in completed.stderr
    assert "legal.yaml:" in completed.stderr and "contact.yaml:" in completed.stderr
    assert "仮の値" in completed.stderr and "cannot be published" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def _filled(policy_copy: Path) -> Path:
    """The copy of policy/ with every placeholder replaced, as the operator would."""
    for path in policy_copy.glob("*.yaml"):
        text = path.read_text("utf-8").replace("【要記入】", "").replace("[to fill in] ", "")
        path.write_text(text.replace("example.jp", "vendor.example.com"), "utf-8")
    return policy_copy


def test_publish_build_of_a_filled_policy_has_no_banner(tmp_path: Path, policy_copy: Path) -> None:
    env = {publish.PUBLISH_VARIABLE: "1", "SUPPORT_SITE_URL": "https://support.vendor.example.com/",
           hooks.POLICY_VARIABLE: str(_filled(policy_copy))}
    site = build(tmp_path / "site", env=env)
    for lang in LANGUAGE_ROOT:
        html = page_html(site, lang, "legal")
        assert 'class="sp-banner"' not in html and "md-banner" not in html
        assert "https://vendor.example.com/inquiry/" in page_html(site, lang, "contact")
    # the same guard refuses the address of the sample site
    completed = mkdocs("build", "--strict", "--site-dir", str(tmp_path / "again"),
                       env={**env, "SUPPORT_SITE_URL": "https://support.example.jp/"})
    assert completed.returncode != 0 and "SUPPORT_SITE_URL" in completed.stderr


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sample_build_shows_the_sample_banner_and_the_footer(site: Path, lang: str) -> None:
    for page_id in PAGE_PATHS:
        html = page_html(site, lang, page_id)
        assert 'class="sp-banner"' in html
        footer = html.split('<footer class="md-footer">')[1]
        assert POLICY.version in footer and format_date(POLICY.effective, lang) in footer
        assert page_title("contact", POLICY, lang) in footer and page_title("privacy", POLICY, lang) in footer


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_404_page_in_each_language(site: Path, lang: str) -> None:
    html = (site / LANGUAGE_ROOT[lang] / "404.html").read_text("utf-8")
    assert f'<html lang="{lang}"' in html
    assert ("ページが見つかりません" if lang == "ja" else "Page not found") in html
    switch = dict(re.findall(r'<a href="([^"]*)" hreflang="([a-z]+)"', html))
    assert set(switch) == {"/", "/en/"}  # the other language's home page, not a page of its own


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_links_the_contact_page_in_the_navigation(site: Path, lang: str) -> None:
    for page_id in PAGE_PATHS:
        navigation = page_html(site, lang, page_id).split('<nav class="md-nav md-nav--primary"')[1].split(
            'class="md-sidebar md-sidebar--secondary"')[0]
        assert page_title("contact", POLICY, lang) in navigation


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_search_indexes_the_legal_notice_row_by_row(site: Path, lang: str) -> None:
    index = json.loads((site / LANGUAGE_ROOT[lang] / "search" / "search_index.json").read_text("utf-8"))
    legal = [doc for doc in index["docs"] if doc["location"].startswith("legal/")]
    rows = legal_rows(POLICY, lang)
    assert [doc["location"] for doc in legal[-len(rows):]] == [f"legal/#{field}" for field, _, _ in rows]
    page = next(doc for doc in legal if doc["location"] == "legal/")
    assert rows[0][1] not in page["text"]  # the table itself is not one more big entry
    assert site_policy(POLICY).contact["email"] in " ".join(doc["text"] for doc in legal)
    for field, _, _ in rows:
        assert f'id="{field}"' in page_html(site, lang, "legal")


def test_ci_builds_main_for_publishing() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    build_step = next(step for step in workflow["jobs"]["site"]["steps"] if "mkdocs build" in step.get("run", ""))
    guard = build_step["env"][publish.PUBLISH_VARIABLE]
    assert "refs/heads/main" in guard and "'1'" in guard


# A mistake in one of the site's own policy files: the build stops, naming the file and the
# place in Japanese and in English, with no traceback (the label is only needed mid-build).
BROKEN_SITE_FILES = [
    ("labels.yaml", "  fee-work: {ja: 作業, en: Work}\n", "",
     "サイトに必要なラベル「fee-work」がありません", "the site needs the label 'fee-work'"),
    ("faq.yaml", "also: [balance-deadline]", "also: [balance-dedline]",
     "条項 'balance-dedline' はありません", "unknown clause 'balance-dedline'"),
    ("contact.yaml", "contact:\n", "extra: 1\ncontact:\n",
     "「extra」は使えないキーです", "`extra` is not a known key"),
]


@pytest.mark.parametrize(("name", "old", "new", "japanese", "english"), BROKEN_SITE_FILES,
                         ids=[case[0] for case in BROKEN_SITE_FILES])
def test_a_broken_site_file_stops_the_build_in_both_languages(policy_copy: Path, tmp_path: Path, name: str,
                                                              old: str, new: str, japanese: str,
                                                              english: str) -> None:
    path = policy_copy / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    completed = mkdocs("build", "--strict", "--site-dir", str(tmp_path / "site"),
                       env={hooks.POLICY_VARIABLE: str(policy_copy)})
    assert completed.returncode != 0
    assert f"{path}" in completed.stderr and japanese in completed.stderr and english in completed.stderr, \
        completed.stderr
    assert "Traceback" not in completed.stderr
