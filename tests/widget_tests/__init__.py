"""Widget-level tests: one tiny App per widget, no host, no sandbox."""
