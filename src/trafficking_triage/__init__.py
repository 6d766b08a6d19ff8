"""trafficking-triage: a dispatcher's console for calls about possible labor trafficking."""

__version__ = "0.1.0"
