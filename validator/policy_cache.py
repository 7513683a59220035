"""Remember, across runs, that a policy folder was checked, keyed by what was checked.

Checking the policy (its JSON Schema, placeholders, ids) costs more than validating
one case file, and the policy rarely changes. So the data of a policy that passed
every check is kept on disk under a key made of:

* the name and the text of every ``*.yaml`` / ``*.yml`` file in the policy folder
  (whatever files the folder holds: a file added, removed, renamed or edited is a
  new key);
* the validator's own code and schemas (the name, size and modification time of every
  ``*.py`` and ``*.json`` file of the package, which is cheaper than reading them and
  changes with every edit, install or checkout): a new version of the checks, or of
  what the policy becomes, is a new key;
* the format of this cache and the Python version.

The key holds no path: a copy of the same policy is the same policy. An entry starts
with its whole key, compared character for character with the key of the policy as it
is now (a digest could collide; the text cannot), then a checksum of the data; an
entry that does not match, does not parse or fails its checksum is ignored and the
policy is checked again. The data is plain JSON (no pickle: nothing in the cache can
run code), written to a temporary file and renamed into place, so a reader never sees
half an entry. Entries live in ``$XDG_CACHE_HOME/support-policy`` (default
``~/.cache/support-policy``); when that folder cannot be written, nothing is cached
and nothing is said: the cache only saves time. ``SUPPORT_POLICY_NO_CACHE=1`` turns it off.

No hashlib: loading OpenSSL costs a one-file run more than everything here.
"""
from __future__ import annotations

import functools
import json
import os
import sys
import zlib
from pathlib import Path
from typing import Any

CACHE_FORMAT = "2"
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
    """Everything the checked policy in ``directory`` depends on, as one line of text;
    None when a file cannot be read or is not UTF-8 (the check will say why)."""
    files: dict[str, str] = {}
    try:
        for entry in sorted(os.scandir(directory), key=lambda entry: entry.name):
            if entry.name.endswith(POLICY_SUFFIXES):
                with open(entry.path, "rb") as stream:
                    files[entry.name] = stream.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return json.dumps({"format": CACHE_FORMAT, "python": sys.version, "code": code_signature(), "files": files},
                      ensure_ascii=False, sort_keys=True)


@functools.cache
def code_signature() -> str:
    """The validator package's code and schemas as installed: each file's name, size and
    modification time."""
    package = Path(__file__).resolve().parent
    parts = []
    for root, folders, files in os.walk(package):
        folders[:] = sorted(folder for folder in folders if folder != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                path = os.path.join(root, name)
                stat = os.stat(path)
                parts.append(f"{os.path.relpath(path, package)}:{stat.st_size}:{stat.st_mtime_ns}")
    return ";".join(parts)


def read(key: str) -> dict[str, Any] | None:
    """The checked policy data stored under ``key``, or None (absent, damaged, off)."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        with open(folder / _entry_name(key), encoding="utf-8") as stream:
            stored_key, checksum, text = stream.read().split("\n", 2)
        if stored_key != key or checksum != _checksum(text):
            return None
        data = json.loads(text)
    except (OSError, ValueError):  # ValueError: not UTF-8, not three lines, not JSON
        return None
    return data if isinstance(data, dict) else None


def write(key: str, data: dict[str, Any]) -> None:
    """Store ``data`` under ``key``, or silently do nothing when it cannot be stored."""
    folder = cache_folder()
    if folder is None:
        return
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
        if json.loads(text) != data:  # e.g. keys that are not text: not stored
            return
    except (TypeError, ValueError):
        return
    import tempfile  # only a miss writes: a hit does not pay for the import

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".policy-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(f"{key}\n{_checksum(text)}\n{text}")
            os.replace(temporary, folder / _entry_name(key))
        except BaseException:
            os.unlink(temporary)
            raise
        _prune(folder)
    except OSError:
        return


def _entry_name(key: str) -> str:
    """The entry's file name: two keys may share one (the entry holds its whole key)."""
    return f"policy-{zlib.crc32(key.encode('utf-8')):08x}.json"


def _checksum(text: str) -> str:
    return f"{zlib.crc32(text.encode('utf-8')):08x}-{len(text)}"


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("policy-*.json"), key=lambda path: path.stat().st_mtime_ns)
    for stale in entries[:-MAX_ENTRIES]:
        stale.unlink(missing_ok=True)
