"""Allow ``python -m nmtui_state``."""

from nmtui_state.cli import main

raise SystemExit(main())
