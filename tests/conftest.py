"""Fixtures shared by every test module.

``shared_dir`` is the read-only ``../shared`` folder beside the checkout
(the real minutes corpus, the gold records, GitHub's OpenAPI description).
A user's fresh clone does not have it: tests that need it skip, with the
reason. Under CI (``CI=true``) it must be there, so they fail instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"


def require_shared(*parts: str) -> Path:
    """The path below ../shared, or skip (fail under CI) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is absent: these tests read the shared corpus beside the checkout"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (and CI=true requires it)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def corpus_minutes() -> Path:
    return require_shared("corpus", "minutes")


@pytest.fixture(scope="session")
def corpus_gold() -> Path:
    return require_shared("corpus", "gold")


@pytest.fixture(scope="session")
def project_dir() -> Path:
    return PROJECT


@pytest.fixture(scope="session")
def score_script() -> Path:
    return require_shared("tools", "score.py")
