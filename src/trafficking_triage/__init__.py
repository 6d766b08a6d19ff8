"""trafficking-triage: a dispatcher's console for calls about possible labor trafficking."""

__version__ = "1.0.0"
