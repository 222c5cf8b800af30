"""The report chart: aging buckets (amounts) and deadlines met vs missed, as PNG bytes.

Drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas set explicitly: no pyplot, so
no GUI backend is ever chosen on a server and no figure is left registered in pyplot's global
list (a scheduler running for months must not leak a figure per report). The inputs are plain
numbers, so the delivery can redraw the chart from what the outbox row stores.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def report_chart(
    *,
    title: str,
    aging: Sequence[tuple[str, int]],
    currency: str,
    on_time: int,
    missed: int,
) -> bytes:
    """Two panels side by side; all-zero data draws empty axes with a note, never fails.

    matplotlib is imported on the first chart, not with this module: it took 1.3 s of
    ``clerk run``'s start-up (the ready target is 3 s) for a chart drawn once a week.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})

    labels = [label for label, _ in aging]
    amounts = [cents / 100 for _, cents in aging]
    bars = left.bar(labels, amounts, color=["#4c9a2a", "#e0b000", "#e07b00", "#d04020", "#902020"])
    left.bar_label(bars, labels=[f"{amount:,.0f}" if amount else "" for amount in amounts])
    left.set_title(f"Receivables aging ({currency})")
    left.set_xlabel("days past due")
    if not any(amounts):
        left.set_ylim(0, 1)
        left.text(0.5, 0.5, "nothing outstanding", ha="center", transform=left.transAxes)

    right.bar(["on time", "missed"], [on_time, missed], color=["#4c9a2a", "#d04020"])
    right.set_title("Deadlines due in the period")
    if not (on_time or missed):
        right.set_ylim(0, 1)
        right.text(0.5, 0.5, "no deadlines due", ha="center", transform=right.transAxes)
    else:
        right.yaxis.get_major_locator().set_params(integer=True)

    figure.suptitle(title)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
