"""Shared helpers for the test suite: the repository's paths and a runner for the real command."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
POLICY_DIR = REPO / "policy"
SPEC = REPO.parent / "shared" / "SPEC.md"


def run_cli(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m validator`` as a whole process, the way the operator does."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "validator", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=120)


def run_json(*args: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    completed = run_cli("validate", "--format", "json", *args, **kwargs)
    assert completed.stderr == "", completed.stderr
    return completed.returncode, json.loads(completed.stdout)


@pytest.fixture
def policy_copy(tmp_path: Path) -> Path:
    """A copy of policy/ that a test may change without touching the real one."""
    target = tmp_path / "policy"
    target.mkdir()
    for source in POLICY_DIR.glob("*.yaml"):
        (target / source.name).write_bytes(source.read_bytes())
    return target
