"""Mail drafts for ``today --drafts DIR``: one file per action that involves the customer.

The wording is ``policy/templates.yaml`` (checked against the policy schema); the
``{fields}`` are filled from a fixed list computed here from the case and the
policy: amounts, dates, the product's and fees' names, the policy's own clauses.
Nothing else of the case reaches a draft: not its notes, its request or any other
free text, and the license number only as ``validate`` quotes user text (a
credential masked). A draft is written in the customer's language
(``customer.language``), into DIR only, never into a case folder.

Each draft is a text file ``<as-of>-<case>-<action>.txt``: the subject on the first line,
a blank line, then the body.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator.case import Case
from validator.diagnostics import Text
from validator.engine import UsageError
from validator.formatting import format_date, format_yen
from validator.policy import Policy, PolicyError, load_policy_file
from validator.rules.access import checks_needed
from validator.secrets import hide_secrets
from validator.today import Action, TodayReport

TEMPLATES_FILE = "templates.yaml"
_FIELD = re.compile(r"\{([a-z_]+)\}")
# A005 (not known yet whether a signature is set) asks for what A002 checks: note 2.
_CHECK_CLAUSES = {"A001": "secure-credentials", "A002": "remove-api-signature", "A003": "remove-backups",
                  "A005": "remove-api-signature"}


@dataclass(frozen=True)
class Template:
    subject: Mapping[str, str]
    body: Mapping[str, str]


@dataclass(frozen=True)
class Templates:
    by_kind: Mapping[str, Template]
    phrases: Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Draft:
    file_name: str
    language: str
    subject: str
    body: str

    @property
    def text(self) -> str:
        return f"{self.subject}\n\n{self.body.rstrip()}\n"


def load_templates(policy: Policy) -> Templates:
    """``policy/templates.yaml``, checked: its schema, and every ``{field}`` one this module fills."""
    document = load_policy_file(policy, TEMPLATES_FILE)
    for string in document.strings:
        for match in _FIELD.finditer(string.value):
            if match.group(1) not in FIELDS:
                position = document.position_of(string.path)
                raise PolicyError(MESSAGES["unknown-field"].format(
                    where=f"{policy.directory / TEMPLATES_FILE}:{position.line}:{position.column}",
                    name=match.group(1), known=", ".join(sorted(FIELDS))))
    data: dict[str, Any] = document.data
    return Templates(
        by_kind={kind: Template(entry["subject"], entry["body"]) for kind, entry in data["templates"].items()},
        phrases=data["phrases"])


# --- the fields: the only values of a case a draft can show -------------------------------------

@dataclass(frozen=True)
class _Context:
    action: Action
    case: Case
    policy: Policy
    templates: Templates
    lang: str

    def yen(self, amount: int | None) -> str:
        return format_yen(amount or 0, self.lang)

    def date(self, value: dt.date | None) -> str:
        return format_date(value, self.lang) if value else ""

    def clause(self, clause_id: str) -> str:
        return self.policy.text(self.policy.clause(clause_id)["text"], self.lang)


def _items(context: _Context) -> str:
    lines = []
    for item in context.case.get("estimate", "items") or ():
        fee = context.policy.fees.get(item["fee"])
        name = fee.name[context.lang] if fee is not None else item["fee"]
        lines.append(f"- {name}: {context.yen(item['amount'])}")
    return "\n".join(lines)


def _checks(context: _Context) -> str:
    """The clauses (notes 1 and 2) behind each check the case still needs, with their items."""
    blocks = []
    for code in context.action.row.missing_checks:
        clause = context.policy.clause(_CHECK_CLAUSES[code])
        lines = [context.policy.text(clause["title"], context.lang), context.clause(clause["id"])]
        lines += [f"- {context.policy.text(item, context.lang)}" for item in clause.get("items", ())]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _restore(context: _Context) -> str:
    """What the customer sets back after the work: the passwords lent, the API signature removed."""
    keys = {key for _, key in checks_needed(context.case)}
    lines = []
    if "credentials_secured" in keys:
        lines.append(context.templates.phrases["restore-passwords"][context.lang])
    if "api_signature_removed" in keys:
        lines.append(context.templates.phrases["restore-api-signature"][context.lang])
    return "\n".join(lines)


def _prepayment(context: _Context) -> str:
    return context.clause("full-prepayment" if context.case.full_prepayment_required else "deposit")


def _days(value: int | None, lang: str) -> str:
    """A number of days with its unit, as a customer reads it: 2日 / 2 days, 1 day."""
    if value is None:
        return ""
    if lang == "ja":
        return f"{value}日"
    return f"{value} day" if value == 1 else f"{value} days"


FIELDS: dict[str, Callable[[_Context], str]] = {
    "case": lambda c: c.action.row.id,
    "product": lambda c: c.case.product.name[c.lang] if c.case.product else "",
    "license": lambda c: c.action.row.license or "",
    "items": _items,
    "total": lambda c: c.yen(c.case.total),
    "required": lambda c: c.yen(c.case.required_prepayment),
    "paid": lambda c: c.yen(c.case.paid()),
    "amount": lambda c: c.yen(c.action.amount),
    "prepayment": _prepayment,
    "estimate_bound": lambda c: c.clause("estimate-bound"),
    "non_refundable": lambda c: c.clause("non-refundable"),
    "checks": _checks,
    "restore": _restore,
    "completed": lambda c: c.date(c.case.completed),
    "due_date": lambda c: c.date(c.action.due),
    "deadline_days": lambda c: str(c.policy.parameters.balance_deadline_days),
    "days_left": lambda c: _days(c.action.days, c.lang),
    "days_late": lambda c: _days(-c.action.days if c.action.days is not None else None, c.lang),
    "revoked": lambda c: c.date(c.case.revoked),
    "balance_deadline": lambda c: c.clause("balance-deadline"),
}


def render_draft(action: Action, templates: Templates, policy: Policy, as_of: dt.date) -> Draft | None:
    """The mail of ``action`` in its customer's language, or None when it involves no customer."""
    if action.draft is None or action.row.case is None:
        return None
    template = templates.by_kind[action.draft]
    lang = action.row.language if action.row.language in policy.languages else policy.languages[0]
    context = _Context(action, action.row.case, policy, templates, lang)
    values: dict[str, str] = {}

    def fill(text: str) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                values[name] = FIELDS[name](context)
            return values[name]
        # A value is inserted once, never read as a template; anything the secret scanner (A004)
        # calls a credential is masked, as defence in depth.
        return hide_secrets(_FIELD.sub(value, text))

    body = re.sub(r"\n{3,}", "\n\n", fill(template.body[lang]))  # an empty field leaves no gap
    return Draft(_file_name(action, as_of), lang, fill(template.subject[lang]).strip(), body)


def _file_name(action: Action, as_of: dt.date) -> str:
    """``<as-of>-<case>-<action>.txt``: a day's drafts sort together, apart from other days'."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", action.row.id)[:100] or "case"
    return f"{as_of.isoformat()}-{safe}-{action.code.value}.txt"


MESSAGES: dict[str, Text] = {
    "inside-cases": Text(
        ja="{folder}: 下書きの保存先が案件フォルダー {cases} の中です。案件フォルダーの外を指定してください。",
        en="{folder}: the drafts folder is inside the case folder {cases}; choose a folder outside it."),
    "cannot-write": Text(ja="{folder}: 下書きを書けません({reason})。フォルダーの書き込み権限と空き容量を確認してください。",
                         en="{folder}: cannot write the drafts ({reason}); check the folder's permissions and free space."),
    "unknown-field": Text(ja="{where}: 差し込み欄 {{{name}}} はありません。使えるもの: {known}",
                          en="{where}: unknown field {{{name}}}; known: {known}"),
}


def write_drafts(report: TodayReport, templates: Templates, policy: Policy, folder: Path, *,
                 case_paths: Sequence[str], lang: str = "en") -> list[Path]:
    """Write the draft of every action that involves the customer into ``folder``; the paths written."""
    target = folder.resolve()
    for given in case_paths:
        cases = Path(given).resolve()
        cases_folder = cases if cases.is_dir() else cases.parent
        if target == cases_folder or cases_folder in target.parents:
            raise UsageError(MESSAGES["inside-cases"].format(folder=folder, cases=given).in_language(lang))
    drafts = [draft for draft in (render_draft(action, templates, policy, report.as_of) for action in report.actions) if draft]
    written = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for draft in drafts:
            path = target / draft.file_name
            path.write_text(draft.text, "utf-8")  # the platform's line ends, for its mail program
            written.append(folder / draft.file_name)
    except OSError as error:
        raise UsageError(MESSAGES["cannot-write"].format(folder=folder, reason=error.strerror)
                         .in_language(lang)) from None
    return written
