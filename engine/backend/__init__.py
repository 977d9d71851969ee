"""NetworkManager (D-Bus) and kernel (netlink) backends."""
