"""The site's render functions: policy + language -> Markdown, every number from the policy.

Each function is checked on the real policy and, where a number is involved, on a copy of
policy/ with that number changed: the page must follow the data, in both languages.
"""
from __future__ import annotations

import ast
import datetime as dt
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import markdown
import pytest

from validator.formatting import format_date, format_yen
from validator.policy import Policy, PolicyError, load_policy
from validator.site import history, publish, render, search
from validator.site.render import (
    PAGE_BY_ID,
    PAGES,
    estimator_data,
    label,
    legal_rows,
    mark_japanese,
    md,
    page_title,
    plain_text,
    render_clause,
    render_clause_admonition,
    render_contact_box,
    render_contents,
    render_due_date_example,
    render_estimator,
    render_fee_table,
    render_flow_diagram,
    render_flow_steps,
    render_last_updated,
    render_legal_notice,
    render_page,
    render_payment_example,
    render_product_help,
    render_products_table,
    site_name,
    site_policy,
    template_data,
)

from conftest import POLICY_DIR, REPO

LANGUAGES = ("ja", "en")
DOCS = REPO / "docs"


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(POLICY_DIR)


FIRST_FEE = "name: {ja: サーバー移転, en: Moving to another server}\n    from: 20000"


def changed_policy(policy_copy: Path, *edits: tuple[str, str, str]) -> Policy:
    """The copy of policy/ with each (file, old, new) edit made (the real one is never touched).

    Load it once, after every edit: ``load_policy`` caches by folder.
    """
    for file, old, new in edits:
        path = policy_copy / file
        text = path.read_text("utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {file}"
        path.write_text(text.replace(old, new), "utf-8")
    return load_policy(policy_copy)


def first_fee(amount: int) -> tuple[str, str, str]:
    """The edit that makes the first fee (server-move, 20,000 yen) cost ``amount``."""
    return "fees.yaml", FIRST_FEE, FIRST_FEE.replace("20000", str(amount))


def parameter(name: str, old: int, new: int) -> tuple[str, str, str]:
    """The edit that changes a parameter of policy.yaml."""
    return "policy.yaml", f"{name}: {old}", f"{name}: {new}"


def to_html(markdown_text: str) -> str:
    """Markdown as the site renders it (the extensions of mkdocs.yml)."""
    return str(markdown.markdown(markdown_text, extensions=["admonition", "attr_list", "tables", "toc"]))


def untagged(markup: str) -> str:
    """Rendered Markdown without its inline HTML tags (amount spans, row anchors)."""
    return re.sub(r"<[^>]+>", "", markup)


def table_rows(markdown_text: str) -> list[list[str]]:
    return [[untagged(cell).strip() for cell in line.strip("|").split("|")]
            for line in markdown_text.splitlines() if line.startswith("|")][2:]


# --- labels and Markdown escaping ---------------------------------------------------------

def test_every_label_is_in_both_languages_with_the_same_fields(policy: Policy) -> None:
    labels = site_policy(policy).labels
    assert len(labels) > 50
    for key, texts in labels.items():
        assert set(texts) == set(LANGUAGES), key
        fields = [set(re.findall(r"\{(\w+)\}", texts[lang])) for lang in LANGUAGES]
        assert fields[0] == fields[1], key


def test_label_fills_its_fields(policy: Policy) -> None:
    assert label(policy, "note-heading", "ja", number=1, title="アカウントの保護") == "※1 アカウントの保護"
    assert label(policy, "note-heading", "en", number=1, title="Protecting") == "Note 1: Protecting"


def test_the_site_words_are_read_from_the_policy_folder(policy_copy: Path) -> None:
    labels = policy_copy / "labels.yaml"
    labels.write_text(labels.read_text("utf-8").replace("{ja: 作業, en: Work}", "{ja: ご依頼の作業, en: Task}"), "utf-8")
    changed = load_policy(policy_copy)
    assert "ご依頼の作業" in render_fee_table(changed, "ja") and "| Task |" in render_fee_table(changed, "en")


# A broken labels.yaml: the site build stops at the line and column of the mistake.
BROKEN_LABELS = [
    ("{ja: 作業, en: Work}", "{ja: 作業}", "labels > fee-work", "a translation is missing: en"),
    ("en: Within {days} days of the completion", "en: Within a few days of the completion", "after-completion.en",
     "must be the same as in ja (days)"),
    ('en: "Step {number}: {title}"', 'en: "Step {number}: {titel}"', "step-link.en", "(number, title)"),
    ("ja: ※{number}\n", "ja: ※{number\n", "note.ja", "write a field as {name}"),
    ("  fee-work: {ja: 作業, en: Work}", "  Fee_Work: {ja: 作業, en: Work}", "Fee_Work",
     "cannot be a name here: start with a lowercase letter"),
    ("{ja: 作業, en: Work}", "{ja: 作業, EN: Work}", "`EN` is no language key", "such as ja or en"),
]


@pytest.mark.parametrize("old, new, where, message", BROKEN_LABELS)
def test_a_broken_label_is_reported_where_it_is(policy_copy: Path, old: str, new: str, where: str,
                                                 message: str) -> None:
    labels = policy_copy / "labels.yaml"
    text = labels.read_text("utf-8")
    assert old in text
    labels.write_text(text.replace(old, new, 1), "utf-8")
    line = text[:text.index(old)].count("\n") + 1 + (1 if old.startswith("\n") else 0)
    with pytest.raises(PolicyError) as raised:
        site_policy(load_policy(policy_copy))
    assert f"labels.yaml:{line}:" in str(raised.value) and where in str(raised.value), raised.value
    assert message in str(raised.value), raised.value


def test_a_label_the_site_needs_and_the_file_lacks_is_named(policy_copy: Path) -> None:
    labels = policy_copy / "labels.yaml"
    text = labels.read_text("utf-8")
    labels.write_text("\n".join(line for line in text.splitlines() if not line.startswith("  fee-work:")), "utf-8")
    with pytest.raises(PolicyError, match=r"labels\.yaml: the site needs the label 'fee-work'"):
        render_fee_table(load_policy(policy_copy), "ja")


@pytest.mark.parametrize("text", ["[to fill in] Seller's name", "a*b_c", "<script>", "x | y", "# not a heading",
                                  "{#id}", "Q&A", "![image](x)", "`code`"])
def test_md_keeps_policy_text_literal(text: str) -> None:
    html = to_html(md(text))
    assert html.startswith("<p>") and "<script>" not in html and "<a " not in html and "<img" not in html
    assert re.sub(r"<[^>]+>", "", html).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") == text


# --- clauses ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_render_clause_uses_the_clause_id_as_anchor_and_lists_items(policy: Policy, lang: str) -> None:
    text = render_clause(policy, "no-receipts", lang)
    clause = policy.clause("no-receipts")
    assert text.startswith(f"## {clause['title'][lang]} {{#no-receipts}}")
    assert policy.text(clause["text"], lang) in text
    for item in clause["items"]:
        assert f"- {md(item[lang])}" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_render_clause_marks_notes(policy: Policy, lang: str) -> None:
    text = render_clause(policy, "balance-deadline", lang)
    assert text.startswith("## " + ("※3 " if lang == "ja" else "Note 3: "))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_render_clause_admonition_is_a_titled_box(policy: Policy, lang: str) -> None:
    text = render_clause_admonition(policy, "self-help", lang, "info")
    assert text.startswith(f'!!! info "{policy.clause("self-help")["title"][lang]}"')
    assert 'class="admonition info"' in to_html(text)


def test_clause_texts_have_their_parameters_filled(policy_copy: Path) -> None:
    policy = changed_policy(policy_copy, parameter("self_operated_multiplier", 10, 12))
    assert "サポート料金の表の12倍" in render_clause(policy, "self-operated", "ja")
    assert "about 12 times the fee guide" in render_clause(policy, "self-operated", "en")


# --- fees and payments --------------------------------------------------------------------------

def test_fee_table_in_japanese(policy: Policy) -> None:
    rows = table_rows(render_fee_table(policy, "ja"))
    assert rows[0] == ["サーバー移転", "20,000円〜", "200,000円〜"]
    assert [row[0] for row in rows] == [fee.name["ja"] for fee in policy.fees.values()]
    assert "ご自身で操作される場合(10倍)" in render_fee_table(policy, "ja").splitlines()[0]


def test_fee_table_in_english(policy: Policy) -> None:
    rows = table_rows(render_fee_table(policy, "en"))
    assert rows[0] == ["Moving to another server", "from ¥20,000", "from ¥200,000"]
    assert len(rows) == len(policy.fees)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fee_table_follows_fees_and_multiplier(policy_copy: Path, lang: str) -> None:
    policy = changed_policy(policy_copy, first_fee(23456), parameter("self_operated_multiplier", 10, 7))
    text = render_fee_table(policy, lang)
    assert format_yen(23456, lang) in text and format_yen(23456 * 7, lang) in text
    assert render_fee_table(load_policy(POLICY_DIR), lang).count(format_yen(20000, lang)) == 2
    assert text.count(format_yen(20000, lang)) == 1  # paypal-check is unchanged


def test_payment_example_shows_deposit_and_balance(policy: Policy) -> None:
    text = untagged(render_payment_example(policy, "ja"))
    assert text.startswith("サーバー移転(料金の目安 20,000円)の場合:")
    rows = table_rows(text)
    assert rows == [["内金", "10,000円", "10,000円"], ["全額前払いの場合", "20,000円", "0円"]]
    assert "終了のお知らせから5日以内" in text
    assert text.endswith("ご自身で操作する場合の目安: 200,000円")


def test_payment_example_rounds_the_deposit_up(policy_copy: Path) -> None:
    policy = changed_policy(policy_copy, first_fee(20001), parameter("denominator", 2, 3),
                            parameter("balance_deadline_days", 5, 7))
    rows = table_rows(render_payment_example(policy, "en"))
    assert rows[0] == ["Deposit", "¥6,667", "¥13,334"]
    assert "Within 7 days of the completion notice" in render_payment_example(policy, "en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_due_date_example(policy: Policy, lang: str) -> None:
    rows = table_rows(render_due_date_example(policy, lang))
    due = policy.effective + dt.timedelta(days=5)
    assert rows == [[format_date(policy.effective, lang), f"**{format_date(due, lang)}**"]]
    assert rows[0][0] == ("2026年11月1日" if lang == "ja" else "November 1, 2026")


def test_due_date_example_follows_the_deadline(policy_copy: Path) -> None:
    policy = changed_policy(policy_copy, parameter("balance_deadline_days", 5, 10))
    assert "**2026年11月11日**" in render_due_date_example(policy, "ja")
    assert "**November 11, 2026**" in render_due_date_example(policy, "en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_legal_notice_has_every_field(policy: Policy, lang: str) -> None:
    rows = table_rows(render_legal_notice(policy, lang))
    assert [row[0] for row in rows] == [entry["label"][lang] for entry in policy.legal_notice]
    values = dict((row[0], row[1]) for row in rows)
    label_of = {entry["id"]: entry["label"][lang] for entry in policy.legal_notice}
    assert "(fees.md)" in values[label_of["price"]]
    assert values[label_of["refunds"]] == md(policy.text(policy.clause("non-refundable")["text"], lang))
    timing = values[label_of["payment-timing"]]
    assert ("半額" if lang == "ja" else "Half") in timing and "5" in timing
    assert ("【要記入】" if lang == "ja" else r"\[to fill in\]") in values[label_of["seller"]]


def test_legal_notice_follows_the_deadline(policy_copy: Path) -> None:
    policy = changed_policy(policy_copy, parameter("balance_deadline_days", 5, 9))
    assert "サポート終了のお知らせから9日以内" in render_legal_notice(policy, "ja")


# --- the flow ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_flow_steps_are_the_nine_steps_with_notes(policy: Policy, lang: str) -> None:
    text = render_flow_steps(policy, lang)
    headings = re.findall(r"^## (\d+)\. (.+) \{#step-(\d+)\}$", text, re.MULTILINE)
    assert [(int(n), title) for n, title, _ in headings] == [
        (step["number"], step["title"][lang]) for step in policy.steps]
    assert all(n == anchor for n, _, anchor in headings)
    assert text.count("sp-actor--customer") == sum(step["actor"] == "customer" for step in policy.steps)
    assert "(accounts.md#secure-credentials)" in text and "(accounts.md#remove-api-signature)" in text
    assert "(deadline.md#balance-deadline)" in text
    assert "{" not in re.sub(r"\{#step-\d+\}", "", text)  # every placeholder filled


@pytest.mark.parametrize("lang", LANGUAGES)
def test_flow_diagram_is_an_svg_with_a_box_per_step(policy: Policy, lang: str) -> None:
    figure = ElementTree.fromstring(render_flow_diagram(policy, lang))
    assert figure.tag == "figure" and "data-search-exclude" in figure.attrib
    svg = figure[0]
    namespace = "{http://www.w3.org/2000/svg}"
    steps = [group for group in svg.iter(f"{namespace}g")
             if "sp-flow__step" in group.get("class", "") and group.find(f"{namespace}circle") is not None]
    assert len(steps) == len(policy.steps)
    for group, step in zip(steps, policy.steps, strict=True):
        assert f"sp-flow__step--{step['actor']}" in group.get("class", "")
        title_element = group.find(f"{namespace}text[@class='sp-flow__title']")
        assert title_element is not None
        title = "".join(title_element.itertext())
        assert title.replace(" ", "") == step["title"][lang].replace(" ", "")
    arrows = [path for path in svg.iter(f"{namespace}path") if path.get("class") == "sp-flow__arrow"]
    assert len(arrows) == len(policy.steps) - 1


def test_flow_diagram_wraps_long_titles_inside_the_box() -> None:
    lines = render._wrap("Sending the account details; work starts", 18)
    assert len(lines) == 2 and all(render._text_width(line) <= 18 for line in lines)
    assert render._wrap("アカウント情報のお知らせと作業開始", 10) == ["アカウント情報のお知", "らせと作業開始"]


# --- accounts, dates, pages ------------------------------------------------------------------------------

def test_products_table(policy: Policy) -> None:
    assert table_rows(render_products_table(policy, "ja")) == [
        ["楽アフィリエイト", "必要", "必要"], ["PayPalオートメール", "必要", "不要"]]
    assert table_rows(render_products_table(policy, "en"))[1][2] == "Not needed"


def test_last_updated(policy: Policy) -> None:
    assert "最終更新日: 2026年11月1日(バージョン 1.0.0)" in render_last_updated(policy, "ja")
    assert "Last updated: November 1, 2026 (version 1.0.0)" in render_last_updated(policy, "en")


def test_site_name_is_the_policy_title(policy: Policy) -> None:
    assert site_name(policy, "ja") == "個別技術サポート"
    assert site_name(policy, "en") == "Individual technical support"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_contents_links_every_other_page(policy: Policy, lang: str) -> None:
    links = re.findall(r"\[(.+?)\]\((.+?)\)", render_contents(policy, lang))
    assert links == [*((page_title(page.id, policy, lang), page.file) for page in PAGES[1:]),
                     (history.page_title(policy, lang), render.HISTORY_FILE)]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page_id", list(PAGE_BY_ID))
def test_every_page_renders_with_working_links(policy: Policy, page_id: str, lang: str) -> None:
    text = render_page(page_id, policy, lang)
    assert text.startswith("# ") and render_last_updated(policy, lang) in text
    assert not re.search(r"\{[a-z_]+\}", text)  # no placeholder left unfilled
    html = to_html(text)
    for target, anchor in re.findall(r'href="([a-z-]+\.md)(?:#([a-z0-9-]+))?"', html):
        assert (DOCS / target).is_file()
        if target == render.HISTORY_FILE:  # rendered by validator/site/history.py
            assert not anchor
            continue
        target_id = next(page.id for page in PAGES if page.file == target)
        if anchor:
            assert f'id="{anchor}"' in to_html(render_page(target_id, policy, lang)), (target, anchor)


def test_pages_differ_by_language_and_share_their_anchors(policy: Policy) -> None:
    for page in PAGES:
        ja, en = (render_page(page.id, policy, lang) for lang in LANGUAGES)
        assert ja != en
        assert re.findall(r"\{#([a-z0-9-]+)\}", ja) == re.findall(r"\{#([a-z0-9-]+)\}", en)


def test_every_clause_has_a_page(policy: Policy) -> None:
    rendered = {clause for page in PAGES for clause in page.clauses}
    assert {clause["id"] for clause in policy.clauses} <= rendered


# --- the stubs in docs/ ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page_id", list(PAGE_BY_ID))
def test_docs_hold_a_front_matter_stub_per_page_and_language(page_id: str) -> None:
    page = PAGE_BY_ID[page_id]
    for suffix in ("", ".en"):
        stub = DOCS / page.file.replace(".md", f"{suffix}.md")
        assert stub.read_text("utf-8") == f"---\npage: {page_id}\n---\n"


def test_docs_hold_nothing_but_the_stubs_and_assets() -> None:
    files = [page.file for page in PAGES] + ["history.md"]  # the change history: validator/site/history.py
    stubs = {file.replace(".md", suffix) for file in files for suffix in (".md", ".en.md")}
    markdown_files = {path.name for path in DOCS.rglob("*.md")}
    assert markdown_files == stubs


# --- search ---------------------------------------------------------------------------------------------------------------

def test_split_search_index_per_language() -> None:
    merged = {"config": {"lang": ["ja", "en"], "separator": "x", "pipeline": [], "fields": {"title": {}}},
              "docs": [{"location": "", "title": "ja", "text": ""},
                       {"location": "fees/#deposit", "title": "ja", "text": ""},
                       {"location": "en/", "title": "en", "text": ""},
                       {"location": "en/fees/#deposit", "title": "en", "text": ""}]}
    indexes = search.split_search_index(merged, {"ja": "", "en": "en"})
    assert [doc["location"] for doc in indexes["ja"]["docs"]] == ["", "fees/#deposit"]
    assert [doc["location"] for doc in indexes["en"]["docs"]] == ["", "fees/#deposit"]
    assert indexes["ja"]["config"]["separator"] == search.JAPANESE_SEPARATOR
    assert indexes["en"]["config"]["lang"] == ["en"] and indexes["en"]["config"]["fields"] == {"title": {}}


def test_japanese_separator_cuts_where_the_script_changes() -> None:
    separator = re.compile(search.JAPANESE_SEPARATOR)

    def tokens(text: str) -> list[str]:
        return [token for token in separator.split(text) if token]
    assert tokens("API署名の削除") == ["API", "署名", "削除"]
    assert tokens("5日以内にお支払いください。") == ["日以内", "にお", "支払", "いください"]
    assert tokens("一時アカウント") == ["一時", "アカウント"]
    assert tokens("PayPalオートメール、楽アフィリエイト") == ["PayPal", "オートメール", "アフィリエイト"]
    # a kanji alone keeps the kana that inflect it; a kana or character alone is never a term
    assert tokens("サポートの流れが変わります") == ["サポート", "流れが", "変わります"]
    assert tokens("お金は返してもらえますか") == ["金は", "返してもらえますか"]
    assert not [token for token in tokens("特定商取引法に基づく表示。の、は、を ※1 a") if len(token) < 2]


def test_english_separator_drops_one_character_terms() -> None:
    separator = re.compile(search.ENGLISH_SEPARATOR)
    assert [token for token in separator.split("is my password safe, i ask 5 days") if token] == [
        "is", "my", "password", "safe,", "ask", "days"]


def test_localize_search_base_points_at_the_language_folder() -> None:
    page = ('<script id="__config" type="application/json">{"base": "../..", "search": "x.js", '
            '"translations": {"a": "\\u003c/script>"}}</script>')
    out = search.localize_search_base(page, "en")
    assert '"base": "../../en/"' in out and '"search": "x.js"' in out
    assert out.count("</script>") == 1  # JSON stays safe inside the script element


# --- release 2: contact, legal notice, FAQ, privacy, estimator, fidelity ---------------------------------------



@pytest.mark.parametrize("lang", LANGUAGES)
def test_contact_box_links_the_form_and_the_email(policy: Policy, lang: str) -> None:
    contact = site_policy(policy).contact
    html = to_html(render_contact_box(policy, lang))
    assert f'href="{contact["inquiry_form"]}"' in html
    assert f'href="mailto:{contact["email"]}"' in html
    assert contact["form_label"][lang] in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_before_contact_ends_with_the_contact_box_and_links_every_manual(policy: Policy, lang: str) -> None:
    text = render_page("before-contact", policy, lang)
    assert text.index(site_policy(policy).contact["inquiry_form"]) > text.index(clause_text_of(policy, "no-guarantee", lang))
    help_links = to_html(render_product_help(policy, lang))
    for entry in site_policy(policy).help:
        assert f'href="{entry.manual}"' in help_links and f'href="{entry.qa}"' in help_links


def clause_text_of(policy: Policy, clause_id: str, lang: str) -> str:
    return md(policy.text(policy.clause(clause_id)["text"], lang))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_flow_step_1_links_the_contact_page_and_step_2_links_steps_5_to_7(policy: Policy, lang: str) -> None:
    steps = render_flow_steps(policy, lang)
    first = steps.split("{#step-2}")[0]
    assert "(contact.md)" in first
    second = steps.split("{#step-2}")[1].split("{#step-3}")[0]
    assert "](#step-5)" in second


def test_flow_step_3_keeps_its_whole_text(policy: Policy) -> None:
    source = (REPO.parent / "shared" / "source" / "support-policy.ja.txt")
    sentence = "サポート中に範囲外の問題が生じた、別のエラーが起こり始めたなど、範囲外のサポートがご入用になった場合は、別途個別サポートをお申し込みください。"
    if source.is_file():
        assert sentence in source.read_text("utf-8")
    assert sentence in policy.text(policy.steps[2]["text"], "ja")
    assert "apply for separate individual support" in policy.text(policy.steps[2]["text"], "en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_flow_diagram_note_markers_link_to_their_notes(policy: Policy, lang: str) -> None:
    svg = render_flow_diagram(policy, lang)
    assert '<a href="../accounts/#secure-credentials">' in svg
    assert '<a href="../deadline/#balance-deadline">' in svg


@pytest.mark.parametrize("lang", LANGUAGES)
def test_legal_notice_names_every_field_the_act_asks_for(policy: Policy, lang: str) -> None:
    ids = [field for field, _, _ in legal_rows(policy, lang)]
    for required in ("seller", "manager", "address", "phone", "email", "price", "other-charges", "payment-methods",
                     "payment-timing", "service-timing", "cancellation", "refunds", "special-conditions", "invoice"):
        assert required in ids
    rows = {field: value for field, _, value in legal_rows(policy, lang)}
    assert rows["email"] == site_policy(policy).contact["email"]
    assert ("税込" if lang == "ja" else "include consumption tax") in rows["price"]
    assert policy.text(policy.clause("non-refundable")["text"], lang) in rows["refunds"]
    assert clause_title_of(policy, "conditions", lang) in rows["special-conditions"]


def clause_title_of(policy: Policy, clause_id: str, lang: str) -> str:
    return policy.text(policy.clause(clause_id)["title"], lang)


def test_plain_text_drops_links_tags_and_escapes() -> None:
    assert plain_text(r'「[サポート料金](fees.md)」 <span class="x">a\*b</span> &amp;') == "「サポート料金」 a*b &"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_faq_answers_each_question_with_its_clause(policy: Policy, lang: str) -> None:
    text = render_page("faq", policy, lang)
    for entry in site_policy(policy).faq:
        question = md(entry["question"][lang])
        answer = clause_text_of(policy, entry["clause"], lang)
        section = text.split(question, 1)[1].split("\n## ", 1)[0]
        assert answer in section, entry["clause"]
        for other in entry.get("also", ()):  # the clauses that complete the answer
            assert clause_text_of(policy, other, lang) in section, (entry["clause"], other)
        assert (render_fee_table(policy, lang) in section) == bool(entry.get("fee_table")), entry["clause"]


@pytest.mark.parametrize(("lang", "when", "how_much"), [
    ("ja", "支払いはいつ必要ですか?", "料金はいくらかかりますか?"),
    ("en", "When do I have to pay?", "How much does support cost?"),
])
def test_the_faq_says_when_to_pay_all_of_it_and_how_much(policy: Policy, lang: str, when: str,
                                                         how_much: str) -> None:
    """The questions about paying and fees are answered whole, on the rendered page: the balance
    deadline (and the license it costs) beside the deposit, the fee table under the fee guide."""
    page = render_page("faq", policy, lang)

    def answer(question: str) -> str:
        return page.split(f"## {question}", 1)[1].split("\n## ", 1)[0]

    paying = answer(when)
    assert clause_text_of(policy, "deposit", lang) in paying
    assert clause_text_of(policy, "balance-deadline", lang) in paying
    assert f"{policy.parameters.balance_deadline_days}" in paying
    costs = answer(how_much)
    assert render_fee_table(policy, lang) in costs
    assert all(format_yen(fee.minimum, lang) in costs for fee in policy.fees.values())


def test_an_unknown_clause_an_faq_answer_names_is_reported_at_its_line(policy_copy: Path) -> None:
    faq = policy_copy / "faq.yaml"
    text = faq.read_text("utf-8")
    faq.write_text(text.replace("also: [balance-deadline]", "also: [balance-dedline]"), "utf-8")
    line = text[:text.index("also: [balance-deadline]")].count("\n") + 1
    with pytest.raises(PolicyError, match=rf"faq\.yaml:{line}:\d+: unknown clause 'balance-dedline'"):
        site_policy(load_policy(policy_copy))


def test_privacy_page_has_every_section(policy: Policy) -> None:
    for lang in LANGUAGES:
        text = render_page("privacy", policy, lang)
        for section in site_policy(policy).privacy["sections"]:
            assert f"{{#{section['id']}}}" in text


def test_english_pages_mark_japanese_words() -> None:
    assert mark_japanese("Raku Affiliate (楽アフィリエイト)") == 'Raku Affiliate (<span lang="ja">楽アフィリエイト</span>)'
    assert mark_japanese('[手順5〜7](flow.md#step-5){#x}') == '[<span lang="ja">手順5〜7</span>](flow.md#step-5){#x}'
    assert mark_japanese('<a title="日本">x</a>') == '<a title="日本">x</a>'


def test_english_legal_page_marks_the_japanese_name_of_the_act(policy: Policy) -> None:
    assert '<span lang="ja">特定商取引法に基づく表示</span>' in render_page("legal", policy, "en")


def test_estimator_data_is_the_policy(policy_copy: Path) -> None:
    policy = changed_policy(policy_copy, first_fee(24680), parameter("self_operated_multiplier", 10, 8),
                            parameter("denominator", 2, 3), parameter("balance_deadline_days", 5, 7))
    data = estimator_data(policy, "ja")
    assert data["fees"][0] == {"id": "server-move", "from": 24680}
    assert (data["multiplier"], data["deposit"], data["days"]) == (8, {"numerator": 1, "denominator": 3}, 7)
    form = render_estimator(policy, "en")
    assert form.count('name="fee"') == len(policy.fees)
    assert "×8" in form


@pytest.mark.parametrize("lang", LANGUAGES)
def test_template_data_footer_and_banner(policy: Policy, lang: str) -> None:
    sample = template_data(policy, lang, folder="" if lang == "ja" else "en", publishing=False)
    published = template_data(policy, lang, folder="" if lang == "ja" else "en", publishing=True)
    assert sample["banner"] and not published["banner"]
    assert policy.version in sample["footer"]["updated"] and format_date(policy.effective, lang) in sample["footer"]["updated"]
    prefix = "" if lang == "ja" else "en/"
    assert [link["path"] for link in sample["footer"]["links"]] == [
        f"{prefix}contact/", f"{prefix}faq/", f"{prefix}legal/", f"{prefix}privacy/"]


# --- the publish guard --------------------------------------------------------------------------------------------

def test_the_sample_policy_has_placeholders_named_by_file_and_line() -> None:
    found = publish.find_placeholders(POLICY_DIR)
    legal = [p for p in found if p.path.name == "legal.yaml"]
    assert legal and all(p.found in ("【要記入】", "[to fill in]") for p in legal)
    text = (POLICY_DIR / "legal.yaml").read_text("utf-8").splitlines()
    for placeholder in legal:
        assert placeholder.found in text[placeholder.line - 1]
    assert any(p.path.name == "contact.yaml" and p.found == "example.jp" for p in found)


def test_refusal_message_in_both_languages(policy_copy: Path) -> None:
    (policy_copy / "legal.yaml").write_text("legal_notice:\n  - id: seller\n    label: {ja: 販売業者, en: Seller}\n"
                                            "    value: {ja: 【要記入】販売業者名, en: \"[to fill in] Seller\"}\n", "utf-8")
    for name in ("contact.yaml", "privacy.yaml"):
        (policy_copy / name).unlink()
    refused = publish.refusal(policy_copy, "https://support.example.com/")
    assert refused is not None
    for text in (refused.ja, refused.en):  # each placeholder at the line:column of its value
        assert f"{policy_copy / 'legal.yaml'}:4:17" in text and f"{policy_copy / 'legal.yaml'}:4:33" in text
    assert "「【要記入】」" in refused.ja and '"[to fill in]"' in refused.en
    assert "2" in refused.ja.splitlines()[0] and "2 in all" in refused.en.splitlines()[0]
    assert publish.refusal(policy_copy, "https://support.example.jp/") is not None


def test_nothing_to_refuse_when_filled(policy_copy: Path) -> None:
    for path in policy_copy.glob("*.yaml"):
        path.unlink()
    (policy_copy / "legal.yaml").write_text("legal_notice: []\n", "utf-8")
    assert publish.refusal(policy_copy, "https://support.example.com/") is None
    assert publish.refusal(policy_copy, "") is not None  # no address at all is the sample's too


def test_the_pages_python_writes_no_customer_words() -> None:
    """Every sentence the customers read comes from policy/: the modules that write the pages
    hold no Japanese string (docstrings and regular expressions' character ranges aside)."""
    japanese = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
    for name in ("render.py", "history.py", "hooks.py"):
        tree = ast.parse((REPO / "validator" / "site" / name).read_text("utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr)}
        words = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                 and isinstance(node.value, str) and id(node) not in docstrings
                 and japanese.search(re.sub(r".-.", "", node.value))]
        assert not words, (name, words)


@pytest.mark.parametrize("field", ["{dayz}", "{0}"])
def test_a_label_field_the_site_does_not_fill_is_named(policy_copy: Path, field: str) -> None:
    """Both languages agree, so the file passes its check; the page that fills the label says
    which field it does not know, in both languages, instead of a KeyError."""
    labels = policy_copy / "labels.yaml"
    labels.write_text(labels.read_text("utf-8").replace("{days}日以内", f"{field}日以内").replace(
        "Within {days} days", f"Within {field} days"), "utf-8")
    with pytest.raises(PolicyError) as raised:
        render_payment_example(load_policy(policy_copy), "en")
    name = field.strip("{}")
    assert raised.value.text.en.endswith(
        f"labels.yaml: the label 'after-completion' has the field {{{name}}}, which the site does not fill; "
        "the fields here: {days}.")
    assert f"ラベル「after-completion」の差し込み欄 {{{name}}} はサイトが埋めない欄です。ここで使える欄: {{days}}" \
        in raised.value.text.ja


def test_a_label_field_with_a_format_it_cannot_take_is_named(policy_copy: Path) -> None:
    labels = policy_copy / "labels.yaml"
    labels.write_text(labels.read_text("utf-8").replace("{days}日以内", "{days:q}日以内").replace(
        "Within {days} days", "Within {days:q} days"), "utf-8")
    with pytest.raises(PolicyError) as raised:
        render_payment_example(load_policy(policy_copy), "en")
    assert raised.value.text.en.endswith("labels.yaml: the label 'after-completion' cannot be filled; write each "
                                         "field as just its name, such as {days} (no format after a colon).")
    assert raised.value.text.ja.endswith("labels.yaml: ラベル「after-completion」を埋められません。差し込み欄は {days} "
                                         "のように名前だけで書いてください(「:」以降の書式は使えません)。")
