"""The fast YAML writer (engine.yaml_emit) writes exactly what PyYAML writes.

``yamlio.dumps`` uses it for every state; if it drifted, files would stop
diffing cleanly against earlier output (and against nmstatectl's), so each
case here compares it byte for byte with ``yaml.dump`` and checks that the
text loads back to the same data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import yaml_emit
from engine.yamlio import StateDumper, _ordered, dumps, load_file, loads

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLES = sorted(DATA.glob("*/*.yml"))


def pyyaml(doc: dict[str, Any]) -> str:
    return yaml.dump(
        doc,
        Dumper=StateDumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=1000,
    )


def test_every_example_file_is_written_as_pyyaml_writes_it() -> None:
    compared = 0
    for path in EXAMPLES:
        try:
            state = load_file(path)
        except Exception:  # broken-YAML examples of the invalid set
            continue
        if not isinstance(state, dict) or not state:
            continue
        ordered = _ordered(state, top=True)
        fast = yaml_emit.emit(ordered, StateDumper)
        assert fast == pyyaml(ordered), path.name
        compared += 1
    assert compared > 50


def test_strings_yaml_would_misread_are_quoted() -> None:
    doc = {
        "mac": "12:34:56:00:00:01",  # base-60 integer in YAML 1.1
        "word": "yes",
        "hex": "0x10",
        "null": "null",
        "empty": "",
        "spaced": "a b",
        "colon": "key: value",
        "ipv6": "::1",
        "quote": "it's",
        "unicode": "grüß",
        "dots": "...",
    }
    text = yaml_emit.emit(doc, StateDumper)
    assert text is not None
    assert "mac: '12:34:56:00:00:01'\n" in text
    assert "word: 'yes'\n" in text
    assert "ipv6: ::1\n" in text
    assert text == pyyaml(doc)
    assert loads(text) == doc


def test_shapes_it_does_not_copy_fall_back_to_pyyaml() -> None:
    assert yaml_emit.emit({"a": [[1, 2]]}, StateDumper) is None
    assert yaml_emit.emit({"a": "two\nlines"}, StateDumper) is None
    assert yaml_emit.emit({}, StateDumper) is None
    doc = {"a": [[1, 2]], "b": "two\nlines"}
    assert dumps(doc) == pyyaml(doc)  # the caller still writes it, through PyYAML


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, width=32),
    st.text(alphabet="abyn019:.-_/+ #'\"@!&*?,[]{}=~xé\t", max_size=12),
    st.sampled_from(["on", "off", "Yes", "NULL", "~", "0b101", "1_000", "12:30", "1e3", ".inf"]),
)
KEYS = st.one_of(st.text(alphabet="abcyn01:-_ #'", max_size=8), st.integers(0, 9), st.booleans())
DOCS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, DOCS, min_size=1, max_size=5))
def test_generated_documents_match_pyyaml(doc: dict[Any, Any]) -> None:
    fast = yaml_emit.emit(doc, StateDumper)
    if fast is not None:
        assert fast == pyyaml(doc)
