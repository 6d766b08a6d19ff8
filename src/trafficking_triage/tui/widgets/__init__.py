"""Widgets of the dispatcher console, one a file."""
