"""Generate realistic case files for the benchmark (and the golden corpus).

A mix of what an operator's ``cases/`` holds: settled cases, open ones (an
inquiry, an estimate, work in progress, a balance due soon), overdue balances,
and broken or policy-breaking files (syntax errors, typos in keys, ``"15,000"``
amounts, duplicate keys, anchors, Shift_JIS files, a password in the notes,
work before the deposit, ...). The first cases cycle through every kind once, so
even a small corpus covers them all; after that kinds are drawn by weight.

Case ``i`` is the same file whatever the total count (its random generator is
seeded by ``i``), so a corpus of 1,000 is the first 1,000 of a corpus of 100,000.
Files are written as a person writes them: block style, comments, Japanese text,
some flow-style lists; 100 per folder.

    python benchmarks/generate.py OUT_DIR --count 1000 [--as-of 2026-11-28]
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

AS_OF = dt.date(2026, 11, 28)
PER_FOLDER = 100

FEES = {"server-move": 20000, "version-up": 10000, "error-check": 15000,
        "paypal-check": 20000, "mail-check": 15000, "data-repair": 30000}
PRODUCTS = ("raku-affiliate", "paypal-automail")
REQUESTS = (
    "サーバー移転後にエラーが表示されるようになりました。",
    "PHPのバージョンを上げたら管理画面に入れなくなりました。",
    "注文メールがお客様に届かなくなりました。",
    "PayPalの決済通知がソフトに届いていないようです。",
    "アフィリエイト報酬の一覧が表示されなくなりました。データが壊れているかもしれません。",
    "Mail stopped arriving after the server change.",
    "After upgrading PHP the admin screen shows a blank page.",
    "PayPal IPN notifications do not reach the software any more.",
    "新しいバージョンへのバージョンアップ作業をお願いしたいです。",
)
NOTES = (
    "お客様と電話で確認済み。",
    "FTPアカウントは作業用の一時アカウントを発行してもらった。",
    "作業完了をメールで通知。",
    "Customer confirmed by e-mail.",
    "Temporary FTP account created by the customer; to be deleted after the work.",
    "見積もりを送付、内金の入金待ち。",
    "",
)


# --- a valid case at each stage of the flow --------------------------------------------------

class Dates:
    """Consecutive dates of the flow, from an opening day, never after the as-of date."""

    def __init__(self, rng: random.Random, opened: dt.date) -> None:
        self.rng = rng
        self.current = opened

    def next(self, low: int = 0, high: int = 3) -> str:
        self.current += dt.timedelta(days=self.rng.randint(low, high))
        return self.current.isoformat()


def _base(rng: random.Random, case_id: str, age: int) -> tuple[dict[str, Any], Dates]:
    opened = AS_OF - dt.timedelta(days=age)
    has_license = rng.random() > 0.08
    case: dict[str, Any] = {
        "id": case_id,
        "opened": opened.isoformat(),
        "customer": {
            "ref": f"C-{rng.randint(1, 9999):04d}",
            "language": "ja" if rng.random() < 0.85 else "en",
            "license": f"L-{rng.randint(10000, 99999)}" if has_license else None,
            "same_paypal_account": rng.random() > 0.07,
        },
        "product": rng.choice(PRODUCTS),
        "paypal_api_signature": rng.random() < 0.6,
        "request": rng.choice(REQUESTS),
    }
    return case, Dates(rng, opened)


def _full_up_front(case: dict[str, Any]) -> bool:
    customer = case["customer"]
    return customer["license"] is None or customer["same_paypal_account"] is False


def _estimate(rng: random.Random, case: dict[str, Any], dates: Dates) -> None:
    case["triage"] = {"date": dates.next(0, 2), "outcome": "paid"}
    case["access"] = rng.choices(("lent", "none", "self-operated"), (6, 3, 1))[0]
    multiplier = 10 if case["access"] == "self-operated" else 1
    fees = rng.sample(sorted(FEES), rng.choice((1, 1, 1, 2)))
    items = [{"fee": fee, "amount": FEES[fee] * multiplier * rng.choice((1, 1, 1.5, 2)) // 1}
             for fee in fees]
    for item in items:
        item["amount"] = int(item["amount"])
    case["estimate"] = {"date": dates.next(0, 2), "items": items,
                        "total": sum(item["amount"] for item in items)}


def _prepay(rng: random.Random, case: dict[str, Any], dates: Dates) -> None:
    total = case["estimate"]["total"]
    method = rng.choice(("paypal", "paypal", "card", "bank"))
    if _full_up_front(case):
        case["payments"] = [{"date": dates.next(0, 3), "amount": total, "method": method, "kind": "full"}]
    else:
        case["payments"] = [{"date": dates.next(0, 3), "amount": math.ceil(total / 2),
                             "method": method, "kind": "deposit"}]


def _start(rng: random.Random, case: dict[str, Any], dates: Dates) -> None:
    checks: dict[str, Any] = {}
    if case["access"] == "lent":
        checks["credentials_secured"] = dates.next(0, 1)
        if case["paypal_api_signature"]:
            checks["api_signature_removed"] = dates.current.isoformat()
            if case["product"] == "raku-affiliate":
                checks["backups_removed"] = dates.current.isoformat()
    if checks:
        case["checks"] = checks
    case["work"] = {"started": dates.next(0, 2),
                    "items": [item["fee"] for item in case["estimate"]["items"]]}


def _complete(case: dict[str, Any], dates: Dates, low: int = 0, high: int = 4) -> None:
    case["work"]["completed"] = dates.next(low, high)


def _pay_balance(rng: random.Random, case: dict[str, Any], dates: Dates) -> None:
    paid = sum(payment["amount"] for payment in case["payments"])
    balance = case["estimate"]["total"] - paid
    if balance > 0:
        case["payments"].append({"date": dates.next(0, 5), "amount": balance,
                                 "method": case["payments"][0]["method"], "kind": "balance"})


def settled(rng: random.Random, case_id: str) -> dict[str, Any]:
    case, dates = _base(rng, case_id, rng.randint(30, 720))
    _estimate(rng, case, dates)
    _prepay(rng, case, dates)
    _start(rng, case, dates)
    _complete(case, dates)
    _pay_balance(rng, case, dates)
    case["license_revoked"] = None
    case["follow_up"] = []
    case["notes"] = rng.choice(NOTES)
    return case


def free_outcome(rng: random.Random, case_id: str) -> dict[str, Any]:
    case, dates = _base(rng, case_id, rng.randint(3, 720))
    case["triage"] = {"date": dates.next(0, 3), "outcome": rng.choice(("manual", "bug", "declined"))}
    case["notes"] = "マニュアルのQ&Aに追記して回答。" if case["triage"]["outcome"] == "manual" else rng.choice(NOTES)
    return case


def inquiry(rng: random.Random, case_id: str) -> dict[str, Any]:
    case, _ = _base(rng, case_id, rng.randint(0, 3))
    return case


def estimated(rng: random.Random, case_id: str) -> dict[str, Any]:
    case, dates = _base(rng, case_id, rng.randint(3, 6))
    _estimate(rng, case, dates)
    return case


def in_progress(rng: random.Random, case_id: str) -> dict[str, Any]:
    case, dates = _base(rng, case_id, rng.randint(8, 14))
    _estimate(rng, case, dates)
    _prepay(rng, case, dates)
    _start(rng, case, dates)
    return case


def balance_due(rng: random.Random, case_id: str) -> dict[str, Any]:
    """Completed in the last days; the balance is due soon (P008, a notice)."""
    case = in_progress(rng, case_id)
    case["work"]["completed"] = (AS_OF - dt.timedelta(days=rng.randint(0, 4))).isoformat()
    if case["work"]["completed"] < case["work"]["started"]:
        case["work"]["completed"] = case["work"]["started"]
    return case


def overdue(rng: random.Random, case_id: str) -> dict[str, Any]:
    """Completed more than five days ago, the balance unpaid (P006)."""
    case, dates = _base(rng, case_id, rng.randint(20, 60))
    _estimate(rng, case, dates)
    if _full_up_front(case):
        case["customer"]["license"], case["customer"]["same_paypal_account"] = "L-20001", True
    _prepay(rng, case, dates)
    _start(rng, case, dates)
    _complete(case, dates)
    return case


def revoked(rng: random.Random, case_id: str) -> dict[str, Any]:
    """Overdue, and the license deleted after the deadline: settled, valid."""
    case = overdue(rng, case_id)
    completed = dt.date.fromisoformat(case["work"]["completed"])
    case["license_revoked"] = (completed + dt.timedelta(days=rng.randint(6, 9))).isoformat()
    return case


# --- cases that break the policy (the rules' findings) -------------------------------------

def _violate(make: Callable[[random.Random, str], dict[str, Any]],
             change: Callable[[random.Random, dict[str, Any]], None]) -> Callable[[random.Random, str], dict[str, Any]]:
    def build(rng: random.Random, case_id: str) -> dict[str, Any]:
        case = make(rng, case_id)
        change(rng, case)
        return case
    build.__name__ = change.__name__
    return build


def _deposit_late(rng: random.Random, case: dict[str, Any]) -> None:  # P001 / P002
    started = dt.date.fromisoformat(case["work"]["started"])
    case["payments"][0]["date"] = (started + dt.timedelta(days=1)).isoformat()


def _no_license_deposit(rng: random.Random, case: dict[str, Any]) -> None:  # P002
    case["customer"]["license"] = None
    total = case["estimate"]["total"]
    case["payments"] = [dict(case["payments"][0], amount=math.ceil(total / 2), kind="deposit")]


def _refund(rng: random.Random, case: dict[str, Any]) -> None:  # P003
    last = case["payments"][-1]
    case["payments"].append(dict(last, kind="refund"))


def _overpaid(rng: random.Random, case: dict[str, Any]) -> None:  # P004
    case["payments"][-1]["amount"] += 5000


def _charged_free(rng: random.Random, case: dict[str, Any]) -> None:  # P005
    case["payments"] = [{"date": case["triage"]["date"], "amount": 5000, "method": "paypal", "kind": "full"}]


def _early_revocation(rng: random.Random, case: dict[str, Any]) -> None:  # P007
    completed = dt.date.fromisoformat(case["work"]["completed"])
    case["license_revoked"] = (completed + dt.timedelta(days=2)).isoformat()


def _wrong_total(rng: random.Random, case: dict[str, Any]) -> None:  # E001
    case["estimate"]["total"] += 1000


def _below_guide(rng: random.Random, case: dict[str, Any]) -> None:  # E002 (and E001 kept consistent)
    case["access"] = "self-operated"
    case["checks"] = None


def _outside_estimate(rng: random.Random, case: dict[str, Any]) -> None:  # E003
    extra = next(fee for fee in sorted(FEES) if fee not in case["work"]["items"])
    case["work"]["items"].append(extra)


def _no_estimate(rng: random.Random, case: dict[str, Any]) -> None:  # E004
    case["estimate"] = None
    case["payments"] = None


def _unsecured(rng: random.Random, case: dict[str, Any]) -> None:  # A001, A002, A003
    case["access"] = "lent"
    case["product"] = "raku-affiliate"
    case["paypal_api_signature"] = True
    case.pop("checks", None)


def _checks_late(rng: random.Random, case: dict[str, Any]) -> None:  # A001 (after the start)
    case["access"] = "lent"
    started = dt.date.fromisoformat(case["work"]["started"])
    case["checks"] = {"credentials_secured": (started + dt.timedelta(days=1)).isoformat()}


def _dates_out_of_order(rng: random.Random, case: dict[str, Any]) -> None:  # T001
    opened = dt.date.fromisoformat(case["opened"])
    case["triage"]["date"] = (opened - dt.timedelta(days=2)).isoformat()


def _future(rng: random.Random, case: dict[str, Any]) -> None:  # T002 (2062 for 2026)
    case["work"]["completed"] = "2062" + case["work"]["completed"][4:]


def _declined_with_work(rng: random.Random, case: dict[str, Any]) -> None:  # C001, P005
    case["triage"]["outcome"] = "declined"


def _unknown_follow_up(rng: random.Random, case: dict[str, Any]) -> None:  # S004
    case["follow_up"] = ["2019-999"]


def _unknown_fee(rng: random.Random, case: dict[str, Any]) -> None:  # S004
    case["estimate"]["items"][0]["fee"] = "mail-chek"


def _id_mismatch(rng: random.Random, case: dict[str, Any]) -> None:  # S005
    case["id"] = case["id"].lower() + "x"


def _password_in_notes(rng: random.Random, case: dict[str, Any]) -> None:  # A004
    case["notes"] = "FTP: ftp.example.jp / shop01 / pw: Tk7#pQ92xLm"


def _bad_amount(rng: random.Random, case: dict[str, Any]) -> None:  # S003
    case["estimate"]["items"][0]["amount"] = f"{case['estimate']['items'][0]['amount']:,}"


def _bad_date(rng: random.Random, case: dict[str, Any]) -> None:  # S003
    case["opened"] = "2026-02-30"


def _missing_key(rng: random.Random, case: dict[str, Any]) -> None:  # S003
    del case["customer"]["same_paypal_account"]
    case["payments"][0].pop("method")


def _bad_enum(rng: random.Random, case: dict[str, Any]) -> None:  # S003
    case["access"] = "borrowed"
    case["payments"][0]["kind"] = "advance"


# Changes of the text itself, after it is written.

def _typo_key(text: str) -> str:  # S003
    return text.replace("\npayments:", "\npayements:", 1)


def _duplicate_key(text: str) -> str:  # S002
    return text.replace("\nproduct:", "\nnotes: 重複\nproduct:", 1) if "\nnotes:" in text else text + "id: again\n"


def _syntax_error(text: str) -> str:  # S001
    return text.replace("\ncustomer:\n", "\ncustomer: {license: L-1, same_paypal_account: true\n", 1)


def _anchor(text: str) -> str:  # S007
    return text.replace("\nproduct: ", "\nproduct: &p ", 1) + "notes: *p\n"


def _tagged(text: str) -> str:  # S007
    return text.replace("\nproduct: ", "\nproduct: !!str ", 1)


def _password_comment(text: str) -> str:  # A004 in a comment
    return text.replace("\nproduct:", "\n# FTP password: Xq8$vN2pLm7!\nproduct:", 1)


def _tab_indent(text: str) -> str:  # S001
    return text.replace("\n  ref:", "\n\tref:", 1)


KindBuilder = Callable[[random.Random, str], dict[str, Any]]
TextChange = Callable[[str], str]

# name -> (weight, builder, text change, encoding)
KINDS: dict[str, tuple[float, KindBuilder, TextChange | None, str]] = {
    "settled": (40, settled, None, "utf-8"),
    "free-outcome": (8, free_outcome, None, "utf-8"),
    "inquiry": (4, inquiry, None, "utf-8"),
    "estimated": (4, estimated, None, "utf-8"),
    "in-progress": (5, in_progress, None, "utf-8"),
    "balance-due": (4, balance_due, None, "utf-8"),
    "revoked": (2, revoked, None, "utf-8"),
    "overdue": (8, overdue, None, "utf-8"),
    # policy violations
    "deposit-late": (2, _violate(in_progress, _deposit_late), None, "utf-8"),
    "no-license-deposit": (1, _violate(in_progress, _no_license_deposit), None, "utf-8"),
    "refund": (0.5, _violate(settled, _refund), None, "utf-8"),
    "overpaid": (0.5, _violate(settled, _overpaid), None, "utf-8"),
    "charged-free": (0.5, _violate(free_outcome, _charged_free), None, "utf-8"),
    "early-revocation": (0.5, _violate(overdue, _early_revocation), None, "utf-8"),
    "wrong-total": (1, _violate(settled, _wrong_total), None, "utf-8"),
    "below-guide": (1, _violate(settled, _below_guide), None, "utf-8"),
    "outside-estimate": (1, _violate(settled, _outside_estimate), None, "utf-8"),
    "no-estimate": (0.5, _violate(in_progress, _no_estimate), None, "utf-8"),
    "unsecured": (1, _violate(in_progress, _unsecured), None, "utf-8"),
    "checks-late": (0.5, _violate(in_progress, _checks_late), None, "utf-8"),
    "dates-out-of-order": (1, _violate(settled, _dates_out_of_order), None, "utf-8"),
    "future-date": (1, _violate(settled, _future), None, "utf-8"),
    "declined-with-work": (0.5, _violate(settled, _declined_with_work), None, "utf-8"),
    "unknown-follow-up": (0.5, _violate(settled, _unknown_follow_up), None, "utf-8"),
    "unknown-fee": (0.5, _violate(settled, _unknown_fee), None, "utf-8"),
    "id-mismatch": (0.5, _violate(settled, _id_mismatch), None, "utf-8"),
    "password-in-notes": (1, _violate(settled, _password_in_notes), None, "utf-8"),
    # broken files (schema and YAML problems)
    "bad-amount": (1.5, _violate(settled, _bad_amount), None, "utf-8"),
    "bad-date": (1, _violate(settled, _bad_date), None, "utf-8"),
    "missing-key": (1, _violate(settled, _missing_key), None, "utf-8"),
    "bad-enum": (1, _violate(settled, _bad_enum), None, "utf-8"),
    "typo-key": (1.5, settled, _typo_key, "utf-8"),
    "duplicate-key": (1, settled, _duplicate_key, "utf-8"),
    "syntax-error": (1, settled, _syntax_error, "utf-8"),
    "tab-indent": (0.5, settled, _tab_indent, "utf-8"),
    "anchor": (0.5, settled, _anchor, "utf-8"),
    "tagged": (0.5, settled, _tagged, "utf-8"),
    "password-comment": (0.5, settled, _password_comment, "utf-8"),
    "shift-jis": (0.5, settled, None, "shift_jis"),
}
_NAMES = list(KINDS)
_WEIGHTS = [KINDS[name][0] for name in _NAMES]


# --- writing YAML as a person does -------------------------------------------------------------

_COMMENTS = {
    "opened": "お問い合わせ日",
    "triage": "手順2-3",
    "estimate": "見積もり",
    "checks": "お客様に確認したこと",
    "work": "手順7-8",
}
_FLOW_LISTS = {"items", "follow_up"}
_PLAIN_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_. ")


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    looks_special = text in ("", "null", "true", "false", "yes", "no", "~") or text[0] in "-0123456789. " \
        or text.endswith(" ")
    if text and not looks_special and (set(text) <= _PLAIN_SAFE or not any(c in text for c in ":#{}[],&*!|>'\"%@`")):
        return text
    if len(text) == 10 and text[4] == "-" and text[:4].isdigit():
        return text  # a date, written plain
    if text.replace("-", "").replace("_", "").isalnum() and not text.isdigit():
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _emit(value: Any, indent: int, lines: list[str], key: str | None = None) -> None:
    pad = "  " * indent
    for name, item in value.items():
        comment = f"  # {_COMMENTS[name]}" if indent == 0 and name in _COMMENTS else ""
        if isinstance(item, dict):
            lines.append(f"{pad}{name}:{comment}")
            _emit(item, indent + 1, lines)
        elif isinstance(item, list) and name in _FLOW_LISTS and all(not isinstance(x, dict) for x in item):
            lines.append(f"{pad}{name}: [{', '.join(_scalar(x) for x in item)}]{comment}")
        elif isinstance(item, list):
            if not item:
                lines.append(f"{pad}{name}: []{comment}")
                continue
            lines.append(f"{pad}{name}:{comment}")
            for entry in item:
                if isinstance(entry, dict):
                    first = True
                    for sub, subvalue in entry.items():
                        lead = f"{pad}  - " if first else f"{pad}    "
                        lines.append(f"{lead}{sub}: {_scalar(subvalue)}")
                        first = False
                else:
                    lines.append(f"{pad}  - {_scalar(entry)}")
        else:
            lines.append(f"{pad}{name}: {_scalar(item)}{comment}")


def case_text(case: dict[str, Any]) -> str:
    lines: list[str] = []
    _emit(case, 0, lines)
    return "\n".join(lines) + "\n"


# --- the corpus ------------------------------------------------------------------------------

def case_id(index: int) -> str:
    return f"B-{index:06d}"


def kind_of(index: int, seed: int = 0) -> str:
    """The first cases take every kind once, in order; then kinds are drawn by weight."""
    if index < len(_NAMES):
        return _NAMES[index]
    return random.Random(f"{seed}:kind:{index}").choices(_NAMES, _WEIGHTS)[0]


def case_file(index: int, seed: int = 0) -> tuple[str, bytes]:
    """The relative path and bytes of case ``index``."""
    kind = kind_of(index, seed)
    _, build, change, encoding = KINDS[kind]
    rng = random.Random(f"{seed}:case:{index}")
    identity = case_id(index)
    folder = f"{index // PER_FOLDER:04d}"
    case = build(rng, identity)
    if index % 97 == 13 and index > PER_FOLDER and kind == "settled":
        # a follow-up case opened for out-of-estimate work: names an earlier case
        case["follow_up"] = [case_id(index - PER_FOLDER)]
    text = case_text(case)
    if change is not None:
        text = change(text)
    if index % 1009 == 150 and index >= PER_FOLDER:
        # the same case saved twice, in two folders (S006 on both)
        identity = case_id(index - PER_FOLDER)
        text = text.replace(f"id: {case_id(index)}", f"id: {identity}", 1)
    return f"{folder}/{identity}.yaml", text.encode(encoding, errors="replace")


def generate(directory: Path, count: int, *, seed: int = 0) -> list[str]:
    """Write ``count`` cases under ``directory``; return their relative paths."""
    written = []
    folders: set[str] = set()
    for index in range(count):
        relative, data = case_file(index, seed)
        folder = relative.split("/")[0]
        if folder not in folders:
            (directory / folder).mkdir(parents=True, exist_ok=True)
            folders.add(folder)
        (directory / relative).write_bytes(data)
        written.append(relative)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    arguments.directory.mkdir(parents=True, exist_ok=True)
    generate(arguments.directory, arguments.count, seed=arguments.seed)


if __name__ == "__main__":
    main()
