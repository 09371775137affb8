"""The Action and the workflows pass actionlint and zizmor (offline), with nothing to report."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
FILES = [PROJECT / "action.yml", *sorted((PROJECT / ".github" / "workflows").glob("*.yml"))]


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]' installs it")
    return path


def test_actionlint_reports_nothing():
    workflows = [str(f) for f in FILES if f.parent.name == "workflows"]
    done = subprocess.run(
        [tool("actionlint"), *workflows], capture_output=True, text=True, cwd=PROJECT
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_reports_nothing():
    done = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", *map(str, FILES)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout


def _steps(document: dict) -> list[dict]:
    if "runs" in document:
        return document["runs"].get("steps", [])
    return [step for job in document.get("jobs", {}).values() for step in job.get("steps", [])]


def test_event_data_is_never_interpolated_into_run():
    """Values from the event reach shell steps through env:, never through ${{ }} in run:."""
    import yaml

    for path in FILES:
        for step in _steps(yaml.safe_load(path.read_text())):
            assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}"


def test_checkout_never_persists_credentials():
    import yaml

    for path in FILES:
        for step in _steps(yaml.safe_load(path.read_text())):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, path.name
