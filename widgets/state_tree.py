"""The live interface tree: controllers with their ports, stacked links under their base.

Fed with a plain state dict (never talks to D-Bus). Refreshing with a new
state keeps the selection and, when the shape is unchanged, only relabels
nodes, so periodic updates do not flicker or move the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Span, Text, TextType
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from engine import keys as k
from engine.comparable import link_local_entry
from engine.link_view import MARK_DEFAULT, state_words
from engine.textsafe import printable
from engine.topology import Node, by_name, tree
from widgets.glyphs import glyphs

# link word -> style; the word itself makes the tree readable without colour
WORD_STYLE: dict[str, str] = {
    "up": "green",
    "no-carrier": "bold red",
    "dormant": "yellow",
    "down": "yellow",
    "gone": "red",
    "absent": "red",
    "inactive": "yellow",
    "unmanaged": "dim",
}
MARK_WORDS = {MARK_DEFAULT: "default"}


@dataclass(frozen=True)
class NodeRef:
    """What a tree line stands for: an interface, or one of the global sections."""

    kind: str  # "iface", "section"
    name: str


def _first_address(iface: dict[str, Any]) -> str:
    """The first address that says something: not a link-local one (every IPv6 link has it)."""
    for family in (k.IPV4, k.IPV6):
        addrs = (iface.get(family) or {}).get(k.ADDRESS) or []
        addrs = [a for a in addrs if not link_local_entry(a)]
        if addrs:
            return f"{addrs[0][k.IP]}/{addrs[0][k.PREFIX_LENGTH]}"
    if (iface.get(k.IPV4) or {}).get(k.DHCP):
        return "dhcp"
    return ""


def iface_label(
    iface: dict[str, Any],
    link: dict[str, Any] | None = None,
    marks: list[str] | None = None,
    live: bool = True,
) -> Text:
    """``● br0 linux-bridge no-carrier [default] 198.51.100.1/24``.

    The symbol and first word are the kernel's link state (``link``, see
    :mod:`engine.link_view`), NM's word follows when it adds something
    (``unmanaged``), then the marks (default route, SSH session). Without
    ``live`` (a state that is not the host's) only the schema state is shown.
    """
    state = str(iface.get(k.STATE, k.UP))
    words = state_words(iface, link) if live else [state]
    look = glyphs()
    first = words[0]
    style = WORD_STYLE.get(first, "")
    dim = state == k.IGNORE
    parts = [
        (f"{look.link.get(first, '?')} ", style),
        (printable(str(iface.get(k.NAME, "?"))), "dim" if dim else "bold"),
        (f" {printable(str(iface.get(k.TYPE, k.UNKNOWN)))}", "dim"),
        (f" {first}", style),
        *((f" {word}", WORD_STYLE.get(word, "")) for word in words[1:]),
        # In brackets, no symbol: a mark must read the same in every font.
        *((f" [{MARK_WORDS.get(mark, mark)}]", "bold") for mark in marks or []),
    ]
    addr = _first_address(iface)
    if addr:
        parts.append((f" {printable(str(addr))}", "dim" if dim else "cyan"))
    return _assembled(parts)


def _assembled(parts: list[tuple[str, str]]) -> Text:
    """One Text from styled pieces: a tree of 1000 lines builds 1000 labels at each
    refresh, and ``Text.append`` per piece costs five times this."""
    spans, at = [], 0
    for piece, style in parts:
        if style:
            spans.append(Span(at, at + len(piece), style))
        at += len(piece)
    return Text("".join(piece for piece, _ in parts), spans=spans)


def _section_labels(state: dict[str, Any]) -> list[tuple[str, Text]]:
    routes = (state.get(k.ROUTES) or {}).get(k.CONFIG) or []
    dns = ((state.get(k.DNS_RESOLVER) or {}).get(k.CONFIG) or {}).get(k.SERVER) or []
    hostname = (
        (state.get(k.HOSTNAME) or {}).get(k.CONFIG)
        or (state.get(k.HOSTNAME) or {}).get(k.RUNNING)
        or ""
    )
    return [
        ("routes", Text.assemble(("Routes", "bold"), f" ({len(routes)})")),
        ("dns", Text.assemble(("DNS", "bold"), f" {', '.join(dns) or 'none'}")),
        ("hostname", Text.assemble(("Hostname", "bold"), f" {hostname or 'none'}")),
    ]


class StateTree(Tree[NodeRef]):
    """Interfaces as a forest plus Routes/DNS/Hostname roots."""

    DEFAULT_CSS = """
    StateTree { min-width: 30; }
    """

    filter_text: reactive[str] = reactive("")
    _building = False  # adding the nodes of a new state: invalidate once, after

    class IfaceHighlighted(Message):
        """The cursor moved onto an interface or section."""

        def __init__(self, ref: NodeRef | None) -> None:
            self.ref = ref
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("host", id=id)
        self.show_root = False
        self.guide_depth = 3
        self._state: dict[str, Any] = {}
        self._links: dict[str, dict[str, Any]] | None = None
        self._marks: dict[str, list[str]] = {}
        self._shape: tuple[Any, ...] = ()
        self.pending: frozenset[str] = frozenset()  # interfaces the draft changes
        look = glyphs()
        self.ICON_NODE = look.collapsed
        self.ICON_NODE_EXPANDED = look.expanded

    def process_label(self, label: TextType) -> Text:
        """Our labels are one-line Text already: Tree would split and copy each one."""
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def _invalidate(self) -> None:
        """Tree invalidates its caches and lays itself out again per node added; a state
        of 1000 interfaces adds 1000 nodes in one go, so that waits for the last one."""
        if not self._building:
            super()._invalidate()

    def set_pending(self, names: set[str] | frozenset[str]) -> None:
        """Mark the interfaces the draft changes (``✎ draft``), so edits not applied show."""
        if frozenset(names) != self.pending:
            self.pending = frozenset(names)
            self._render_state()

    @property
    def selected_ref(self) -> NodeRef | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def _visible(self, forest: list[Node]) -> list[Node]:
        """Drop nodes that neither match the filter nor hold a match."""
        needle = self.filter_text.lower()
        if not needle:
            return forest
        out = []
        for node in forest:
            kids = self._visible(node.children)
            if needle in node.name.lower() or kids:
                out.append(Node(node.name, node.type, node.state, kids))
        return out

    def set_state(
        self,
        state: dict[str, Any],
        links: dict[str, dict[str, Any]] | None = None,
        marks: dict[str, list[str]] | None = None,
    ) -> None:
        """Show ``state``; keep the cursor on the same interface across refreshes.

        ``links`` are the kernel's facts per link (the live host's; None for a
        state read from elsewhere), ``marks`` what each interface carries.
        """
        self._state = state
        self._links = links
        self._marks = marks or {}
        self._render_state()

    def _label(self, ifaces: dict[Any, dict[str, Any]], name: str) -> Text:
        links = self._links
        label = iface_label(
            ifaces.get(name, {k.NAME: name}),
            None if links is None else links.get(name),
            self._marks.get(name),
            live=links is not None,
        )
        if name in self.pending:
            label.append(f" {glyphs().draft}", style="bold magenta")
        return label

    def watch_filter_text(self) -> None:
        self._render_state()

    def _render_state(self) -> None:
        ifaces = by_name(self._state)
        forest = self._visible(tree(self._state))

        def shape(nodes: list[Node]) -> tuple[Any, ...]:
            return tuple((n.name, shape(n.children)) for n in nodes)

        new_shape = shape(forest)
        if new_shape == self._shape and self.root.children:
            self._relabel(self.root, ifaces)
            self._relabel_sections()
            return
        keep = self.selected_ref
        self._shape = new_shape
        self.clear()

        def add(parent: TreeNode[NodeRef], node: Node) -> None:
            label = self._label(ifaces, node.name)
            ref = NodeRef("iface", node.name)
            if node.children:
                branch = parent.add(label, data=ref, expand=True)
                for child in node.children:
                    add(branch, child)
            else:
                parent.add_leaf(label, data=ref)

        self._building = True
        try:
            for node in forest:
                add(self.root, node)
            for key, label in _section_labels(self._state):
                self.root.add_leaf(label, data=NodeRef("section", key))
        finally:
            self._building = False
        self._invalidate()
        if keep is not None:
            # After the new lines are laid out: until then a fresh node has no line, and
            # the cursor would land on the first line while the selection said otherwise.
            self.call_after_refresh(self.select_ref, keep)

    def _relabel(self, parent: TreeNode[NodeRef], ifaces: dict[Any, dict[str, Any]]) -> None:
        for node in parent.children:
            if node.data is not None and node.data.kind == "iface":
                label = self._label(ifaces, node.data.name)
                if str(node.label) != str(label) or node.label != label:
                    node.set_label(label)
            self._relabel(node, ifaces)

    def _relabel_sections(self) -> None:
        labels = dict(_section_labels(self._state))
        for node in self.root.children:
            if node.data is not None and node.data.kind == "section":
                node.set_label(labels[node.data.name])

    def select_ref(self, ref: NodeRef) -> bool:
        """Move the cursor to the node standing for ``ref``; False when it is not shown."""
        stack = list(self.root.children)
        while stack:
            node = stack.pop(0)
            if node.data == ref:
                self.move_cursor(node)
                return True
            stack.extend(node.children)
        return False

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        event.stop()
        self.post_message(self.IfaceHighlighted(event.node.data))
