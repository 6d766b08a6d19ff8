"""The QA report as one self-contained HTML page: every table escaped, every chart inline
(`charts.py`), nothing fetched (no script; a content policy that loads nothing). No
Textual."""

from __future__ import annotations

from collections import Counter
from html import escape

from ..shown import safe
from .qa import Report, numbers, said_length, score_groups

PAGE_STYLE = """
body { font: 11pt/1.35 "Helvetica", "Arial", sans-serif; color: #000; margin: 1.5em auto;
  max-width: 60em; padding: 0 1em; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; border-bottom: 1.5pt solid #000; }
table { border-collapse: collapse; margin: 0.4em 0 1em; }
th, td { border: 0.75pt solid #777; padding: 2pt 6pt; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #eee; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 0.5em 0; }
.note { font-style: italic; }
@media print { h2 { break-after: avoid; } table, svg.chart { break-inside: avoid; } }
"""


def _table(head: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    if not rows:
        return "<p>None.</p>"
    out = ["<table>", "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    for row in rows:
        cells = [
            f'<td class="n">{escape(c)}</td>' if i >= numeric_from else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join([*out, "</table>"])


def page(report: Report, agency: str) -> str:
    """The report as one self-contained HTML page: every chart inline, nothing fetched."""
    from . import charts

    kind = "training calls" if report.training else "calls"
    title = f"QA report: {kind}, {report.since} to {report.until}"
    drawn = charts.available() and bool(report.calls)
    out = [
        "<!doctype html>",
        '<html lang="en">',
        '<meta charset="utf-8">',
        # Nothing from elsewhere: no script, no style, no picture, no font.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{escape(title)}</title>",
        f"<style>{PAGE_STYLE}</style>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(safe(agency))}. Scored as <code>records review</code> scores one call "
        "(APCO/NENA ANS 1.107.1 asks a center to review its calls against its protocol).</p>",
        '<h2 id="figures">The month at a glance</h2>',
        _table(["Figure", "This period"], [list(pair) for pair in numbers(report)]),
        '<h2 id="routes">Calls by route, and by week</h2>',
        "<p>Weeks from Monday to Sunday; one only partly in the period is marked with its "
        "days in it (*3d).</p>",
    ]
    total = dict(report.by_route())
    out.append(
        _table(
            ["Route", "Calls", *report.week_names()],
            [[t, str(total[t]), *map(str, counts)] for t, counts in report.by_week().items()],
        )
    )
    if drawn:
        out.append(charts.by_week(report))
    out.append('<h2 id="settled">When the route was known</h2>')
    head = ["Route", "Calls", "Questions, median", "worst", "Seconds, median", "worst"]
    out.append(_table(head, report.per_route()))
    questions = Counter(
        f.settled_question for f in report.settled() if f.settled_question is not None
    )
    out.append(
        _table(
            ["Questions answered", "Calls"],
            [[str(q), str(n)] for q, n in sorted(questions.items())],
        )
    )
    if drawn:
        out.append(charts.settle_seconds(report))
    out.append('<h2 id="steps">Steps left open</h2>')
    steps = report.steps
    out.append(
        _table(
            ["Step", "Calls that left it open"],
            [[f"{n}. {steps.get(n, '')}", str(count)] for n, count in report.steps_open()],
        )
    )
    out.append('<h2 id="unsaved">NOT SAVED periods</h2>')
    out.append(
        _table(
            ["Console", "Call", "From", "For"],
            [
                [safe(c), i, f"{b:%Y-%m-%d %H:%M:%S}", said_length(e - b)]
                for c, i, b, e in report.unsaved
            ],
            numeric_from=3,
        )
    )
    if report.unsaved_unknown:
        out.append(
            f'<p class="note">Not known for {report.unsaved_unknown} calls, kept before the '
            "store kept when it took each event.</p>"
        )
    for heading, label, key, groups in score_groups(report):
        out.append(f"<h2>{escape(heading)}</h2>")
        rows = []
        for name, scores in groups.items():
            n, low, middle, high = scores.line()
            rows.append([safe(name), str(n), str(low), f"{middle:g}", str(high)])
        out.append(_table([label, "Calls", "Lowest %", "Median %", "Highest %"], rows))
        if drawn:
            out.append(charts.scores(report, key, label))
    if not charts.available():
        out.append(
            '<p class="note">Charts need matplotlib: pip install '
            "'trafficking-triage[report]'.</p>"
        )
    if report.skipped:
        out.append("<h2>Not counted</h2><ul>")
        out += [f"<li>{escape(safe(s))}</li>" for s in report.skipped]
        out.append("</ul>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
