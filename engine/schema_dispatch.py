"""The schema's interface-type switch, read as a lookup instead of twenty ``if`` s.

``network-state.schema.json`` picks the section an interface may have by its type,
with one ``if: {type: {const: X}}`` / ``then`` pair per type. That is plain JSON
Schema, what editors and other validators read, so the file keeps it. But
jsonschema evaluates every ``if`` of the chain for every interface: at 1000
interfaces that was 20,000 sub-validations and most of the time validate takes,
which the UI spends on each edit of the draft.

:func:`dispatch_chains` rewrites such a chain, in the copy the validator uses,
into one ``x-dispatch`` keyword: ``{"property": "type", "cases": {X: schema},
"missing": schema}``; :func:`check_dispatch` applies it by looking the value up.
The meaning is the same, including the odd corners: a value that is not an
object satisfies every ``if`` (``required`` ignores non-objects), so it gets
every branch, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

from jsonschema import Draft202012Validator, ValidationError, validators

DISPATCH = "x-dispatch"


def dispatch_chains(node: Any) -> Any:
    """``node`` with each all-``if``/``then`` ``allOf`` on one property made an ``x-dispatch``."""
    if isinstance(node, list):
        return [dispatch_chains(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: dispatch_chains(value) for key, value in node.items()}
    spec = _as_dispatch(out.get("allOf"))
    if spec is not None:
        del out["allOf"]
        out[DISPATCH] = spec
    return out


def _as_dispatch(chain: Any) -> dict[str, Any] | None:
    """The dispatch table equal to ``chain``, or None when it is not a pure type switch."""
    if not isinstance(chain, list) or len(chain) < 2:
        return None
    prop: str | None = None
    cases: dict[str, Any] = {}
    missing: Any = None
    for item in chain:
        if not isinstance(item, dict) or set(item) != {"if", "then"}:
            return None
        found = _const_test(item["if"]) or _absent_test(item["if"])
        if found is None or (prop is not None and found[0] != prop):
            return None
        prop, value = found
        if value is None:
            if missing is not None:
                return None
            missing = item["then"]
        elif value in cases:
            return None
        else:
            cases[value] = item["then"]
    return {"property": prop, "cases": cases, "missing": missing}


def _const_test(test: Any) -> tuple[str, str | None] | None:
    """``(P, X)`` for ``{"required": [P], "properties": {P: {"const": X}}}`` with X a string."""
    if not isinstance(test, dict) or set(test) != {"required", "properties"}:
        return None
    required, props = test["required"], test["properties"]
    if not (isinstance(required, list) and len(required) == 1 and isinstance(props, dict)):
        return None
    prop = required[0]
    if set(props) != {prop} or not isinstance(props[prop], dict) or set(props[prop]) != {"const"}:
        return None
    value = props[prop]["const"]
    return (prop, value) if isinstance(prop, str) and isinstance(value, str) else None


def _absent_test(test: Any) -> tuple[str, None] | None:
    """``(P, None)`` for ``{"not": {"required": [P]}}``."""
    if not isinstance(test, dict) or set(test) != {"not"}:
        return None
    inner = test["not"]
    if not isinstance(inner, dict) or set(inner) != {"required"}:
        return None
    required = inner["required"]
    if isinstance(required, list) and len(required) == 1 and isinstance(required[0], str):
        return (required[0], None)
    return None


def check_dispatch(
    validator: Any, spec: Mapping[str, Any], instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """Errors of the branch ``instance`` selects: the keyword's jsonschema implementation."""
    cases: Mapping[str, Any] = spec["cases"]
    if not isinstance(instance, dict):
        # Every ``if`` holds for a non-object, and the ``not required`` one fails.
        for value, branch in cases.items():
            yield from validator.descend(instance, branch, schema_path=value)
        return
    prop = spec["property"]
    if prop not in instance:
        if spec["missing"] is not None:
            yield from validator.descend(instance, spec["missing"], schema_path="missing")
        return
    value = instance[prop]
    branch = cases.get(value) if isinstance(value, str) else None
    if branch is not None:
        yield from validator.descend(instance, branch, schema_path=value)


# jsonschema's extend() has no annotations; what it returns is a validator class.
_extend = cast(Callable[..., type[Draft202012Validator]], validators.extend)
DispatchValidator = _extend(Draft202012Validator, {DISPATCH: check_dispatch})
