"""The yearly report's chart: collections and overdue by month, and deadlines met vs missed.

Drawn like the weekly and monthly chart (``bot.reports.charts``): a bare ``Figure`` on the Agg
canvas, no pyplot (no GUI backend on a server, no figure left in pyplot's global list), and
matplotlib imported on the first chart only, as it costs a second of start-up.
"""

from __future__ import annotations

import io
from collections.abc import Sequence


def year_chart(
    *,
    title: str,
    months: Sequence[str],
    collected: Sequence[int],
    overdue: Sequence[int],
    on_time: Sequence[int],
    missed: Sequence[int],
    currency: str,
) -> bytes:
    """Two panels, one bar a month; all-zero data draws empty axes with a note, never fails."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 4), dpi=100)
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    places = list(range(len(months)))

    left.bar(places, [cents / 100 for cents in collected], color="#4c9a2a", label="collected")
    left.plot(
        places, [cents / 100 for cents in overdue], color="#d04020", marker="o", label="overdue"
    )
    left.set_title(f"Collected in the month, overdue at its end ({currency})")
    left.legend(loc="upper left", fontsize="small")
    if not (any(collected) or any(overdue)):
        left.set_ylim(0, 1)
        left.text(0.5, 0.5, "no money in the year", ha="center", transform=left.transAxes)

    right.bar(places, on_time, color="#4c9a2a", label="on time")
    right.bar(places, missed, bottom=on_time, color="#d04020", label="missed")
    right.set_title("Deadlines due in the month")
    right.legend(loc="upper left", fontsize="small")
    if not (any(on_time) or any(missed)):
        right.set_ylim(0, 1)
        right.text(0.5, 0.5, "no deadlines due", ha="center", transform=right.transAxes)
    else:
        right.yaxis.get_major_locator().set_params(integer=True)

    for axes in (left, right):
        axes.set_xticks(places, list(months), rotation=45, ha="right", fontsize="small")
    figure.suptitle(title)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
