"""UI-free state engine of nmtui-state (the libnmstate of this project)."""
