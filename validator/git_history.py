"""Case files as they were at a git revision, read with the git command line.

``validate --base REF`` compares today's case files with the ones recorded at REF
(L001, L002). Git is run as a subprocess with an argument list (no shell), from the
top of the repository: ``rev-parse`` finds the repository and the commit,
``ls-tree`` lists the case files under the given paths with their blob ids, and one
``cat-file --batch`` reads the blobs that are needed: files whose content differs from
today's (the blob id of today's bytes is computed here, as git does) and files that
no longer exist. Unchanged files are never read or parsed.

Failures of the tool's set-up (git missing, not a repository, an unknown REF, a path
outside the repository) raise ``GitError``: the command exits 2 with the message.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from validator.diagnostics import Text
from validator.engine import CASE_SUFFIXES, UsageError
from validator.yaml_loader import MAX_FILE_BYTES, LoadedDocument, excerpt, load_bytes

MESSAGES: dict[str, Text] = {
    "no-git": Text(
        ja="--base にはgitが必要ですが、gitコマンドが見つかりません。gitをインストールしてください。",
        en="--base needs git, but the git command was not found. Install git."),
    "not-a-repository": Text(
        ja="--base {ref}: {path} はgitリポジトリの中にありません。案件フォルダーをgitで管理しているリポジトリの中で実行するか、--base を外してください。",
        en="--base {ref}: {path} is not inside a git repository. Run it inside the repository that keeps the case files, or leave out --base."),
    "outside-repository": Text(
        ja="--base {ref}: {path} はリポジトリ {top} の外にあります。同じリポジトリの中のフォルダーを指定してください。",
        en="--base {ref}: {path} is outside the repository {top}. Give folders inside that one repository."),
    "unknown-ref": Text(
        ja="--base {ref}: このリポジトリに「{ref}」というリビジョン(コミット、ブランチ、タグ)はありません。git log で確かめてください(CIではfetch-depthを増やしてください)。",
        en="--base {ref}: this repository has no revision (commit, branch or tag) named `{ref}`. Check it with git log (in CI, fetch more history with fetch-depth)."),
    "git-failed": Text(
        ja="--base {ref}: gitが失敗しました: {detail}。同じフォルダーで git status を実行して、gitが使えるか確かめてください。",
        en="--base {ref}: git failed: {detail}. Run git status in the same folder to see whether git works there."),
}


class GitError(UsageError):
    """The revision cannot be read (exit 2); the message is in the chosen language."""


@dataclass(frozen=True)
class RecordedFile:
    """A case file at the base revision."""

    top_path: str  # from the top of the repository, with / (git's spelling)
    spelled: str   # as the report spells it: under the path given on the command line
    blob: str      # git's object id
    size: int      # bytes


@dataclass(frozen=True)
class Revision:
    """The case files at REF under the given paths, and how to read them."""

    ref: str
    top: str                   # the repository's top folder
    commit: str | None         # None: HEAD of a repository with no commit yet (nothing recorded)
    files: Mapping[str, RecordedFile]  # by top_path

    def top_path_of(self, path: str) -> str:
        """Where a file of today's tree stands from the top of the repository."""
        return os.path.relpath(os.path.realpath(path), self.top).replace(os.sep, "/")

    def unchanged(self, path: str, recorded: RecordedFile) -> bool:
        """Whether today's file has exactly the recorded bytes (compared by blob id)."""
        try:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError:
            return False
        return blob_id(raw, len(recorded.blob)) == recorded.blob

    def load(self, recorded: Iterable[RecordedFile], *, lang: str) -> dict[str, LoadedDocument]:
        """The recorded files parsed (by top_path); a file over the size limit gets no data."""
        wanted = list(recorded)
        readable = [file.blob for file in wanted if file.size <= MAX_FILE_BYTES]  # larger: never a case (S007)
        blobs = _read_blobs(self.top, readable, ref=self.ref, lang=lang) if readable else {}
        documents = {}
        for file in wanted:
            raw = blobs.get(file.blob)
            documents[file.top_path] = (LoadedDocument(path=file.spelled) if raw is None
                                        else load_bytes(raw, path=file.spelled))
        return documents


def blob_id(raw: bytes, length: int) -> str:
    """Git's object id of a blob: SHA-1 (40 hex digits) or, in a SHA-256 repository, SHA-256."""
    header = b"blob %d\0" % len(raw)
    digest = hashlib.sha256 if length == 64 else hashlib.sha1
    return digest(header + raw).hexdigest()


def read_revision(ref: str, paths: Sequence[str], *, lang: str) -> Revision:
    """The case files recorded at ``ref`` under ``paths`` (files or folders as given)."""
    def fail(key: str, **fields: object) -> GitError:
        return GitError(MESSAGES[key].format(ref=excerpt(ref), **fields).in_language(lang))

    if not ref or ref.startswith("-") or "\n" in ref or "\0" in ref:
        raise fail("unknown-ref")
    tops = {_top_of(path, ref=ref, lang=lang) for path in paths or ["."]}
    top = min(tops)
    for path in paths:
        relative = os.path.relpath(os.path.realpath(path), top)
        if relative == ".." or relative.startswith(".." + os.sep) or len(tops) > 1:
            raise fail("outside-repository", path=path, top=top)
    commit = _commit(top, ref, lang=lang)
    files: dict[str, RecordedFile] = {}
    if commit is not None:
        for given in paths:
            for top_path, blob, size in _list_tree(top, commit, given, ref=ref, lang=lang):
                files.setdefault(top_path, RecordedFile(top_path, _spell(given, top_path, top), blob, size))
    return Revision(ref, top, commit, files)


def _spell(given: str, top_path: str, top: str) -> str:
    """``cases/2026/x.yaml`` for a file under the given folder ``cases``; the given file itself."""
    if os.path.isfile(given):
        return given
    inside = os.path.relpath(os.path.join(top, top_path), os.path.realpath(given))
    return os.path.join(given, inside)


def _git(top: str, *arguments: str, ref: str, lang: str, stdin: bytes | None = None,
         check: bool = True) -> subprocess.CompletedProcess[bytes]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("GIT_DIR", "GIT_WORK_TREE")}  # the repository is the folder's own
    try:
        completed = subprocess.run(["git", "-C", top, *arguments], input=stdin, capture_output=True,
                                   env=environment, timeout=300, check=False)
    except FileNotFoundError:
        raise GitError(MESSAGES["no-git"].in_language(lang)) from None
    if check and completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(MESSAGES["git-failed"].format(ref=excerpt(ref), detail=excerpt(
            detail[-1] if detail else f"exit {completed.returncode}", 200)).in_language(lang))
    return completed


def _top_of(path: str, *, ref: str, lang: str) -> str:
    folder = path if os.path.isdir(path) else os.path.dirname(path) or "."
    completed = _git(folder, "rev-parse", "--show-toplevel", ref=ref, lang=lang, check=False)
    if completed.returncode != 0:
        raise GitError(MESSAGES["not-a-repository"].format(ref=excerpt(ref), path=path).in_language(lang))
    return os.path.realpath(completed.stdout.decode("utf-8", "surrogateescape").strip())


def _commit(top: str, ref: str, *, lang: str) -> str | None:
    found = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}",
                 ref=ref, lang=lang, check=False)
    if found.returncode == 0:
        return found.stdout.decode("ascii").strip()
    if ref == "HEAD" and _git(top, "symbolic-ref", "--quiet", "HEAD", ref=ref, lang=lang,
                              check=False).returncode == 0:
        return None  # the first commit is being made: nothing was recorded before it
    raise GitError(MESSAGES["unknown-ref"].format(ref=excerpt(ref)).in_language(lang))


def _list_tree(top: str, commit: str, given: str, *, ref: str, lang: str) -> Iterable[tuple[str, str, int]]:
    relative = os.path.relpath(os.path.realpath(given), top).replace(os.sep, "/")
    listing = _git(top, "ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--", relative, ref=ref, lang=lang)
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, blob, size = meta.decode("ascii").split()
        top_path = name.decode("utf-8", "surrogateescape")
        # Regular files only (a symbolic link is not a case file's content), named as discovery reads them.
        if kind == "blob" and mode in ("100644", "100755") and top_path.endswith(CASE_SUFFIXES):
            yield top_path, blob, int(size)


def _read_blobs(top: str, blobs: Sequence[str], *, ref: str, lang: str) -> dict[str, bytes]:
    """The contents of ``blobs``, read by one ``git cat-file --batch``."""
    unique = list(dict.fromkeys(blobs))
    completed = _git(top, "cat-file", "--batch", ref=ref, lang=lang,
                     stdin="".join(f"{blob}\n" for blob in unique).encode("ascii"))
    output, offset, contents = completed.stdout, 0, {}
    for blob in unique:
        end = output.index(b"\n", offset)
        header = output[offset:end].decode("ascii").split(" ")
        offset = end + 1
        if len(header) != 3:  # "<id> missing"
            continue
        size = int(header[2])
        contents[blob] = output[offset:offset + size]
        offset += size + 1
    return contents
