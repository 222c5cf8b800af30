"""The client analysis chart: fees billed and collected by industry, as PNG bytes.

Drawn as ``bot.reports.charts`` draws: a bare Figure on the Agg canvas, matplotlib imported
on the first chart (not at start-up), plain numbers in.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

MOST_BARS = 10  # the largest segments; the rest are in the table


def clients_chart(
    *,
    title: str,
    labels: Sequence[str],
    billed: Sequence[int],
    collected: Sequence[int],
    currency: str,
) -> bytes:
    """Billed and collected side by side per segment; no data draws a note, never fails."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    shown = list(labels[:MOST_BARS])
    places = list(range(len(shown)))
    width = 0.4
    axes.bar(
        [p - width / 2 for p in places],
        [c / 100 for c in billed[:MOST_BARS]],
        width,
        label="billed",
        color="#4c72b0",
    )
    axes.bar(
        [p + width / 2 for p in places],
        [c / 100 for c in collected[:MOST_BARS]],
        width,
        label="collected",
        color="#4c9a2a",
    )
    axes.set_xticks(places, [label[:18] for label in shown], rotation=30, ha="right")
    axes.set_ylabel(currency)
    axes.set_title("Fees in the last 12 months, by industry")
    if not any(billed) and not any(collected):
        axes.set_ylim(0, 1)
        axes.text(0.5, 0.5, "nothing billed or collected", ha="center", transform=axes.transAxes)
    else:
        axes.legend()
    figure.suptitle(title)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
