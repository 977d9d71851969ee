"""The set-up console: a small Textual app for a bare serial line or VT (first boot).

Made for 80x24, TERM=vt100/vt220/linux, no mouse and no colour: every
character it draws is printable ASCII (see :mod:`nmtui_state.console.text`),
focus and selection are marked with ``>`` rather than by colour alone, and
the only periodic redraw is the countdown's number.
"""
