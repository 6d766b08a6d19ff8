"""Keys in turn: each key is dealt with to the end before the next one is let through.

Textual hands a key to the widget that has the focus and goes straight on to the next key, so
a fast burst (a typist, a pasted script, a trainer's tmux script) can pile up in a widget's
queue while the first key of it is still moving the call on: Enter answering, a screen
opening or closing, the next call starting. The keys behind it then reach a field that is no
longer on screen, or a screen that has closed, and are lost. Here the app holds every key
until the one before it has been dealt with by the widget it went to and by everything above
it (the screen, the app's bindings), and until the screen on top is built, so each key meets
the screen its own turn leaves.

How a key's end is known: right behind the key, a `KeyDone` message is posted to the same
widget. Messages keep their order as they bubble up, so when `KeyDone` reaches the app, the
key before it has been handled all the way up, or stopped on its way. What the key started may
still be on its way, though: Textual's lists and fields only post "selected" or "submitted"
to themselves, to be acted on later. The console's own lists and fields act inside the key's
handling instead (`on_pick`, `SubmitField`, the answer widgets, the trail), and that is the
rule for new ones; as a safety net, a second `KeyDone` makes the same trip, behind anything
the key's handling posted, before the next key goes.

`KeyDone` is sent only when needed, and when it costs nothing: at once if another key is
already waiting, else once the screen has been redrawn after the key (or when the next key
comes, if that is sooner). Sent at once, its trips through the screen's queues delayed the
frame that shows the next question by a millisecond or two.

Pasted text (a terminal's bracketed paste) takes its turn with the keys, so text pasted
right after typing lands after what was typed."""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from time import monotonic
from typing import Any

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import Input

WAIT_FOR_SCREEN = 0.005
"""Seconds between looks at a screen still being built while keys wait for it."""

WAIT_FOR_KEY = 0.02
"""Seconds between looks at a key whose end has not come yet (see `_lost`: its widget may have
closed with the key's end still queued, as a screen that a key dismisses does); the end
normally comes within milliseconds and lets the next key through at once, without a look."""

GIVE_UP_AFTER = 2.0
"""Seconds after which a key whose end never came is taken as done (its widget was removed
with the key still queued): the keys behind it are let through rather than held for good."""


Typed = events.Key | events.Paste


class InFlight:
    """The key last let through, until it is known to be dealt with."""

    def __init__(self, target: MessagePump) -> None:
        self.target = target
        """The widget (or screen) the key went to."""
        self.since = monotonic()
        self.marker: KeyDone | None = None
        """The `KeyDone` on its way, once sent."""


class KeyDone(Message):
    """Follows a key to its widget and up to the app: the key before it has been dealt with."""

    def __init__(self, last: bool = False) -> None:
        super().__init__()
        self.last = last
        """The second trip: what the key started has been dealt with too."""


class KeyTurns:
    def __init__(
        self,
        app: App[Any],
        dispatch: Callable[[Typed], Awaitable[None]],
        may_go: Callable[[Typed], bool] = lambda _typed: True,
        held: Callable[[Typed], None] = lambda _typed: None,
    ) -> None:
        """`dispatch` is the app's own handling of a key: its priority bindings, else the key
        handed to the focused widget (or the screen). `may_go` can hold a key back for a
        while (the app then calls `release` when it may go); `held` is told of each key that
        arrives while the first in line is held back. No key ever overtakes another."""
        self.app = app
        self.dispatch = dispatch
        self.may_go = may_go
        self.held = held
        self.waiting: deque[Typed] = deque()
        self.in_flight: InFlight | None = None
        self._looks: set[float] = set()
        """The delays of the looks already asked for (see `_look_later`)."""

    async def take(self, key: Typed) -> None:
        """A key (or a paste) from the terminal: handled now if nothing is in the way, else
        in its turn."""
        self.waiting.append(key)
        if self.in_flight is not None:
            self._send(self.in_flight)  # the key behind it is here: find out now
        await self.release()
        if self.waiting and self.waiting[-1] is key and not self.may_go(self.waiting[0]):
            self.held(key)

    async def done(self, marker: KeyDone) -> None:
        """A `KeyDone` reached the app."""
        flight = self.in_flight
        if flight is None or flight.marker is not marker:
            return
        if not marker.last:
            again = KeyDone(last=True)
            if not flight.target.is_attached and self.app.screen_stack:
                # The key closed its own screen (the call changed: see messages.py): the
                # second trip goes through the screen on top now, behind its focus coming back.
                flight.target = self.app.screen_stack[-1]
            if flight.target.post_message(again):
                flight.marker = again
                return
        self.in_flight = None
        await self.release()

    async def release(self) -> None:
        """Let the waiting keys through, one at a time. Runs in the app's own message loop
        (timers only ask the app to call it), so it never interleaves with a key's handling."""
        while self.waiting:
            if self.in_flight is not None and not self._lost(self.in_flight):
                self._look_later(WAIT_FOR_KEY)
                return
            self.in_flight = None
            screen = self.app.screen_stack[-1] if self.app.screen_stack else None
            if screen is None or not screen.is_mounted:
                # No screen yet, or one still being built, has no focus: a key now would go
                # to the screen itself, and text typed for its answer field would be lost.
                self._look_later(WAIT_FOR_SCREEN)
                return
            typed = self.waiting[0]
            if not self.may_go(typed):
                return  # held back: the app calls `release` again when it may go
            self.waiting.popleft()
            target: MessagePump = self.app.focused or screen
            await self.dispatch(typed)
            if not typed.is_forwarded:
                continue  # taken by a priority binding: dealt with already
            if isinstance(target, Input) and (
                isinstance(typed, events.Paste) or typed.is_printable
            ):
                # Typed into a field: the field takes it and stops it there, and the keys
                # behind it go to the same field's queue, in order. Nothing to wait for, so
                # a long pasted or scripted text goes in at full speed.
                continue
            flight = InFlight(target)
            self.in_flight = flight
            if self.waiting or not target.call_after_refresh(self._send, flight):
                self._send(flight)

    def _send(self, flight: InFlight) -> None:
        """Send the first `KeyDone` after the key, unless it is on its way or not needed."""
        if flight is not self.in_flight or flight.marker is not None:
            return
        marker = KeyDone()
        if flight.target.post_message(marker):
            flight.marker = marker
        else:  # a widget that is closing refuses it: then there is nothing to wait for
            self.in_flight = None

    @staticmethod
    def _lost(flight: InFlight) -> bool:
        """The key's widget was taken away with the key (and its KeyDone) still queued."""
        return not flight.target.is_attached or monotonic() - flight.since > GIVE_UP_AFTER

    def _look_later(self, delay: float) -> None:
        if delay in self._looks:
            return
        self._looks.add(delay)

        def look() -> None:
            self._looks.discard(delay)
            self.app.call_later(self.release)

        self.app.set_timer(delay, look)
