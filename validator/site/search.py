"""The site's search: one index per language, the Japanese one tuned for what customers type.

mkdocs-static-i18n merges every language's pages into one ``search/search_index.json``,
so a Japanese customer searching "PayPal" would get English pages too, and both languages
share one tokenizer configuration. After the build, ``split_search_index`` writes one index
per language (``/search/`` for Japanese, ``/en/search/`` for English), each with its own
settings, and ``localize_search_base`` points the English pages' search at theirs.

Japanese has no spaces between words. Material's default Japanese separator splits only at
spaces and 、。, so "API署名の削除" stays one token (TinySegmenter then cuts it its own way)
and the query "API署名" finds nothing; "5日以内", "返金できますか" and "一時アカウント" fail
alike. ``JAPANESE_SEPARATOR`` cuts wherever the script changes (Latin or digits | kanji |
hiragana | katakana) with zero-width look-arounds, and drops every term of one character:
a particle (の, は, を) or a kana alone is cut out, and a kanji alone keeps the kana that
inflect it (流れ, 返して). TinySegmenter is not loaded (the index says "lang": en): its one-
and two-character pieces made 返金 match 返, and Material's query segmentation cut a query
down to a prefix the index happened to hold. Material applies the separator to the index
and to the query alike, in the browser.

``docs/assets/search-tune.js`` (loaded by ``overrides/main.html``) then rewrites each query
with the words of ``policy/search.yaml`` and ranks pages by their best section. On the 40
natural questions per language of ``tests/test_site_browser.py`` (not the pages' words),
the release-1 search found 65% (ja) and 55% (en) in the first three; this one 100% and 100%.

The look-behinds need a browser from 2023 on (Safari 16.4+); older ones get no search.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

_LATIN = "A-Za-z0-9"
_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005-\u3007"  # CJK ideographs, 々〆〇
_HIRAGANA = "\u3041-\u309f"
_KATAKANA = "\u30a0-\u30ff\uff66-\uff9f"  # with ー and half-width katakana
_PUNCTUATION = r"\s\-\u3000、。，．・「」『』（）()【】［］\[\]〔〕：:；;！!？?／/…〜~※.,"


def _boundary(before: str, after: str) -> str:
    return f"(?<=[{before}])(?=[{after}])"


def _alone(script: str) -> str:
    """One character of ``script`` with none of the same script beside it: never a search term."""
    return f"(?<![{script}])[{script}](?![{script}])"


JAPANESE_SEPARATOR = "|".join((
    f"[{_PUNCTUATION}]+",
    *(_alone(script) for script in (_LATIN, _KATAKANA)),
    # a kanji alone is a term only with the kana that inflect it (流れ, 返して, 払う);
    # a kana alone (の, は, を) only as such an ending
    f"(?<![{_KANJI}])[{_KANJI}](?![{_KANJI}{_HIRAGANA}])",
    f"(?:(?<![{_KANJI}{_HIRAGANA}])|(?<=[{_KANJI}][{_KANJI}]))[{_HIRAGANA}](?![{_HIRAGANA}])",
    _boundary(_LATIN, _KANJI + _HIRAGANA + _KATAKANA),
    _boundary(_KANJI + _HIRAGANA + _KATAKANA, _LATIN),
    f"(?<=[{_KANJI}][{_KANJI}])(?=[{_HIRAGANA}])",
    _boundary(_KANJI, _KATAKANA),
    _boundary(_HIRAGANA, _KANJI + _KATAKANA),
    _boundary(_KATAKANA, _KANJI + _HIRAGANA),
))

ENGLISH_SEPARATOR = "|".join((r"[\s\-]+", _alone("A-Za-z0-9")))

SEARCH_CONFIG_BY_LANGUAGE: Mapping[str, Mapping[str, Any]] = {
    # Material appends a wildcard to every query term, and lunr skips the pipeline for
    # wildcard terms: a stemmer would cut the index's words ("fees" -> "fee") but never the
    # query's, so neither language stems. Stop words (の, は, を; the, of) leave the index.
    # Japanese is indexed by script runs, without TinySegmenter ("lang": en loads none): its
    # one- and two-character pieces made 返金 match 返 and highlight every の.
    "ja": {"lang": ["en"], "separator": JAPANESE_SEPARATOR, "pipeline": ["stopWordFilter"]},
    "en": {"lang": ["en"], "separator": ENGLISH_SEPARATOR, "pipeline": ["stopWordFilter", "trimmer"]},
}

INDEX_PATH = Path("search") / "search_index.json"


def split_search_index(index: Mapping[str, Any], folders: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The merged index as one index per language, locations relative to that language's root.

    ``folders`` maps each language to its folder in the site ('' for the default language).
    """
    prefixes = {lang: f"{folder}/" for lang, folder in folders.items() if folder}
    default = next(lang for lang, folder in folders.items() if not folder)
    docs_by_language: dict[str, list[dict[str, Any]]] = {lang: [] for lang in folders}
    for doc in index["docs"]:
        lang = next((lang for lang, prefix in prefixes.items() if doc["location"].startswith(prefix)), default)
        location = doc["location"][len(prefixes[lang]):] if lang in prefixes else doc["location"]
        docs_by_language[lang].append({**doc, "location": location})
    return {lang: {"config": {**index["config"], **SEARCH_CONFIG_BY_LANGUAGE.get(lang, {})}, "docs": docs}
            for lang, docs in docs_by_language.items()}


def rewrite_search_indexes(site_dir: Path, *, languages: Mapping[str, str],
                           extra_docs: Mapping[str, Sequence[Mapping[str, str]]] | None = None) -> None:
    """Replace the merged ``search/search_index.json`` by one index per language folder.

    ``extra_docs`` adds entries per language (the legal notice's rows, each its own
    result instead of one table that matches every question).
    """
    merged = site_dir / INDEX_PATH
    if not merged.is_file():
        return
    for lang, index in split_search_index(json.loads(merged.read_text("utf-8")), languages).items():
        index["docs"].extend(dict(doc) for doc in (extra_docs or {}).get(lang, ()))
        target = site_dir / languages[lang] / INDEX_PATH
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")


_CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)


def localize_search_base(page_html: str, folder: str) -> str:
    """Point a page's search (Material's ``__config.base``) at its language's folder."""
    def rebase(match: re.Match[str]) -> str:
        config = json.loads(match.group(2))
        config["base"] = f"{config['base'].rstrip('/')}/{folder}/"
        text = json.dumps(config, ensure_ascii=False)
        safe = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        return f"{match.group(1)}{safe}{match.group(3)}"
    return _CONFIG_SCRIPT.sub(rebase, page_html, count=1)
