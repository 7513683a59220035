"""The ``support-policy`` command: parse arguments, build objects, run, return an exit code.

The command speaks the operator's language from the first word: ``--lang`` (read from
the arguments before they are parsed) or else the locale chooses Japanese or English for
the help, the usage errors and the path errors, as for the diagnostics.

Run from a subfolder of the repository (inside ``cases/``, say), it finds ``policy/`` by
walking up, and takes ``cases/`` beside it as the default folder to check.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from validator.dates import parse_date, today
from validator.diagnostics import Severity, Text
from validator.engine import UsageError, discover, same_file, validate
from validator.github_actions import (
    in_github_actions,
    repository_url,
    step_summary_path,
)
from validator.lazy_pattern import lazy_compile
from validator.policy import Policy, PolicyError, load_policy
from validator.reporters import REPORTER_BY_NAME

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
PROG = "support-policy"
LANGUAGES = ("ja", "en")
POLICY_FOLDER, CASES_FOLDER = "policy", "cases"

MESSAGES: dict[str, Text] = {
    # help
    "description": Text(ja="サポート案件をサポートポリシーに照らして検査します。",
                        en="Check support cases against the support policy."),
    "commands": Text(ja="コマンド", en="commands"),
    "arguments": Text(ja="引数", en="arguments"),
    "options": Text(ja="オプション", en="options"),
    "usage": Text(ja="使い方: ", en="usage: "),
    "help": Text(ja="このヘルプを表示して終了します", en="show this help message and exit"),
    "validate": Text(ja="案件ファイルを検査します(既定: cases/)", en="validate case files (default: cases/)"),
    "status": Text(ja="全案件の状態と残金の一覧(期限切れを先に)", en="list every case with its state and balance, overdue first"),
    "new": Text(ja="今日の日付で案件ファイル cases/ID.yaml を作ります", en="start a case file cases/ID.yaml dated today"),
    "today": Text(ja="今日の対応を急ぐ順に表示します。--drafts でお客様へのメールの下書きも作ります",
                  en="what to do today, most urgent first; --drafts writes the mails"),
    "payments": Text(ja="記録された支払いを一覧・検索します(取引年月日・取引金額・取引先)、合計つき",
                     en="list and search every recorded payment, with totals (取引年月日・取引金額・取引先)"),
    "base": Text(ja="git のリビジョン REF に記録された支払いが書き換えられたり消されたりしていないかも検査します"
                    "(L001, L002)。例: HEAD, origin/main",
                 en="also check that no payment recorded at git revision REF was rewritten or removed "
                    "(L001, L002); e.g. HEAD, origin/main"),
    "hook-group": Text(ja="コミット前の検査(pre-commit)", en="checking a commit (pre-commit)"),
    "hook-description": Text(
        ja="pre-commit はコミットするファイルを PATH として渡します。報告はそのファイルだけですが、"
           "ファイルをまたぐ規則(S004, S006)のためにフォルダー全体を読みます",
        en="pre-commit passes the files being committed as PATHs: report on those only, with every "
           "case still read, so the cross-file rules (S004, S006) see the whole folder"),
    "only-given": Text(
        ja="PATH に指定した案件ファイルだけを報告します。--cases の案件もすべて読み、他のファイルに関する"
           "メッセージはそのファイル名を示します。案件フォルダーの外の PATH(ポリシーのファイル)では全案件を報告します。"
           "--base があれば、削除された案件ファイル(L002)も報告します",
        en="report only on the case files given as PATHs; every case under --cases is read too, and a "
           "message about another file names it. A PATH outside the case folders (a policy file) "
           "reports on every case. With --base, a case file deleted since REF (L002) is reported too"),
    "hook-cases": Text(ja="--only-given のとき、まとめて読む案件フォルダー(既定: cases/、複数指定可)",
                       en="with --only-given: the case folder read whole (default: cases/; repeatable)"),
    "overdue-as-warning": Text(
        ja="期限を過ぎた残金(P006)を警告として報告し、失敗にしません(pre-commit 用: 期限切れは毎日の検査が扱います)",
        en="report an overdue balance (P006) as a warning, which does not fail the run "
           "(for pre-commit: the daily run owns overdue balances)"),
    "cases-without-only-given": Text(
        ja="--cases は --only-given と一緒に使います。検査するフォルダーは PATH として指定してください。",
        en="--cases is for --only-given; give the folders to validate as PATHs."),
    "state": Text(ja="この状態の案件だけを表示します(複数指定可): {states}",
                  en="only cases in this state (repeatable): {states}"),
    "today-format": Text(ja="出力形式(既定: text)", en="output format (default: text)"),
    "drafts": Text(ja="お客様への連絡が要る対応ごとに、お客様の言語でメールの下書きを DIR に書きます",
                   en="also write one mail draft per action that involves the customer into DIR, "
                      "in the customer's language"),
    "from": Text(ja="この日以降の支払い", en="payments dated on or after this day"),
    "to": Text(ja="この日以前の支払い", en="payments dated on or before this day"),
    "min": Text(ja="この金額以上の支払い(円、整数)", en="payments of at least this amount (whole yen)"),
    "max": Text(ja="この金額以下の支払い(円、整数)", en="payments of at most this amount (whole yen)"),
    "customer": Text(ja="お客様の参照番号(customer.ref)", en="the customer's ref (customer.ref)"),
    "method": Text(ja="支払い方法", en="the payment method"),
    "case": Text(ja="1つの案件のid", en="one case's id"),
    "payments-format": Text(ja="出力形式(既定: text。csv は表計算ソフトで開けます)",
                            en="output format (default: text; csv opens in a spreadsheet)"),
    "bad-jobs": Text(ja="「{value}」は使えません。プロセス数は1以上の整数で書いてください(例: --jobs 2)。",
                     en="`{value}` cannot be used; give the number of processes as a whole number of 1 or more "
                        "(e.g. --jobs 2)."),
    "bad-yen": Text(ja="「{value}」は金額ではありません。円単位の整数で、カンマなしで書いてください(例: 15000)。",
                    en="`{value}` is not an amount; write whole yen without commas (e.g. 15000)."),
    "paths": Text(ja="案件ファイルかフォルダー(既定: policy/ の隣の cases/)",
                  en="case files or folders (default: cases/ beside policy/)"),
    "policy": Text(ja="ポリシーのフォルダー(既定: 今のフォルダーから上へたどって見つけた policy/)",
                   en="policy folder (default: the policy/ found here or in a folder above)"),
    "as-of": Text(ja="この日の時点で検査します(既定: ポリシーのタイムゾーンでの今日)",
                  en="the day to check against (default: today in the policy's time zone)"),
    "format": Text(ja="出力形式(既定: text、GITHUB_ACTIONS=true のときは github)",
                   en="output format (default: text; github when GITHUB_ACTIONS=true)"),
    "status-format": Text(ja="出力形式(既定: table)", en="output format (default: table)"),
    "lang": Text(ja="メッセージの言語(既定: 環境のロケール、英語でなければ日本語)",
                 en="language of the messages (default: the locale; Japanese unless it says English)"),
    "strict": Text(ja="警告でも失敗(終了コード1)にします", en="fail on warnings too"),
    "jobs": Text(ja="検査に使うプロセス数(既定: ファイルが多いときCPUごとに1つ)",
                 en="processes to check files with (default: one per CPU for many files)"),
    "show-source": Text(ja="各診断の後に該当行と列の位置(^)を表示します(既定: 端末のときだけ)",
                        en="show the source line and a caret under the column after each diagnostic "
                           "(default: only on a terminal)"),
    "case-id": Text(ja="新しい案件のid(英数字と - と _。2026-016.yaml は 2026-016 の意味)。"
                       "省略すると今年の次の空き番号 YYYY-NNN",
                    en="the new case's id (letters, digits, - and _; 2026-016.yaml means 2026-016); "
                       "default: the next free YYYY-NNN of this year under the cases folder"),
    "cases": Text(ja="案件のフォルダー(既定: policy/ の隣の cases/)", en="cases folder (default: cases/ beside policy/)"),
    "product": Text(ja="ポリシーの製品id(既定: ポリシーの最初の製品)",
                    en="a product id of the policy (default: the policy's first product)"),
    "opened": Text(ja="お問い合わせの日(既定: ポリシーのタイムゾーンでの今日)",
                   en="the day the inquiry arrived (default: today in the policy's time zone)"),
    "created": Text(ja="{path} を作成しました。", en="Created {path}."),
    # errors
    "error": Text(ja="{prog}: エラー: {message}", en="{prog}: error: {message}"),
    "failure": Text(ja="{prog}: {message}", en="{prog}: {message}"),
    "bad-date": Text(ja="「{value}」は日付ではありません。YYYY-MM-DDの形で書いてください(例: 2026-11-28)。",
                     en="`{value}` is not a date written YYYY-MM-DD (e.g. 2026-11-28)."),
    "required": Text(ja="次の指定が必要です: {names}", en="the following arguments are required: {names}"),
    "invalid-choice": Text(ja="{argument} に「{value}」は使えません。次のいずれかです: {choices}",
                           en="{argument}: invalid choice `{value}` (choose from {choices})"),
    "unrecognized": Text(ja="知らない引数です: {names}", en="unrecognized arguments: {names}"),
    "expected-one": Text(ja="{argument} の後に値を1つ書いてください。", en="{argument}: expected one argument"),
    "invalid-value": Text(ja="{argument} の値「{value}」は使えません(整数を書いてください)。",
                          en="{argument}: invalid value `{value}` (write a whole number)"),
    "ambiguous": Text(ja="{option} は複数のオプションに当てはまります: {matches}",
                      en="ambiguous option: {option} could match {matches}"),
    "other-usage": Text(ja="コマンドの指定に誤りがあります(argparseの説明: {detail})",
                        en="{detail}"),
    "see-help": Text(ja="使い方は「{prog} --help」で表示できます。", en="Run `{prog} --help` for the usage."),
    "no-policy": Text(
        ja="ポリシーのフォルダー policy/ が見つかりません({start} とその上のフォルダーを探しました)。"
           "リポジトリの一番上のフォルダーで実行するか、--policy DIR で場所を指定してください。",
        en="Cannot find the policy folder policy/ (looked in {start} and every folder above it). "
           "Run the command from the repository's top folder, or give the folder with --policy DIR."),
    "policy-missing": Text(
        ja="ポリシーのフォルダー {path} がありません。--policy DIR にはポリシーのフォルダー(policy.yaml のあるフォルダー)を指定してください。",
        en="The policy folder {path} does not exist. Give --policy DIR the folder that holds policy.yaml."),
    "policy-error": Text(ja="ポリシーを使えません: {detail}", en="{detail}"),
    "summary-unwritable": Text(
        ja="ステップサマリー {path} に書き込めません: {reason}(検査の結果は変わりません。GITHUB_STEP_SUMMARY の指す場所を確認してください)",
        en="cannot write the step summary {path}: {reason} (the result of the check stands; check where "
           "GITHUB_STEP_SUMMARY points)"),
}

# argparse's own sentences (Python 3.9-3.13), and the catalogue entry that says each in our words
# (compiled when a usage error needs them).
_ARGPARSE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (lazy_compile(r"^the following arguments are required: (?P<names>.+)$"), "required"),
    (lazy_compile(r"^argument (?P<argument>\S+): invalid choice: '?(?P<value>.*?)'? \(choose from (?P<choices>.*)\)$"),
     "invalid-choice"),
    (lazy_compile(r"^unrecognized arguments: (?P<names>.+)$"), "unrecognized"),
    (lazy_compile(r"^argument (?P<argument>\S+): expected one argument$"), "expected-one"),
    (lazy_compile(r"^argument (?P<argument>\S+): invalid int value: '(?P<value>.*)'$"), "invalid-value"),
    (lazy_compile(r"^ambiguous option: (?P<option>\S+) could match (?P<matches>.+)$"), "ambiguous"),
    (lazy_compile(r"^argument (?P<argument>\S+): (?P<message>.+)$"), "argument-message"),
)


def main(argv: Sequence[str] | None = None) -> int:
    if argv is not None:  # called from Python (the tests): the collector stays as it is
        return _main(list(argv))
    # Run as the program: the process ends with the run. What the start made (modules,
    # classes, functions, ~17,000 objects) and what the run builds live to the end, yet the
    # cycle collector would scan them during the run and, at exit, take them apart object by
    # object: ~9 ms of an 80 ms one-file run. Frozen, they are left for the OS to reclaim.
    gc.freeze()
    try:
        return _main(sys.argv[1:])
    finally:
        gc.freeze()


def _main(args: list[str]) -> int:
    # A file name that is not UTF-8 (git allows it) must print, not raise mid-report.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    lang = command_line_language(args)
    arguments = build_parser(lang).parse_args(args)
    arguments.lang = arguments.lang or arguments.command_lang
    try:
        code: int = arguments.run(arguments, arguments.lang or lang)
        return code
    except UsageError as error:
        return _fail(error.message, lang=arguments.lang or lang)
    except PolicyError as error:
        return _fail(MESSAGES["policy-error"].format(detail=error.text), lang=arguments.lang or lang)
    except KeyboardInterrupt:
        return 130


def _fail(message: Text, *, lang: str) -> int:
    print(MESSAGES["failure"].format(prog=PROG, message=message).in_language(lang), file=sys.stderr)
    return EXIT_USAGE


def command_line_language(args: Sequence[str]) -> str:
    """The language of the command's own words: ``--lang`` if the arguments give it, else the locale."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = arg[len("--lang="):] if arg.startswith("--lang=") else (
            args[index + 1] if arg == "--lang" and index + 1 < len(args) else None)
        if value in LANGUAGES:
            return value
    return default_language(LANGUAGES)


def default_language(languages: Sequence[str]) -> str:
    """The policy's first language, unless the environment's locale says English."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "en" if value.startswith("en") and "en" in languages else languages[0]
    return languages[0]


# --- the parser, in one language ------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    """An argument parser whose own words (usage, errors) are in ``lang``."""

    def __init__(self, *args: object, lang: str, **kwargs: object) -> None:
        self.lang = lang
        kwargs.setdefault("formatter_class", _formatter(lang))
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        text = _translate_argparse(message).in_language(self.lang)
        hint = MESSAGES["see-help"].format(prog=self.prog).in_language(self.lang)
        self.exit(EXIT_USAGE, MESSAGES["error"].format(prog=self.prog, message=text).in_language(self.lang)
                  + "\n" + hint + "\n")


def _translate_argparse(message: str) -> Text:
    for pattern, key in _ARGPARSE_ERRORS:
        match = pattern.match(message)
        if match is None:
            continue
        fields = match.groupdict()
        if key == "argument-message":  # our own type check's message, already in the language
            return Text(ja=f"{fields['argument']}: {fields['message']}", en=message)
        if "choices" in fields:  # argparse quotes each choice: 'ja', 'en'
            fields["choices"] = fields["choices"].replace("'", "")
        return MESSAGES[key].format(**fields)
    return MESSAGES["other-usage"].format(detail=message)


def _formatter(lang: str) -> type[argparse.HelpFormatter]:
    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage: str | None, actions: object, groups: object,
                      prefix: str | None = None) -> None:
            super().add_usage(usage, actions, groups,  # type: ignore[arg-type]
                              prefix if prefix is not None else MESSAGES["usage"].in_language(lang))
    return Formatter


class _Choices(Sequence[str]):
    """Allowed values read from their module the first time argparse looks at them.

    ``validate`` on one file is what pre-commit and an editor run all day: it should not
    import the modules of ``status``, ``today`` and ``payments`` only to list their choices.
    """

    def __init__(self, module: str, attribute: str) -> None:
        self._module, self._attribute = module, attribute
        self._values: list[str] | None = None

    def _loaded(self) -> list[str]:
        if self._values is None:
            import importlib
            import types

            found = getattr(importlib.import_module(self._module), self._attribute)
            values = found() if isinstance(found, types.FunctionType) else found  # a function, or a mapping or enum
            self._values = [str(getattr(value, "value", value)) for value in values]
        return self._values

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._loaded()[index]

    def __len__(self) -> int:
        return len(self._loaded())

    def __contains__(self, value: object) -> bool:
        return value in self._loaded()


def build_parser(lang: str) -> argparse.ArgumentParser:
    def words(key: str) -> str:
        return MESSAGES[key].in_language(lang)

    def parser_with_groups(parser: argparse.ArgumentParser) -> tuple[argparse._ArgumentGroup,
                                                                     argparse._ArgumentGroup]:
        positionals = parser.add_argument_group(words("arguments"))
        options = parser.add_argument_group(words("options"))
        options.add_argument("-h", "--help", action="help", help=words("help"))
        return positionals, options

    def as_of(text: str) -> dt.date:
        value = parse_date(text)
        if value is None:
            raise argparse.ArgumentTypeError(MESSAGES["bad-date"].format(value=text).in_language(lang))
        return value

    parser = _Parser(prog=PROG, description=words("description"), lang=lang)
    _, options = parser_with_groups(parser)
    # Also before the command (`support-policy --lang en validate`); main() reads it from the arguments.
    options.add_argument("--lang", choices=LANGUAGES, default=None, dest="command_lang", help=words("lang"))
    # prog given, as argparse would work it out (the usage before the command): working it
    # out builds a help formatter, which imports shutil (and bz2, lzma) on every run.
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title=words("commands"),
                                     parser_class=_Parser, prog=PROG)

    def common(options: argparse._ArgumentGroup) -> None:
        options.add_argument("--policy", default=None, metavar="DIR", help=words("policy"))
        options.add_argument("--as-of", type=as_of, default=None, metavar="YYYY-MM-DD", help=words("as-of"))

    def language(options: argparse._ArgumentGroup) -> None:
        options.add_argument("--lang", choices=LANGUAGES, default=None, help=words("lang"))

    check = commands.add_parser("validate", help=words("validate"), description=words("validate"), lang=lang)
    positionals, options = parser_with_groups(check)
    positionals.add_argument("paths", nargs="*", metavar="PATH", help=words("paths"))
    common(options)
    options.add_argument("--format", choices=sorted(REPORTER_BY_NAME), default=None, help=words("format"))
    language(options)
    options.add_argument("--strict", action="store_true", help=words("strict"))
    def processes(text: str) -> int:
        if not text.isascii() or not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(MESSAGES["bad-jobs"].format(value=text).in_language(lang))
        return int(text)

    options.add_argument("--jobs", type=processes, default=None, metavar="N", help=words("jobs"))
    options.add_argument("--show-source", action=argparse.BooleanOptionalAction, default=None,
                         help=words("show-source"))
    options.add_argument("--base", default=None, metavar="REF", help=words("base"))
    hook = check.add_argument_group(words("hook-group"), words("hook-description"))
    hook.add_argument("--only-given", action="store_true", help=words("only-given"))
    hook.add_argument("--cases", action="append", default=None, metavar="DIR", help=words("hook-cases"))
    hook.add_argument("--overdue-as-warning", action="store_true", help=words("overdue-as-warning"))
    check.set_defaults(run=_run_validate)

    status = commands.add_parser("status", help=words("status"), description=words("status"), lang=lang)
    positionals, options = parser_with_groups(status)
    positionals.add_argument("paths", nargs="*", metavar="PATH", help=words("paths"))
    common(options)
    options.add_argument("--format", choices=_Choices("validator.status", "STATUS_REPORTER_BY_NAME"), default="table",
                         help=words("status-format"))
    language(options)
    state_names = _Choices("validator.standing", "State")
    options.add_argument("--state", action="append", choices=state_names, default=None, metavar="STATE",
                         help=MESSAGES["state"].format(states="%(choices)s").in_language(lang))
    status.set_defaults(run=_run_status)

    today_ = commands.add_parser("today", help=words("today"), description=words("today"), lang=lang)
    positionals, options = parser_with_groups(today_)
    positionals.add_argument("paths", nargs="*", metavar="PATH", help=words("paths"))
    common(options)
    options.add_argument("--format", choices=_Choices("validator.today", "TODAY_REPORTER_BY_NAME"), default="text",
                         help=words("today-format"))
    language(options)
    options.add_argument("--drafts", default=None, metavar="DIR", help=words("drafts"))
    today_.set_defaults(run=_run_today)

    def yen(text: str) -> int:
        if not text.isascii() or not text.isdigit():
            raise argparse.ArgumentTypeError(MESSAGES["bad-yen"].format(value=text).in_language(lang))
        return int(text)

    payments = commands.add_parser("payments", help=words("payments"), description=words("payments"), lang=lang)
    positionals, options = parser_with_groups(payments)
    positionals.add_argument("paths", nargs="*", metavar="PATH", help=words("paths"))
    options.add_argument("--policy", default=None, metavar="DIR", help=words("policy"))
    options.add_argument("--from", dest="start", type=as_of, default=None, metavar="YYYY-MM-DD", help=words("from"))
    options.add_argument("--to", dest="end", type=as_of, default=None, metavar="YYYY-MM-DD", help=words("to"))
    options.add_argument("--min", dest="minimum", type=yen, default=None, metavar="YEN", help=words("min"))
    options.add_argument("--max", dest="maximum", type=yen, default=None, metavar="YEN", help=words("max"))
    options.add_argument("--customer", default=None, metavar="REF", help=words("customer"))
    options.add_argument("--method", choices=_Choices("validator.payment_search", "payment_methods"), default=None,
                         help=words("method"))
    options.add_argument("--case", default=None, metavar="ID", help=words("case"))
    options.add_argument("--format", choices=_Choices("validator.payment_search", "PAYMENT_REPORTER_BY_NAME"),
                         default="text",
                         help=words("payments-format"))
    language(options)
    payments.set_defaults(run=_run_payments)

    new = commands.add_parser("new", help=words("new"), description=words("new"), lang=lang)
    positionals, options = parser_with_groups(new)
    positionals.add_argument("case_id", metavar="ID", nargs="?", default=None, help=words("case-id"))
    options.add_argument("--cases", default=None, metavar="DIR", help=words("cases"))
    options.add_argument("--policy", default=None, metavar="DIR", help=words("policy"))
    options.add_argument("--product", default=None, metavar="PRODUCT", help=words("product"))
    options.add_argument("--opened", type=as_of, default=None, metavar="YYYY-MM-DD", help=words("opened"))
    language(options)
    new.set_defaults(run=_run_new)
    return parser


# --- where policy/ and cases/ are -----------------------------------------------------------

def find_policy_folder(given: str | None, *, start: Path | None = None) -> str:
    """The policy folder: as given, else ``policy/`` here or in the nearest folder above.

    Returned as a path relative to the working folder when it can be, so messages quote
    short paths.
    """
    if given is not None:
        if not os.path.isdir(given):
            raise UsageError(MESSAGES["policy-missing"].format(path=given))
        return given
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / POLICY_FOLDER / "policy.yaml").is_file():
            return _short_path(folder / POLICY_FOLDER)
    raise UsageError(MESSAGES["no-policy"].format(start=str(here)))


def default_cases_folder(policy_folder: str, *, given: str | None) -> str:
    """The default folder of cases: ``cases/`` here when ``--policy`` was given, else
    ``cases/`` beside the policy folder that was found (the repository's layout)."""
    if given is not None:
        return CASES_FOLDER
    return _short_path(Path(policy_folder).resolve().parent / CASES_FOLDER)


def _short_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


# --- the commands ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Setting:
    """What every command starts from: the policy found, the language, the day, the cases."""

    policy_folder: str
    policy: Policy
    lang: str
    as_of: dt.date  # --as-of, or today in the policy's time zone
    cases_folder: str  # the default folder of cases

    def paths(self, given: Sequence[str]) -> list[str]:
        return list(given) or [self.cases_folder]


def _setting(arguments: argparse.Namespace) -> _Setting:
    policy_folder = find_policy_folder(arguments.policy)
    policy = load_policy(policy_folder)
    return _Setting(policy_folder=policy_folder, policy=policy,
                    lang=arguments.lang or default_language(policy.languages),
                    as_of=getattr(arguments, "as_of", None) or today(policy.parameters.time_zone),
                    cases_folder=default_cases_folder(policy_folder, given=arguments.policy))


def _run_validate(arguments: argparse.Namespace, lang: str) -> int:
    setting = _setting(arguments)
    policy_folder, policy, lang, as_of = setting.policy_folder, setting.policy, setting.lang, setting.as_of
    cases_folder = setting.cases_folder
    paths = setting.paths(arguments.paths)
    report_only, recorded = None, None
    if arguments.only_given:
        from validator.focus import focus_on

        focus = focus_on(arguments.paths, arguments.cases or [cases_folder], policy_folder)
        paths, report_only, recorded = list(focus.paths), focus.report_only, list(focus.recorded)
    elif arguments.cases:
        raise UsageError(MESSAGES["cases-without-only-given"])
    severity_by_code = {"P006": Severity.WARNING} if arguments.overdue_as_warning else None
    report = validate(paths, policy, as_of=as_of, lang=lang, jobs=arguments.jobs,
                      report_only=report_only, severity_by_code=severity_by_code, base=arguments.base,
                      recorded_paths=recorded, neighbours=_neighbours(paths, cases_folder))
    format_name = arguments.format or ("github" if in_github_actions(os.environ) else "text")
    on_terminal = sys.stdout.isatty()
    color = format_name == "text" and on_terminal and "NO_COLOR" not in os.environ
    show_source = on_terminal if arguments.show_source is None else arguments.show_source
    reporter_class = REPORTER_BY_NAME[format_name]
    reporter = reporter_class(lang=lang, color=color, repository_url=repository_url(os.environ),
                              files=_listed(paths, report_only) if reporter_class.lists_every_file else (),
                              show_source=show_source and format_name == "text")
    sys.stdout.write(reporter.render(report))
    _append_step_summary(reporter.step_summary(report), lang)
    return EXIT_ERRORS if report.failed(strict=arguments.strict) else EXIT_OK


def _neighbours(paths: Sequence[str], cases_folder: str) -> list[str]:
    """Where the follow-ups of case files given one by one may live: the case folder and
    each given file's own folder."""
    given_files = [path for path in paths if os.path.isfile(path)]
    if not given_files:
        return []
    folders = [cases_folder, *(os.path.dirname(path) or "." for path in given_files)]
    return list(dict.fromkeys(folder for folder in folders if os.path.isdir(folder)))


def _listed(paths: Sequence[str], report_only: frozenset[str] | None) -> list[str]:
    """The case files a report lists: those checked, or with --only-given those reported on."""
    return [path for path in discover(paths) if report_only is None or same_file(path) in report_only]


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _append_step_summary(markdown: str | None, lang: str) -> None:
    target = step_summary_path(os.environ)
    if markdown is None or target is None:
        return
    try:
        with open(target, "a", encoding="utf-8") as summary:
            summary.write(markdown)
    except OSError as error:  # the annotations are out already; the exit code stays validation's
        message = MESSAGES["summary-unwritable"].format(path=target, reason=error.strerror)
        print(f"{PROG}: {message.in_language(lang)}", file=sys.stderr)


def _run_status(arguments: argparse.Namespace, lang: str) -> int:
    from validator.standing import State
    from validator.status import STATUS_REPORTER_BY_NAME, collect_status

    setting = _setting(arguments)
    lang = setting.lang
    states = [State(value) for value in arguments.state or ()]
    report = collect_status(setting.paths(arguments.paths), setting.policy, as_of=setting.as_of, states=states)
    color = arguments.format == "table" and _color()
    reporter = STATUS_REPORTER_BY_NAME[arguments.format](lang=lang, color=color)
    sys.stdout.write(reporter.render(report))
    return EXIT_ERRORS if report.fails else EXIT_OK


def _run_today(arguments: argparse.Namespace, lang: str) -> int:
    from validator.today import MESSAGES as TODAY_MESSAGES
    from validator.today import TODAY_REPORTER_BY_NAME, collect_today

    setting = _setting(arguments)
    policy, lang, as_of, paths = setting.policy, setting.lang, setting.as_of, setting.paths(arguments.paths)
    templates = None
    if arguments.drafts is not None:
        from validator.drafts import load_templates  # only --drafts writes mails

        templates = load_templates(policy)
    report = collect_today(paths, policy, as_of=as_of)
    written = None
    if templates is not None:  # before the report: a refused folder prints no half result
        from validator.drafts import write_drafts

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


def _run_payments(arguments: argparse.Namespace, lang: str) -> int:
    from validator.payment_search import PAYMENT_REPORTER_BY_NAME, PaymentFilter, collect_payments

    setting = _setting(arguments)
    policy, lang = setting.policy, setting.lang
    filters = PaymentFilter(start=arguments.start, end=arguments.end, minimum=arguments.minimum,
                            maximum=arguments.maximum, customer=arguments.customer, method=arguments.method,
                            case=arguments.case)
    contradiction = filters.contradiction()
    if contradiction is not None:
        raise UsageError(contradiction)
    report = collect_payments(setting.paths(arguments.paths), policy, filters)
    reporter = PAYMENT_REPORTER_BY_NAME[arguments.format](lang=lang)
    sys.stdout.flush()
    sys.stdout.buffer.write(reporter.render(report))
    sys.stdout.buffer.flush()
    sys.stderr.write(reporter.problems(report))
    return EXIT_ERRORS if report.unreadable else EXIT_OK


def _run_new(arguments: argparse.Namespace, lang: str) -> int:
    from validator.new_case import create_case, next_step  # only this command needs it

    setting = _setting(arguments)
    policy, lang = setting.policy, setting.lang
    now = today(policy.parameters.time_zone)
    cases = arguments.cases or setting.cases_folder
    created = create_case(arguments.case_id, Path(cases), opened=arguments.opened or now, today=now,
                          product=arguments.product, policy=policy, lang=lang)
    sys.stdout.write(next_step(created, lang))
    return EXIT_OK
