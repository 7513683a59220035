"""The floor: what reading the case files costs, and nothing more.

Walks the folders as the validator does and loads every ``*.yaml`` / ``*.yml``
file with PyYAML's ``CSafeLoader`` (libyaml), keeping nothing; a file that does
not load is skipped. Run as a whole process by ``benchmarks/run.py``.

    python benchmarks/floor.py FOLDER [FOLDER ...]
"""
from __future__ import annotations

import os
import sys

import yaml


def main(folders: list[str]) -> int:
    loaded = 0
    for folder in folders:
        for root, subfolders, files in os.walk(folder):
            subfolders.sort()
            for name in sorted(files):
                if not name.endswith((".yaml", ".yml")):
                    continue
                with open(os.path.join(root, name), "rb") as stream:
                    raw = stream.read()
                try:
                    yaml.load(raw, Loader=yaml.CSafeLoader)
                except (yaml.YAMLError, ValueError):  # e.g. 2026-02-30 as a date
                    continue
                loaded += 1
    print(loaded)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
