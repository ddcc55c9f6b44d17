"""A backtest report in one file: the statistics, the plot and the fills.

::

    from tradeengine.research.report import write_report

    write_report("run.html", stats, fig, result.fills, title="SmaCross 5/20")   # all of it
    write_report("run.png", stats, fig, result.fills, title="SmaCross 5/20")    # the plot only

The HTML file is self-contained: the plot is embedded as a base64 PNG and the styles are
inline, so it links to nothing and opens anywhere (mail it, attach it to a ticket).
"""

from __future__ import annotations

import base64
import html
import io
import os
from decimal import Decimal
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from tradeengine.research.stats import BacktestStats

__all__ = ["MAX_FILLS", "write_report"]

#: The HTML report lists at most this many fills (the first, in time order).
MAX_FILLS = 200

_SUFFIXES = (".html", ".png")
_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; height: auto; }
.note { color: #666; font-size: 0.9em; }
"""


def write_report(
    path: str | os.PathLike[str],
    stats: BacktestStats,
    figure: Figure,
    fills: pd.DataFrame,
    *,
    title: str,
) -> Path:
    """Write the report for one run and return its path.

    The suffix chooses the format: ".html" writes one self-contained page (the title, the
    statistics table, ``figure`` as an embedded PNG and the first 200 fills, every text
    HTML-escaped); ".png" writes ``figure`` only (``title`` goes in the PNG's metadata). Any
    other suffix raises ValueError before anything is written. The parent directory must exist;
    an existing file is replaced.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _SUFFIXES:
        raise ValueError(
            f"cannot write a report to {str(target)!r}: the suffix must be "
            f"{' or '.join(_SUFFIXES)}, got {target.suffix or 'none'!r}"
        )
    if suffix == ".png":
        figure.savefig(target, format="png", metadata={"Title": title, "Software": None})
        return target
    target.write_text(_html(stats, figure, fills, title), encoding="utf-8")
    return target


def _html(stats: BacktestStats, figure: Figure, fills: pd.DataFrame, title: str) -> str:
    esc = html.escape
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    image = base64.b64encode(buffer.getvalue()).decode("ascii")

    stat_rows = "\n".join(
        f'<tr><th>{esc(label)}</th><td class="num">{esc(value)}</td></tr>'
        for label, value in stats.rows()
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{esc(title)}</h1>
<h2>Statistics</h2>
<table class="stats">
{stat_rows}
</table>
<h2>Equity and drawdown</h2>
<img alt="{esc(title, quote=True)}: prices, fills, equity and drawdown"
 src="data:image/png;base64,{image}">
<h2>Fills</h2>
{_fills_table(fills)}
</body>
</html>
"""


def _fills_table(fills: pd.DataFrame) -> str:
    esc = html.escape
    if len(fills) == 0:
        return '<p class="note">No fills.</p>'
    if isinstance(fills.index, pd.DatetimeIndex):
        fills = fills.sort_index(kind="stable")
    shown = fills.head(MAX_FILLS)
    columns = [str(c) for c in shown.columns]
    head = "".join(f"<th>{esc(c)}</th>" for c in ["time", *columns])
    body = "\n".join(
        f"<tr><td>{esc(str(time))}</td>"
        + "".join(f"<td>{esc(_text(v))}</td>" for v in row)
        + "</tr>"
        for time, row in zip(shown.index, shown.itertuples(index=False, name=None))
    )
    note = (
        f'<p class="note">The first {MAX_FILLS} of {len(fills)} fills.</p>\n'
        if len(fills) > MAX_FILLS else f'<p class="note">{len(fills)} fills.</p>\n'
    )  # fmt: skip
    return f'{note}<table class="fills">\n<tr>{head}</tr>\n{body}\n</table>'


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)
