"""Charts for the teacher report, as inline SVG text (no files, no scripts, opens offline).

Colours are the Okabe-Ito palette, safe for the common kinds of colour blindness, and every
series also has its own marker and line style so the charts read in black and white too.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Okabe-Ito colours, marker and dash per emotion; other labels take the spare ones in turn.
EMOTION_STYLE = {
    "happy": ("#E69F00", "o", "-"),
    "sad": ("#0072B2", "s", "--"),
    "fear": ("#CC79A7", "^", "-."),
}
SPARE_STYLES = (("#009E73", "D", ":"), ("#56B4E9", "v", "-"), ("#D55E00", "P", "--"))

#: Expression shares in the session bars: positive like happy, negative blue like sad, then
#: two greys far apart in lightness.
SHARE_COLOURS = {"positive": "#E69F00", "negative": "#0072B2", "neutral": "#D0D0D0", "noface": "#505050"}

FONT_STACK = ["Andika", "DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"]


def style_for(emotion: str, order: Sequence[str]) -> tuple[str, str, str]:
    if emotion in EMOTION_STYLE:
        return EMOTION_STYLE[emotion]
    extras = [e for e in order if e not in EMOTION_STYLE]
    return SPARE_STYLES[extras.index(emotion) % len(SPARE_STYLES)] if emotion in extras else SPARE_STYLES[0]


@dataclass(frozen=True)
class Series:
    emotion: str
    label: str
    values: list[float | None]   # one per point on the x axis (a session, a week); None: not played


def _svg_text(figure, salt: str) -> str:
    import matplotlib
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]                     # drop the XML prolog for inline use
    # Size by CSS (the page scales the chart), keep the drawing's proportions via viewBox.
    svg = re.sub(r'<svg([^>]*?)\swidth="[^"]*"\s+height="[^"]*"', r"<svg\1", svg, count=1)
    return svg


def line_chart(*, series: Sequence[Series], x_labels: Sequence[str], y_label: str,
               percent: bool, chart_id: str, empty_note: str = "") -> str:
    """One line per emotion across sessions or weeks, as an inline <svg> string (the page gives
    the title). A point is drawn where the emotion has a value; gaps stay gaps."""
    import matplotlib
    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": FONT_STACK,
                                "font.size": 13, "axes.titlesize": 15, "axes.labelsize": 13}):
        figure = Figure(figsize=(6.2, 3.4), dpi=100)
        axes = figure.add_subplot()
        positions = list(range(1, len(x_labels) + 1))
        order = [s.emotion for s in series]
        plotted_any = False
        for one in series:
            points = [(x, v) for x, v in zip(positions, one.values) if v is not None]
            if not points:
                continue
            colour, marker, dash = style_for(one.emotion, order)
            xs, ys = zip(*points)
            axes.plot(xs, ys, color=colour, marker=marker, linestyle=dash, linewidth=2.4,
                      markersize=8, label=one.label, clip_on=False)
            plotted_any = True
        axes.set_ylabel(y_label)
        axes.set_xlim(0.6, max(len(positions), 1) + 0.4)
        if percent:
            axes.set_ylim(0, 100)
            axes.set_yticks([0, 25, 50, 75, 100])
        else:
            top = max((v for one in series for v in one.values if v is not None), default=1.0)
            axes.set_ylim(0, max(1.0, top * 1.15))
            axes.yaxis.set_major_locator(MaxNLocator(nbins=5))
        step = max(1, len(positions) // 8)  # at most ~8 labels so dates stay readable
        axes.set_xticks(positions[::step])
        axes.set_xticklabels(list(x_labels)[::step])
        axes.grid(axis="y", color="#DDDDDD", linewidth=0.8)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        if not plotted_any and empty_note:
            axes.text(0.5, 0.5, empty_note, transform=axes.transAxes, ha="center", va="center",
                      color="#4A5866", fontsize=14)
        if plotted_any:
            axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(series),
                        frameon=False, handlelength=2.6)
        return _svg_text(figure, salt=chart_id)


def share_bar_svg(shares: dict[str, float], labels: dict[str, str], width: int = 260,
                  height: int = 26) -> str:
    """A small stacked bar of expression shares; each part has a tooltip and the text beside
    it carries the numbers, so colour is never the only carrier of meaning."""
    from html import escape
    parts, x = [], 0.0
    for key in ("positive", "negative", "neutral", "noface"):
        share = max(0.0, shares.get(key, 0.0))
        w = share * width
        if w <= 0:
            continue
        parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" '
                     f'fill="{SHARE_COLOURS[key]}"><title>{escape(labels[key])}: '
                     f'{round(100 * share)}%</title></rect>')
        x += w
    summary = ", ".join(f"{labels[k]} {round(100 * shares.get(k, 0.0))}%"
                        for k in ("positive", "negative", "neutral", "noface"))
    return (f'<svg class="share-bar" role="img" aria-label="{escape(summary)}" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#FFFFFF" stroke="#888" />'
            + "".join(parts) + "</svg>")
