"""Checking each request the fake receives against GitHub's OpenAPI description (a subset).

The subset in openapi.json is trimmed from @octokit/openapi by tests/fixtures/openapi/trim.py.
A request for an operation not in it, with an undeclared or ill-typed query parameter, or
with a body that does not match the schema, is refused: paperbot must speak real GitHub.
Bodies are checked with jsonschema, a hard dependency of the tests: a fake without it
refuses to start rather than let every body through.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_GREEDY = {"path", "ref"}  # path parameters that may hold slashes


@dataclass(frozen=True)
class Operation:
    method: str
    pattern: re.Pattern[str]
    operation_id: str
    query: dict[str, dict[str, Any]]
    body: dict[str, Any] | None
    body_required: bool


def _pattern(path: str) -> re.Pattern[str]:
    def group(m: re.Match[str]) -> str:
        return f"(?P<{m[1]}>.+)" if m[1] in _GREEDY else f"(?P<{m[1]}>[^/]+)"

    return re.compile("^" + re.sub(r"\{(\w+)\}", group, path) + "$")


def load(path: Path | None = None) -> list[Operation]:
    data = json.loads((path or Path(__file__).with_name("openapi.json")).read_text("utf-8"))
    return [
        Operation(
            op["method"],
            _pattern(op["path"]),
            op["operationId"],
            {p["name"]: p.get("schema", {}) for p in op["parameters"] if p["in"] == "query"},
            op["requestBody"],
            op["bodyRequired"],
        )
        for op in data["operations"]
    ]


def check(
    ops: list[Operation],
    method: str,
    *,
    path: str,
    query: dict[str, list[str]],
    body: Any,
    schemas: bool = True,
) -> str | None:
    """Why the request does not match GitHub's description, or None when it does."""
    op = next((o for o in ops if o.method == method and o.pattern.match(path)), None)
    if op is None:
        return f"{method} {path} is not an operation paperbot may use"
    for name, values in query.items():
        if name not in op.query:
            return f"{op.operation_id}: unknown query parameter {name!r}"
        if problem := _value(op.query[name], values[0]):
            return f"{op.operation_id}: query parameter {name!r} {problem}"
    if body is None:
        return f"{op.operation_id}: a body is required" if op.body_required else None
    return _body(op, body, schemas=schemas)


def _value(schema: dict[str, Any], value: str) -> str | None:
    if schema.get("type") == "integer" and not value.lstrip("-").isdigit():
        return "must be an integer"
    if "enum" in schema and value not in schema["enum"]:
        return f"must be one of {schema['enum']}"
    return None


def require_jsonschema() -> None:
    """Raise ImportError, saying how to install it, when jsonschema is missing."""
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        raise ImportError(
            "the fake GitHub checks request bodies with jsonschema: pip install -e '.[dev]'"
            " (or FakeGitHub(schemas=False), as the demo does)"
        ) from None


def _body(op: Operation, body: Any, *, schemas: bool = True) -> str | None:
    if op.body is None:
        return f"{op.operation_id}: takes no body"
    if not schemas:
        return None
    import jsonschema

    error = jsonschema.exceptions.best_match(jsonschema.Draft7Validator(op.body).iter_errors(body))
    return f"{op.operation_id}: {error.message}" if error else None
