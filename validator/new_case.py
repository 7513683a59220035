"""``support-policy new [ID]``: start a case file with today's date and commented placeholders.

The file validates clean as written (only the required keys carry values) and its
first line points editors that speak the yaml-language-server protocol at the case
schema, so they complete keys and flag typos while the operator types. The steps
still to come are comments, in the order of the flow, ready to uncomment.

The schema line names ``case.schema.json`` beside the new file, in the operator's own
cases folder, which ``new`` writes (or brings up to date) each time from the installed
validator and the policy in use: the line is the same on every machine, works after any
kind of install, and the editor completes the operator's own product and fee ids.

With no ID it takes the next free id of the year, ``YYYY-NNN``, counting every file
under the cases folder (``2026-015.yaml.txt`` too). It never overwrites: an existing
file, or the id used by any case file under the cases folder (by its name or by its
``id``), is refused; so is an ``opened`` date after today.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from validator.case_schema import case_id_rule, case_schema, is_case_id
from validator.diagnostics import Text
from validator.engine import CASE_SUFFIXES, UsageError, discover
from validator.policy import Policy
from validator.yaml_loader import excerpt, load_file

# The editors' schema, beside the case files: a new case's schema line names it as is.
SCHEMA_FILE_NAME = "case.schema.json"

MESSAGES: dict[str, Text] = {
    "bad-id": Text(
        ja="「{case_id}」は案件idに使えません。英数字、- と _ だけで{longest}文字以内にしてください(例: 2026-015)。",
        en="`{case_id}` is not a valid case id: use letters, digits, - and _ only, at most {longest} characters "
           "(e.g. 2026-015)."),
    "unknown-product": Text(
        ja="製品「{product}」はポリシーにありません。--product には次のいずれかを指定してください: {products}",
        en="The product `{product}` is not in the policy; give --product one of: {products}."),
    "not-a-folder": Text(
        ja="{folder} はフォルダーではありません。--cases には案件ファイルを置くフォルダーを指定してください。",
        en="{folder} is not a folder; give --cases the folder that holds the case files."),
    "id-in-use": Text(
        ja="案件id「{case_id}」は {used_by} で使われています。上書きはしません。別のidを指定するか、idを省いて次の空き番号を使ってください。",
        en="The case id `{case_id}` is already used by {used_by}; nothing was overwritten. Give another id, "
           "or leave it out to take the next free one."),
    "cannot-write": Text(
        ja="{path} に書き込めません({reason})。フォルダーの権限と空き容量を確認してください。",
        en="Cannot write {path} ({reason}); check the folder's permissions and free space."),
    "future-opened": Text(
        ja="--opened {opened} は今日({today})より後の日付です。お問い合わせが届いた日を指定してください。",
        en="--opened {opened} is after today ({today}); give the day the inquiry arrived."),
    "created": Text(
        ja="{path} を作成しました(案件id {id})。",
        en="Created {path} (case id {id})."),
    "schema-written": Text(
        ja="エディター用のスキーマ {schema} を書き出しました。案件ファイルと一緒にコミットしてください。",
        en="Wrote the editors' schema {schema}; commit it with the case files."),
    "next-step": Text(
        ja="次は: ファイルを開いて customer の ref と license、request(ご依頼の内容)を書いてください。"
           "手順が進むたびに、その行の先頭の「# 」を消して日付を入れます。"
           "保存したら support-policy validate {path} で確かめられます。",
        en="Next: open the file and fill in the customer's ref and license and the request. As the case "
           "moves on, remove the leading \"# \" of each step's lines and write its date. After saving, "
           "check it with: support-policy validate {path}"),
}


class NewCaseError(UsageError):
    """The case cannot be created (exit 2); the message says why, in the chosen language."""


@dataclass(frozen=True)
class NewCase:
    path: Path
    text: str
    id: str
    schema_written: Path | None  # the editors' schema, when it was written or brought up to date


def next_step(created: NewCase, lang: str) -> str:
    """What ``new`` prints: what was written and what the operator does next."""
    lines = [MESSAGES["created"].format(path=created.path, id=created.id)]
    if created.schema_written is not None:
        lines.append(MESSAGES["schema-written"].format(schema=created.schema_written))
    lines.append(MESSAGES["next-step"].format(path=created.path))
    return "\n".join(text.in_language(lang) for text in lines) + "\n"


def check_id(case_id: str, lang: str) -> None:
    longest = case_id_rule()[1]
    if not is_case_id(case_id):
        raise NewCaseError(MESSAGES["bad-id"].format(case_id=excerpt(case_id), longest=longest).in_language(lang))


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


def normal_case_id(given: str) -> str:
    """``2026-016.yaml`` (a file name typed for an id) means ``2026-016``."""
    for suffix in CASE_SUFFIXES:
        if given.lower().endswith(suffix) and len(given) > len(suffix):
            return given[: -len(suffix)]
    return given


def next_case_id(cases_dir: Path, year: int) -> str:
    """The next free ``YYYY-NNN`` of ``year``: one more than the highest number that any
    file under ``cases_dir`` carries in its name or (a case file) in its ``id``."""
    pattern = re.compile(rf"{year:04d}-(\d{{3,}})")
    highest = 0
    if cases_dir.is_dir():
        for _root, _folders, names in os.walk(cases_dir):
            for name in names:
                match = pattern.match(name)
                if match and not name[match.end():match.end() + 1].isalnum():
                    highest = max(highest, int(match[1]))
        for path in discover([str(cases_dir)]):
            data = load_file(path).data
            case_id = data.get("id") if isinstance(data, dict) else None
            match = pattern.fullmatch(case_id) if isinstance(case_id, str) else None
            if match:
                highest = max(highest, int(match[1]))
    return f"{year:04d}-{highest + 1:03d}"


def schema_text(policy: Policy) -> str:
    """The editors' case schema: the installed validator's, with the policy's ids filled in."""
    schema = case_schema(policy)
    schema["$comment"] = ("Written by `support-policy new` from the installed validator and policy/; "
                          "rewritten when either changes. Do not edit.")
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schema(cases_dir: Path, policy: Policy) -> Path | None:
    """Write ``cases_dir/case.schema.json`` when it is missing or out of step; the path if written."""
    target = cases_dir / SCHEMA_FILE_NAME
    text = schema_text(policy)
    try:
        if target.read_text("utf-8") == text:
            return None
    except (OSError, UnicodeDecodeError):
        pass
    try:
        target.write_text(text, "utf-8")
    except OSError as error:
        raise NewCaseError(MESSAGES["cannot-write"].format(path=target, reason=error.strerror)) from None
    return target


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
        ("paypal_api_signature: null", "API署名を設定しているか、お客様に確認して true か false に" if ja
         else "ask whether a PayPal API signature is set: true | false"),
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


def create_case(case_id: str | None, cases_dir: Path, *, opened: dt.date, today: dt.date, product: str | None,
                policy: Policy, lang: str) -> NewCase:
    """Write ``cases_dir/<case_id>.yaml`` (None: the next free id of the year) and the editors'
    schema beside it; refuse a bad id, an unknown product, an id in use or a future ``opened``."""
    if opened > today:
        raise NewCaseError(MESSAGES["future-opened"].format(opened=opened.isoformat(), today=today.isoformat())
                           .in_language(lang))
    case_id = next_case_id(cases_dir, today.year) if case_id is None else normal_case_id(case_id)
    check_id(case_id, lang)
    if product is None:
        product = next(iter(policy.products))
    elif product not in policy.products:
        raise NewCaseError(MESSAGES["unknown-product"].format(product=excerpt(product), products=", ".join(policy.products))
                           .in_language(lang))
    if cases_dir.exists() and not cases_dir.is_dir():
        raise NewCaseError(MESSAGES["not-a-folder"].format(folder=cases_dir).in_language(lang))
    target = cases_dir / f"{case_id}.yaml"
    used_by = str(target) if target.exists() else id_in_use(case_id, cases_dir)
    if used_by is not None:
        raise NewCaseError(MESSAGES["id-in-use"].format(case_id=case_id, used_by=used_by).in_language(lang))
    text = render_case(case_id, opened=opened, product=product, policy=policy,
                       schema=SCHEMA_FILE_NAME, lang=lang)
    try:
        cases_dir.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as file:  # "x": never over a file made meanwhile
            file.write(text)
    except OSError as error:
        raise NewCaseError(MESSAGES["cannot-write"].format(path=target, reason=error.strerror)) from None
    return NewCase(target, text, case_id, write_schema(cases_dir, policy))
