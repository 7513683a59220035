"""Regular expressions compiled the first time they are used, not when their module loads.

Compiling is what costs: the secret detector's ~50 patterns took 19 ms at import, more than
a bare Python process needs to load a case file, while one case file's text uses a handful
of them (each family first checks a cheap keyword). ``validate`` on one file pays only for
the patterns that file's text reaches; a run over many files compiles each one once.

After the first use the compiled pattern's methods are plain attributes of the stand-in,
so a call costs what it costs on the compiled pattern itself.
"""
from __future__ import annotations

import re
from typing import Any, cast

__all__ = ["lazy_compile"]

# Every attribute of re.Pattern: bound on first use, so no later lookup reaches __getattr__.
_ATTRIBUTES = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
               "pattern", "flags", "groups", "groupindex")


class _LazyPattern:
    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags = source, flags

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # copy and pickle ask for optional protocols; no pattern attribute starts so
            raise AttributeError(name)
        compiled = re.compile(self._source, self._flags)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self._source!r}, {self._flags!r})"


def lazy_compile(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, done on the first use of the pattern."""
    return cast("re.Pattern[str]", _LazyPattern(source, flags))
