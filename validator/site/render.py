"""The support site's pages as Markdown, rendered from the policy: policy + language -> str.

Every function here is pure: it reads the policy and returns Markdown. Policy words come
from ``policy/`` through ``Policy.text``; numbers and dates are computed from its
parameters and formatted per language (20,000円 / ¥20,000, 2026年11月1日 / November 1, 2026).
The site's own words around them (page names, table headings, form labels) are in
``policy/labels.yaml`` too, read through ``label``.

Headings carry stable ids (the clause ids), the same in every language. The change history
is rendered by ``validator/site/history.py``; ``render_contents`` links it as ``HISTORY_FILE``.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from validator.formatting import format_date, format_yen
from validator.policy import Policy
from validator.site.publish import MARKERS
from validator.site.site_policy import SitePolicy, load_site_policy


def label(policy: Policy, key: str, lang: str, **values: object) -> str:
    """One of the site's own words (``policy/labels.yaml``) in ``lang``, its ``{fields}`` filled."""
    return site_policy(policy).label(key, lang, **values)


# --- Markdown helpers --------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")


def md(text: str) -> str:
    """Policy text as literal Markdown: HTML and Markdown syntax characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _heading(level: int, title: str, anchor: str) -> str:
    return f"{'#' * level} {md(title)} {{#{anchor}}}"


def _link(title: str, target: str) -> str:
    return f"[{md(title)}]({target})"


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _admonition(kind: str, title: str, body: str) -> str:
    indented = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
    return f'!!! {kind} "{md(title)}"\n\n{indented}'


def table(header: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[str]) -> str:
    rule = {"left": "---", "right": "---:", "center": ":---:"}
    lines = [f"| {' | '.join(header)} |", f"| {' | '.join(rule[a] for a in align)} |"]
    lines.extend(f"| {' | '.join(row)} |" for row in rows)
    return "\n".join(lines)


def yen(amount: int, lang: str) -> str:
    """An amount as inline HTML that never wraps between its digits and its currency sign."""
    return f'<span class="sp-amount">{html.escape(format_yen(amount, lang))}</span>'


_JAPANESE = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"  # CJK, kana, full-width
_JAPANESE_RUN = re.compile(f"[{_JAPANESE}][{_JAPANESE}0-9]*")
_TAG_OR_TEXT = re.compile(r"(<script[^>]*>.*?</script>|<[^>]*>|\]\([^)]*\)|\{#[^}]*\})", re.DOTALL)


def mark_japanese(markup: str) -> str:
    """Japanese words inside an English page, wrapped in ``<span lang="ja">`` (screen readers,
    fonts, line breaking). Tags, link targets and heading ids are left as they are."""
    parts = _TAG_OR_TEXT.split(markup)
    return "".join(part if index % 2 else _JAPANESE_RUN.sub(lambda m: f'<span lang="ja">{m.group(0)}</span>', part)
                   for index, part in enumerate(parts))


def _blocks(*blocks: str) -> str:
    return "\n\n".join(block for block in blocks if block) + "\n"


# --- the site's own policy files (contact, privacy, FAQ, search words) ---------------------

@cache
def site_policy(policy: Policy) -> SitePolicy:
    """The site's files of the policy's folder, loaded once per loaded policy."""
    return load_site_policy(policy)


def _text(localized: Mapping[str, str], lang: str) -> str:
    return md(localized[lang])


# --- clauses -----------------------------------------------------------------------------

def site_name(policy: Policy, lang: str) -> str:
    """The site's name in ``lang``: the policy's title."""
    return policy.text(policy.title, lang)


def clause_title(policy: Policy, clause_id: str, lang: str) -> str:
    return policy.text(policy.clause(clause_id)["title"], lang)


def clause_text(policy: Policy, clause_id: str, lang: str) -> str:
    return policy.text(policy.clause(clause_id)["text"], lang)


def render_clause_body(policy: Policy, clause_id: str, lang: str) -> str:
    """A clause's text, then its items and examples as lists."""
    clause = policy.clause(clause_id)
    lists = [_bullets([md(policy.text(entry, lang)) for entry in clause.get(key, ())])
             for key in ("items", "examples")]
    return _blocks(md(clause_text(policy, clause_id, lang)), *lists).rstrip("\n")


def render_clause(policy: Policy, clause_id: str, lang: str, *, level: int = 2) -> str:
    """A clause as a section: its title as a heading (id = clause id), then its body."""
    clause = policy.clause(clause_id)
    title = clause_title(policy, clause_id, lang)
    if "note" in clause:
        title = label(policy, "note-heading", lang, number=clause["note"], title=title)
    return _blocks(_heading(level, title, clause_id), render_clause_body(policy, clause_id, lang)).rstrip("\n")


def render_clause_admonition(policy: Policy, clause_id: str, lang: str, kind: str) -> str:
    """A clause as a call-out box (Material admonition) titled by the clause title."""
    return _admonition(kind, clause_title(policy, clause_id, lang),
                       render_clause_body(policy, clause_id, lang))


# --- fees and payments -------------------------------------------------------------------

def render_fee_table(policy: Policy, lang: str) -> str:
    """The fee guide, with the self-operated column computed from the multiplier."""
    multiplier = policy.parameters.self_operated_multiplier
    header = [label(policy, "fee-work", lang), label(policy, "fee-guide", lang),
              label(policy, "fee-self-operated", lang, multiplier=multiplier)]
    rows = [[md(policy.text(fee.name, lang)),
             label(policy, "fee-from", lang, amount=yen(policy.fee_guide(fee.id, self_operated=False), lang)),
             label(policy, "fee-from", lang, amount=yen(policy.fee_guide(fee.id, self_operated=True), lang))]
            for fee in policy.fees.values()]
    return table(header, rows, ("left", "right", "right"))


def render_payment_example(policy: Policy, lang: str) -> str:
    """The deposit and full-prepayment rules worked out on the first fee of the guide."""
    fee = next(iter(policy.fees.values()))
    total = fee.minimum
    deposit = policy.deposit(total)
    days = policy.parameters.balance_deadline_days
    intro = label(policy, "example-fee", lang, fee=md(policy.text(fee.name, lang)), amount=yen(total, lang))
    header = [label(policy, "example-case", lang), label(policy, "before-work", lang), label(policy, "after-completion", lang, days=days)]
    rows = [[md(clause_title(policy, "deposit", lang)), yen(deposit, lang), yen(total - deposit, lang)],
            [md(clause_title(policy, "full-prepayment", lang)), yen(total, lang), yen(0, lang)]]
    self_operated = (f"{label(policy, 'self-operated-guide', lang)}: "
                     f"{yen(policy.fee_guide(fee.id, self_operated=True), lang)}")
    return _blocks(intro, table(header, rows, ("left", "right", "right")), self_operated).rstrip("\n")


def render_due_date_example(policy: Policy, lang: str) -> str:
    """The balance deadline worked out on an example date (the policy's effective date)."""
    completed = policy.effective
    header = [label(policy, "due-completed", lang), label(policy, "due-date", lang)]
    rows = [[format_date(completed, lang), f"**{format_date(policy.due_date(completed), lang)}**"]]
    return table(header, rows, ("left", "left"))


def _legal_value(policy: Policy, entry: Mapping[str, Any], lang: str) -> str:
    value = _legal_source(policy, entry, lang)
    value = value[:1].upper() + value[1:]  # a table cell starts like a sentence
    if "note" in entry:
        value = label(policy, "legal-note", lang, value=value, note=md(policy.text(entry["note"], lang)))
    return value


def _legal_source(policy: Policy, entry: Mapping[str, Any], lang: str) -> str:
    source = entry.get("from")
    if source == "fees-page":
        return label(policy, "see-page", lang, link=_link(page_title("fees", policy, lang), PAGE_BY_ID["fees"].file))
    if source == "conditions-page":
        return label(policy, "see", lang, link=_link(clause_title(policy, "conditions", lang),
                                             f"{PAGE_BY_ID['scope'].file}#conditions"))
    if source == "support-email":
        email = site_policy(policy).contact["email"]
        return f"[{md(email)}](mailto:{email})"
    if source == "refunds":
        return md(clause_text(policy, "non-refundable", lang))
    if source == "payment-timing":
        return md(policy.text(_legal_entry(policy, "payment-timing")["value"], lang))
    return md(policy.text(entry["value"], lang))


def _legal_entry(policy: Policy, field_id: str) -> Mapping[str, Any]:
    for entry in policy.legal_notice:
        if entry["id"] == field_id:
            return entry
    raise KeyError(f"legal.yaml has no field {field_id!r}, which the site shows")


def render_legal_notice(policy: Policy, lang: str) -> str:
    """特定商取引法に基づく表示 as a table, each value from its field in the policy.

    Each row's first cell carries the field id as an anchor; search indexes the rows one by
    one (``legal_rows``), not the whole table as one section.
    """
    rows = [[f'<span id="{entry["id"]}">{md(policy.text(entry["label"], lang))}</span>',
             _legal_value(policy, entry, lang)]
            for entry in policy.legal_notice]
    notice = table([label(policy, "legal-item", lang), label(policy, "legal-value", lang)], rows, ("left", "left"))
    return f'<div class="sp-legal" data-search-exclude markdown>\n\n{notice}\n\n</div>'


_MARKDOWN_LINK = re.compile(r"\[((?:\\.|[^\]])*)\]\([^)]*\)")


def plain_text(markdown: str) -> str:
    """The words of a line of our own Markdown: links as their text, no tags, no escapes."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(re.sub(r"\\(.)", r"\1", text))


def legal_rows(policy: Policy, lang: str) -> list[tuple[str, str, str]]:
    """The legal notice as (field id, label, value) in plain text, one search entry per row."""
    return [(entry["id"], policy.text(entry["label"], lang), plain_text(_legal_value(policy, entry, lang)))
            for entry in policy.legal_notice]


def render_legal_field(policy: Policy, field_id: str, lang: str, *, level: int = 2) -> str:
    """One field of the legal notice as a section (the payment page reuses them)."""
    entry = _legal_entry(policy, field_id)
    return _blocks(_heading(level, policy.text(entry["label"], lang), field_id),
                   _legal_value(policy, entry, lang)).rstrip("\n")


# --- the flow ------------------------------------------------------------------------------

def _note_link(policy: Policy, number: int, lang: str) -> str:
    clause = next(c for c in policy.clauses if c.get("note") == number)
    page = PAGE_BY_CLAUSE[clause["id"]]
    title = label(policy, "note-heading", lang, number=number, title=policy.text(clause["title"], lang))
    return _link(title, f"{PAGE_BY_ID[page].file}#{clause['id']}")


def _note_url(policy: Policy, number: int) -> str:
    """The address of a note from the flow page (raw HTML links are not rewritten by MkDocs)."""
    clause = next(c for c in policy.clauses if c.get("note") == number)
    page = PAGE_BY_ID[PAGE_BY_CLAUSE[clause["id"]]]
    return f"../{page.file.removesuffix('.md')}/#{clause['id']}"


def _actor(policy: Policy, actor: str, lang: str) -> str:
    return f'<span class="sp-actor sp-actor--{actor}">{html.escape(label(policy, f"actor-{actor}", lang))}</span>'


def _step_text(policy: Policy, step: Mapping[str, Any], lang: str) -> str:
    """A step's text, the words named in its ``links`` made links (to a step or a page)."""
    text = md(policy.text(step["text"], lang))
    for link in step.get("links", ()):
        words = md(policy.text(link["words"], lang))
        target = (f"#step-{link['step']}" if "step" in link else PAGE_BY_ID[link["page"]].file)
        if words not in text:
            raise KeyError(f"flow.yaml step {step['number']}: {words!r} is not in its {lang} text")
        text = text.replace(words, f"[{words}]({target})", 1)
    return text


def render_flow_steps(policy: Policy, lang: str) -> str:
    """The nine steps: number and title as headings (id step-N), who acts, text, notes."""
    sections = []
    for step in policy.steps:
        number = step["number"]
        title = label(policy, "step-heading", lang, number=number, title=policy.text(step["title"], lang))
        notes = [label(policy, "see", lang, link=_note_link(policy, note, lang)) for note in step.get("notes", ())]
        sections.append(_blocks(_heading(2, title, f"step-{number}"), _actor(policy, step["actor"], lang),
                                _step_text(policy, step, lang), *notes).rstrip("\n"))
    return "\n\n".join(sections)


# The diagram's geometry, in SVG user units (the figure scales to the column's width).
_FLOW_WIDTH = 360
_FLOW_LANE_SHIFT = 36
_FLOW_BOX_WIDTH = _FLOW_WIDTH - _FLOW_LANE_SHIFT
_FLOW_FONT = 14
_FLOW_LINE = 18
_FLOW_GAP = 26
_FLOW_LEGEND = 34
_FLOW_TEXT_X = 46
_FLOW_NOTE_WIDTH = 52


def _text_width(text: str) -> float:
    """Estimated width in font-size units (bold): CJK is one em, Latin about two thirds."""
    return sum(1.0 if ord(char) > 0x2E7F else 0.64 for char in text)


def _wrap(text: str, width: float) -> list[str]:
    """Lines of at most ``width`` ems: Latin text breaks at spaces, Japanese anywhere."""
    tokens = re.findall(r"[!-~]+\s*|\s+|[^\x00-\x7F]", text)
    lines: list[str] = []
    line = ""
    for token in tokens:
        if line and _text_width((line + token).rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


def render_flow_diagram(policy: Policy, lang: str) -> str:
    """The flow as an inline SVG figure: one box per step, in the lane of who acts."""
    esc = html.escape
    boxes: list[str] = []
    y = _FLOW_LEGEND
    previous: tuple[float, float] | None = None
    for step in policy.steps:
        x = 0 if step["actor"] == "customer" else _FLOW_LANE_SHIFT
        note_numbers = step.get("notes", ())
        notes = " ".join(label(policy, "note", lang, number=n) for n in note_numbers)
        room = (_FLOW_BOX_WIDTH - _FLOW_TEXT_X - (_FLOW_NOTE_WIDTH if notes else 12)) / _FLOW_FONT
        lines = _wrap(policy.text(step["title"], lang), room)
        height = 16 + _FLOW_LINE * len(lines)
        centre = x + _FLOW_BOX_WIDTH / 2
        if previous is not None:
            px, py = previous
            middle = py + _FLOW_GAP / 2
            boxes.append(f'<path class="sp-flow__arrow" marker-end="url(#sp-flow-head)" d="M{px:g} {py:g}V{middle:g}H{centre:g}V{y - 2:g}"/>')
        text_top = y + 8 + _FLOW_FONT
        tspans = "".join(f'<tspan x="{x + _FLOW_TEXT_X}" y="{text_top + i * _FLOW_LINE}">{esc(line)}</tspan>'
                         for i, line in enumerate(lines))
        boxes.append(
            f'<g class="sp-flow__step sp-flow__step--{step["actor"]}">'
            f'<rect x="{x + 1}" y="{y}" width="{_FLOW_BOX_WIDTH - 2}" height="{height}" rx="8"/>'
            f'<circle cx="{x + 22}" cy="{y + height / 2:g}" r="13"/>'
            f'<text class="sp-flow__number" x="{x + 22}" y="{y + height / 2 + 5:g}">{step["number"]}</text>'
            f'<text class="sp-flow__title">{tspans}</text>'
            + (f'<text class="sp-flow__note" x="{x + _FLOW_BOX_WIDTH - 10}" y="{y + height / 2 + 5:g}">'
               + " ".join(f'<a href="{esc(_note_url(policy, n))}">{esc(label(policy, "note", lang, number=n))}</a>'
                          for n in note_numbers)
               + "</text>" if notes else "")
            + "</g>")
        previous = (centre, y + height)
        y += height + _FLOW_GAP
    height = y - _FLOW_GAP + 2
    legend = "".join(
        f'<g class="sp-flow__step sp-flow__step--{actor}"><rect x="{x}" y="4" width="16" height="16" rx="4"/>'
        f'<text class="sp-flow__legend" x="{x + 22}" y="17">{esc(label(policy, f"actor-{actor}", lang))}</text></g>'
        for actor, x in (("customer", 1), ("vendor", _FLOW_WIDTH // 2)))
    title = esc(label(policy, "flow-diagram", lang))
    return (f'<figure class="sp-flow" data-search-exclude="">'
            f'<svg viewBox="0 0 {_FLOW_WIDTH} {height:g}" role="group" aria-label="{title}" '
            f'xmlns="http://www.w3.org/2000/svg" font-size="{_FLOW_FONT}">'
            f'<title>{title}</title>'
            f'<defs><marker id="sp-flow-head" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z"/></marker></defs>'
            f'{legend}{"".join(boxes)}</svg></figure>')


# --- accounts and the deadline -------------------------------------------------------------

def render_products_table(policy: Policy, lang: str) -> str:
    """Which account-protection steps each software needs (products.yaml)."""
    def mark(needed: bool) -> str:
        return label(policy, "required", lang) if needed else label(policy, "not-required", lang)
    header = [label(policy, "software", lang), md(clause_title(policy, "remove-api-signature", lang)),
              md(clause_title(policy, "remove-backups", lang))]
    rows = [[md(policy.text(product.name, lang)), mark(product.api_signature_step), mark(product.backup_step)]
            for product in policy.products.values()]
    return table(header, rows, ("left", "center", "center"))


def render_last_updated(policy: Policy, lang: str) -> str:
    """最終更新日 / Last updated, with the policy's version."""
    text = label(policy, "last-updated", lang, date=format_date(policy.effective, lang), version=policy.version)
    return f'<p class="sp-updated">{html.escape(text)}</p>'


# --- pages -----------------------------------------------------------------------------------
HISTORY_FILE = "history.md"  # the change history, rendered by validator/site/history.py


def render_contents(policy: Policy, lang: str) -> str:
    """Links to every page of the site but the overview, in site order, then the change history."""
    return _bullets([*(_link(page_title(page.id, policy, lang), page.file) for page in PAGES if page.id != "overview"),
                     _link(label(policy, "history-title", lang), HISTORY_FILE)])


def _overview(policy: Policy, lang: str) -> str:
    return _blocks(
        render_clause_admonition(policy, "self-help", lang, "info"),
        render_clause(policy, "covered", lang),
        render_clause(policy, "general-questions", lang),
        render_clause(policy, "bug-free", lang),
        render_clause_admonition(policy, "no-guarantee", lang, "warning"),
        _heading(2, label(policy, "contents", lang), "contents"),
        render_contents(policy, lang))


def render_contact_links(policy: Policy, lang: str) -> str:
    """The inquiry form and the support e-mail as links."""
    contact = site_policy(policy).contact
    email = contact["email"]
    return _bullets([f"[{_text(contact['form_label'], lang)}]({contact['inquiry_form']}){{ .sp-contact-form }}",
                     f"{_text(contact['email_label'], lang)}: [{md(email)}](mailto:{email})"])


def render_contact_box(policy: Policy, lang: str) -> str:
    """A call-out with how to reach us (the end of "before you contact us")."""
    contact = site_policy(policy).contact
    return _admonition("tip", policy.text(contact["title"], lang),
                       _blocks(_text(contact["text"], lang), render_contact_links(policy, lang)).rstrip("\n"))


def render_product_help(policy: Policy, lang: str) -> str:
    """Each software's manual and Q&A, as links."""
    contact = site_policy(policy).contact
    rows = []
    for entry in site_policy(policy).help:
        name = md(policy.text(policy.products[entry.product].name, lang))
        rows.append(f"{name}: [{_text(contact['manual_label'], lang)}]({entry.manual}) / "
                    f"[{_text(contact['qa_label'], lang)}]({entry.qa})")
    return _bullets(rows)


def _before_contact(policy: Policy, lang: str) -> str:
    contact = site_policy(policy).contact
    return _blocks(render_clause_body(policy, "before-contact", lang),
                   _heading(2, policy.text(contact["help_title"], lang), "manuals"),
                   render_product_help(policy, lang),
                   render_clause_admonition(policy, "no-guarantee", lang, "warning"),
                   render_contact_box(policy, lang))


def _contact(policy: Policy, lang: str) -> str:
    contact = site_policy(policy).contact
    return _blocks(_text(contact["text"], lang), render_contact_links(policy, lang),
                   render_clause_admonition(policy, "no-guarantee", lang, "warning"),
                   _heading(2, policy.text(contact["help_title"], lang), "manuals"),
                   _text(contact["help_text"], lang), render_product_help(policy, lang))


def _faq(policy: Policy, lang: str) -> str:
    """Each question, answered by the clause it comes from (and the clauses ``also`` names,
    and the fee table when ``fee_table``), with a link to that clause."""
    sections = []
    for entry in site_policy(policy).faq:
        clause_id = entry["clause"]
        page = PAGE_BY_ID[PAGE_BY_CLAUSE[clause_id]]
        anchored = f"{{#{clause_id}}}" in page.body(policy, lang)  # some clauses open their page
        source = _link(clause_title(policy, clause_id, lang), f"{page.file}#{clause_id}" if anchored else page.file)
        answer = [render_clause_body(policy, clause, lang) for clause in (clause_id, *entry.get("also", ()))]
        if entry.get("fee_table"):
            answer.append(render_fee_table(policy, lang))
        sections.append(_blocks(_heading(2, policy.text(entry["question"], lang), f"faq-{clause_id}"),
                                *answer, label(policy, "faq-source", lang, link=source)).rstrip("\n"))
    return "\n\n".join(sections)


def _privacy(policy: Policy, lang: str) -> str:
    privacy = site_policy(policy).privacy
    return _blocks(_text(privacy["text"], lang),
                   *(_blocks(_heading(2, policy.text(section["title"], lang), section["id"]),
                             _text(section["text"], lang)).rstrip("\n") for section in privacy["sections"]))


def estimator_data(policy: Policy, lang: str) -> dict[str, Any]:
    """What the estimator's script computes with: the policy's numbers and the page's words."""
    parameters = policy.parameters
    return {
        "lang": lang,
        "fees": [{"id": fee.id, "from": fee.minimum} for fee in policy.fees.values()],
        "multiplier": parameters.self_operated_multiplier,
        "deposit": {"numerator": parameters.deposit_ratio.numerator,
                    "denominator": parameters.deposit_ratio.denominator},
        "days": parameters.balance_deadline_days,
        "words": {"dueUnknown": label(policy, "after-completion", lang, days=parameters.balance_deadline_days),
                  "noneDue": label(policy, "est-none-due", lang)},
    }


def _radio(name: str, options: Sequence[tuple[str, str]], checked: str) -> str:
    return "".join(f'<label class="sp-choice"><input type="radio" name="{name}" value="{value}"'
                   f'{" checked" if value == checked else ""}> {html.escape(text)}</label>'
                   for value, text in options)


def render_estimator(policy: Policy, lang: str) -> str:
    """The fee estimator: a plain HTML form; assets/estimator.js computes with the data above."""
    esc = html.escape
    multiplier = policy.parameters.self_operated_multiplier
    fees = "".join(f'<label class="sp-choice"><input type="checkbox" name="fee" value="{fee.id}"> '
                   f'{esc(policy.text(fee.name, lang))} ({esc(label(policy, "fee-from", lang, amount=format_yen(fee.minimum, lang)))})'
                   f'</label>' for fee in policy.fees.values())
    yes_no = (("yes", label(policy, "est-yes", lang)), ("no", label(policy, "est-no", lang)))
    outputs = "".join(f'<div class="sp-estimate__row"><dt>{esc(label(policy, key, lang))}</dt>'
                      f'<dd><output class="sp-amount" data-estimate="{name}" aria-live="polite"></output></dd></div>'
                      for key, name in (("est-total", "total"), ("est-before", "before"),
                                        ("est-after", "after"), ("balance-deadline", "due")))
    data = json.dumps(estimator_data(policy, lang), ensure_ascii=False).replace("<", "\\u003c")
    fees_link = f'<a href="../fees/">{esc(page_title("fees", policy, lang))}</a>'  # raw HTML: MkDocs leaves it
    return _blocks(
        md(clause_text(policy, "fees", lang)),
        f'<form class="sp-estimator" data-search-exclude>'
        f'<fieldset><legend>{esc(label(policy, "est-fees", lang))}</legend>{fees}</fieldset>'
        f'<fieldset><legend>{esc(label(policy, "est-operator", lang))}</legend>'
        + _radio("operator", (("us", label(policy, "est-operator-us", lang)),
                              ("you", label(policy, "est-operator-you", lang, multiplier=multiplier))), "us")
        + f'</fieldset><fieldset><legend>{esc(label(policy, "est-license", lang))}</legend>{_radio("license", yes_no, "yes")}'
        f'</fieldset><fieldset><legend>{esc(label(policy, "est-same-account", lang))}</legend>{_radio("same", yes_no, "yes")}'
        f'</fieldset><p><label class="sp-date">{esc(label(policy, "est-completed", lang))} '
        f'<input type="date" name="completed"></label></p>'
        f'<h2 id="result">{esc(label(policy, "est-result", lang))}</h2><dl class="sp-estimate">{outputs}</dl>'
        f'<script type="application/json" id="sp-estimator-data">{data}</script></form>',
        f'<noscript>{label(policy, "est-noscript", lang, link=fees_link)}</noscript>',
        render_clause_admonition(policy, "deposit", lang, "info"),  # the clauses the figures follow
        render_clause_admonition(policy, "full-prepayment", lang, "info"),
        render_clause_admonition(policy, "balance-deadline", lang, "warning"))


def _scope(policy: Policy, lang: str) -> str:
    return _blocks(render_clause(policy, "scope", lang),
                   render_clause(policy, "conditions", lang),
                   render_clause_admonition(policy, "estimate-bound", lang, "warning"))


def _fees(policy: Policy, lang: str) -> str:
    return _blocks(
        md(clause_text(policy, "fees", lang)),
        render_fee_table(policy, lang),
        render_clause(policy, "self-operated", lang),
        render_clause(policy, "deposit", lang),
        render_clause(policy, "full-prepayment", lang),
        _heading(2, label(policy, "example", lang), "example"),
        render_payment_example(policy, lang))


def _payment(policy: Policy, lang: str) -> str:
    return _blocks(
        render_legal_field(policy, "payment-methods", lang),
        render_legal_field(policy, "payment-timing", lang),
        render_legal_field(policy, "other-charges", lang),
        render_clause(policy, "non-refundable", lang),
        render_clause(policy, "no-receipts", lang))


def _flow(policy: Policy, lang: str) -> str:
    return _blocks(md(clause_text(policy, "flow", lang)),
                   render_flow_diagram(policy, lang),
                   render_flow_steps(policy, lang))


def _accounts(policy: Policy, lang: str) -> str:
    return _blocks(
        render_clause(policy, "secure-credentials", lang),
        render_clause(policy, "remove-api-signature", lang),
        render_clause(policy, "remove-backups", lang),
        _heading(2, label(policy, "products", lang), "products"),
        render_products_table(policy, lang))


def _deadline(policy: Policy, lang: str) -> str:
    last_step = policy.steps[-1]
    number = last_step["number"]
    step_link = _link(label(policy, "step-link", lang, number=number, title=policy.text(last_step["title"], lang)),
                      f"{PAGE_BY_ID['flow'].file}#step-{number}")
    return _blocks(render_clause(policy, "balance-deadline", lang),
                   _heading(2, label(policy, "example", lang), "example"),
                   render_due_date_example(policy, lang),
                   label(policy, "see", lang, link=step_link))


def _legal(policy: Policy, lang: str) -> str:
    return _blocks(md(clause_text(policy, "legal-notice", lang)), render_legal_notice(policy, lang))


def _site_titled(file: str, key: str) -> Callable[[Policy, str], str]:
    """A page titled by a text of the site's own policy files (contact, privacy)."""
    def title(policy: Policy, lang: str) -> str:
        data = getattr(site_policy(policy), file)
        return policy.text(data[key], lang)
    return title


def _clause_titled(clause_id: str) -> Callable[[Policy, str], str]:
    return lambda policy, lang: clause_title(policy, clause_id, lang)


def _labelled(key: str) -> Callable[[Policy, str], str]:
    return lambda policy, lang: label(policy, key, lang)


@dataclass(frozen=True)
class SitePage:
    """One page of the site: its stub file in docs/, its title (navigation, tab), its body."""

    id: str
    file: str
    title: Callable[[Policy, str], str]
    body: Callable[[Policy, str], str]
    clauses: tuple[str, ...]  # the clauses this page is the home of (for links to notes)
    heading: Callable[[Policy, str], str] | None = None  # the h1, when not the title


PAGES: tuple[SitePage, ...] = (
    SitePage("overview", "index.md", _labelled("page-overview"), _overview,
             ("self-help", "covered", "general-questions", "bug-free", "no-guarantee"),
             heading=site_name),
    SitePage("before-contact", "before-contact.md", _clause_titled("before-contact"), _before_contact,
             ("before-contact",)),
    SitePage("contact", "contact.md", _site_titled("contact", "title"), _contact, ()),
    SitePage("scope", "scope.md", _labelled("page-scope"), _scope, ("scope", "conditions", "estimate-bound")),
    SitePage("fees", "fees.md", _clause_titled("fees"), _fees,
             ("fees", "self-operated", "deposit", "full-prepayment")),
    SitePage("estimator", "estimator.md", _labelled("page-estimator"), render_estimator, ()),
    SitePage("payment", "payment.md", _labelled("page-payment"), _payment, ("non-refundable", "no-receipts")),
    SitePage("flow", "flow.md", _clause_titled("flow"), _flow, ("flow",)),
    SitePage("accounts", "accounts.md", _labelled("page-accounts"), _accounts,
             ("secure-credentials", "remove-api-signature", "remove-backups")),
    SitePage("deadline", "deadline.md", _labelled("page-deadline"), _deadline, ("balance-deadline",)),
    SitePage("faq", "faq.md", _labelled("page-faq"), _faq, ()),
    SitePage("legal", "legal.md", _clause_titled("legal-notice"), _legal, ("legal-notice",)),
    SitePage("privacy", "privacy.md", _site_titled("privacy", "title"), _privacy, ()),
)
PAGE_BY_ID: Mapping[str, SitePage] = {page.id: page for page in PAGES}
PAGE_BY_CLAUSE: Mapping[str, str] = {clause: page.id for page in PAGES for clause in page.clauses}


def page_title(page_id: str, policy: Policy, lang: str) -> str:
    """The title of a page in ``lang``: the navigation, the tab and the heading show it."""
    return PAGE_BY_ID[page_id].title(policy, lang)


def render_page(page_id: str, policy: Policy, lang: str) -> str:
    """A whole page: its heading, its body and the policy's last-updated line."""
    return render_site_page(PAGE_BY_ID[page_id], policy, lang)


def render_site_page(page: SitePage, policy: Policy, lang: str) -> str:
    """A page of ``PAGES``, with the site's frame: its heading, its body, the last-updated line."""
    heading = (page.heading or page.title)(policy, lang)
    markdown = _blocks(f"# {md(heading)}", page.body(policy, lang), render_last_updated(policy, lang))
    return markdown if lang == "ja" else mark_japanese(markdown)


# --- what the templates show around the pages (overrides/) -------------------------------------

def template_data(policy: Policy, lang: str, *, folder: str, publishing: bool,
                  other_folders: Sequence[str] = ()) -> dict[str, Any]:
    """The footer, the sample banner, the 404 page and the search words, for ``config.extra``.

    Links are paths from the site's root (the templates put ``base_url`` before them);
    ``folder`` is the language's folder ('' for the default language). The default
    language's 404 page also lists ``other_folders``: a host that serves one 404 page for
    the whole site (GitHub Pages) shows it for a missing page of those languages too, and
    the page then opens that language's own 404 page.
    """
    prefix = f"{folder}/" if folder else ""
    def path(page_id: str) -> str:
        file = PAGE_BY_ID[page_id].file
        return prefix + ("" if file == "index.md" else file.removesuffix(".md") + "/")
    updated = label(policy, "last-updated", lang, date=format_date(policy.effective, lang), version=policy.version)
    return {
        "lang": lang,
        "banner": "" if publishing else label(policy, "sample-banner", lang, marker=MARKERS[lang]),
        "footer": {"label": label(policy, "footer-nav", lang), "updated": updated,
                   "links": [{"title": page_title(page_id, policy, lang), "path": path(page_id)}
                             for page_id in ("contact", "faq", "legal", "privacy")]},
        "not_found": {"title": label(policy, "not-found-title", lang), "text": label(policy, "not-found-text", lang),
                      "home": label(policy, "not-found-home", lang), "home_path": path("overview"),
                      "other_folders": [] if folder else list(other_folders)},
        "search_words": site_policy(policy).search_words(lang),
    }
