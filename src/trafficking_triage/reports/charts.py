"""The QA report's charts, drawn by matplotlib as SVG to put inside the page (nothing loaded
from elsewhere), in greys and hatching so they read the same printed in black and white.
matplotlib is an optional extra (`pip install 'trafficking-triage[report]'`): without it the
report has its tables and says the charts need it. No Textual."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from ..shown import safe

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .qa import Report

GREYS = ["#222222", "#777777", "#bbbbbb", "#ffffff", "#555555", "#999999"]
HATCHES = ["", "//", "..", "xx", "\\\\", "++"]
"""Each route its own grey and hatching: told apart on paper without colour."""


def available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _svg(figure: Figure, label: str) -> str:
    """The figure as an inline SVG element, titled for a screen reader (and for tests)."""
    from matplotlib import pyplot

    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight")
    pyplot.close(figure)
    drawn = out.getvalue()
    drawn = drawn[drawn.index("<svg") :]  # no XML prolog or doctype inside the page
    drawn = re.sub(r"<metadata>.*?</metadata>", "", drawn, flags=re.S)  # no date, no licence
    return re.sub(r"<svg ", f'<svg role="img" aria-label="{label}" class="chart" ', drawn, count=1)


def _figure(width: float = 7.5, height: float = 3.0) -> tuple[Figure, Axes]:
    import matplotlib

    matplotlib.use("svg")  # no display, no window
    from matplotlib import pyplot

    pyplot.rcParams.update(
        {
            "font.size": 9,
            "svg.fonttype": "none",
            "text.parse_math": False,  # a name with two $ is a name, not mathematics
            "font.family": "sans-serif",
            "hatch.linewidth": 0.6,
        }
    )
    figure, axes = pyplot.subplots(figsize=(width, height))
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _shown(name: str) -> str:
    """A name as a chart shows it: printable, and never taken for matplotlib's own (a label
    that begins with "_" would be left out of the legend)."""
    shown = safe(name)
    return f" {shown}" if shown.startswith("_") else shown


def by_week(report: Report) -> str:
    """Calls per week, stacked by route."""
    figure, axes = _figure()
    weeks = report.week_names()
    bottom = [0] * len(weeks)
    for n, (title, counts) in enumerate(report.by_week().items()):
        axes.bar(
            weeks,
            counts,
            bottom=bottom,
            label=_shown(title),
            color=GREYS[n % len(GREYS)],
            hatch=HATCHES[n % len(HATCHES)],
            edgecolor="black",
            linewidth=0.6,
        )
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.set_ylabel("calls")
    axes.set_xlabel("week starting")
    axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    return _svg(figure, "Calls by week and route")


def settle_seconds(report: Report) -> str:
    """How many seconds into the call the route was known: a histogram, the median marked."""
    import statistics

    seconds = [f.settled_seconds for f in report.settled() if f.settled_seconds is not None]
    figure, axes = _figure(height=2.6)
    if seconds:
        axes.hist(
            seconds,
            bins=min(20, max(5, len(set(seconds)))),
            color="#999999",
            edgecolor="black",
            hatch="//",
            linewidth=0.6,
        )
        middle = statistics.median(seconds)
        axes.axvline(middle, color="black", linestyle="--", linewidth=1.2)
        axes.annotate(
            f"median {middle:g} s",
            (middle, 0),
            xytext=(4, 60),
            textcoords="offset points",
        )
    axes.set_xlabel("seconds from the start of the call to the route known")
    axes.set_ylabel("calls")
    return _svg(figure, "Seconds to the route")


def scores(report: Report, key: str, label: str) -> str:
    """Each group's review scores (percent): a box per group, every call a dot."""
    groups = report.scores(key)
    figure, axes = _figure(height=max(1.6, 0.4 * len(groups) + 0.8))
    names = [_shown(name) for name in groups]
    shares = [group.shares for group in groups.values()]
    if names:
        axes.boxplot(
            shares,
            orientation="horizontal",
            tick_labels=names,
            widths=0.5,
            medianprops={"color": "black", "linewidth": 2},
        )
        for row, values in enumerate(shares, 1):
            axes.plot(values, [row] * len(values), "o", color="black", markersize=3, alpha=0.5)
    axes.set_xlim(-2, 102)
    axes.set_xlabel("review score, % (as records review scores)")
    return _svg(figure, f"Review scores by {label.lower()}")
