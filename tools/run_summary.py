"""The main job of `make run`: validate the cases, build the site, and end with a short summary.

A first run must not look like a broken install. The diagnostics are printed as
`support-policy validate` prints them, the site is built, and the run ends with what
was checked, what needs action today, and where the site is and how to open it.
Findings about the cases are the run's result, not its failure: the run exits 0 once
it has done its job. It fails only when it could not: an unreadable policy or case
folder (2, as `validate` does) or a site that does not build (mkdocs's code).
`support-policy validate` itself keeps its exit codes for CI.

The sample cases are a snapshot of one day (``--samples-taken``): a balance awaited then
is overdue some days later. A finding that was not there on that day is marked as what
it is, a demonstration of what the daily check finds, with the command that shows the
snapshot as it was.

Usage (from the repository root, in the environment `make setup` made):
    python tools/run_summary.py [--as-of YYYY-MM-DD] [--samples-taken YYYY-MM-DD]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Sequence

from validator.cli import default_language
from validator.dates import parse_date, today
from validator.diagnostics import Diagnostic, Severity, Text
from validator.engine import Report, UsageError, validate
from validator.policy import PolicyError, load_policy
from validator.reporters import TextReporter, summary_line
from validator.rules import RULE_BY_CODE

EXIT_OK, EXIT_USAGE = 0, 2

MESSAGES: dict[str, Text] = {
    "rule": Text(ja="―― make run のまとめ ――", en="-- make run: summary --"),
    "nothing-to-do": Text(ja="今日対応が必要なことはありません。", en="Nothing needs action today."),
    "to-do": Text(ja="今日対応が必要なこと (上の一覧に詳しい内容があります):",
                  en="Needs action today (the list above says what and where):"),
    "demonstration": Text(ja="見本", en="demonstration"),
    Severity.ERROR.value: Text(ja="エラー", en="error"),
    Severity.WARNING.value: Text(ja="警告", en="warning"),
    Severity.NOTICE.value: Text(ja="お知らせ", en="notice"),
    "samples": Text(
        ja="「見本」の印は、見本の案件 (cases/ は {taken} 時点の記録) が日がたって期限を過ぎたなどで、"
           "{taken} にはなかった指摘です。毎日のチェックが見つけるものの実演で、インストールの失敗ではありません。"
           "その日の状態は make run AS_OF={taken} で見られます。",
        en="Marked demonstration: the sample cases are a record of {taken}, and time has passed since "
           "(a balance awaited then is overdue now). This is what the daily check finds, not a broken "
           "install; make run AS_OF={taken} shows that day as it was."),
    "site": Text(ja="サイトは {site} に作成しました。見るには: {serve} を実行して http://localhost:8000/ を開きます。",
                 en="The site was built in {site}. To open it: run {serve} and open http://localhost:8000/."),
    "site-failed": Text(ja="サイトを作成できませんでした (mkdocs build の終了コード {code})。上の出力を確認してください。",
                        en="The site could not be built (mkdocs build exited with {code}); see its output above."),
}


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        policy = load_policy(arguments.policy)
        as_of = arguments.as_of or today(policy.parameters.time_zone)
        lang = arguments.lang or default_language(policy.languages)
        report = validate([arguments.cases], policy, as_of=as_of, lang=lang)
        taken = arguments.samples_taken
        snapshot = validate([arguments.cases], policy, as_of=taken, lang=lang) if taken and taken < as_of else None
    except (PolicyError, UsageError) as error:
        print(f"support-policy: {error}", file=sys.stderr)
        return EXIT_USAGE
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(TextReporter(lang=lang, color=color).render(report))
    sys.stdout.flush()
    # Material's banner about MkDocs 2 says nothing about this site; the build's own warnings stay.
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                            arguments.mkdocs_config, "--site-dir", arguments.site_dir], env=environment,
                           check=False)
    if built.returncode != 0:
        print(MESSAGES["site-failed"].format(code=built.returncode).in_language(lang), file=sys.stderr)
        return built.returncode
    print(summary(report, snapshot, site_dir=arguments.site_dir, lang=lang))
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run_summary", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default="cases", metavar="DIR", help="the case folder (default: cases/)")
    parser.add_argument("--policy", default="policy", metavar="DIR", help="the policy folder (default: policy/)")
    parser.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="the day to check against (default: today in the policy's time zone)")
    parser.add_argument("--samples-taken", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="the day the sample cases were recorded: later findings are marked as a demonstration")
    parser.add_argument("--mkdocs-config", default="mkdocs.yml", metavar="FILE", help="default: mkdocs.yml")
    parser.add_argument("--site-dir", default="site", metavar="DIR", help="where the site is built (default: site/)")
    parser.add_argument("--lang", choices=("ja", "en"), default=None,
                        help="language of the summary (default: as support-policy chooses)")
    return parser


def _date(text: str) -> dt.date:
    value = parse_date(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD")
    return value


def summary(report: Report, snapshot: Report | None, *, site_dir: str, lang: str) -> str:
    """A few lines: what was checked, what needs action today, and where the site is."""
    lines = ["", MESSAGES["rule"].in_language(lang), summary_line(report, lang)]
    to_do = [diagnostic for diagnostic in report.diagnostics if needs_action(diagnostic)]
    earlier = {_identity(diagnostic) for diagnostic in snapshot.diagnostics} if snapshot else None
    demonstrations = 0
    if to_do:
        lines.append(MESSAGES["to-do"].in_language(lang))
    else:
        lines.append(MESSAGES["nothing-to-do"].in_language(lang))
    for diagnostic in to_do:
        rule = RULE_BY_CODE[diagnostic.code]
        mark = ""
        if earlier is not None and _identity(diagnostic) not in earlier:
            demonstrations += 1
            mark = f"  [{MESSAGES['demonstration'].in_language(lang)}]"
        severity = MESSAGES[diagnostic.severity.value].in_language(lang)
        lines.append(f"  {diagnostic.case}  {severity} {diagnostic.code} {rule.summary.in_language(lang)}"
                     f"  ({diagnostic.file}:{diagnostic.line}){mark}")
    if demonstrations and snapshot is not None:
        lines.append(MESSAGES["samples"].format(taken=snapshot.as_of.isoformat()).in_language(lang))
    serve = f"{_python()} -m http.server --directory {site_dir} 8000"
    lines.append(MESSAGES["site"].format(site=f"{site_dir}/", serve=serve).in_language(lang))
    return "\n".join(lines)


def needs_action(diagnostic: Diagnostic) -> bool:
    """Errors and warnings, and the notices that ask for something (a balance due soon);
    an accepted breach has been dealt with."""
    return diagnostic.accepted is None and (diagnostic.severity is not Severity.NOTICE or diagnostic.code == "P008")


def _identity(diagnostic: Diagnostic) -> tuple[str, str, int, int]:
    return (diagnostic.file, diagnostic.code, diagnostic.line, diagnostic.column)


def _python() -> str:
    """This Python as the operator types it: relative to the repository when it is in it."""
    relative = os.path.relpath(sys.executable)
    return sys.executable if relative.startswith("..") else relative


if __name__ == "__main__":
    sys.exit(main())
