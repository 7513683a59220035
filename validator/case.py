"""A schema-valid case as the rules read it: typed dates and the derived figures of SPEC 3."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from validator.dates import parse_date
from validator.diagnostics import Position
from validator.policy import Policy, Product
from validator.yaml_loader import LoadedDocument, Path_

FREE_OUTCOMES = ("manual", "bug", "declined")


@dataclass(frozen=True)
class Payment:
    index: int
    date: dt.date
    amount: int
    kind: str
    voided: dt.date | None = None  # the day it was marked recorded by mistake (``void``)

    @property
    def counts(self) -> bool:
        """Refunds are recorded (and flagged), never counted as paid; nor is a voided entry."""
        return self.kind != "refund" and self.voided is None


class Case:
    """Read-only access to one case, its positions, and the policy's arithmetic on it."""

    def __init__(self, document: LoadedDocument, policy: Policy, as_of: dt.date) -> None:
        self.document = document
        self.data: dict[str, Any] = document.data
        # Judged by the terms in force when the case was agreed (SPEC 7.3), so every
        # rule reading ``case.policy`` follows the version without knowing of it.
        self.policy = policy.in_force(self.date("estimate", "date") or self.date("opened"))
        self.as_of = as_of

    # --- access ---------------------------------------------------------------------

    def get(self, *path: str | int) -> Any:
        """The value at ``path``, or None when any part is absent (null means absent)."""
        node: Any = self.data
        for part in path:
            if isinstance(part, int):
                node = node[part] if isinstance(node, list) and part < len(node) else None
            else:
                node = node.get(part) if isinstance(node, dict) else None
            if node is None:
                return None
        return node

    def date(self, *path: str | int) -> dt.date | None:
        return parse_date(self.get(*path))

    def at(self, *path: str | int) -> Position:
        """Where the value at ``path`` stands in the file."""
        return self.document.position_of(path)

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def product(self) -> Product | None:
        return self.policy.products.get(self.data["product"])

    @property
    def access(self) -> str:
        return self.get("access") or "none"

    @property
    def outcome(self) -> str | None:
        outcome: str | None = self.get("triage", "outcome")
        return outcome

    @property
    def has_license(self) -> bool:
        return self.get("customer", "license") is not None

    @property
    def has_estimate(self) -> bool:
        return self.get("estimate") is not None

    @property
    def started(self) -> dt.date | None:
        return self.date("work", "started")

    @property
    def completed(self) -> dt.date | None:
        return self.date("work", "completed")

    @property
    def revoked(self) -> dt.date | None:
        return self.date("license_revoked")

    @cached_property
    def payments(self) -> tuple[Payment, ...]:
        return tuple(
            Payment(index, parse_date(entry["date"]) or dt.date.min, entry["amount"], entry["kind"],
                    parse_date((entry.get("void") or {}).get("date")))
            for index, entry in enumerate(self.get("payments") or ()))

    @property
    def standing_payments(self) -> tuple[Payment, ...]:
        """The payments not voided: those that really happened (refunds included)."""
        return tuple(payment for payment in self.payments if payment.voided is None)

    def dates(self) -> list[tuple[Path_, dt.date]]:
        """Every date value in the case, with its path."""
        found: list[tuple[Path_, dt.date]] = []
        for path in _DATE_PATHS:
            value = self.date(*path)
            if value is not None:
                found.append((path, value))
        # A voided entry's own dates stay as recorded (it may be voided for a wrong date);
        # the day it was voided is checked.
        found.extend((("payments", payment.index, "date"), payment.date) for payment in self.standing_payments)
        found.extend((("payments", payment.index, "void", "date"), payment.voided)
                     for payment in self.payments if payment.voided is not None)
        for index, _entry in enumerate(self.get("accepted") or ()):
            accepted = self.date("accepted", index, "date")
            if accepted is not None:
                found.append((("accepted", index, "date"), accepted))
        return found

    # --- derived figures (SPEC section 3) ---------------------------------------------

    @property
    def total(self) -> int:
        return self.get("estimate", "total") or 0

    def paid(self, *, by: dt.date | None = None) -> int:
        """The sum of non-refund payments, optionally only those dated on or before ``by``."""
        return sum(payment.amount for payment in self.payments
                   if payment.counts and (by is None or payment.date <= by))

    @property
    def balance(self) -> int:
        return self.total - self.paid()

    @property
    def due_date(self) -> dt.date | None:
        return self.policy.due_date(self.completed) if self.completed else None

    @property
    def full_prepayment_required(self) -> bool:
        """No license, or paying from another PayPal account: the whole total up front."""
        return not self.has_license or self.get("customer", "same_paypal_account") is False

    @property
    def required_prepayment(self) -> int:
        return self.total if self.full_prepayment_required else self.policy.deposit(self.total)


_DATE_PATHS: tuple[Path_, ...] = (
    ("opened",), ("triage", "date"), ("estimate", "date"),
    ("checks", "credentials_secured"), ("checks", "api_signature_removed"), ("checks", "backups_removed"),
    ("work", "started"), ("work", "completed"), ("license_revoked",),
)
