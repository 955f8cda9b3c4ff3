"""Accessible SVG charts drawn on the server: no scripts, a title, a description and a table."""

WIDTH = 640
BAR_HEIGHT = 28
GAP = 8
LABEL_WIDTH = 230


def horizontal_bars(rows):
    """rows: [(label, value)]. Returns geometry for _bar_chart.html."""
    top = max((value for _, value in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        bars.append(
            {
                "label": label,
                "value": value,
                "y": y,
                "text_y": y + BAR_HEIGHT / 2 + 5,
                "width": max(round(span * value / top), 1 if value else 0),
                "value_x": LABEL_WIDTH + max(round(span * value / top), 0) + 6,
            }
        )
    return {
        "kind": "horizontal",
        "bars": bars,
        "width": WIDTH,
        "height": max(len(rows) * (BAR_HEIGHT + GAP), BAR_HEIGHT),
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


def columns(rows, height=220):
    """rows: [(label, value)] in time order. Returns geometry for vertical columns."""
    top = max((value for _, value in rows), default=0) or 1
    count = max(len(rows), 1)
    slot = (WIDTH - 40) / count
    chart_height = height - 40
    bars = []
    for index, (label, value) in enumerate(rows):
        bar_height = round(chart_height * value / top)
        bars.append(
            {
                "label": label,
                "value": value,
                "x": round(40 + index * slot + slot * 0.1, 1),
                "width": round(slot * 0.8, 1),
                "y": chart_height - bar_height + 10,
                "height": bar_height,
                "show_label": count <= 12 or index % max(count // 8, 1) == 0,
                "label_x": round(40 + index * slot + slot / 2, 1),
            }
        )
    return {
        "kind": "columns",
        "bars": bars,
        "width": WIDTH,
        "height": height,
        "axis_y": chart_height + 10,
        "top": top,
    }
