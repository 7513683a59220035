"""Remember, across runs, that a policy folder was checked, keyed by what was checked.

Checking the policy (its JSON Schema, placeholders, ids) costs more than validating
one case file, and the policy rarely changes. So the data of a policy that passed
every check is kept on disk under a key made of:

* the name and the bytes of every ``*.yaml`` / ``*.yml`` file in the policy folder
  (whatever files the folder holds: a file added, removed, renamed or edited is a
  new key);
* the validator's own code and schemas (the name, size and modification time of every
  ``*.py`` and ``*.json`` file of the package, which is cheaper than reading them and
  changes with every edit, install or checkout): a new version of the checks, or of
  what the policy becomes, is a new key;
* the format of this cache and the Python version.

The key holds no path: a copy of the same policy is the same policy. An entry holds
the key again and a digest of its data; an entry that does not parse, or whose key or
digest does not match, is ignored and the policy is checked again. The data is plain
JSON (no pickle: nothing in the cache can run code), written to a temporary file and
renamed into place, so a reader never sees half an entry. Entries live in
``$XDG_CACHE_HOME/support-policy`` (default ``~/.cache/support-policy``); when that
folder cannot be written, nothing is cached and nothing is said: the cache only
saves time. ``SUPPORT_POLICY_NO_CACHE=1`` turns it off.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

CACHE_FORMAT = "1"
DISABLE_VARIABLE = "SUPPORT_POLICY_NO_CACHE"
POLICY_SUFFIXES = (".yaml", ".yml")
# Each edit of the policy leaves an entry; the oldest beyond this many are removed.
MAX_ENTRIES = 32


def cache_folder() -> Path | None:
    """Where entries live, or None when caching is off or no home is known."""
    if os.environ.get(DISABLE_VARIABLE):
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    if base and os.path.isabs(base):
        return Path(base) / "support-policy"
    home = os.path.expanduser("~")
    if home == "~" or not os.path.isabs(home):
        return None
    return Path(home) / ".cache" / "support-policy"


def policy_key(directory: Path) -> str | None:
    """The key of the policy in ``directory`` as it is now; None when a file cannot be read."""
    digest = hashlib.sha256(f"support-policy cache {CACHE_FORMAT} {sys.version}\0".encode())
    digest.update(code_digest().encode())
    try:
        names = sorted(entry.name for entry in os.scandir(directory)
                       if entry.name.endswith(POLICY_SUFFIXES))
        for name in names:
            with open(directory / name, "rb") as stream:
                content = stream.read()
            digest.update(b"\0file\0" + name.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(str(len(content)).encode() + b"\0" + content)
    except OSError:
        return None
    return digest.hexdigest()


@functools.cache
def code_digest() -> str:
    """A digest of the validator package's code and schemas as installed: each file's
    name, size and modification time."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for root, folders, files in os.walk(package):
        folders[:] = sorted(folder for folder in folders if folder != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                path = os.path.join(root, name)
                stat = os.stat(path)
                digest.update(f"{os.path.relpath(path, package)}\0{stat.st_size}\0{stat.st_mtime_ns}\0"
                              .encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def read(key: str) -> dict[str, Any] | None:
    """The checked policy data stored under ``key``, or None (absent, corrupt, off)."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        with open(folder / _entry_name(key), "rb") as stream:
            entry = json.loads(stream.read())
        data = entry["data"]
        if entry["key"] != key or entry["digest"] != _data_digest(data) or not isinstance(data, dict):
            return None
        return data
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write(key: str, data: dict[str, Any]) -> None:
    """Store ``data`` under ``key``, or silently do nothing when it cannot be stored."""
    folder = cache_folder()
    if folder is None:
        return
    try:
        if json.loads(_canonical(data)) != data:  # e.g. NaN or non-text keys: not stored
            return
        text = json.dumps({"key": key, "digest": _data_digest(data), "data": data}, ensure_ascii=False)
    except (TypeError, ValueError):
        return
    import tempfile  # only a miss writes: a hit does not pay for the import

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".policy-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, folder / _entry_name(key))
        except BaseException:
            os.unlink(temporary)
            raise
        _prune(folder)
    except OSError:
        return


def _entry_name(key: str) -> str:
    return f"policy-{key}.json"


def _canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False, separators=(",", ":"))


def _data_digest(data: Any) -> str:
    return hashlib.sha256(_canonical(data).encode("utf-8")).hexdigest()


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("policy-*.json"), key=lambda path: path.stat().st_mtime_ns)
    for stale in entries[:-MAX_ENTRIES]:
        stale.unlink(missing_ok=True)
