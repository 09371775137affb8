"""Hold the HedgeDoc 1.x imitation's answers against HedgeDoc's own API description.

``shared/pads/hedgedoc-1.12/openapi.yml`` documents per path and method the
answers by status (or ``default``), each with its media types and, for
JSON, a schema. :func:`problems` checks every recorded exchange whose path
template the description has: the operation exists, the status is
documented (or a ``default`` answer is), the media type is one the
description lists for it, a JSON body fits its schema, and an answer the
description calls a redirect is a 3xx with a ``Location``.

Paths the API description does not cover (the start page ``/`` with the
login form, ``/uploads/...``) are the web application's, not the API's:
they are returned apart by :func:`outside`, for a test to name them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from loopback import Exchange
from openapi_schema_validator import OAS30Validator


@lru_cache(maxsize=2)
def _load(path: str) -> dict[str, Any]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def outside(spec_path: Path, exchanges: Iterable[Exchange]) -> set[str]:
    """The paths of exchanges the description has no template for."""
    spec = _load(str(spec_path))
    return {e.path for e in exchanges if e.template not in spec["paths"]}


def problems(spec_path: Path, exchanges: Iterable[Exchange]) -> list[str]:
    spec = _load(str(spec_path))
    found = []
    for ex in exchanges:
        if ex.template not in spec["paths"]:
            continue
        where = f"{ex.method} {ex.path} -> {ex.status}"
        operation = spec["paths"][ex.template].get(ex.method.lower())
        if operation is None:
            found.append(f"{where}: {ex.method} {ex.template} is not in the description")
            continue
        responses = operation["responses"]
        response = responses.get(ex.status, responses.get(str(ex.status), responses.get("default")))
        if response is None:
            found.append(f"{where}: status not documented ({', '.join(map(str, responses))})")
            continue
        if response.get("description", "").lower().startswith("redirect"):
            if not (300 <= ex.status < 400 and ex.headers.get("Location")):
                found.append(f"{where}: the description says redirect; no 3xx with Location")
            continue
        content = response.get("content")
        if content is None:
            continue
        if ex.media_type not in content:
            found.append(f"{where}: media type {ex.media_type!r}, documented: {', '.join(content)}")
            continue
        schema = content[ex.media_type].get("schema")
        if schema is not None:
            errors = OAS30Validator(schema).iter_errors(json.loads(ex.body))
            found.extend(f"{where}: {error.message}" for error in errors)
    return found
