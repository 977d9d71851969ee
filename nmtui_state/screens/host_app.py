"""The typed way for a screen to reach the app it runs in.

``Screen.app`` is typed as a plain ``App``; screens that need the session
or the draft ask for it here and get :class:`NmtuiStateApp`, checked,
instead of silencing the type checker at every use.
"""

from __future__ import annotations

from textual.dom import DOMNode

from nmtui_state.app import NmtuiStateApp


def host_app(node: DOMNode) -> NmtuiStateApp:
    """The :class:`NmtuiStateApp` ``node`` belongs to."""
    app = node.app
    if not isinstance(app, NmtuiStateApp):
        raise TypeError(f"{type(node).__name__} runs only inside NmtuiStateApp, not {app!r}")
    return app
