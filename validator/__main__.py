"""Allow ``python -m validator``."""
from __future__ import annotations

import sys

from validator.cli import main

sys.exit(main())
