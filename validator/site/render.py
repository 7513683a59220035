"""The support site's pages as Markdown, rendered from the policy: policy + language -> str.

Every function here is pure: it reads the policy and returns Markdown. Policy words come
from ``policy/`` through ``Policy.text``; numbers and dates are computed from its
parameters and formatted per language (20,000円 / ¥20,000, 2026年11月1日 / November 1, 2026).
The only words written here are the site's own UI words, once, in ``LABELS``.

Headings carry stable ids (the clause ids), the same in every language.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from validator.formatting import format_date, format_yen
from validator.policy import Policy

# --- UI words (not policy) -------------------------------------------------------------

LABELS: Mapping[str, Mapping[str, str]] = {
    "page-overview": {"ja": "概要", "en": "Overview"},
    "page-scope": {"ja": "サポート範囲と条件", "en": "Scope and conditions"},
    "page-payment": {"ja": "お支払い・返金・領収書", "en": "Payment, refunds and receipts"},
    "page-accounts": {"ja": "アカウントとAPI署名の保護", "en": "Protecting your accounts"},
    "page-deadline": {"ja": "残金の期限とライセンス", "en": "Balance deadline and license"},
    "contents": {"ja": "このサイトの内容", "en": "On this site"},
    "fee-work": {"ja": "作業", "en": "Work"},
    "fee-guide": {"ja": "料金の目安", "en": "Fee guide"},
    "fee-self-operated": {"ja": "ご自身で操作する場合({multiplier}倍)",
                          "en": "If you operate it yourself (×{multiplier})"},
    "fee-from": {"ja": "{amount}〜", "en": "from {amount}"},
    "example": {"ja": "計算例", "en": "Worked example"},
    "example-fee": {"ja": "{fee}(料金の目安 {amount})の場合:",
                    "en": "For {fee} (fee guide {amount}):"},
    "example-case": {"ja": "お支払い", "en": "Payment"},
    "before-work": {"ja": "作業開始前", "en": "Before the work starts"},
    "after-completion": {"ja": "終了のお知らせから{days}日以内",
                         "en": "Within {days} days of the completion notice"},
    "self-operated-guide": {"ja": "ご自身で操作する場合の目安", "en": "Guide if you operate it yourself"},
    "due-completed": {"ja": "終了のお知らせの日", "en": "Completion notice sent on"},
    "due-date": {"ja": "お支払い期限(この日まで)", "en": "Pay the balance by (inclusive)"},
    "step-heading": {"ja": "{number}. {title}", "en": "{number}. {title}"},
    "step-link": {"ja": "手順{number}「{title}」", "en": "Step {number}: {title}"},
    "note": {"ja": "※{number}", "en": "Note {number}"},
    "note-heading": {"ja": "※{number} {title}", "en": "Note {number}: {title}"},
    "see": {"ja": "{link}をご参照ください。", "en": "See {link}."},
    "see-page": {"ja": "「{link}」のページをご覧ください。", "en": "See the page {link}."},
    "actor-customer": {"ja": "お客様", "en": "You"},
    "actor-vendor": {"ja": "当方", "en": "Us"},
    "flow-diagram": {"ja": "サポートの流れ(図)", "en": "Support flow (diagram)"},
    "products": {"ja": "ソフトウェアごとの手順", "en": "What each software needs"},
    "software": {"ja": "ソフトウェア", "en": "Software"},
    "required": {"ja": "必要", "en": "Required"},
    "not-required": {"ja": "不要", "en": "Not needed"},
    "legal-item": {"ja": "項目", "en": "Item"},
    "legal-value": {"ja": "内容", "en": "Details"},
    "last-updated": {"ja": "最終更新日: {date}(バージョン {version})",
                     "en": "Last updated: {date} (version {version})"},
}


def label(key: str, lang: str, **values: object) -> str:
    """A UI word in ``lang``, its ``{fields}`` filled from ``values``."""
    return LABELS[key][lang].format(**values)


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


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[str]) -> str:
    rule = {"left": "---", "right": "---:", "center": ":---:"}
    lines = [f"| {' | '.join(header)} |", f"| {' | '.join(rule[a] for a in align)} |"]
    lines.extend(f"| {' | '.join(row)} |" for row in rows)
    return "\n".join(lines)


def _blocks(*blocks: str) -> str:
    return "\n\n".join(block for block in blocks if block) + "\n"


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
        title = label("note-heading", lang, number=clause["note"], title=title)
    return _blocks(_heading(level, title, clause_id), render_clause_body(policy, clause_id, lang)).rstrip("\n")


def render_clause_admonition(policy: Policy, clause_id: str, lang: str, kind: str) -> str:
    """A clause as a call-out box (Material admonition) titled by the clause title."""
    return _admonition(kind, clause_title(policy, clause_id, lang),
                       render_clause_body(policy, clause_id, lang))


# --- fees and payments -------------------------------------------------------------------

def render_fee_table(policy: Policy, lang: str) -> str:
    """The fee guide, with the self-operated column computed from the multiplier."""
    multiplier = policy.parameters.self_operated_multiplier
    header = [label("fee-work", lang), label("fee-guide", lang),
              label("fee-self-operated", lang, multiplier=multiplier)]
    rows = [[md(policy.text(fee.name, lang)),
             label("fee-from", lang, amount=format_yen(policy.fee_guide(fee.id, self_operated=False), lang)),
             label("fee-from", lang, amount=format_yen(policy.fee_guide(fee.id, self_operated=True), lang))]
            for fee in policy.fees.values()]
    return _table(header, rows, ("left", "right", "right"))


def render_payment_example(policy: Policy, lang: str) -> str:
    """The deposit and full-prepayment rules worked out on the first fee of the guide."""
    fee = next(iter(policy.fees.values()))
    total = fee.minimum
    deposit = policy.deposit(total)
    days = policy.parameters.balance_deadline_days
    intro = label("example-fee", lang, fee=md(policy.text(fee.name, lang)), amount=format_yen(total, lang))
    header = [label("example-case", lang), label("before-work", lang), label("after-completion", lang, days=days)]
    rows = [[md(clause_title(policy, "deposit", lang)), format_yen(deposit, lang), format_yen(total - deposit, lang)],
            [md(clause_title(policy, "full-prepayment", lang)), format_yen(total, lang), format_yen(0, lang)]]
    self_operated = (f"{label('self-operated-guide', lang)}: "
                     f"{format_yen(policy.fee_guide(fee.id, self_operated=True), lang)}")
    return _blocks(intro, _table(header, rows, ("left", "right", "right")), self_operated).rstrip("\n")


def render_due_date_example(policy: Policy, lang: str) -> str:
    """The balance deadline worked out on an example date (the policy's effective date)."""
    completed = policy.effective
    header = [label("due-completed", lang), label("due-date", lang)]
    rows = [[format_date(completed, lang), f"**{format_date(policy.due_date(completed), lang)}**"]]
    return _table(header, rows, ("left", "left"))


def _legal_value(policy: Policy, entry: Mapping[str, Any], lang: str) -> str:
    value = _legal_source(policy, entry, lang)
    return value[:1].upper() + value[1:]  # a table cell starts like a sentence


def _legal_source(policy: Policy, entry: Mapping[str, Any], lang: str) -> str:
    source = entry.get("from")
    if source == "fees-page":
        return label("see-page", lang, link=_link(page_title("fees", policy, lang), PAGE_BY_ID["fees"].file))
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
    """特定商取引法に基づく表示 as a table, each value from its field in the policy."""
    rows = [[md(policy.text(entry["label"], lang)), _legal_value(policy, entry, lang)]
            for entry in policy.legal_notice]
    return _table([label("legal-item", lang), label("legal-value", lang)], rows, ("left", "left"))


def render_legal_field(policy: Policy, field_id: str, lang: str, *, level: int = 2) -> str:
    """One field of the legal notice as a section (the payment page reuses them)."""
    entry = _legal_entry(policy, field_id)
    return _blocks(_heading(level, policy.text(entry["label"], lang), field_id),
                   _legal_value(policy, entry, lang)).rstrip("\n")


# --- the flow ------------------------------------------------------------------------------

def _note_link(policy: Policy, number: int, lang: str) -> str:
    clause = next(c for c in policy.clauses if c.get("note") == number)
    page = PAGE_BY_CLAUSE[clause["id"]]
    title = label("note-heading", lang, number=number, title=policy.text(clause["title"], lang))
    return _link(title, f"{PAGE_BY_ID[page].file}#{clause['id']}")


def _actor(actor: str, lang: str) -> str:
    return f'<span class="sp-actor sp-actor--{actor}">{html.escape(label(f"actor-{actor}", lang))}</span>'


def render_flow_steps(policy: Policy, lang: str) -> str:
    """The nine steps: number and title as headings (id step-N), who acts, text, notes."""
    sections = []
    for step in policy.steps:
        number = step["number"]
        title = label("step-heading", lang, number=number, title=policy.text(step["title"], lang))
        notes = [label("see", lang, link=_note_link(policy, note, lang)) for note in step.get("notes", ())]
        sections.append(_blocks(_heading(2, title, f"step-{number}"), _actor(step["actor"], lang),
                                md(policy.text(step["text"], lang)), *notes).rstrip("\n"))
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
        notes = " ".join(label("note", lang, number=n) for n in step.get("notes", ()))
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
               f'{esc(notes)}</text>' if notes else "")
            + "</g>")
        previous = (centre, y + height)
        y += height + _FLOW_GAP
    height = y - _FLOW_GAP + 2
    legend = "".join(
        f'<g class="sp-flow__step sp-flow__step--{actor}"><rect x="{x}" y="4" width="16" height="16" rx="4"/>'
        f'<text class="sp-flow__legend" x="{x + 22}" y="17">{esc(label(f"actor-{actor}", lang))}</text></g>'
        for actor, x in (("customer", 1), ("vendor", _FLOW_WIDTH // 2)))
    title = esc(label("flow-diagram", lang))
    return (f'<figure class="sp-flow" data-search-exclude="">'
            f'<svg viewBox="0 0 {_FLOW_WIDTH} {height:g}" role="img" aria-label="{title}" '
            f'xmlns="http://www.w3.org/2000/svg" font-size="{_FLOW_FONT}">'
            f'<title>{title}</title>'
            f'<defs><marker id="sp-flow-head" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z"/></marker></defs>'
            f'{legend}{"".join(boxes)}</svg></figure>')


# --- accounts and the deadline -------------------------------------------------------------

def render_products_table(policy: Policy, lang: str) -> str:
    """Which account-protection steps each software needs (products.yaml)."""
    def mark(needed: bool) -> str:
        return label("required", lang) if needed else label("not-required", lang)
    header = [label("software", lang), md(clause_title(policy, "remove-api-signature", lang)),
              md(clause_title(policy, "remove-backups", lang))]
    rows = [[md(policy.text(product.name, lang)), mark(product.api_signature_step), mark(product.backup_step)]
            for product in policy.products.values()]
    return _table(header, rows, ("left", "center", "center"))


def render_last_updated(policy: Policy, lang: str) -> str:
    """最終更新日 / Last updated, with the policy's version."""
    text = label("last-updated", lang, date=format_date(policy.effective, lang), version=policy.version)
    return f'<p class="sp-updated">{html.escape(text)}</p>'


# --- pages -----------------------------------------------------------------------------------
def render_contents(policy: Policy, lang: str) -> str:
    """Links to every page of the site but the overview, in site order."""
    return _bullets([_link(page_title(page.id, policy, lang), page.file)
                     for page in PAGES if page.id != "overview"])


def _overview(policy: Policy, lang: str) -> str:
    return _blocks(
        render_clause_admonition(policy, "self-help", lang, "info"),
        render_clause(policy, "covered", lang),
        render_clause(policy, "general-questions", lang),
        render_clause(policy, "bug-free", lang),
        render_clause_admonition(policy, "no-guarantee", lang, "warning"),
        _heading(2, label("contents", lang), "contents"),
        render_contents(policy, lang))


def _before_contact(policy: Policy, lang: str) -> str:
    return _blocks(render_clause_body(policy, "before-contact", lang),
                   render_clause_admonition(policy, "no-guarantee", lang, "warning"))


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
        _heading(2, label("example", lang), "example"),
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
        _heading(2, label("products", lang), "products"),
        render_products_table(policy, lang))


def _deadline(policy: Policy, lang: str) -> str:
    last_step = policy.steps[-1]
    number = last_step["number"]
    step_link = _link(label("step-link", lang, number=number, title=policy.text(last_step["title"], lang)),
                      f"{PAGE_BY_ID['flow'].file}#step-{number}")
    return _blocks(render_clause(policy, "balance-deadline", lang),
                   _heading(2, label("example", lang), "example"),
                   render_due_date_example(policy, lang),
                   label("see", lang, link=step_link))


def _legal(policy: Policy, lang: str) -> str:
    return _blocks(md(clause_text(policy, "legal-notice", lang)), render_legal_notice(policy, lang))


def _clause_titled(clause_id: str) -> Callable[[Policy, str], str]:
    return lambda policy, lang: clause_title(policy, clause_id, lang)


def _labelled(key: str) -> Callable[[Policy, str], str]:
    return lambda policy, lang: label(key, lang)


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
    SitePage("scope", "scope.md", _labelled("page-scope"), _scope, ("scope", "conditions", "estimate-bound")),
    SitePage("fees", "fees.md", _clause_titled("fees"), _fees,
             ("fees", "self-operated", "deposit", "full-prepayment")),
    SitePage("payment", "payment.md", _labelled("page-payment"), _payment, ("non-refundable", "no-receipts")),
    SitePage("flow", "flow.md", _clause_titled("flow"), _flow, ("flow",)),
    SitePage("accounts", "accounts.md", _labelled("page-accounts"), _accounts,
             ("secure-credentials", "remove-api-signature", "remove-backups")),
    SitePage("deadline", "deadline.md", _labelled("page-deadline"), _deadline, ("balance-deadline",)),
    SitePage("legal", "legal.md", _clause_titled("legal-notice"), _legal, ("legal-notice",)),
)
PAGE_BY_ID: Mapping[str, SitePage] = {page.id: page for page in PAGES}
PAGE_BY_CLAUSE: Mapping[str, str] = {clause: page.id for page in PAGES for clause in page.clauses}


def page_title(page_id: str, policy: Policy, lang: str) -> str:
    """The title of a page in ``lang``: the navigation, the tab and the heading show it."""
    return PAGE_BY_ID[page_id].title(policy, lang)


def render_page(page_id: str, policy: Policy, lang: str) -> str:
    """A whole page: its heading, its body and the policy's last-updated line."""
    page = PAGE_BY_ID[page_id]
    heading = (page.heading or page.title)(policy, lang)
    return _blocks(f"# {md(heading)}", page.body(policy, lang),
                   render_last_updated(policy, lang))
