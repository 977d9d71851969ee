"""Reading and writing states as YAML or JSON, with line numbers for problems.

States travel as nmstate-compatible YAML. Loading goes through a SafeLoader
subclass so that no document can build Python objects, and so that a few
YAML 1.1 surprises are switched off: ``52:54:00:12:34:56`` is a MAC address,
not a base-60 integer, and ``2024-01-01`` stays a string (JSON cannot hold a
date). Dumping orders keys the way ``nmstatectl show`` does, so that files
written by us diff cleanly against files written by nmstate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from engine import keys as k
from engine import limits
from engine.errors import InvalidInput, Problem
from engine.file_read import read_text as read_text  # re-exported: callers read via yamlio
from engine.paths import PathPart
from engine.yaml_emit import emit

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_C1 = re.compile("[\x7f-\x9f]")
_DROPPED_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}

# Decimal/octal/hex/binary integers and plain floats of YAML 1.1 minus the
# sexagesimal forms, which would turn an all-digit MAC address into an int.
_INT_RE = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.X,
)
_FLOAT_RE = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)


class StateConstructor(yaml.constructor.SafeConstructor):
    """SafeConstructor refusing duplicate keys; YAML 1.1 merge keys (``<<:``) are honoured."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Refuse duplicate keys: PyYAML would silently keep the last one.

        Only the mapping's own keys count: a key that a merge (``<<: *base``)
        brings in and the mapping then overrides is what merge keys are for.
        """
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # unhashable key: let the base class complain
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
        if any(key_node.tag == _MERGE_TAG for key_node, _ in node.value):
            # A copy: flattening rewrites the node's pairs, and line_map reads them later.
            node = yaml.MappingNode(node.tag, list(node.value), node.start_mark, node.end_mark)
        return super().construct_mapping(node, deep=deep)


class StateResolver(yaml.resolver.Resolver):
    """YAML 1.1's implicit types without sexagesimal numbers and timestamps."""


StateResolver.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
StateResolver.add_implicit_resolver("tag:yaml.org,2002:int", _INT_RE, list("-+0123456789"))
StateResolver.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_RE, list("-+0123456789."))

# libyaml's parser and composer when PyYAML has them: ~10x faster than PyYAML's own.
_CParser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)


class _PurePython(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    StateConstructor,
    StateResolver,
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        StateConstructor.__init__(self)
        StateResolver.__init__(self)


StateLoader: Any = _PurePython  # PyYAML built without libyaml
if _CParser is not None:

    class _LibYaml(_CParser, StateConstructor, StateResolver):  # type: ignore[misc]
        """libyaml's parser with our constructor and resolver (a SafeLoader: no objects)."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            StateConstructor.__init__(self)
            StateResolver.__init__(self)

    StateLoader = _LibYaml


def _events(text: str) -> Iterator[Any]:
    """The document's parse events, one at a time (libyaml when available)."""
    parser = StateLoader(text)
    try:
        while parser.check_event():
            yield parser.get_event()
    finally:
        parser.dispose()


def compose(text: str) -> yaml.Node | None:
    """The document's node graph after the limits check; raises YAMLError or LimitExceeded.

    The last few results are kept, so that :func:`line_map` on the text a
    :func:`loads` just parsed costs no second parse.
    """
    cached = _composed.get(text)
    if cached is not None:
        return cached[0]
    limits.check_events(_events(text))
    loader = StateLoader(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    if len(_composed) >= _COMPOSED_MAX:
        _composed.pop(next(iter(_composed)))
    _composed[text] = (node,)
    return node


_COMPOSED_MAX = 4
_composed: dict[str, tuple[yaml.Node | None]] = {}


# libyaml's emitter when PyYAML has it: ~5x faster on a 600-interface state.
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class StateDumper(_BaseDumper):  # type: ignore[valid-type, misc]
    """SafeDumper that never writes anchors: a state is a tree, and aliases confuse readers."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


StateDumper.add_representer(tuple, yaml.SafeDumper.represent_list)


def _hint_for(problem: str, at: str = "") -> str:
    """A fix for the parse errors people actually make (``at``: the character at the error)."""
    text = problem.lower()
    if "'\\t'" in text or "tabs" in text or at == "\t":
        return "indent with spaces; YAML does not allow tabs"
    if "duplicate key" in text:
        return "remove one of the two keys or merge their values"
    if "mapping values are not allowed" in text:
        return "check the indentation, or quote a value that contains ': '"
    if "expected a single document" in text:
        return "give one document; remove the extra '---'"
    if "nesting depth" in text:
        return f"a state is a few levels deep, at most {limits.MAX_DEPTH}; check the brackets"
    if "could not find expected ':'" in text:
        return "add ':' after the key, or quote the text"
    return "check indentation and quoting near this spot"


def _parse_problem(exc: yaml.YAMLError, source: str, text: str = "") -> Problem:
    """One Problem with 1-based line and column for a PyYAML error."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context", None)
    what = getattr(exc, "problem", None) or str(exc)
    if context and "constructing" not in context:
        what = f"{context}, {what}"
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character
        what = f"invalid character {chr(char)!r}" if isinstance(char, int) else str(exc)
        return Problem(
            "", f"cannot read YAML: {what}", "remove the non-printable character", source=source
        )
    if mark is None:
        return Problem("", f"cannot parse YAML: {what}", _hint_for(str(what)), source=source)
    line, column = mark.line + 1, mark.column + 1
    index = getattr(mark, "index", -1)
    at = text[index] if 0 <= index < len(text) else ""
    return Problem(
        "",
        f"cannot parse YAML at column {column}: {what}",
        _hint_for(str(what), at),
        source=source,
        line=line,
        column=column,
    )


def loads(text: str, source: str = "<stdin>") -> dict[str, Any]:
    """Parse a YAML (or JSON) state; raise InvalidInput pointing at the bad spot.

    An empty document is the empty state ``{}`` (it asks for no change),
    anything else that is not a mapping is refused.
    """
    if len(text) > limits.max_bytes():
        raise InvalidInput([limits.size_problem(f"{len(text)} characters", source)])
    try:
        node = compose(text)
        data = None if node is None else _construct(node)
    except limits.LimitExceeded as exc:
        raise InvalidInput([exc.problem(source)]) from exc
    except yaml.YAMLError as exc:
        raise InvalidInput([_parse_problem(exc, source, text)]) from exc
    except ValueError as exc:  # e.g. an integer of thousands of digits
        hint = "give a number of ordinary size, or quote the value"
        raise InvalidInput(
            [Problem("", f"cannot read a value: {exc}", hint, source=source)]
        ) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise InvalidInput(
            [
                Problem(
                    "",
                    f"a state must be a mapping (interfaces:, routes:, ...), got {kind}",
                    "start the file with a key such as 'interfaces:'",
                    source=source,
                    line=1,
                )
            ]
        )
    too_many = [p for p in limits.interface_problems(data) if p.is_error]
    if too_many:
        raise InvalidInput([replace(p, source=source) for p in too_many])
    return data


def _construct(node: yaml.Node) -> Any:
    """Python data for a composed document (StateConstructor's rules, no objects built)."""
    loader = StateLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load_file(path: str | Path) -> dict[str, Any]:
    """Load a state from ``path``; ``-`` reads standard input."""
    text, source = read_text(path)
    return loads(text, source)


def _item_label(node: yaml.Node, index: int) -> PathPart:
    """How format_path names a list item: by its ``name`` when it is a non-empty string."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.value == k.NAME
                and isinstance(value_node, yaml.ScalarNode)
                and value_node.tag == _STR_TAG
                and value_node.value
            ):
                return f"[{value_node.value}]"
    return index


def _join(prefix: str, part: PathPart) -> str:
    if isinstance(part, int):
        return f"{prefix}[{part}]"
    if part.startswith("["):
        return prefix + part
    return f"{prefix}.{part}" if prefix else part


def line_map(text: str) -> dict[str, int]:
    """Map each formatted path in ``text`` to its 1-based line (first occurrence wins).

    Mapping values map to the line of their key, list items to the line of
    their dash. Unparsable text gives an empty map: the parse error itself
    already carries a line. A node that aliases repeat is walked once: paths
    under the repeats fall back to the line of the alias itself.
    """
    try:
        root = compose(text)
    except (yaml.YAMLError, limits.LimitExceeded):
        return {}
    out: dict[str, int] = {}
    stack: list[tuple[str, yaml.Node]] = [("", root)] if root is not None else []
    walked: set[int] = set()  # an alias is the same node again: walk it once, not per use
    while stack:
        prefix, node = stack.pop()
        if id(node) in walked:
            continue
        walked.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                path = _join(prefix, str(key_node.value))
                out.setdefault(path, key_node.start_mark.line + 1)
                stack.append((path, value_node))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                path = _join(prefix, _item_label(item, index))
                out.setdefault(path, item.start_mark.line + 1)
                stack.append((path, item))
    return out


def _parent(path: str) -> str:
    """The enclosing path: ``a.b[c].d`` → ``a.b[c]`` → ``a.b`` → ``a`` → ``""``."""
    if path.endswith("]"):
        return path[: path.rfind("[")]
    dot = path.rfind(".")
    return path[:dot] if dot > 0 else ""


def attach_lines(problems: Iterable[Problem], text: str, source: str) -> list[Problem]:
    """Fill in ``line`` (nearest existing ancestor for missing keys) and ``source``."""
    problems = list(problems)
    if all(p.line is not None for p in problems):
        return [replace(p, source=p.source or source) for p in problems]
    lines = line_map(text)
    out: list[Problem] = []
    for problem in problems:
        line = problem.line
        path = problem.path
        while line is None and path:
            line = lines.get(path)
            path = _parent(path)
        out.append(replace(problem, line=line, source=problem.source or source))
    return out


def _ordered(node: Any, top: bool = False) -> Any:
    """A copy of ``node`` with dict keys in print order and tuples as lists."""
    if isinstance(node, dict):
        if top:
            rank = {key: i for i, key in enumerate(k.TOP_LEVEL_ORDER)}
        else:
            rank = {key: i for i, key in enumerate(k.LEADING_KEYS)}
        ordered = sorted(node, key=lambda key: (rank.get(key, len(rank)), str(key)))
        return {key: _ordered(node[key]) for key in ordered}
    if isinstance(node, list | tuple):
        return [_ordered(item) for item in node]
    return node


def dumps(state: dict[str, Any], fmt: str = "yaml") -> str:
    """Render ``state`` in nmstate's key order as block YAML or indented JSON."""
    ordered = _ordered(state, top=True)
    if fmt == "json":
        text = json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"
        # JSON escapes C0 controls itself; C1 ones (U+009B is a terminal's CSI) too, here.
        return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if fmt != "yaml":
        raise ValueError(f"unknown format {fmt!r}; use 'yaml' or 'json'")
    fast = emit(ordered, StateDumper)
    if fast is not None:
        return fast
    return yaml.dump(
        ordered,
        Dumper=StateDumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=1000,
    )
