"""The registry of rules: one explicit table, in the order of SPEC section 4 (then 7.2)."""
from __future__ import annotations

from validator.rules import access, estimate, payments, scope, timeline
from validator.rules.acceptance import STALE_ACCEPTANCE
from validator.rules.base import Rule
from validator.rules.credentials import SECRET_IN_CASE
from validator.rules.ledger import LEDGER_RULES
from validator.rules.structure import STRUCTURE_RULES

RULES: tuple[Rule, ...] = (
    *STRUCTURE_RULES,
    timeline.date_order,
    timeline.future_date,
    estimate.estimate_total,
    estimate.below_fee_guide,
    estimate.work_outside_estimate,
    estimate.work_without_estimate,
    payments.deposit_before_work,
    payments.full_payment_before_work,
    payments.refund,
    payments.overpaid,
    payments.charged_free_outcome,
    payments.overdue_balance,
    payments.early_revocation,
    payments.balance_due_soon,
    access.credentials_not_secured,
    access.api_signature_not_removed,
    access.backups_not_removed,
    access.api_signature_unknown,
    SECRET_IN_CASE,
    scope.declined_with_work,
    *LEDGER_RULES,
    STALE_ACCEPTANCE,
)

RULE_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
CASE_RULES: tuple[Rule, ...] = tuple(rule for rule in RULES if rule.check_case is not None)
DOCUMENT_RULES: tuple[Rule, ...] = tuple(rule for rule in RULES if rule.check_document is not None)
# The rules that compare with a git revision (``validate --base``): no example file can show them.
HISTORY_CODES: frozenset[str] = frozenset(rule.code for rule in LEDGER_RULES)
