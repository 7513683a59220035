"""The ``support-policy`` command: parse arguments, build objects, run, return an exit code."""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from validator.dates import parse_date, today
from validator.engine import UsageError, discover, validate
from validator.github_actions import in_github_actions, repository_url, step_summary_path
from validator.policy import PolicyError, load_policy
from validator.reporters import REPORTER_BY_NAME
from validator.status import STATUS_REPORTER_BY_NAME, collect_status

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
    check.set_defaults(run=_run_validate)

    status = commands.add_parser("status", help="list every case with its state and balance, overdue first")
    status.add_argument("paths", nargs="*", metavar="PATH", help="case files or folders (default: cases/)")
    _common_options(status)
    status.add_argument("--format", choices=list(STATUS_REPORTER_BY_NAME), default="table",
                        help="output format (default: table)")
    _lang_option(status)
    status.set_defaults(run=_run_status)

    new = commands.add_parser("new", help="start a case file cases/ID.yaml dated today")
    new.add_argument("case_id", metavar="ID", help="the new case's id (letters, digits, - and _)")
    new.add_argument("--cases", default="cases", metavar="DIR", help="cases folder (default: cases/)")
    new.add_argument("--policy", default="policy", metavar="DIR", help="policy folder (default: policy/)")
    new.add_argument("--product", default=None, metavar="PRODUCT",
                     help="a product id of the policy (default: the policy's first product)")
    new.add_argument("--opened", type=_as_of, default=None, metavar="YYYY-MM-DD",
                     help="the day the inquiry arrived (default: today in the policy's time zone)")
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
    report = validate(paths, policy, as_of=as_of, lang=lang, jobs=arguments.jobs)
    format_name = arguments.format or ("github" if in_github_actions(os.environ) else "text")
    color = format_name == "text" and _color()
    reporter_class = REPORTER_BY_NAME[format_name]
    reporter = reporter_class(lang=lang, color=color, repository_url=repository_url(os.environ),
                              files=discover(paths) if reporter_class.lists_every_file else ())
    sys.stdout.write(reporter.render(report))
    _append_step_summary(reporter.step_summary(report))
    return EXIT_ERRORS if report.failed(strict=arguments.strict) else EXIT_OK


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
    report = collect_status(arguments.paths or ["cases"], policy, as_of=as_of)
    color = arguments.format == "table" and _color()
    reporter = STATUS_REPORTER_BY_NAME[arguments.format](lang=lang, color=color)
    sys.stdout.write(reporter.render(report))
    return EXIT_ERRORS if report.needs_action else EXIT_OK


def _run_new(arguments: argparse.Namespace) -> int:
    from validator.new_case import create_case  # only this command needs it

    policy = load_policy(arguments.policy)
    lang = arguments.lang or default_language(policy.languages)
    opened = arguments.opened or today(policy.parameters.time_zone)
    created = create_case(arguments.case_id, Path(arguments.cases), opened=opened, product=arguments.product,
                          policy=policy, lang=lang)
    print(f"{created.path} を作成しました。" if lang == "ja" else f"Created {created.path}.")
    return EXIT_OK
