"""Rules about what support covers."""
from __future__ import annotations

from collections.abc import Iterator

from validator.case import Case
from validator.diagnostics import Problem, Severity, Text
from validator.rules.base import case_rule

MESSAGES: dict[str, Text] = {
    "C001": Text(
        ja="お断りした案件(declined)に見積もり・支払い・作業のいずれかが記録されています。",
        en="The case is declined, yet an estimate, a payment or work is recorded."),
}


DOCS_JA: dict[str, str] = {
    "C001": (
        "お断りした依頼(対象外、運用面のサポートなど)には、お見積もり・支払い・作業(work.started、work.completed、work.items)を記録しないこと。"),
}


@case_rule("C001", "declined-with-work", Severity.ERROR, "scope", Text(
    ja="お断りした案件に見積もり・支払い・作業", en="A declined case has an estimate, payments or work"), messages=MESSAGES, docs_ja=DOCS_JA)
def declined_with_work(case: Case) -> Iterator[Problem]:
    """A declined request (outside the scope, e.g. operational support) gets no estimate,
    no payment and no work (``work.started``, ``work.completed`` or ``work.items``).

    Fails::

        triage: {date: 2026-11-03, outcome: declined}
        work: {started: 2026-11-05}

    Passes::

        triage: {date: 2026-11-03, outcome: declined}
    """
    if case.outcome != "declined":
        return
    worked = case.started is not None or case.completed is not None or bool(case.get("work", "items"))
    if case.has_estimate or case.standing_payments or worked:
        yield Problem(case.at("triage", "outcome"), MESSAGES["C001"])
