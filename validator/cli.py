"""The ``support-policy`` command: parse arguments, build objects, run, return an exit code."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from typing import Sequence

from validator.dates import parse_date, today
from validator.engine import UsageError, validate
from validator.policy import PolicyError, load_policy
from validator.reporters import REPORTER_BY_NAME

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
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
                       help="output format (default: text)")
    check.add_argument("--lang", choices=("ja", "en"), default=None,
                       help="language of the messages (default: the policy's first language, "
                            "or English when LANG says so)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=_run_validate)
    return parser


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
    report = validate(arguments.paths or ["cases"], policy, as_of=as_of, lang=lang)
    format_name = arguments.format or "text"
    color = format_name == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    reporter = REPORTER_BY_NAME[format_name](lang=lang, color=color)
    sys.stdout.write(reporter.render(report))
    return EXIT_ERRORS if report.failed(strict=arguments.strict) else EXIT_OK
