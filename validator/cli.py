"""The ``support-policy`` command: parse arguments, build objects, run, return an exit code."""
from __future__ import annotations

import argparse
import io
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Sequence

from validator.dates import parse_date, today
from validator.diagnostics import Severity
from validator.engine import UsageError, discover, same_file, validate
from validator.focus import focus_on
from validator.github_actions import in_github_actions, repository_url, step_summary_path
from validator.new_case import create_case, next_step
from validator.payment_search import PAYMENT_REPORTER_BY_NAME, PaymentFilter, collect_payments, payment_methods
from validator.policy import PolicyError, load_policy
from validator.reporters import REPORTER_BY_NAME
from validator.standing import State
from validator.status import STATUS_REPORTER_BY_NAME, collect_status
from validator.today import MESSAGES as TODAY_MESSAGES
from validator.today import TODAY_REPORTER_BY_NAME, collect_today

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    # A file name that is not UTF-8 (git allows it) must print, not raise mid-report.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        return arguments.run(arguments)
    except (PolicyError, UsageError) as error:
        print(f"support-policy: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="support-policy",
        description="Check support cases against the support policy.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("validate", help="validate case files (default: cases/)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="case files or folders (default: cases/)")
    _common_options(check)
    check.add_argument("--format", choices=sorted(REPORTER_BY_NAME), default=None,
                       help="output format (default: text; github when GITHUB_ACTIONS=true)")
    _lang_option(check)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="processes to check files with (default: one per CPU for many files)")
    check.add_argument("--base", default=None, metavar="REF",
                       help="also check that no payment recorded at git revision REF was rewritten "
                            "or removed (L001, L002); e.g. HEAD, origin/main")
    hook = check.add_argument_group(
        "checking a commit (pre-commit)",
        "pre-commit passes the files being committed as PATHs: report on those only, with every "
        "case still read, so the cross-file rules (S004, S006) see the whole folder")
    hook.add_argument("--only-given", action="store_true",
                      help="report only on the case files given as PATHs; every case under --cases is "
                           "read too, and a message about another file names it. A PATH outside the "
                           "case folders (a policy file) reports on every case")
    hook.add_argument("--cases", action="append", default=None, metavar="DIR",
                      help="with --only-given: the case folder read whole (default: cases/; repeatable)")
    hook.add_argument("--overdue-as-warning", action="store_true",
                      help="report an overdue balance (P006) as a warning, which does not fail the run "
                           "(for pre-commit: the daily run owns overdue balances)")
    check.set_defaults(run=_run_validate)

    status = commands.add_parser("status", help="list every case with its state and balance, overdue first")
    status.add_argument("paths", nargs="*", metavar="PATH", help="case files or folders (default: cases/)")
    _common_options(status)
    status.add_argument("--format", choices=list(STATUS_REPORTER_BY_NAME), default="table",
                        help="output format (default: table)")
    _lang_option(status)
    status.add_argument("--state", action="append", choices=[state.value for state in State], default=None,
                        metavar="STATE", help="only cases in this state (repeatable): "
                                              + ", ".join(state.value for state in State))
    status.set_defaults(run=_run_status)

    payments = commands.add_parser(
        "payments", help="list and search every recorded payment, with totals (取引年月日・取引金額・取引先)")
    payments.add_argument("paths", nargs="*", metavar="PATH", help="case files or folders (default: cases/)")
    payments.add_argument("--policy", default="policy", metavar="DIR", help="policy folder (default: policy/)")
    payments.add_argument("--from", dest="start", type=_as_of, default=None, metavar="YYYY-MM-DD",
                          help="payments dated on or after this day")
    payments.add_argument("--to", dest="end", type=_as_of, default=None, metavar="YYYY-MM-DD",
                          help="payments dated on or before this day")
    payments.add_argument("--min", dest="minimum", type=_yen, default=None, metavar="YEN",
                          help="payments of at least this amount (whole yen)")
    payments.add_argument("--max", dest="maximum", type=_yen, default=None, metavar="YEN",
                          help="payments of at most this amount (whole yen)")
    payments.add_argument("--customer", default=None, metavar="REF", help="the customer's ref (customer.ref)")
    payments.add_argument("--method", choices=payment_methods(), default=None, help="the payment method")
    payments.add_argument("--case", default=None, metavar="ID", help="one case's id")
    payments.add_argument("--format", choices=list(PAYMENT_REPORTER_BY_NAME), default="text",
                          help="output format (default: text; csv opens in a spreadsheet)")
    _lang_option(payments)
    payments.set_defaults(run=_run_payments)
    today_ = commands.add_parser("today", help="what to do today, most urgent first; --drafts writes the mails")
    today_.add_argument("paths", nargs="*", metavar="PATH", help="case files or folders (default: cases/)")
    _common_options(today_)
    today_.add_argument("--format", choices=list(TODAY_REPORTER_BY_NAME), default="text",
                        help="output format (default: text)")
    _lang_option(today_)
    today_.add_argument("--drafts", default=None, metavar="DIR",
                        help="also write one mail draft per action that involves the customer into DIR, "
                             "in the customer's language")
    today_.set_defaults(run=_run_today)

    new = commands.add_parser("new", help="start a case file cases/ID.yaml dated today")
    new.add_argument("case_id", metavar="ID", nargs="?", default=None,
                     help="the new case's id (letters, digits, - and _; 2026-016.yaml means 2026-016); "
                          "default: the next free YYYY-NNN of this year under the cases folder")
    new.add_argument("--cases", default="cases", metavar="DIR", help="cases folder (default: cases/)")
    new.add_argument("--policy", default="policy", metavar="DIR", help="policy folder (default: policy/)")
    new.add_argument("--product", default=None, metavar="PRODUCT",
                     help="a product id of the policy (default: the policy's first product)")
    new.add_argument("--opened", type=_as_of, default=None, metavar="YYYY-MM-DD",
                     help="the day the inquiry arrived, not after today (default: today in the policy's "
                          "time zone)")
    _lang_option(new)
    new.set_defaults(run=_run_new)
    return parser


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("ja", "en"), default=None,
                        help="language of the messages (default: the policy's first language, "
                             "or English when LANG says so)")


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policy", default="policy", metavar="DIR", help="policy folder (default: policy/)")
    parser.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM-DD",
                        help="the day to check against (default: today in the policy's time zone)")


def _as_of(text: str) -> dt.date:
    value = parse_date(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD")
    return value


def _yen(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount in whole yen (digits only, e.g. 15000)")
    return int(text)


def default_language(languages: Sequence[str]) -> str:
    """The policy's first language, unless the environment's locale says English."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "en" if value.startswith("en") and "en" in languages else languages[0]
    return languages[0]


def _run_validate(arguments: argparse.Namespace) -> int:
    policy = load_policy(arguments.policy)
    as_of = arguments.as_of or today(policy.parameters.time_zone)
    lang = arguments.lang or default_language(policy.languages)
    paths = arguments.paths or ["cases"]
    report_only = None
    if arguments.only_given:
        focus = focus_on(arguments.paths, arguments.cases or ["cases"], arguments.policy)
        paths, report_only = list(focus.paths), focus.report_only
    elif arguments.cases:
        raise UsageError("--cases is for --only-given; give the folders to validate as PATHs")
    severity_by_code = {"P006": Severity.WARNING} if arguments.overdue_as_warning else None
    report = validate(paths, policy, as_of=as_of, lang=lang, jobs=arguments.jobs,
                      report_only=report_only, severity_by_code=severity_by_code, base=arguments.base)
    format_name = arguments.format or ("github" if in_github_actions(os.environ) else "text")
    color = format_name == "text" and _color()
    reporter_class = REPORTER_BY_NAME[format_name]
    reporter = reporter_class(lang=lang, color=color, repository_url=repository_url(os.environ),
                              files=_listed(paths, report_only) if reporter_class.lists_every_file else ())
    sys.stdout.write(reporter.render(report))
    _append_step_summary(reporter.step_summary(report))
    return EXIT_ERRORS if report.failed(strict=arguments.strict) else EXIT_OK


def _listed(paths: Sequence[str], report_only: frozenset[str] | None) -> list[str]:
    """The case files a report lists: those checked, or with --only-given those reported on."""
    return [path for path in discover(paths) if report_only is None or same_file(path) in report_only]


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _append_step_summary(markdown: str | None) -> None:
    target = step_summary_path(os.environ)
    if markdown is None or target is None:
        return
    try:
        with open(target, "a", encoding="utf-8") as summary:
            summary.write(markdown)
    except OSError as error:  # the annotations are out already; the exit code stays validation's
        print(f"support-policy: cannot write the step summary {target}: {error.strerror}", file=sys.stderr)


def _run_status(arguments: argparse.Namespace) -> int:
    policy = load_policy(arguments.policy)
    as_of = arguments.as_of or today(policy.parameters.time_zone)
    lang = arguments.lang or default_language(policy.languages)
    states = [State(value) for value in arguments.state or ()]
    report = collect_status(arguments.paths or ["cases"], policy, as_of=as_of, states=states)
    color = arguments.format == "table" and _color()
    reporter = STATUS_REPORTER_BY_NAME[arguments.format](lang=lang, color=color)
    sys.stdout.write(reporter.render(report))
    return EXIT_ERRORS if report.fails else EXIT_OK


def _run_today(arguments: argparse.Namespace) -> int:
    from validator.drafts import load_templates, write_drafts

    policy = load_policy(arguments.policy)
    as_of = arguments.as_of or today(policy.parameters.time_zone)
    lang = arguments.lang or default_language(policy.languages)
    paths = arguments.paths or ["cases"]
    templates = load_templates(policy) if arguments.drafts is not None else None
    report = collect_today(paths, policy, as_of=as_of)
    written = None
    if templates is not None:  # before the report: a refused folder prints no half result
        written = write_drafts(report, templates, policy, Path(arguments.drafts), case_paths=paths, lang=lang)
    sys.stdout.write(TODAY_REPORTER_BY_NAME[arguments.format](lang=lang).render(report))
    if written is not None:
        print(TODAY_MESSAGES["drafts-written"].format(count=len(written), folder=arguments.drafts)
              .in_language(lang), file=sys.stderr)
    if report.unreadable:
        print(TODAY_MESSAGES["unreadable"].format(count=len(report.unreadable), files=", ".join(report.unreadable))
              .in_language(lang), file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def _run_payments(arguments: argparse.Namespace) -> int:
    policy = load_policy(arguments.policy)
    lang = arguments.lang or default_language(policy.languages)
    filters = PaymentFilter(start=arguments.start, end=arguments.end, minimum=arguments.minimum,
                            maximum=arguments.maximum, customer=arguments.customer, method=arguments.method,
                            case=arguments.case)
    contradiction = filters.contradiction()
    if contradiction is not None:
        raise UsageError(contradiction.in_language(lang))
    report = collect_payments(arguments.paths or ["cases"], policy, filters)
    reporter = PAYMENT_REPORTER_BY_NAME[arguments.format](lang=lang)
    sys.stdout.flush()
    sys.stdout.buffer.write(reporter.render(report))
    sys.stdout.buffer.flush()
    sys.stderr.write(reporter.problems(report))
    return EXIT_ERRORS if report.unreadable else EXIT_OK


def _run_new(arguments: argparse.Namespace) -> int:
    policy = load_policy(arguments.policy)
    lang = arguments.lang or default_language(policy.languages)
    now = today(policy.parameters.time_zone)
    created = create_case(arguments.case_id, Path(arguments.cases), opened=arguments.opened or now, today=now,
                          product=arguments.product, policy=policy, lang=lang)
    sys.stdout.write(next_step(created, lang))
    return EXIT_OK
