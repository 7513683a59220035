"""Rules about lent accounts: passwords secured, API signature and backups removed first."""
from __future__ import annotations

from collections.abc import Iterator

from validator.case import Case
from validator.diagnostics import Problem, Severity, Text
from validator.rules.base import case_rule

MESSAGES: dict[str, Text] = {
    "A001.missing": Text(
        ja="作業開始({started})の前に、お客様がパスワードを変更した(または一時アカウントを作成した)ことが記録されていません(checks.credentials_secured)。",
        en="Work started on {started} with no record that the customer secured the lent credentials (checks.credentials_secured)."),
    "A001.late": Text(
        ja="お客様がパスワードを変更した(または一時アカウントを作成した)のが作業開始({started})より後の{done}です。作業開始の前にお願いしてください。",
        en="The customer secured the lent credentials only on {done}, after work started on {started}."),
    "A002.missing": Text(
        ja="作業開始({started})の前に、お客様がPayPal API署名を削除したことが記録されていません(checks.api_signature_removed)。",
        en="Work started on {started} with no record that the customer removed the PayPal API signature (checks.api_signature_removed)."),
    "A002.late": Text(
        ja="お客様がPayPal API署名を削除したのが作業開始({started})より後の{done}です。作業開始の前にお願いしてください。",
        en="The customer removed the PayPal API signature only on {done}, after work started on {started}."),
    "A003.missing": Text(
        ja="作業開始({started})の前に、お客様がAPI署名を含むバックアップファイルを削除したことが記録されていません(checks.backups_removed)。",
        en="Work started on {started} with no record that the customer removed the backup files holding the API signature (checks.backups_removed)."),
    "A003.late": Text(
        ja="お客様がAPI署名を含むバックアップファイルを削除したのが作業開始({started})より後の{done}です。作業開始の前にお願いしてください。",
        en="The customer removed the backup files holding the API signature only on {done}, after work started on {started}."),
    "A005": Text(
        ja="{product}の作業でアカウントをお借りしますが、PayPalのAPI署名を設定しているかがまだ記録されていません。"
           "お客様に確認して paypal_api_signature に true か false を書いてください。",
        en="Access to {product} is lent, but whether a PayPal API signature is set in it is not recorded yet; "
           "ask the customer and write true or false in paypal_api_signature."),
}


def _missing_check(case: Case, key: str, code: str) -> Iterator[Problem]:
    """Flag ``checks.<key>`` missing or dated after work started, in the words of rule ``code``."""
    started = case.started
    if started is None:
        return
    done = case.date("checks", key)
    if done is None:
        yield Problem(case.at("work", "started"), MESSAGES[f"{code}.missing"].format(started=started))
    elif done > started:
        yield Problem(case.at("checks", key), MESSAGES[f"{code}.late"].format(started=started, done=done))


DOCS_JA: dict[str, str] = {
    "A001": (
        "アカウントをお借りする場合(access: lent)、お客様は作業の前にパスワードを変更する(または一時アカウントを作る)こと。checks.credentials_secured に、作業開始日以前の日付で記録します(注1)。"),
    "A002": (
        "PayPal API署名を設定している製品でアカウントをお借りする場合、お客様は作業の前にAPI署名を削除すること。checks.api_signature_removed に記録します(注2)。"),
    "A003": (
        "A002 と同じく、バックアップファイルにAPI署名が残る製品では、作業の前にバックアップファイルも削除すること。checks.backups_removed に記録します。"),
    "A005": (
        "API署名の手順がある製品でアカウントをお借りする場合、お客様がPayPal API署名を設定しているかを先に確認し、paypal_api_signature に true か false で記録します。"
        "`support-policy new` は null(未確認)と書くので、答えを記録するまで警告します。"),
}


@case_rule("A001", "credentials-not-secured", Severity.ERROR, "secure-credentials", Text(
    ja="パスワード変更などの対策前に作業を開始", en="Work started before the lent credentials were secured"), messages=MESSAGES, docs_ja=DOCS_JA)
def credentials_not_secured(case: Case) -> Iterator[Problem]:
    """When the customer lends accounts, they change the passwords (or create a temporary
    account) before the work; ``checks.credentials_secured`` records it, on or before
    the day work starts (note 1).

    Fails::

        access: lent
        work: {started: 2026-11-05}

    Passes::

        access: lent
        checks: {credentials_secured: 2026-11-05}
        work: {started: 2026-11-05}
    """
    if case.access == "lent":
        yield from _missing_check(case, "credentials_secured", "A001")


def api_signature_unknown_for(case: Case) -> bool:
    """A005's condition: access lent to a product with the API-signature step, and no answer
    recorded yet to whether a PayPal API signature is set."""
    product = case.product
    return (case.access == "lent" and product is not None and product.api_signature_step
            and case.get("paypal_api_signature") is None)


def _api_signature_set(case: Case) -> bool:
    product = case.product
    return (case.access == "lent" and product is not None and product.api_signature_step
            and case.get("paypal_api_signature") is True)


@case_rule("A002", "api-signature-not-removed", Severity.ERROR, "remove-api-signature", Text(
    ja="API署名の削除前に作業を開始", en="Work started before the PayPal API signature was removed"), messages=MESSAGES, docs_ja=DOCS_JA)
def api_signature_not_removed(case: Case) -> Iterator[Problem]:
    """A customer who lends access and has a PayPal API signature set in a product with
    that step deletes it before the work (note 2); ``checks.api_signature_removed``
    records it.

    Fails::

        product: paypal-automail
        paypal_api_signature: true
        access: lent
        work: {started: 2026-11-05}

    Passes::

        checks: {credentials_secured: 2026-11-04, api_signature_removed: 2026-11-04}
    """
    if _api_signature_set(case):
        yield from _missing_check(case, "api_signature_removed", "A002")


@case_rule("A003", "backups-not-removed", Severity.ERROR, "remove-backups", Text(
    ja="バックアップファイルの削除前に作業を開始", en="Work started before the backup files were removed"), messages=MESSAGES, docs_ja=DOCS_JA)
def backups_not_removed(case: Case) -> Iterator[Problem]:
    """As A002, for products whose backup files hold the API signature: the backups
    are deleted too before the work; ``checks.backups_removed`` records it.

    Fails::

        product: raku-affiliate
        paypal_api_signature: true
        access: lent
        checks: {credentials_secured: 2026-11-04, api_signature_removed: 2026-11-04}
        work: {started: 2026-11-05}

    Passes::

        checks: {..., backups_removed: 2026-11-04}
    """
    product = case.product
    if _api_signature_set(case) and product is not None and product.backup_step:
        yield from _missing_check(case, "backups_removed", "A003")


def checks_needed(case: Case) -> tuple[tuple[str, str], ...]:
    """The checks A001-A003 require of this case before work starts, as (rule code, ``checks`` key).

    The same conditions as the rules above: ``status`` and ``today`` ask for exactly
    what ``validate`` would miss.
    """
    if case.access != "lent":
        return ()
    needed = [("A001", "credentials_secured")]
    if _api_signature_set(case):
        needed.append(("A002", "api_signature_removed"))
        product = case.product
        if product is not None and product.backup_step:
            needed.append(("A003", "backups_removed"))
    return tuple(needed)


@case_rule("A005", "api-signature-unknown", Severity.WARNING, "remove-api-signature", Text(
    ja="API署名の有無が未確認", en="Not yet known whether a PayPal API signature is set"),
    messages=MESSAGES, docs_ja=DOCS_JA)
def api_signature_unknown(case: Case) -> Iterator[Problem]:
    """Before lending access to a product with the API-signature step, the operator asks
    whether a PayPal API signature is set in it: A002 can only check its removal once the
    answer is recorded. ``support-policy new`` writes ``paypal_api_signature: null``
    (not asked yet); this warns until it is ``true`` or ``false``, at the ``null``, or at
    ``access`` when the key is left out.

    Fails::

        product: paypal-automail
        paypal_api_signature: null
        access: lent

    Passes::

        product: paypal-automail
        paypal_api_signature: false
        access: lent
    """
    product = case.product
    if product is not None and api_signature_unknown_for(case):
        where = (("paypal_api_signature",) if "paypal_api_signature" in case.data else ("access",))
        name = Text(ja=product.name.get("ja", product.id), en=product.name.get("en", product.id))
        yield Problem(case.at(*where), MESSAGES["A005"].format(product=name))
