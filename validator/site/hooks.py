"""The MkDocs hook that fills the site's page stubs from ``policy/`` (thin: it only wires).

Every page in ``docs/`` is a front-matter stub (``page: fees``); ``on_page_markdown``
replaces it with the Markdown that ``validator.site.render`` makes from the policy, in the
language mkdocs-static-i18n is building. The stubs are real files, so the i18n plugin's
language switcher, alternates and sitemap know them.

The policy folder is ``policy/`` beside ``mkdocs.yml``, or ``$SUPPORT_POLICY_DIR`` (a
test builds the real site from a changed copy that way). ``mkdocs serve`` watches it.

``SUPPORT_SITE_PUBLISH=1`` builds for publishing: placeholders refuse the build
(``validator.site.publish``); without it the sample site shows a "sample" banner.
"""
from __future__ import annotations

import copy
import functools
import html
import os
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, ParamSpec, TypeVar

from jinja2 import Template
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from validator.policy import Policy, PolicyError, forget_loaded_policies, load_policy
from validator.site import history, publish, render, search

_P = ParamSpec("_P")
_R = TypeVar("_R")

POLICY_VARIABLE = "SUPPORT_POLICY_DIR"

log = get_plugin_logger("support_policy")


class _Loaded:
    """The policy of the current build, reloaded when a file of ``policy/`` changes."""

    policy: Policy | None = None
    fingerprint: tuple[tuple[str, int, int], ...] = ()


def policy_directory(config: MkDocsConfig) -> Path:
    """``$SUPPORT_POLICY_DIR`` if set, else ``policy/`` beside ``mkdocs.yml``."""
    base = Path(config.config_file_path).parent
    return (base / os.environ.get(POLICY_VARIABLE, "policy")).resolve()


def _fingerprint(directory: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple((path.name, path.stat().st_mtime_ns, path.stat().st_size)
                 for path in sorted(directory.glob("*.yaml")))


def _policy(config: MkDocsConfig) -> Policy:
    directory = policy_directory(config)
    fingerprint = _fingerprint(directory) if directory.is_dir() else ()
    if _Loaded.policy is None or fingerprint != _Loaded.fingerprint:
        # load_policy caches by folder; under `mkdocs serve` the folder's files change.
        forget_loaded_policies()
        try:
            _Loaded.policy = load_policy(directory)
        except PolicyError as error:
            raise PluginError(_said(error)) from None
        _Loaded.fingerprint = fingerprint
        log.debug("policy loaded from %s", directory)
    return _Loaded.policy


def _language(config: MkDocsConfig) -> str:
    return str(config.theme["language"])


def _reported(hook: Callable[_P, _R]) -> Callable[_P, _R]:
    """A policy error raised while a hook renders stops the build with its message in both
    languages (``_said``), never with a traceback."""
    @functools.wraps(hook)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return hook(*args, **kwargs)
        except PolicyError as error:
            raise PluginError(_said(error)) from None
    return run


@event_priority(-110)  # after mkdocs-static-i18n (-100) has set this build's language
@_reported
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    policy = _policy(config)
    lang = _language(config)
    if lang not in policy.languages:
        raise PluginError(f"support-policy: the site is built in {lang!r}, but policy/ has texts in "
                          f"{', '.join(policy.languages)} only")
    if publish.publishing():
        refused = publish.refusal(policy.directory, str(config.site_url or ""))
        if refused is not None:
            raise PluginError(f"support-policy:\n{refused.ja}\n\n{refused.en}")
    config.site_name = render.site_name(policy, lang)
    folders = _site_languages(config)
    config.extra["sp"] = render.template_data(policy, lang, folder=folders.get(lang, ""),
                                              publishing=publish.publishing(),
                                              other_folders=[folder for folder in folders.values() if folder])
    return config


def _said(error: PolicyError) -> str:
    """A policy error for the build's log, in Japanese and in English, as the publish guard says its own."""
    text = error.text
    return f"support-policy: {text.ja}" if text.ja == text.en else f"support-policy:\n{text.ja}\n{text.en}"


@_reported
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    pages = render.PAGE_BY_ID
    page_id = str(page.meta.get("page"))
    if page_id == history.PAGE_ID:  # the change history (改定履歴) has its own module
        page.meta["title"] = history.page_title(_policy(config), _language(config))
        return history.render_history_page(_policy(config), _language(config))
    if page_id not in pages:
        raise PluginError(f"support-policy: {page.file.src_uri}: front matter `page:` must be one of "
                          f"{', '.join(pages)}, not {page.meta.get('page')!r}")
    if markdown.strip():
        raise PluginError(f"support-policy: {page.file.src_uri}: a page stub holds front matter only; "
                          "its content is rendered from policy/")
    policy = _policy(config)
    lang = _language(config)
    site_page = pages[page_id]
    page.meta["title"] = site_page.title(policy, lang)
    return render.render_site_page(site_page, policy, lang)


@_reported
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    output = _accessible(output, _policy(config), _language(config))
    folder = _site_languages(config).get(_language(config), "")
    return search.localize_search_base(output, folder) if folder else output


def _accessible(output: str, policy: Policy, lang: str) -> str:
    """What the theme's HTML lacks for screen readers: the language switch names each language
    in itself (日本語 carries lang="ja"), and the search dialog has a name."""
    output = output.replace('hreflang="ja" class="md-select__link"', 'hreflang="ja" lang="ja" class="md-select__link"')
    name = html.escape(render.label(policy, "search-dialog", lang), quote=True)
    return output.replace('<div class="md-search" data-md-component="search" role="dialog">',
                          f'<div class="md-search" data-md-component="search" role="dialog" aria-label="{name}">', 1)


class _NotFound:
    """Each language's 404 page: every language's build writes its own to the site's root."""

    pages: ClassVar[dict[str, str]] = {}


def on_pre_template(template: Template, *, template_name: str, config: MkDocsConfig) -> Template:
    if template_name == "404.html":  # no page of its own: the switch leads to each language's home
        i18n = config.plugins.get("i18n")
        alternate = getattr(i18n, "extra_alternate", None)
        if alternate:  # the i18n plugin sets it as an attribute, which templates read first
            config.extra.alternate = copy.deepcopy(alternate)  # type: ignore[attr-defined]
    return template


@_reported
def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    if template_name == "404.html":
        output_content = _accessible(output_content, _policy(config), _language(config))
        _NotFound.pages[_language(config)] = output_content
    return output_content


@event_priority(-200)  # after mkdocs-static-i18n has built every language and merged the index
@_reported
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # a language built from inside the i18n plugin: the merged index comes later
    site = Path(config.site_dir)
    languages = _site_languages(config)
    _place_not_found_pages(site, languages)
    policy = _policy(config)
    rows = {lang: [{"location": f"legal/#{field}", "title": title, "text": text}
                   for field, title, text in render.legal_rows(policy, lang)] for lang in languages}
    search.rewrite_search_indexes(site, languages=languages, extra_docs=rows)


def _place_not_found_pages(site: Path, languages: dict[str, str]) -> None:
    """Each language's 404 page in its own folder (the default language's at the root)."""
    for lang, folder in languages.items():
        page = _NotFound.pages.get(lang)
        if page is not None:
            target = site / folder / "404.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page, "utf-8")


def _site_languages(config: MkDocsConfig) -> dict[str, str]:
    """Each built language and the folder of the site it lives in ('' for the default)."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return {_language(config): ""}
    return {language.locale: "" if language.default else language.locale
            for language in i18n.config.languages if language.build}


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    server.watch(str(policy_directory(config)))
    return server
