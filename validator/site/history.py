"""The change-history page (改定履歴 / Change history), rendered from ``policy/history.yaml``.

Pure functions: policy + language -> Markdown. Each version is a section, the newest
first: its effective date, what it changed (the history's own words) and a table of the
terms that differ from the version before it, computed from the two versions' terms, so
the page never repeats a number by hand. The hook in ``hooks.py`` only wires it in.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from validator.formatting import format_date, format_yen
from validator.policy import Policy, PolicyVersion, share_in_words
from validator.site.render import label, md, render_last_updated, table

PAGE_ID = "history"


def page_title(policy: Policy, lang: str) -> str:
    return label(policy, "history-title", lang)


def version_anchor(version: PolicyVersion) -> str:
    """A heading id that is the same in every language: ``version-2-0-0``."""
    return "version-" + (re.sub(r"[^a-z0-9]+", "-", version.version.lower()).strip("-") or "x")


def _share(policy: Policy, version: PolicyVersion, lang: str) -> str:
    share = share_in_words(version.parameters.deposit_ratio, lang)
    return label(policy, "history-deposit-value", lang,
                 share=share[:1].upper() + share[1:] if lang == "en" else share)


# Each term the page compares: its label, and its value in a version as a customer reads it.
_TERMS: tuple[tuple[str, Callable[[Policy, PolicyVersion, str], str]], ...] = (
    ("history-deposit", _share),
    ("balance-deadline", lambda policy, version, lang: label(
        policy, "after-completion", lang, days=version.parameters.balance_deadline_days)),
    ("history-multiplier", lambda policy, version, lang: label(
        policy, "history-multiplier-value", lang, times=version.parameters.self_operated_multiplier)),
)


def changed_terms(policy: Policy, older: PolicyVersion, newer: PolicyVersion,
                  lang: str) -> list[tuple[str, str, str]]:
    """(term, before, after) for every term and fee guide that differs between two versions."""
    rows = [(label(policy, key, lang), value(policy, older, lang), value(policy, newer, lang))
            for key, value in _TERMS if value(policy, older, lang) != value(policy, newer, lang)]
    for fee_id, fee in newer.fees.items():
        before = older.fees[fee_id].minimum
        if before != fee.minimum:
            rows.append((fee.name[lang], label(policy, "fee-from", lang, amount=format_yen(before, lang)),
                         label(policy, "fee-from", lang, amount=format_yen(fee.minimum, lang))))
    return rows


def render_version(policy: Policy, index: int, lang: str) -> str:
    """One version's section: heading (id ``version-...``), what it changed, the changed terms."""
    version = policy.history[index]
    is_current = index == len(policy.history) - 1
    heading = label(policy, "history-current" if is_current else "history-version", lang,
                    version=version.version, date=format_date(version.effective, lang))
    blocks = [f"## {md(heading)} {{#{version_anchor(version)}}}", md(version.changes[lang])]
    if index > 0:
        rows = changed_terms(policy, policy.history[index - 1], version, lang)
        headings = [label(policy, f"history-{key}", lang) for key in ("term", "before", "after")]
        blocks.append(table(headings, [[md(cell) for cell in row] for row in rows], ("left", "left", "left"))
                      if rows else label(policy, "history-unchanged", lang))
    return "\n\n".join(blocks)


def render_history(policy: Policy, lang: str) -> str:
    """Every version, the newest first, after the sentence saying which version a request follows."""
    sections = [render_version(policy, index, lang) for index in reversed(range(len(policy.history)))]
    applies = md(policy.history_applies[lang]) if policy.history_applies else ""
    return "\n\n".join(block for block in (applies, *sections) if block)


def render_history_page(policy: Policy, lang: str) -> str:
    """The whole page: its heading, the history and the policy's last-updated line."""
    return "\n\n".join((f"# {md(page_title(policy, lang))}", render_history(policy, lang),
                        render_last_updated(policy, lang))) + "\n"
