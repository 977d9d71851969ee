"""nmtui-state: declarative host networking in a terminal UI."""

__version__ = "0.1.0"
