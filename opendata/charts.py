"""Accessible SVG charts drawn on the server: no scripts, a title, a description and a table."""

import math

from core.series import month_start, next_month

WIDTH = 640
NARROW_WIDTH = 320  # a phone's text column: the same chart, fewer labels, nothing to scroll


def horizontal_bars(rows):
    """rows: [(label, value)]. Drawn as HTML bars with each label above its bar, so that they
    reflow to any width (_bar_chart.html); `share` is the bar's length against the longest."""
    top = max((value for _, value in rows), default=0) or 1
    return {
        "kind": "horizontal",
        "bars": [
            {"label": label, "value": value, "share": f"{value / top:.3f}"} for label, value in rows
        ],
    }


LABEL_FONT = 14
# Roughly how wide a label is: 0.6 em a character is generous for a system sans serif.
CHAR_WIDTH = LABEL_FONT * 0.6
LEFT, RIGHT = 48, 40  # room for the scale on the left and the last label on the right


def columns(rows, height=240):
    """rows: [(label, value)] in time order, one per period with none left out, so that the
    time axis is to scale. Drawn twice, for a wide screen and for a phone's width (with fewer
    labels), and CSS shows the one that fits; the table below has every value."""
    wide = _columns(rows, height, WIDTH)
    return {
        "kind": "columns",
        "bars": wide["bars"],
        "variants": [
            {"size": "wide", **wide},
            {"size": "narrow", **_columns(rows, height, NARROW_WIDTH)},
        ],
    }


def _columns(rows, height, width):
    """One drawing of `columns` at `width`. Labels are spaced so that no two overlap; every
    column keeps its label as the column's tooltip."""
    top = max((value for _, value in rows), default=0) or 1
    count = max(len(rows), 1)
    slot = (width - LEFT - RIGHT) / count
    widest = max((len(str(label)) for label, _ in rows), default=1) * CHAR_WIDTH
    step = max(1, math.ceil((widest + 12) / slot))
    chart_height = height - 50
    bars = []
    for index, (label, value) in enumerate(rows):
        bar_height = round(chart_height * value / top)
        bars.append(
            {
                "label": label,
                "value": value,
                "x": round(LEFT + index * slot + slot * 0.1, 1),
                "width": round(slot * 0.8, 1),
                "y": chart_height - bar_height + 10,
                "height": bar_height,
                # Counted back from the newest, so the latest period is always labelled.
                "show_label": (count - 1 - index) % step == 0,
                "label_x": round(LEFT + index * slot + slot / 2, 1),
            }
        )
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "axis_y": chart_height + 10,
        "left": LEFT,
        "top": top,
        "label_font": LABEL_FONT,
    }


def every_month(series, until, *, running=False):
    """[(month, value)] with every month from the first up to `until`'s, so that a time axis
    is to scale: a month with nothing is 0, or for a running total the total so far."""
    if not series:
        return []
    values = dict(series)
    month = series[0][0]
    last = max(series[-1][0], month_start(until))
    filled, previous = [], 0
    while month <= last:
        previous = values.get(month, previous if running else 0)
        filled.append((month, previous))
        month = next_month(month)
    return filled
