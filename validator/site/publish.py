"""The publish guard: a site built for publishing carries no placeholder of the sample policy.

``SUPPORT_SITE_PUBLISH=1 mkdocs build`` (the CI build on main) refuses to build while any
file of ``policy/`` still holds 【要記入】, ``[to fill in]`` or an ``example.jp`` address,
or while the site's own address (``site_url``, from ``$SUPPORT_SITE_URL``) is example.jp.
Each placeholder is named with its file:line:column, in Japanese and English, so the
operator knows exactly what to fill in. Without the variable the sample site builds and
shows a "sample" banner on every page.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from validator.diagnostics import Text
from validator.yaml_loader import load_file

PUBLISH_VARIABLE = "SUPPORT_SITE_PUBLISH"
# What the sample policy writes where the operator must fill in the real details, per language
# (the sample banner names it too).
MARKERS = {"ja": "【要記入】", "en": "[to fill in]"}
PLACEHOLDER = re.compile("|".join(map(re.escape, MARKERS.values())) + r"|(?<![\w-])example\.jp\b", re.IGNORECASE)

MESSAGES: dict[str, Text] = {
    "placeholder": Text(
        ja="{where}: 公開用のビルドでは使えない仮の値「{found}」があります。実際の内容に書き換えてください。",
        en="{where}: the placeholder \"{found}\" cannot be published; replace it with the real details."),
    "site-url": Text(
        ja="サイトのアドレス {url} は見本のままです。環境変数 SUPPORT_SITE_URL に公開するアドレスを設定してください。",
        en="The site's address {url} is the sample's; set SUPPORT_SITE_URL to the address the site is published at."),
    "refused": Text(
        ja="{variable}=1 のため公開用にビルドしましたが、仮の値が {count} か所残っているので中止しました。",
        en="Built for publishing ({variable}=1), but stopped: placeholders remain ({count} in all)."),
}


@dataclass(frozen=True)
class Placeholder:
    """One placeholder left in a policy file, where the operator must replace it."""

    path: Path
    line: int
    column: int
    found: str


def publishing() -> bool:
    """True when the build is for publishing (``SUPPORT_SITE_PUBLISH`` set to 1, true or yes)."""
    return os.environ.get(PUBLISH_VARIABLE, "").strip().lower() in ("1", "true", "yes")


def find_placeholders(directory: Path) -> list[Placeholder]:
    """Every placeholder in the string values of the policy folder's YAML files, in file order."""
    found: list[Placeholder] = []
    for path in sorted(directory.glob("*.yaml")):
        document = load_file(str(path))
        for string in document.strings:
            for match in PLACEHOLDER.finditer(string.value):
                position = document.position_of(string.path)
                found.append(Placeholder(path, position.line, position.column, match.group(0)))
    return found


def refusal(directory: Path, site_url: str) -> Text | None:
    """The whole message that stops a publishing build, or None when nothing is left to fill in."""
    lines = [MESSAGES["placeholder"].format(where=f"{p.path}:{p.line}:{p.column}", found=p.found)
             for p in find_placeholders(directory)]
    if PLACEHOLDER.search(site_url or "example.jp"):
        lines.append(MESSAGES["site-url"].format(url=site_url or "(none)"))
    if not lines:
        return None
    head = MESSAGES["refused"].format(variable=PUBLISH_VARIABLE, count=len(lines))
    return Text(ja="\n".join([head.ja, *(line.ja for line in lines)]),
                en="\n".join([head.en, *(line.en for line in lines)]))
