"""A004 end to end: a credential anywhere in a case file is found, on its line and column,
and never printed, in any output format or language.

The detector itself (``validator/secrets.py``) has its own corpus tests; these put real
files through the real command: secrets in comments, in block scalars, under any key
(known, unknown, nested, in lists and flow collections), in files the loader could not
read to the end (a syntax error, a second document, too many values) or refuses
(tags, aliases), and in values that other rules quote in their messages (an S003 for a
bad date, an S004 for an unknown product, a key name) where the secret must be masked too.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from validator.reporters import REPORTER_BY_NAME

from conftest import run_cli

HEAD = """\
id: {id}
opened: 2026-11-02
customer:
  license: L-1
  same_paypal_account: true
product: raku-affiliate
"""
PASSWORD = "Vq3$mZ81rTw"  # not the example of the rule's docs, which SARIF output carries
# name -> (the file, the secret as it stands in the file; None: no A004, key names are not scanned)
FILES: dict[str, tuple[str, str | None]] = {
    "end-of-line-comment": (HEAD + f"request: server move  # FTP pw: {PASSWORD}\n", PASSWORD),
    "whole-line-comment": (f"# admin pw: {PASSWORD}\n" + HEAD, PASSWORD),
    "comment-in-a-block": (HEAD + f"notes: |\n  moved\n# pw: {PASSWORD}\n  done\n", PASSWORD),
    "literal-block-scalar": (HEAD + f"notes: |\n  FTP: ftp.example.jp\n  user: shop01\n  pw: {PASSWORD}\n", PASSWORD),
    "folded-block-scalar": (HEAD + "request: >-\n  the admin screen\n  パスワード: Xy9$abc123 です\n", "Xy9$abc123"),
    "credential-key-unknown": (HEAD + f"ftp_password: {PASSWORD}\n", PASSWORD),
    "nested-unknown-key": (HEAD.replace("  license: L-1\n", f"  license: L-1\n  password: {PASSWORD}\n"), PASSWORD),
    "list-item": (HEAD + f'extra: [first, "pw: {PASSWORD}"]\n', PASSWORD),
    "flow-mapping": (HEAD + f'triage: {{date: 2026-11-03, outcome: paid, note: "pw={PASSWORD}"}}\n', PASSWORD),
    "url-credentials": (HEAD + "notes: mirror at ftp://shop:Zq8pW3nLx@ftp.example.jp/www\n", "Zq8pW3nLx"),
    "cloud-key": (HEAD + "notes: the customer's key AKIAIOSFODNN7EXAMPLE\n", "AKIAIOSFODNN7EXAMPLE"),
    "private-key": (HEAD + "notes: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEowIBAAKCAQEA7\n"
                    "  -----END RSA PRIVATE KEY-----\n", "-----BEGIN RSA PRIVATE KEY-----"),
    "japanese-before-it": (HEAD + f"notes: お客様より「パスワードは pw: {PASSWORD} です」\n", PASSWORD),
    "crlf-and-bom": ("\ufeff" + (HEAD + f"notes: pw: {PASSWORD}\n").replace("\n", "\r\n"), PASSWORD),
    # quoted by another rule's message: masked there as well
    "in-a-bad-date": (HEAD.replace("opened: 2026-11-02", f'opened: "pw: {PASSWORD}"'), PASSWORD),
    "in-an-unknown-product": (HEAD.replace("product: raku-affiliate", f'product: "pw: {PASSWORD}"'), PASSWORD),
    "in-a-key-name": (HEAD + f'"pw: {PASSWORD}": 1\n', None),
    # files the loader could not read to their end, or refuses
    "after-a-syntax-error": (HEAD + f"request: [unclosed\nnotes: pw: {PASSWORD}\n", PASSWORD),
    "in-a-second-document": (HEAD + f"---\nnotes: pw: {PASSWORD}\n", PASSWORD),
    "after-too-many-values": (HEAD + "".join(f"k{n}: 1\n" for n in range(3000)) + f"notes: pw: {PASSWORD}\n",
                              PASSWORD),
    "beside-a-tag": (HEAD + f"notes: !!str pw: {PASSWORD}\n", PASSWORD),
    "beside-an-alias": (HEAD + f"request: &r x\nnotes: [*r, 'pw: {PASSWORD}']\n", PASSWORD),
}


def _position(text: str, secret: str) -> tuple[int, int]:
    """Line and column (1-based, in characters) of ``secret`` in ``text``, after any BOM."""
    text = text.removeprefix("\ufeff")
    offset = text.index(secret)
    before = text[:offset].replace("\r\n", "\n")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    """Every output format, in both languages, of one run over a folder of all the files."""
    folder = tmp_path_factory.mktemp("secrets")
    for name, (text, _) in FILES.items():
        (folder / f"{name}.yaml").write_bytes(text.replace("{id}", name).encode("utf-8"))
    results = {}
    for output in sorted(REPORTER_BY_NAME):
        for lang in ("ja", "en"):
            completed = run_cli("validate", str(folder), "--format", output, "--lang", lang, "--as-of", "2026-11-28")
            assert completed.returncode == 1 and completed.stderr == ""
            results[(output, lang)] = completed.stdout
    return results


def _a004(outputs: dict[tuple[str, str], str], name: str) -> list[dict[str, Any]]:
    report = json.loads(outputs[("json", "en")])
    return [d for d in report["diagnostics"] if d["file"].endswith(f"/{name}.yaml") and d["code"] == "A004"]


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_secret_is_found_where_it_stands(outputs: dict[tuple[str, str], str], name: str) -> None:
    text, secret = FILES[name]
    found = _a004(outputs, name)
    if secret is None:
        assert found == []  # a key name is never scanned by itself
        return
    assert [(d["line"], d["column"]) for d in found] == [_position(text.replace("{id}", name), secret)], found


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_secret_is_never_printed(outputs: dict[tuple[str, str], str], name: str) -> None:
    _, secret = FILES[name]
    secret = secret or PASSWORD
    for (output, lang), stdout in outputs.items():
        assert secret not in stdout, (output, lang)
        assert secret[:6] not in stdout or secret.startswith("-----"), (output, lang)


def test_the_message_says_what_and_where_and_nothing_of_the_secret(outputs: dict[tuple[str, str], str]) -> None:
    """The kind of credential and the key, in each language; not its first character, not its length."""
    [diagnostic] = _a004(outputs, "credential-key-unknown")
    assert "looks like a password" in diagnostic["message"]
    assert f"{PASSWORD[0]}***" not in diagnostic["message"] and f"({len(PASSWORD)})" not in diagnostic["message"]
    assert diagnostic["severity"] == "error" and diagnostic["name"] == "secret-in-case"
    ja = json.loads(outputs[("json", "ja")])
    a004 = [d["message"] for d in ja["diagnostics"] if d["code"] == "A004"]
    assert a004 and all("らしきもの" in message and "***" not in message for message in a004)
    assert any("パスワード" in message for message in a004)
    text = outputs[("text", "en")]
    assert "credential-key-unknown.yaml:7:15: error A004 " in text


def test_a_secret_in_a_follow_up_is_not_printed_by_s004(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(HEAD.replace("{id}", "c") + f'follow_up: ["pw: {PASSWORD}"]\n', "utf-8")
    completed = run_cli("validate", str(tmp_path), "--format", "json", "--lang", "en", "--as-of", "2026-11-28")
    assert [d["code"] for d in json.loads(completed.stdout)["diagnostics"]] == ["S003", "S004", "A004"]
    assert PASSWORD not in completed.stdout


@pytest.mark.parametrize("encoding", ["shift_jis", "euc_jp", "utf-16"])
def test_a_secret_in_a_file_refused_for_its_encoding_is_still_found(tmp_path: Path, encoding: str) -> None:
    # The file is S001, yet it is text in git all the same: the password must not land.
    text = HEAD.replace("{id}", "c") + f"notes: 管理画面のパスワード: {PASSWORD}\n"
    (tmp_path / "c.yaml").write_bytes(text.encode(encoding))
    completed = run_cli("validate", str(tmp_path), "--format", "json", "--lang", "en", "--as-of", "2026-11-28")
    diagnostics = json.loads(completed.stdout)["diagnostics"]
    assert completed.returncode == 1 and [d["code"] for d in diagnostics] == ["S001", "A004"], completed.stdout
    assert (diagnostics[1]["line"], diagnostics[1]["column"]) == _position(text, PASSWORD)
    assert PASSWORD not in completed.stdout
