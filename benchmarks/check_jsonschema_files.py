"""Run check-jsonschema's own command on a list of files read from a file.

100,000 paths do not fit on one command line (ARG_MAX); this is exactly what the
``check-jsonschema`` console script does (``from check_jsonschema import main``),
with the file names taken from a list instead of ``argv``. Run with the
benchmark's own environment (``benchmarks/.work/venv``), where check-jsonschema
is installed.

    python benchmarks/check_jsonschema_files.py SCHEMA LIST_FILE
"""
from __future__ import annotations

import sys

from check_jsonschema import main

if __name__ == "__main__":
    schema, listing = sys.argv[1], sys.argv[2]
    with open(listing, encoding="utf-8") as stream:
        files = stream.read().split("\n")
    sys.argv = ["check-jsonschema", "--schemafile", schema, *filter(None, files)]
    main()
