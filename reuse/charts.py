"""Report charts as SVG, drawn by matplotlib: one horizontal bar per row of a counts table
(its total). A suppressed value is drawn as no bar, labelled "fewer than 5"."""

from __future__ import annotations

import io

from .reports import SUPPRESSED, Table


def bars_svg(table: Table) -> bytes:
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    # Text stays text in the SVG (not drawn as paths): screen readers and find-in-page read it.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        return _draw(table)


def _draw(table: Table) -> bytes:
    from matplotlib.figure import Figure

    labels = [label for _v, label in table.rows]
    numbers = [table.row_total(value) for value, _l in table.rows]
    height = max(2.0, 0.35 * len(labels) + 1.0)
    figure = Figure(figsize=(7.5, height))
    axes = figure.subplots()
    positions = list(range(len(labels)))
    axes.barh(positions, [n.value or 0 for n in numbers], color="#1d70b8")
    axes.set_yticks(positions, labels=labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_title(table.title, fontsize=10)
    for at, number in zip(positions, numbers, strict=True):
        text = SUPPRESSED if number.suppressed else str(number.count)
        axes.annotate(
            text,
            (number.value or 0, at),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="svg")
    return out.getvalue()


def text_alternative(table: Table) -> str:
    """What the chart shows, in words, for people who cannot see it."""
    parts = [f"{label}: {table.row_total(value).shown}" for value, label in table.rows]
    return f"Bar chart, {table.title}. " + "; ".join(parts) + "."
