"""Rules about the record of payments over time (L001, L002), checked with ``validate --base REF``.

A payment, once recorded and committed, is a financial record: it is never edited or
removed (電子帳簿保存法 asks for records kept without improper correction or deletion).
A mistake is corrected by adding ``void`` (a date and a reason) to the entry and
recording the right payment as a new one. These rules compare today's case files with
the ones recorded at git revision REF (``validator/git_history.py`` reads them); the
engine runs the comparison, so the rules here have no per-file check.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from validator.diagnostics import START, Finding, Problem, Severity, Text
from validator.formatting import format_yen
from validator.rules.base import Rule
from validator.yaml_loader import LoadedDocument, excerpt, load_file

if TYPE_CHECKING:
    from validator.git_history import Revision

MESSAGES: dict[str, Text] = {
    "L001": Text(
        ja="{ref}の時点で記録済みの支払い({date}、{amount})の{key}が書き換えられています(「{old}」→「{new}」)。記録済みの支払いは書き換えずに元に戻してください。記録が誤りなら、その支払いに void(日付と理由)を加えて取り消し、正しい支払いを新しい行として追加してください。",
        en="The payment recorded at {ref} ({date}, {amount}) has its {key} rewritten (`{old}` -> `{new}`). Put the recorded entry back as it was; if it was a mistake, add `void` (a date and a reason) to it and record the right payment as a new entry."),
    "L001.void-changed": Text(
        ja="{ref}の時点で記録済みの支払い({date}、{amount})の取り消し(void)が変更または削除されています。voidは一度加えたら変更も削除もしないでください。元に戻してください。",
        en="The payment recorded at {ref} ({date}, {amount}) has its `void` changed or removed. Once added, `void` is never changed or removed; put it back as it was."),
    "L001.removed": Text(
        ja="{ref}の時点で記録されていた支払い({date}、{amount}、{method})が削除されています。記録済みの支払いは削除せずに元に戻してください。記録が誤りなら、その支払いに void(日付と理由)を加えて取り消してください。",
        en="The payment recorded at {ref} ({date}, {amount}, {method}) has been removed. Put it back; if it was a mistake, add `void` (a date and a reason) to it instead."),
    "L002": Text(
        ja="{ref}の時点で支払い{count}件が記録されていた案件「{case}」のファイル {file} がなくなっています。支払いの記録がある案件ファイルは削除できません。git checkout {ref} -- {file} で元に戻してください。",
        en="The file {file} of case `{case}` no longer exists, but payments were recorded in it at {ref} (entries: {count}). A case file with recorded payments is never deleted; restore it with git checkout {ref} -- {file}."),
}

# A value shown in a message when the entry had none (a word, not a sentence).
_NONE = Text(ja="なし", en="none")

DOCS_JA: dict[str, str] = {
    "L001": (
        "validate --base REF のとき: git のリビジョン REF で記録済みだった支払いは、すべてそのまま残っていること。"
        "許される変更は void(日付と理由)を加えることだけで、取り消した支払いは受領額に数えません。"
        "新しい支払いの追加や書式の変更(フロー形式・コメント・キーの順序)は変更とみなしません。"
        "書き換えられた最初の値、または消えた支払いなら payments の位置に報告します。"),
    "L002": (
        "validate --base REF のとき: REF で支払いの記録があった案件ファイルが残っていること。"
        "検査するフォルダーの中での移動や名前の変更は(案件idで見つけるので)かまいませんが、削除は帳簿の削除です。"
        "消えたファイルのパスの 1:1 に、元に戻す git checkout REF -- PATH を添えて報告します。"),
}

PAYMENT_REWRITTEN = Rule("L001", "payment-rewritten", Severity.ERROR, None, Text(
    ja="記録済みの支払いの書き換え・削除", en="A recorded payment was rewritten or removed"), """\
With ``validate --base REF``: every payment entry recorded at git revision REF is still
in the case, unchanged. The only change allowed is adding ``void`` (a date and a
reason), which marks an entry recorded by mistake; a voided entry does not count as
paid. New entries may be added anywhere in the list, and reformatting (flow or block
style, comments, key order) is not a change.

Reported at the first changed value of an edited entry, or at ``payments`` for an
entry that is gone. This rule needs git history, so its tests build real repositories
(``tests/test_ledger.py``) instead of example files.

Fails (recorded at REF with ``amount: 7500``)::

    payments:
      - {date: 2026-11-04, amount: 8000, method: paypal, kind: deposit}

Passes::

    payments:
      - date: 2026-11-04
        amount: 7500
        method: paypal
        kind: deposit
        void: {date: 2026-11-05, reason: 二重に記録した}
      - {date: 2026-11-04, amount: 8000, method: paypal, kind: deposit}
""", messages=MESSAGES, doc_ja=DOCS_JA["L001"])

CASE_REMOVED = Rule("L002", "case-removed", Severity.ERROR, None, Text(
    ja="支払いの記録がある案件ファイルの削除", en="A case file with recorded payments was removed"), """\
With ``validate --base REF``: a case file that had payment entries at git revision REF
still exists. Moving or renaming it within the validated folders is fine (it is found
by its case id); deleting it deletes financial records.

Reported at 1:1 of the missing file's path (spelled under the folder given on the
command line, as it would be if it were still there), with its case id, so that
``git checkout REF -- PATH`` restores it. Tested on real repositories
(``tests/test_ledger.py``).

Fails: ``cases/2026-014.yaml`` had a deposit at REF and has been deleted.

Passes: the same file moved to ``cases/2026/2026-014.yaml``.
""", messages=MESSAGES, doc_ja=DOCS_JA["L002"])

LEDGER_RULES = (PAYMENT_REWRITTEN, CASE_REMOVED)
_ORDER = ("date", "amount", "method", "kind")


@dataclass(frozen=True)
class RemovedCase:
    """A case file of REF that is gone: where the report places it, and what it says."""

    file: str
    case: str
    finding: Finding


def _payments(document: LoadedDocument) -> list[Any] | None:
    data = document.data
    payments = data.get("payments") if isinstance(data, dict) else None
    return payments if isinstance(payments, list) else None


def _case_id(document: LoadedDocument) -> str | None:
    data = document.data
    case_id = data.get("id") if isinstance(data, dict) else None
    return case_id if isinstance(case_id, str) else None


def _normal(value: Any) -> Any:
    """An entry as the rules read it: a key set to null is a key left out (SPEC 4)."""
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items() if item is not None}
    return value


def _keeps(old: Any, new: Any) -> bool:
    """Whether ``new`` is the recorded entry ``old``, at most with ``void`` added."""
    old, new = _normal(old), _normal(new)
    if new == old:
        return True
    if not (isinstance(old, dict) and isinstance(new, dict)) or old.get("void") is not None:
        return False
    return new.get("void") is not None and {k: v for k, v in new.items() if k != "void"} == {
        k: v for k, v in old.items() if k != "void"}


def _shown(value: Any) -> Text | str:
    if value is None:
        return _NONE
    return excerpt(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str))


def _summary(entry: Any) -> dict[str, object]:
    entry = entry if isinstance(entry, dict) else {}
    amount = entry.get("amount")
    yen: object = (Text(ja=format_yen(amount, "ja"), en=format_yen(amount, "en"))
                   if isinstance(amount, int) and not isinstance(amount, bool) else excerpt(amount))
    return {"date": excerpt(entry.get("date")), "amount": yen, "method": excerpt(entry.get("method"))}


def _likeness(old: Any, new: Any) -> int:
    """How many of date, amount, method and kind two entries share."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return 0
    return sum(1 for key in _ORDER if old.get(key) == new.get(key))


def rewritten_payments(recorded: Sequence[Any], document: LoadedDocument, *, ref: str) -> Iterator[Problem]:
    """L001 for each entry of ``recorded`` that today's ``document`` no longer keeps.

    Each recorded entry is matched with today's entry at the same place, else with any
    other entry that keeps it (entries inserted before it move it). One still unmatched
    was edited when an unmatched entry of today shares at least two of its date, amount,
    method and kind (the most alike, the nearest first): reported at the first changed
    value; otherwise it was removed: reported at ``payments``.
    """
    today = _payments(document) or []
    taken = [False] * len(today)
    lost: list[int] = []
    for index, old in enumerate(recorded):
        if index < len(today) and not taken[index] and _keeps(old, today[index]):
            taken[index] = True
        else:
            lost.append(index)
    unmatched: list[int] = []
    for index in lost:
        match = next((other for other, new in enumerate(today) if not taken[other] and _keeps(recorded[index], new)),
                     None)
        if match is None:
            unmatched.append(index)
        else:
            taken[match] = True
    for index in unmatched:
        old = recorded[index]
        fields = {"ref": excerpt(ref), **_summary(old)}
        candidates = [(_likeness(old, new), -abs(other - index), other) for other, new in enumerate(today)
                      if not taken[other]]
        likeness, _, place = max(candidates, default=(0, 0, -1))
        if likeness < 2:
            yield Problem(document.position_of(("payments",)), MESSAGES["L001.removed"].format(**fields))
            continue
        taken[place] = True
        old, new = _normal(old), _normal(today[place])
        keys = [*_ORDER, *(key for key in (*old, *new) if key not in _ORDER and key != "void")]
        key = next((key for key in keys if old.get(key) != new.get(key)), None)
        if key is None:  # only `void` differs: it was changed or removed
            yield Problem(document.position_of(("payments", place, "void")), MESSAGES["L001.void-changed"].format(**fields))
            continue
        yield Problem(document.position_of(("payments", place, key)), MESSAGES["L001"].format(
            **fields, key=key, old=_shown(old.get(key)), new=_shown(new.get(key))))


def ledger_findings(files: Sequence[str], revision: Revision, *, lang: str
                    ) -> tuple[dict[str, list[Finding]], list[RemovedCase]]:
    """L001 per file of ``files`` (today's, as discovered), and L002 for each case file
    of the revision that had payments and exists no more (not even moved)."""
    extra: dict[str, list[Finding]] = {}
    recorded = revision.files
    here = {revision.top_path_of(path): path for path in files}
    changed = [(path, recorded[top]) for top, path in here.items()
               if top in recorded and not revision.unchanged(path, recorded[top])]
    gone = [file for top, file in recorded.items() if top not in here]
    old = revision.load([file for _, file in changed] + gone, lang=lang)
    moved_to: dict[str, str] = {}
    if gone:  # a case moved to another folder is found by its id among today's new files
        for top, path in here.items():
            if top not in recorded:
                case_id = _case_id(load_file(path))
                if case_id is not None:
                    moved_to.setdefault(case_id, path)
    pairs = [(path, file) for path, file in changed]
    removed: list[RemovedCase] = []
    for file in gone:
        document = old[file.top_path]
        payments, case_id = _payments(document), _case_id(document)
        if not payments:
            continue
        if case_id is not None and case_id in moved_to:
            pairs.append((moved_to.pop(case_id), file))
            continue
        removed.append(RemovedCase(file.spelled, case_id or file.spelled, Finding("L002", START, MESSAGES[
            "L002"].format(ref=excerpt(revision.ref), count=len(payments), case=excerpt(case_id),
                                   file=file.spelled))))
    for path, file in pairs:
        payments = _payments(old[file.top_path])
        if not payments:
            continue
        document = load_file(path)
        if not isinstance(document.data, dict):  # unreadable today: S001/S003/S007 say so, nothing to compare
            continue
        problems = list(rewritten_payments(payments, document, ref=revision.ref))
        if problems:
            extra.setdefault(path, []).extend(Finding("L001", problem.position, problem.message)
                                              for problem in problems)
    return extra, removed
