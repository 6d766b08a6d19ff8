"""Keeping a burst of keys in order (a fast typist, a pasted script, a trainer's tmux script).

Textual hands each key to the widget that has focus, and runs key bindings only once the key
has bubbled back up to the app. So when a key moves the call on (Enter answers, Escape goes
back, Tab moves focus), the keys right behind it may already sit in the old widget's queue
and be typed into the wrong field. The two answer widgets call this first for every key: a
key arriving after focus has moved on is passed to whatever has focus now, and a bound key
runs its binding at once, in its place in the queue."""

from __future__ import annotations

from textual import events
from textual.widget import Widget


async def handle_in_order(widget: Widget, event: events.Key, typed_here: bool) -> bool:
    """True when the key was dealt with here (the caller then does nothing more with it).

    `typed_here`: the widget itself takes this key (a printable key in a text field)."""
    # `has_focus` follows focus a message later; the screen's own record is current.
    focused = widget.screen.focused
    if focused is not None and focused is not widget:
        event.stop()
        event.prevent_default()
        widget.app.simulate_key(event.key)  # to the widget that has focus now
        return True
    if not widget.display:
        # Hidden but still holding focus: passing the key on would bring it straight back.
        event.stop()
        event.prevent_default()
        return True
    if typed_here:
        return False
    # The binding chain from this widget up to the app, run now rather than after bubbling.
    # (A private method of Textual's App: the public path is the asynchronous one above.)
    if await widget.app._check_bindings(event.key):
        event.stop()
        event.prevent_default()
        return True
    return False
