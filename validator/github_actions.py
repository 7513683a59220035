"""What the command reads from GitHub Actions' environment, in one place.

Outside Actions none of these variables is set and every function says so (None,
False), so the command behaves the same on any machine.
"""
from __future__ import annotations

from collections.abc import Mapping


def in_github_actions(environ: Mapping[str, str]) -> bool:
    """GitHub sets ``GITHUB_ACTIONS=true`` in every step."""
    return environ.get("GITHUB_ACTIONS") == "true"


def repository_url(environ: Mapping[str, str]) -> str | None:
    """Where the checked-out commit's files can be browsed: ``SERVER/OWNER/REPO/blob/SHA``."""
    server, repository = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    if not server or not repository:
        return None
    return f"{server.rstrip('/')}/{repository}/blob/{environ.get('GITHUB_SHA') or 'HEAD'}"


def step_summary_path(environ: Mapping[str, str]) -> str | None:
    """The file a step appends Markdown to for the run's summary page."""
    return environ.get("GITHUB_STEP_SUMMARY") or None
