"""The dispatcher console: Textual screens that render a call's state and turn keys into events.

Only the bare `trafficking-triage` command imports this package; the protocol, engine and
command-line tools never do.
"""
