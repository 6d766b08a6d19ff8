"""Text from outside the program (a file, a record, a caller's words) as it may be shown on a
terminal: never a control character or a direction override raw. The one place for that rule:
the records commands, the exports, the cards and every message about a file use it."""

from __future__ import annotations

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Characters that reorder the text around them when shown (a right-to-left override can make
a line read differently from what is stored): never passed through raw."""


def hidden(char: str) -> bool:
    """A character with an effect rather than a look: DEL, the C1 controls, an override."""
    return 127 <= ord(char) < 160 or char in BIDI_CONTROLS


def _unsafe(char: str) -> bool:
    return ord(char) < 32 or hidden(char)


def safe(text: str) -> str:
    """Printable text: control characters (ESC and the C1 controls among them) and
    bidirectional overrides become visible escapes."""
    out = []
    for char in text:
        if char == "\n":
            out.append(" / ")
        elif _unsafe(char):
            out.append(f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def markdown_text(text: str) -> str:
    """`text` (shown safe) as it must be in Markdown: words only. HTML (<script>, <img
    onerror=...>) becomes text, and so do links and images (a remote image would be fetched
    by whoever opens the file, telling a stranger it was read) and code spans."""
    shown = safe(text).replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;")
    # No link or image without "](" (a bare ">" or "[" opens nothing inside a line).
    return shown.replace("`", "\\`").replace("](", "]\\(")


def safe_json(data: object) -> str:
    """JSON with C1 controls and bidirectional overrides as JSON escapes: the same text once
    parsed, but never raw in a terminal or an editor that shows the file."""
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    # The line and paragraph separators too: text tools split lines at them.
    return (
        "".join(f"\\u{ord(c):04x}" if hidden(c) or c in "\u2028\u2029" else c for c in text) + "\n"
    )
