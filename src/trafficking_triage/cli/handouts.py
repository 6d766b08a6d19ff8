"""What a trainer hands out: `graph` (the decision tree, whole or as slides) and `cards` (the
printable guide cards, as HTML or PDF). Nothing is written over a file that is there."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..files import write_shared

if TYPE_CHECKING:
    from ..protocol import LoadedProtocol, Protocol


def run_graph(args: argparse.Namespace, loaded: LoadedProtocol) -> int:
    from ..reports.graph import DRAWN, FORMATS, dot, render, words_for

    protocol = loaded.protocol
    if args.slides is not None:
        return _write_slides(protocol, args)
    form = args.format or "mermaid"
    if form in DRAWN and form != "svg" and sys.stdout.isatty():
        print(
            f"trafficking-triage graph: --format {form} is a picture: send it to a file "
            f"(graph --format {form} > tree.{form})",
            file=sys.stderr,
        )
        return 2
    words = words_for(protocol, args.lang, args.ids)
    try:
        if form in DRAWN:
            sys.stdout.buffer.write(render(dot(protocol, words), form))
        else:
            sys.stdout.write(FORMATS[form](protocol, words))
    except RuntimeError as error:
        print(f"trafficking-triage graph: {error}", file=sys.stderr)
        return 1
    return 0


def _write_slides(protocol: Protocol, args: argparse.Namespace) -> int:
    """`graph --slides DIR`: each slide a file, none written over."""
    from ..reports.graph import DRAWN, render
    from ..reports.slides import slides

    form = args.format or "svg"
    if form not in (*DRAWN, "dot"):
        print(
            "trafficking-triage graph: slides are laid out by Graphviz: --format svg, png, "
            "pdf or dot",
            file=sys.stderr,
        )
        return 2
    try:
        made = slides(protocol, args.lang, args.ids)
        files = [
            (args.slides / f"{slide.name}.{form}", slide.drawing.encode())
            if form == "dot"
            else (args.slides / f"{slide.name}.{form}", render(slide.drawing, form))
            for slide in made
        ]
    except RuntimeError as error:
        print(f"trafficking-triage graph: {error}", file=sys.stderr)
        return 1
    there = [str(path) for path, _ in files if path.exists() or path.is_symlink()]
    if there:
        print(
            f"trafficking-triage graph: nothing written: {there[0]} is there already "
            "(write the slides into a new folder)",
            file=sys.stderr,
        )
        return 1
    try:
        args.slides.mkdir(parents=True, exist_ok=True)
        for path, data in files:
            write_shared(path, data)
    except OSError as error:
        print(f"trafficking-triage graph: {error.strerror}: {error.filename}", file=sys.stderr)
        return 1
    for slide in made:
        print(f"{slide.name}.{form}  {slide.title}")
    return 0


def run_cards(args: argparse.Namespace, loaded: LoadedProtocol) -> int:
    from ..reports.cards import cards
    from ..settings.loader import load_settings
    from .console_cmds import _settings_file

    agency = _settings_file(args)  # as the console finds it
    settings = load_settings(agency).settings if agency is not None else None
    page = cards(loaded.protocol, settings)
    if args.pdf is None:
        sys.stdout.write(page)
        return 0
    from ..reports.printing import print_pdf

    if args.pdf.exists() or args.pdf.is_symlink():
        print(
            f"trafficking-triage cards: nothing written: {args.pdf} is there already",
            file=sys.stderr,
        )
        return 1
    try:
        write_shared(args.pdf, print_pdf(page))
    except RuntimeError as error:
        print(f"trafficking-triage cards: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"trafficking-triage cards: {error.strerror}: {error.filename}", file=sys.stderr)
        return 1
    print(f"{args.pdf}: the guide cards, printed")
    return 0
