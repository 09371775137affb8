"""Hold the imitation's answers against GitHub's own OpenAPI description.

The fake records every answer it sends (:class:`ghfake.server.Exchange`);
:func:`problems` checks each against the response the description documents
for that path template, method and status. An error status the description
does not list for the operation (a 502 or 429 the fake was told to inject)
is checked against GitHub's generic ``basic-error`` shape, which is what
GitHub sends then. GraphQL is not part of the REST description; its answers
get a structural check of their own.

Two leniencies. Where the description offers ``oneOf`` alternatives that
any error body satisfies at once (the 409 of ``PUT .../contents/{path}`` is
``basic-error`` or ``repository-rule-violation-error``, both open objects
of optional strings), matching several is accepted; matching none is not.
And a ``nullable`` property with an ``enum`` may be null although the enum
does not list null (``state_reason`` of an issue never closed): GitHub sends
null there (``shared/github/recorded/``), and OpenAPI 3.0 left open whether
``nullable`` reaches past an ``enum``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ghfake.server import Exchange
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_URI = "urn:github-openapi-subset"


@lru_cache(maxsize=2)
def _load(path: str) -> tuple[dict[str, Any], Registry]:
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    registry = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, DRAFT4))
    return spec, registry


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def _response_pointer(spec: dict[str, Any], ex: Exchange) -> tuple[str | None, str]:
    """JSON pointer of the documented response's schema, and a note of what it is."""
    operation = spec["paths"].get(ex.template or "", {}).get(ex.method.lower())
    if operation is None:
        return None, f"{ex.method} {ex.template} is not in the description"
    responses = operation["responses"]
    key = str(ex.status)
    if key not in responses:
        if ex.status >= 400:
            return (
                "/components/schemas/basic-error",
                "undocumented error status, generic error shape",
            )
        return None, f"status {ex.status} is not documented for {ex.method} {ex.template}"
    response = responses[key]
    base = _pointer("paths", ex.template or "", ex.method.lower(), "responses", key)
    if "$ref" in response:
        base = response["$ref"].lstrip("#")
        response = spec["components"]["responses"][base.rsplit("/", 1)[1]]
    if "content" not in response:
        return "", "no content"
    media = (
        "application/json"
        if "application/json" in response["content"]
        else next(iter(response["content"]))
    )
    return f"{base}/content/{media.replace('/', '~1')}/schema", "documented"


def _check_headers(spec: dict[str, Any], ex: Exchange) -> list[str]:
    found = []
    for name in (
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-ratelimit-used",
    ):
        if not re.fullmatch(r"\d+", ex.headers.get(name, "")):
            found.append(f"header {name} is not an integer: {ex.headers.get(name)!r}")
    link = ex.headers.get("Link")
    if link is not None:
        for part in link.split(", "):
            if not re.fullmatch(r'<https?://[^>]+>; rel="(next|prev|last|first)"', part):
                found.append(f"bad Link part {part!r}")
    return found


def _check_graphql(ex: Exchange) -> list[str]:
    body = ex.body
    if ex.status != 200:
        return (
            []
            if isinstance(body, dict) and "message" in body
            else ["GraphQL error without message"]
        )
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        return ["GraphQL answer without a data object"]
    return [
        f"GraphQL error without message/path: {e}"
        for e in body.get("errors", [])
        if not isinstance(e.get("message"), str) or not isinstance(e.get("path"), list)
    ]


def problems(spec_path: Path, exchanges: Iterable[Exchange]) -> list[str]:
    """Every way the recorded answers depart from the description (empty: all valid)."""
    spec, registry = _load(str(spec_path))
    found: list[str] = []
    for ex in exchanges:
        where = f"{ex.method} {ex.path} -> {ex.status}"
        if ex.template == "/graphql":
            found += [f"{where}: {p}" for p in _check_graphql(ex)]
            continue
        pointer, note = _response_pointer(spec, ex)
        found += [f"{where}: {p}" for p in _check_headers(spec, ex)]
        if pointer is None:
            found.append(f"{where}: {note}")
            continue
        if pointer == "":
            if ex.body is not None:
                found.append(f"{where}: documented without content but has a body")
            continue
        validator = OAS30Validator(
            {"$ref": f"{SPEC_URI}#{pointer}"},
            registry=registry,
            format_checker=oas30_format_checker,
        )
        for error in validator.iter_errors(ex.body):
            if error.validator == "oneOf" and "is valid under each of" in error.message:
                continue  # the description's alternatives overlap (see the module docstring)
            if (
                error.validator == "enum"
                and error.instance is None
                and error.schema.get("nullable")
            ):
                continue  # a nullable enum (see the module docstring)
            found.append(f"{where}: {error.message} at {list(error.absolute_path)}")
    return found
