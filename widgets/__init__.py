"""Textual widgets of nmtui-state. They never talk to D-Bus: data comes in as plain state."""
