"""What ``validate --only-given`` checks and reports: the files of a commit, in their folder.

pre-commit passes the files being committed. Only they are reported on, but every case
in the case folder is checked with them, so a duplicate id (S006) or a follow-up (S004)
is judged against the whole folder, and the message about it names the other file.
A committed file outside the case folders (the policy, the validator itself) can change
the verdict on every case: then every case is reported on. A case file removed since
``--base`` is always reported on (L002): pre-commit never passes a deleted file, so the hook
runs on every commit (``always_run``) and, with nothing given, reports only that.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from validator.engine import UsageError, ignored_case_name, is_case_file_name, same_file


@dataclass(frozen=True)
class Focus:
    """``paths``: what to check; ``report_only``: the files to report on (as ``same_file``
    spells them), or None for every file checked; ``recorded``: where ``--base`` looks for
    cases removed since (every case folder, even one whose last file was just removed)."""

    paths: tuple[str, ...]
    report_only: frozenset[str] | None
    recorded: tuple[str, ...]


def focus_on(given: Sequence[str], folders: Sequence[str], policy_folder: str) -> Focus:
    """Check the case folders (those that exist); report on the given files inside them
    that are (or look like, S008) case files, or on every case when a given path is a
    folder, lies in the policy folder, or is no case file (the validator's own code).

    A given case file outside every case folder is refused (exit 2): the case folder is
    misnamed, and nothing would be checked."""
    existing = [folder for folder in folders if os.path.isdir(folder)]
    roots = [same_file(folder) for folder in existing]
    # The policy and the validator's own files (its schemas are YAML too): any case may change.
    policy = [same_file(policy_folder), same_file(os.path.dirname(os.path.abspath(__file__)))]
    reported: set[str] = set()
    everything = False  # nothing given (a commit of other files): no file is reported on
    for path in given:
        name = os.path.basename(path)
        looks_like_a_case = is_case_file_name(name) or ignored_case_name(name) is not None
        if _inside(same_file(path), roots):
            if looks_like_a_case:
                reported.add(same_file(path))
            continue  # any other file in a case folder (a README) has nothing to report
        if looks_like_a_case and not os.path.isdir(path) and not _inside(same_file(path), policy):
            raise UsageError(
                f"{path}: not in the case folder ({', '.join(folders)}); name the folder with --cases DIR")
        everything = True  # the policy, the validator, a whole folder: any case may change
    return Focus(tuple(existing), None if everything else frozenset(reported), tuple(folders))


def _inside(path: str, roots: Sequence[str]) -> bool:
    return any(path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)
