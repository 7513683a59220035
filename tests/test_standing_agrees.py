"""`status` and `today` agree with `validate` on generated cases (a property test).

Cases are generated as real files, each dated on or before the as-of date, some broken on
purpose; the three commands read each through the same per-file path, and must agree:
overdue ⇔ P006, overpaid ⇔ P004, invalid ⇔ a gating diagnostic, awaiting balance ⇔ P008,
revoke-license ⇔ P006. And "ready" tells the truth: starting the work that day breaks no
rule about prepayment or checks, while "awaiting-checks" names exactly the checks
validate would then miss.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from validator.engine import GATING_CODES, validate
from validator.policy import load_policy
from validator.standing import State
from validator.status import collect_status
from validator.today import ActionCode, collect_today

from conftest import POLICY_DIR

POLICY = load_policy(POLICY_DIR)
AS_OF = dt.date(2026, 12, 1)
START = dt.date(2026, 10, 1)


def day(offset: int) -> str:
    return (START + dt.timedelta(days=offset)).isoformat()


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    """A case whose steps are in order and dated between START and AS_OF."""
    span = (AS_OF - START).days
    dates = sorted(draw(st.lists(st.integers(0, span), min_size=8, max_size=8)))
    case: dict[str, Any] = {
        "id": "gen", "opened": day(dates[0]),
        "customer": {"ref": "C-1", "language": draw(st.sampled_from(["ja", "en"])),
                     "license": draw(st.sampled_from(["L-1", None])),
                     "same_paypal_account": draw(st.booleans())},
        "product": draw(st.sampled_from(sorted(POLICY.products))),
        "paypal_api_signature": draw(st.sampled_from([True, False, None])),
    }
    steps = draw(st.sampled_from([5, 3, 4, 6, 2, 5, 3, 1, 0]))  # the early steps less often
    if steps >= 1:
        case["triage"] = {"date": day(dates[1]), "outcome": draw(st.sampled_from(["paid"] * 4 + ["manual", "declined"]))}
        case["access"] = draw(st.sampled_from(["lent", "none", "self-operated"]))
    if steps >= 2:
        amount = draw(st.integers(1, 40000))
        case["estimate"] = {"date": day(dates[2]), "items": [{"fee": "error-check", "amount": amount}],
                            "total": amount}
        plan = draw(st.sampled_from(["prepayment", "prepayment", "all", "random", "none", "over"]))
        deposit = POLICY.deposit(amount)
        paid_on = day(draw(st.integers(dates[2], dates[3])))
        payments = {"prepayment": [(paid_on, deposit)], "none": [], "over": [(paid_on, amount), (paid_on, 1)],
                    "all": [(paid_on, deposit), (day(draw(st.integers(dates[3], span))), amount - deposit)],
                    "random": [(day(at), paid) for at, paid in sorted(draw(st.lists(
                        st.tuples(st.integers(dates[2], span), st.integers(1, amount)), max_size=3)))]}[plan]
        payments = [(at, paid) for at, paid in payments if paid > 0]
        if payments:
            case["payments"] = [{"date": at, "amount": paid, "method": "paypal", "kind": "deposit"}
                                for at, paid in payments]
        checks = {key: day(draw(st.integers(dates[2], dates[3])))
                  for key in ("credentials_secured", "api_signature_removed", "backups_removed") if draw(st.booleans())}
        if checks:
            case["checks"] = checks
    if steps >= 4:
        case["work"] = {"started": day(dates[4]), "items": ["error-check"]}
    if steps >= 5:
        near_the_deadline = draw(st.sampled_from([None, 0, 2, 3, 5, 6, 8]))  # days before AS_OF
        completed = dates[5] if near_the_deadline is None else max(dates[4], span - near_the_deadline)
        case["work"]["completed"] = day(completed)
    if steps >= 6 and draw(st.booleans()):
        case["license_revoked"] = day(dates[6])
    if draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans()):  # now and then a broken file
        case[draw(st.sampled_from(["payements", "opened"]))] = draw(st.sampled_from(["2026-13-01", "x"]))
    return case


def write(folder: Path, case: dict[str, Any]) -> str:
    path = folder / "gen.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), "utf-8")
    return str(path)


def codes(path: str) -> set[str]:
    report = validate([path], POLICY, as_of=AS_OF, lang="en", jobs=1)
    return {diagnostic.code for diagnostic in report.diagnostics}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_status_and_today_agree_with_validate(case: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), case)
        found = codes(path)
        [row] = collect_status([path], POLICY, as_of=AS_OF).rows
        actions = collect_today([path], POLICY, as_of=AS_OF).actions
        event(row.state.value)
        assert (row.state is State.INVALID) == bool(found & GATING_CODES), (row.state, found)
        if row.state is State.INVALID:
            assert actions == ()
            return
        assert (row.state is State.OVERDUE) == ("P006" in found), (row.state, found)
        assert (row.state is State.OVERPAID) == ("P004" in found), (row.state, found)
        if row.state is State.AWAITING_BALANCE:
            assert "P008" in found
        assert any(a.code is ActionCode.REVOKE_LICENSE for a in actions) == ("P006" in found)
        if any(a.code in (ActionCode.REMIND_BALANCE, ActionCode.BALANCE_DUE_TODAY) for a in actions):
            assert "P008" in found
        if row.state in (State.READY, State.AWAITING_CHECKS):
            case["work"] = {"started": AS_OF.isoformat()}
            started = codes(write(Path(folder), case))
            assert not started & {"P001", "P002"}, started
            assert sorted(started & {"A001", "A002", "A003", "A005"}) == list(row.missing_checks), (row, started)


SAMPLES = sorted(str(path) for folder in ("cases", "tests/fixtures/status/cases")
                 for path in (Path(__file__).resolve().parent.parent / folder).glob("*.yaml"))


def test_status_and_today_agree_with_validate_on_the_sample_cases() -> None:
    """Every sample case, every day from the snapshot (2026-11-28) to two weeks later."""
    for offset in range(14):
        as_of = dt.date(2026, 11, 28) + dt.timedelta(days=offset)
        report = validate(SAMPLES, POLICY, as_of=as_of, lang="en", jobs=1)
        found: dict[str, set[str]] = {path: set() for path in SAMPLES}
        for diagnostic in report.diagnostics:
            found[diagnostic.file].add(diagnostic.code)
        rows = {row.file: row for row in collect_status(SAMPLES, POLICY, as_of=as_of).rows}
        revoke = {a.row.file for a in collect_today(SAMPLES, POLICY, as_of=as_of).actions
                  if a.code is ActionCode.REVOKE_LICENSE}
        assert set(rows) == set(SAMPLES)
        for path, row in rows.items():
            assert (row.state is State.INVALID) == bool(found[path] & GATING_CODES), (as_of, path)
            assert (row.state is State.OVERDUE) == ("P006" in found[path]), (as_of, path)
            assert (row.state is State.OVERPAID) == ("P004" in found[path]), (as_of, path)
            assert (path in revoke) == ("P006" in found[path]), (as_of, path)
