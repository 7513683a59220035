"""``support-policy new ID``: start a case file with today's date and commented placeholders.

The file validates clean as written (only the required keys carry values) and its
first line points editors that speak the yaml-language-server protocol at the case
schema, so they complete keys and flag typos while the operator types. The steps
still to come are comments, in the order of the flow, ready to uncomment.

It never overwrites: an existing file, or the id used by any case file under the
cases folder (by its name or by its ``id``), is refused.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from validator.case_schema import SCHEMA_RESOURCE, case_id_rule, is_case_id
from validator.engine import UsageError, discover
from validator.policy import Policy
from validator.yaml_loader import load_file


class NewCaseError(UsageError):
    """The case cannot be created (exit 2); the message says why, in the chosen language."""


@dataclass(frozen=True)
class NewCase:
    path: Path
    text: str


def check_id(case_id: str, lang: str) -> None:
    longest = case_id_rule()[1]
    if not is_case_id(case_id):
        raise NewCaseError(
            f"「{case_id}」は案件idに使えません。英数字、- と _ だけで{longest}文字以内にしてください。"
            if lang == "ja" else
            f"{case_id!r} is not a valid case id: letters, digits, - and _ only, at most {longest} characters.")


def id_in_use(case_id: str, cases_dir: Path) -> str | None:
    """The first case file under ``cases_dir`` named after ``case_id`` or carrying it as its id."""
    if not cases_dir.is_dir():
        return None
    for path in discover([str(cases_dir)]):
        if Path(path).stem == case_id:
            return path
        document = load_file(path)
        if isinstance(document.data, dict) and document.data.get("id") == case_id:
            return path
    return None


def schema_reference(cases_dir: Path) -> str:
    """The case schema as the new file's folder reaches it: a relative path when it can be."""
    schema = Path(str(resources.files("validator").joinpath(SCHEMA_RESOURCE)))
    try:
        return Path(os.path.relpath(schema.resolve(), cases_dir.resolve())).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        return schema.resolve().as_uri()


def render_case(case_id: str, *, opened: dt.date, product: str, policy: Policy, schema: str, lang: str) -> str:
    """The text of the new case file."""
    fee = next(iter(policy.fees.values()))
    deposit = policy.deposit(fee.minimum)
    days = policy.parameters.balance_deadline_days
    products = " | ".join(policy.products)
    fees = " | ".join(policy.fees)
    ja = lang == "ja"
    # (YAML, comment); a YAML line starting with "#" is a placeholder to uncomment later.
    lines: list[tuple[str, str]] = [
        (f"id: {case_id}", ""),
        (f"opened: {opened.isoformat()}", "お問い合わせの日 (手順1)" if ja else "the inquiry arrived (step 1)"),
        ("customer:", ""),
        ("  ref:", "お客様の社内参照番号 (個人情報は書かない)" if ja else "your own customer reference; no personal data"),
        ("  language: ja", "ja | en"),
        ("  license:", "ライセンス番号。空欄はライセンスなし (全額前払い)" if ja
         else "the license number; empty: no license (the whole fee is paid up front)"),
        ("  same_paypal_account: true", "ソフトウェアを購入したPayPalアカウントから支払う" if ja
         else "pays from the PayPal account that bought the software"),
        (f"product: {product}", products),
        ("paypal_api_signature: false", "ソフトウェアにPayPalのAPI署名を設定しているか" if ja
         else "whether a PayPal API signature is set in the software"),
        ("request:", "ご依頼の内容を一文で" if ja else "what the customer asks, in a sentence"),
        ("# triage:", "手順2-3" if ja else "steps 2-3"),
        ("#   date: YYYY-MM-DD", ""),
        ("#   outcome: paid", "manual | bug | paid | declined"),
        ("# access: none", "none | lent | self-operated"),
        ("# estimate:", ""),
        ("#   date: YYYY-MM-DD", ""),
        ("#   items:", ""),
        (f"#     - fee: {fee.id}", fees),
        (f"#       amount: {fee.minimum}", "円 (整数)" if ja else "whole yen"),
        (f"#   total: {fee.minimum}", ""),
        ("# payments:", ""),
        ("#   - date: YYYY-MM-DD", ""),
        (f"#     amount: {deposit}", ""),
        ("#     method: paypal", "paypal | card | bank"),
        ("#     kind: deposit", "deposit | full | balance"),
        ("# checks:", "お客様が済ませた対策 (手順5-6)" if ja else "what the customer confirmed (steps 5-6)"),
        ("#   credentials_secured: YYYY-MM-DD", ""),
        ("#   api_signature_removed: YYYY-MM-DD", ""),
        ("#   backups_removed: YYYY-MM-DD", ""),
        ("# work:", ""),
        ("#   started: YYYY-MM-DD", "作業開始 (手順7)" if ja else "work starts (step 7)"),
        (f"#   items: [{fee.id}]", "実際に作業した料金id" if ja else "fee ids actually worked on"),
        ("#   completed: YYYY-MM-DD", f"終了のお知らせ (手順8)。残金の期限は{days}日後" if ja
         else f"completion notice (step 8); the balance is due {days} days later"),
        ("# license_revoked: YYYY-MM-DD", "残金が期限を過ぎてライセンスを削除した日" if ja
         else "the day the license was deleted for an overdue balance"),
        ("# follow_up: []", "見積もり外の作業のために開いた案件のid" if ja
         else "ids of cases opened for work outside the estimate"),
        ("# notes:", ""),
    ]
    width = max(len(yaml_line) for yaml_line, _ in lines) + 2
    body = [f"{yaml_line:<{width}}# {comment}" if comment else yaml_line for yaml_line, comment in lines]
    header = [f"# yaml-language-server: $schema={schema}"]
    return "\n".join(header + body) + "\n"


def create_case(case_id: str, cases_dir: Path, *, opened: dt.date, product: str | None,
                policy: Policy, lang: str) -> NewCase:
    """Write ``cases_dir/<case_id>.yaml``; refuse a bad id, an unknown product or an id in use."""
    check_id(case_id, lang)
    if product is None:
        product = next(iter(policy.products))
    elif product not in policy.products:
        raise NewCaseError(
            f"製品「{product}」はポリシーにありません: {', '.join(policy.products)}" if lang == "ja" else
            f"The product {product!r} is not in the policy: {', '.join(policy.products)}")
    if cases_dir.exists() and not cases_dir.is_dir():
        raise NewCaseError(f"{cases_dir}: フォルダではありません" if lang == "ja" else f"{cases_dir}: not a folder")
    target = cases_dir / f"{case_id}.yaml"
    used_by = str(target) if target.exists() else id_in_use(case_id, cases_dir)
    if used_by is not None:
        raise NewCaseError(
            f"案件id「{case_id}」は {used_by} で使われています。上書きはしません。" if lang == "ja" else
            f"The case id {case_id!r} is already used by {used_by}; nothing was overwritten.")
    text = render_case(case_id, opened=opened, product=product, policy=policy,
                       schema=schema_reference(cases_dir), lang=lang)
    try:
        cases_dir.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as file:  # "x": never over a file made meanwhile
            file.write(text)
    except OSError as error:
        raise NewCaseError(f"{target}: {error.strerror}") from None
    return NewCase(target, text)
