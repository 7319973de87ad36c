"""Plotly figures for the pages, and the one place that names modalities and rounds shown terms.

Figures only draw numbers the engine computed; no model math lives here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from recsys import modalities

# Every figure's template, applied when the figure is made: passing template= to each figure
# instead copies and re-validates the whole template, ~60 ms per chart on every rerun.
TEMPLATE_NAME = "plotly_white"
#: Decimals of a score's terms wherever the formula is drawn (New user's #1 item, Score anatomy): one rounding, so a
#: term reads the same on both pages.
TERM_DECIMALS = 3
pio.templates.default = TEMPLATE_NAME

# Labels and colours come from the engine's one modality table (recsys.modalities).
USER_MODALITY_LABELS = modalities.labels("user")
ITEM_MODALITY_LABELS = modalities.labels("item") | {"explicit": "genres & year (explicit)"}
MODALITY_LABELS = {"user": USER_MODALITY_LABELS, "item": ITEM_MODALITY_LABELS}
MODALITY_COLOURS = modalities.colours("item") | modalities.colours("user") | {"explicit": "#0d9488"}
TERM_COLOURS = {"mu": "#94a3b8", "b_u": "#64748b", "b_i": "#f59e0b", "boost": "#d97706", "pop": "#a16207"} | {
    f"dot_{m}": c for m, c in MODALITY_COLOURS.items() if m in USER_MODALITY_LABELS
}
TERM_LABELS = {
    "mu": "μ (global)",
    "b_u": "b_u (user bias)",
    "b_i": "b_i (item bias)",
    "boost": "new-item boost",
    "pop": "popularity axis removed",
} | {f"dot_{m}": f"⟨e_u, e_i⟩ from {label}" for m, label in USER_MODALITY_LABELS.items()}
POSITIVE, NEGATIVE = "#2563eb", "#ef4444"  # blue raises a score, red lowers it, on every chart
#: Twelve colours far apart from each other (categorical groups; more groups are folded by the page).
PALETTE = ["#2f6db5", "#f28e2b", "#d62728", "#ff9da7", "#59a14f", "#3a3a3a", "#9b59b6", "#8c564b", "#e6c229", "#5fb7b2",
           "#8c8c3c", "#b9b2ab"]  # fmt: skip
#: Personas on a map: eight dark colours apart from the item palettes; the ninth persona on takes another star shape.
PERSONA_COLOURS = ["#111827", "#c2410c", "#6d28d9", "#047857", "#be185d", "#1d4ed8", "#854d0e", "#0e7490"]
PERSONA_STARS = ["star", "star-square", "star-diamond", "star-triangle-up"]


def sequential(n: int) -> list[str]:
    """``n`` colours along Viridis, for ordered groups (decades)."""
    from plotly.colors import sample_colorscale

    return sample_colorscale("Viridis", [i / max(n - 1, 1) for i in range(n)])


def modality_label(name: str, side: str = "user") -> str:
    return MODALITY_LABELS[side].get(name, name)


def short(text: str, n: int = 38) -> str:
    """``text`` cut to ``n`` characters with "…", without the stop or space it was cut after ("tears…", not "tears.…").

    Example:
        >>> short("what bores me to tears? musicals.", 25), short("Space operas", 25)
        ('what bores me to tears…', 'Space operas')
    """
    return text if len(text) <= n else text[: n - 1].rstrip(" .,;:!?") + "…"


def rounded(values: Sequence[float], decimals: int = 2, total: float | None = None, fixed: Sequence[int] = ()) -> list[float]:
    """Round ``values`` so the rounded parts add up to their rounded total (largest remainder).

    Plain rounding of −0.434, −1.444, −0.354 and 2.904 gives parts summing to 0.67 under a
    total of 0.67 or 0.68 depending on luck; here the parts always sum to ``round(sum, d)``,
    or to ``total`` when it is given: the number already shown for the whole (the parts of
    ⟨e_u, e_i⟩ add up to the ⟨e_u, e_i⟩ of the formula). Each part is its value rounded down
    or up, the ones with the largest remainders up. The parts at ``fixed`` are rounded plainly and never take the
    difference: a number the page shows in several places (μ, the same for every item; b_u, the same for every item of
    one person) must read the same in each.

    Example:
        >>> rounded([-0.434, -1.444, -0.354, 2.904])
        [-0.43, -1.45, -0.35, 2.9]
        >>> rounded([0.3333, 0.3333, 0.3334], 2, total=1.0)
        [0.33, 0.33, 0.34]
        >>> rounded([-0.41643, 0.101, 1.201], 2), rounded([-0.41643, 0.101, 1.201], 2, fixed=[0])
        ([-0.41, 0.1, 1.2], [-0.42, 0.1, 1.21])
    """
    scale = 10**decimals
    scaled = [float(v) * scale for v in values]
    units = [round(v) if i in fixed else math.floor(v) for i, v in enumerate(scaled)]
    missing = round(sum(scaled) if total is None else float(total) * scale) - sum(units)
    # Units go to the largest remainders (a given total just below the floors' sum, float noise, takes from the smallest);
    # a part that is exactly 0, a term the entity lacks, never gets one while another part can.
    free = [i for i in range(len(scaled)) if i not in fixed] or list(range(len(scaled)))
    candidates = [i for i in free if scaled[i] != 0] or free
    order = sorted(candidates, key=lambda i: scaled[i] - units[i], reverse=missing > 0)
    for n in range(abs(missing) if order else 0):
        units[order[n % len(order)]] += 1 if missing > 0 else -1
    return [u / scale for u in units]


def probability(p: float) -> str:
    """A probability as the pages print it: two decimals, or two significant digits below 0.01 ("0.0014"), so that a
    small but ranked probability never reads as a flat 0.

    Example:
        >>> probability(0.2345), probability(0.00141), probability(0.0), probability(0.996)
        ('0.23', '0.0014', '0', '1.00')
    """
    p = float(p)
    if p <= 0.0:
        return "0"
    if p >= 0.005:
        return f"{p:.2f}"
    return f"{p:.2g}" if p >= 1e-4 else "< 0.0001"


def rounded_table(table: pd.DataFrame, row_totals: Sequence[float], decimals: int = 2) -> pd.DataFrame:
    """Round a table's cells so each row adds up exactly to its shown total, and each column near its own sum.

    ``row_totals`` are the numbers already shown for the rows (each row is :func:`rounded` to
    its total). Rounding rows alone can leave a column's shown sum a unit or more away from
    its sum rounded down or up; then one unit moves between two cells of a row, along the
    shortest chain of columns that mends it, which keeps every row total and every cell its
    value rounded down or up. When the row totals leave no such move (a table that is mostly
    zeros), the column stays as it is: a column's total is always shown as the sum of its
    shown cells.
    """
    scale = 10**decimals
    exact = table.to_numpy(dtype=float) * scale
    cells = np.array([[round(v * scale) for v in rounded(row, decimals, total)] for row, total in zip(table.to_numpy(dtype=float), row_totals)],
                     dtype=int).reshape(exact.shape)  # fmt: skip
    low, high = np.floor(exact), np.ceil(exact)
    column_low, column_high = np.floor(exact.sum(axis=0) - 1e-6), np.ceil(exact.sum(axis=0) + 1e-6)
    for _ in range(cells.size):  # each pass mends one unit of one column
        shown = cells.sum(axis=0)
        over, under = np.flatnonzero(shown > column_high), np.flatnonzero(shown < column_low)
        if len(over):
            sources, sinks = set(over), set(np.flatnonzero(shown < column_high))
        elif len(under):
            sources, sinks = set(np.flatnonzero(shown > column_low)), set(under)
        else:
            break
        # Breadth-first over columns: a step a → b through row r takes a unit from cell (r, a) and gives it to (r, b).
        came_from: dict[int, tuple[int, int] | None] = {a: None for a in sources}
        frontier, reached = list(sources), None
        while frontier and reached is None:
            following = []
            for a in frontier:
                for r, b in zip(*np.nonzero((cells[:, [a]] > low[:, [a]]) & (cells < high))):
                    if b not in came_from:
                        came_from[b] = (r, a)
                        following.append(b)
                        if b in sinks:
                            reached = b
                            break
                if reached is not None:
                    break
            frontier = following
        if reached is None:
            break  # nothing to move: the column sums stay the sums of the shown cells
        b = reached
        while came_from[b] is not None:
            r, a = came_from[b]
            cells[r, a] -= 1
            cells[r, b] += 1
            b = a
    return pd.DataFrame(cells / scale, index=table.index, columns=table.columns)


#: The default template as plain data, for figures written as dicts (``_figure``).
TEMPLATE = pio.templates[pio.templates.default].to_plotly_json()


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain trace and layout dicts, taken as they are (no property-by-property validation).

    Building a chart through plotly's validated API costs 6–14 ms, on every rerun of the New
    user page, for each of its three charts. The charts built here are written as the dicts
    that validation would produce; ``tests/test_charts.py`` checks that validating them
    changes nothing.
    """
    return go.Figure({"data": data, "layout": {"template": TEMPLATE, **layout}}, _validate=False)


#: The Viridis colour scale as validation spells it out (a named scale becomes its list of stops).
VIRIDIS = [list(stop) for stop in go.scattergl.Marker(colorscale="Viridis").colorscale]


def _margin(top: int = 40) -> dict:
    return {"l": 10, "r": 10, "t": top, "b": 10}


def _layout(fig: go.Figure, height: int, **kwargs) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), **kwargs)
    return fig


def score_breakdown(recs: pd.DataFrame, max_items: int = 20) -> go.Figure:
    """Horizontal stacked bars: every term of each recommended item's score, best item on top."""
    rows = recs.head(max_items).iloc[::-1]
    labels = [f"{r} · {html.escape(short(t))}" for r, t in zip(rows["rank"], rows["title"])]  # Plotly reads tags in labels
    terms = ["mu", "b_u", "b_i"] + [c for c in TERM_COLOURS if c.startswith("dot_") and c in rows and np.abs(rows[c]).max() > 1e-9]
    if "pop" in rows and np.abs(rows["pop"]).max() > 1e-9:  # the popularity-axis control is on: its term is part of the score
        terms.append("pop")
    data = [
        {"type": "bar", "y": labels, "x": rows[term].to_numpy(), "name": TERM_LABELS[term], "orientation": "h",
         "marker": {"color": TERM_COLOURS[term]}, "hovertemplate": "%{y}<br>" + TERM_LABELS[term] + ": %{x:.3f}<extra></extra>"}
        for term in terms
    ]  # fmt: skip
    data.append({"type": "scatter", "y": labels, "x": rows["score"].to_numpy(), "mode": "markers", "name": "score r̂",
                 "marker": {"symbol": "diamond", "size": 9, "color": "#111827"}, "hovertemplate": "%{y}<br>score: %{x:.3f}<extra></extra>"})  # fmt: skip
    return _figure(data, {
        "height": 28 * len(rows) + 110, "margin": _margin(70), "barmode": "relative",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "font": {"size": 11}},
        "xaxis": {"title": {"text": "contribution to r̂ (logit)"}, "zeroline": True, "zerolinecolor": "#111827"},
        "yaxis": {"tickfont": {"size": 11}, "automargin": True},
    })  # fmt: skip


def waterfall(terms: dict[str, float], title: str, decimals: int = 3) -> go.Figure:
    """Waterfall from μ to r̂ through every term, for one user × item.

    ``terms`` are the numbers the page shows for the terms (:func:`rounded`, so they match its
    formula and other figures): bars, labels and hover text are drawn from them, and the
    total bar is their sum, so the parts add up to the total as shown.
    """
    names = list(terms)
    shown = rounded([terms[n] for n in names], decimals)  # numbers already rounded come back unchanged
    total = round(sum(shown), decimals)
    text = [f"{v:+.{decimals}f}" for v in shown] + [f"{total:.{decimals}f}"]
    fig = go.Figure(go.Waterfall(
        x=[TERM_LABELS.get(n, n) for n in names] + ["score r̂"], y=[*shown, 0], measure=["relative"] * len(names) + ["total"],
        text=text, textposition="outside", hovertemplate="%{x}: %{text}<extra></extra>", connector=dict(line=dict(color="#cbd5e1")),
        increasing=dict(marker_color=POSITIVE), decreasing=dict(marker_color=NEGATIVE), totals=dict(marker_color="#111827"),
    ))  # fmt: skip
    _layout(fig, 380, title=title, showlegend=False)
    fig.update_xaxes(tickangle=-20)
    fig.update_yaxes(title="r̂ (logit)")
    return fig


def weight_labels(weights: Mapping[str, float]) -> dict[str, float]:
    """Each modality's weight as :func:`weights_bar` labels it: rounded to 2 decimals so the labels add up as their total
    does (1.00). A note that quotes a bar says the same number."""
    return dict(zip(weights, rounded(list(weights.values()), 2, total=sum(weights.values()))))


def weights_bar(weights: Mapping[str, float], title: str, height: int = 180, side: str = "user") -> go.Figure:
    """One bar per modality, each labelled with its weight rounded so the labels add up as their total does (1.00)."""
    names = list(weights)
    labels = list(weight_labels(weights).values())
    bar = {"type": "bar", "x": [weights[m] for m in names], "y": [modality_label(m, side) for m in names], "orientation": "h",
           "text": [f"{v:.2f}" for v in labels], "textposition": "outside", "cliponaxis": False,
           "marker": {"color": [MODALITY_COLOURS.get(m, "#64748b") for m in names]}}  # fmt: skip
    return _figure([bar], {
        "height": height, "margin": _margin(), "title": {"text": title}, "showlegend": False,
        # room for a label at 1.00
        "xaxis": {"range": [0, 1.14], "tickvals": [0, 0.25, 0.5, 0.75, 1], "title": {"text": "fusion weight α"}},
        "yaxis": {"automargin": True},
    })  # fmt: skip


def modality_box(frame: pd.DataFrame, modalities: Sequence[str], title: str, side: str) -> go.Figure:
    """Distribution of per-entity fusion weights α, one box per modality (its mean the dashed line)."""
    fig = go.Figure()
    for m in modalities:
        fig.add_box(
            y=frame[m], name=modality_label(m, side), marker_color=MODALITY_COLOURS.get(m, "#64748b"), boxpoints=False, boxmean=True
        )
    _layout(fig, 320, title=title, showlegend=False)
    fig.update_yaxes(title="fusion weight α", range=[0, 1])
    return fig


def modality_matrix(cross: pd.DataFrame, decimals: int = 3) -> go.Figure:
    """Heatmap of α_m α'_n ⟨h_m, h'_n⟩: which user modality meets which item modality (blue raises r̂).

    ``cross`` holds the numbers the page shows (:func:`rounded_table`), rows and columns it
    chose to draw. Each row's and column's total (Σ, the sum of its shown cells) is written
    beside its name and the sum of all cells in the title, so every total adds up as shown.
    """
    values = cross.to_numpy(dtype=float)
    text = [[f"{v:.{decimals}f}" for v in row] for row in values]
    sums = {axis: np.round(values.sum(axis=axis), decimals) + 0.0 for axis in (0, 1)}  # + 0.0: never "-0.000"
    rows = [f"{modality_label(r)} · Σ {v:.{decimals}f}" for r, v in zip(cross.index, sums[1])]

    def wrapped(label: str, width: int = 12) -> str:
        """Words on lines of about ``width`` characters: column names stay upright and apart in a narrow chart."""
        lines: list[str] = []
        for word in label.split():
            if lines and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return "<br>".join(lines)

    columns = [f"{wrapped(modality_label(c, 'item'))}<br>Σ {v:.{decimals}f}" for c, v in zip(cross.columns, sums[0])]
    limit = max(1e-6, float(np.abs(values).max()))
    fig = go.Figure(go.Heatmap(
        z=values, x=columns, y=rows, text=text, texttemplate="%{text}",
        hovertemplate="user: %{y}<br>item: %{x}<br>cell: %{text}<extra></extra>",
        zmin=-limit, zmax=limit, colorscale=[[0, NEGATIVE], [0.5, "#f8fafc"], [1, POSITIVE]], hoverongaps=False,
        colorbar=dict(title="logit", thickness=12),
    ))  # fmt: skip
    _layout(fig, 340, title=f"User modality × item modality: all cells Σ {round(values.sum(), decimals) + 0.0:.{decimals}f}")
    fig.update_xaxes(tickangle=0, title="item modality", tickfont=dict(size=11))
    fig.update_yaxes(automargin=True, autorange="reversed", title="user term")  # top to bottom in the waterfall's order
    return fig


def dimension_bars(
    products: np.ndarray, k: int = 12, labels: Sequence[str] | None = None, total: float | None = None, decimals: int = 3
) -> go.Figure:
    """The ``k`` largest products e_u,k · e_i,k, plus one bar for all the other dimensions together.

    ``labels`` names the coordinates (default ``dim k``): the explicit ones are genres and years.
    ``total`` is the ⟨e_u, e_i⟩ the page shows: the bars are :func:`rounded` to add up to it.
    """
    labels = list(labels) if labels is not None else [f"dim {i}" for i in range(len(products))]
    order = np.argsort(-np.abs(products))[:k]
    rest = np.setdiff1d(np.arange(len(products)), order)
    values = [float(products[i]) for i in order] + ([float(products[rest].sum())] if len(rest) else [])
    names = [labels[i] for i in order] + ([f"other {len(rest)} dims"] if len(rest) else [])
    shown = rounded(values, decimals, total)
    colours = [POSITIVE if v > 0 else NEGATIVE for v in values]
    if len(rest):
        colours[-1] = "#94a3b8"
    text = [f"{v:+.{decimals}f}" for v in shown]
    fig = go.Figure(go.Bar(x=names, y=shown, marker_color=colours, text=text, textposition="outside",
                           hovertemplate="%{x}: %{text}<extra></extra>"))  # fmt: skip
    _layout(fig, 320, title=f"Top {len(order)} dimensions by |e_u,k · e_i,k|, and the rest", showlegend=False)
    fig.update_yaxes(title="e_u,k · e_i,k")
    fig.update_xaxes(tickangle=-35)
    return fig


def loss_curve(losses: Sequence[float]) -> go.Figure:
    fig = go.Figure(go.Scatter(x=list(range(len(losses))), y=list(losses), mode="lines+markers", line=dict(color=POSITIVE)))
    _layout(fig, 240, title="Loss of the last online update", showlegend=False)
    fig.update_xaxes(title="gradient step (0 = before the update)", dtick=1 if len(losses) <= 20 else None)
    fig.update_yaxes(title="loss L(e, b)")
    return fig


def boost_reach(reach: pd.DataFrame, chosen: float, list_length: int) -> go.Figure:
    """Users who would get a new item in their top list, for each boost level (the chosen one highlighted)."""
    colours = [POSITIVE if abs(b - chosen) < 1e-9 else "#93c5fd" for b in reach["boost"]]
    fig = go.Figure(go.Bar(x=[f"+{b:g}" for b in reach["boost"]], y=reach["users"], marker_color=colours,
                           text=[f"{u:,}" for u in reach["users"]], textposition="outside",
                           customdata=reach[["share", "median_position"]].to_numpy(),
                           hovertemplate="boost %{x}<br>%{y} users (%{customdata[0]:.1%})<br>median rank %{customdata[1]:.0f}"
                                         "<extra></extra>"))  # fmt: skip
    _layout(fig, 300, title=f"Users who would see it in their top-{list_length}, by boost", showlegend=False)
    fig.update_xaxes(title="new-item boost added to b_i (logit)", type="category")
    fig.update_yaxes(title="users", rangemode="tozero")
    return fig


def _annotation(point: dict, colour: str, offset: tuple[int, int], dims: int) -> dict:
    """A name tag at ``offset`` pixels from its marker (see ``tag_offsets``), on a white box, joined to it by a line."""
    tag = dict(text=html.escape(short(point["name"], 40)), showarrow=True, arrowhead=0, arrowcolor=colour, ax=offset[0], ay=offset[1],
               bgcolor="rgba(255,255,255,0.9)", bordercolor=colour, borderpad=3, font=dict(color=colour, size=12))  # fmt: skip
    tag |= {"x": point["x"], "y": point["y"]} | ({"z": point["z"]} if dims == 3 else {})
    return tag


def embedding_map(
    items: pd.DataFrame,
    users: pd.DataFrame | None,
    colour: str,
    dims: int,
    extra: Sequence[dict] = (),
    categorical: bool = True,
    colours: Mapping[str, str] | None = None,
    colour_title: str | None = None,
) -> go.Figure:
    """Items (and users) on the map; ``extra`` holds session points with their top-K lines (a dict figure, see ``_figure``).

    ``items``/``users`` have x, y (, z), a colour column, a ``label`` for hover and an ``id``
    carried in customdata, because point indices are per trace. Categorical groups take
    ``colours`` (group → colour) or the palette in order; a numeric column is drawn on a log
    scale with its colour bar below the map, clear of the legend.
    """
    kind = "scattergl" if dims == 2 else "scatter3d"
    data: list[dict] = []

    def coords(frame: pd.DataFrame) -> dict:
        return {axis: frame[axis].to_numpy() for axis in ("x", "y", "z")[:dims]}

    size = 6 if dims == 2 else 3
    if categorical:
        groups = list(dict.fromkeys(items[colour]))
        for n, group in enumerate(groups):
            part = items[items[colour] == group]
            fill = (colours or {}).get(group, PALETTE[n % len(PALETTE)])
            data.append({"type": kind, **coords(part), "mode": "markers", "name": str(group), "customdata": np.stack([part["id"], part["label"], np.full(len(part), "item")], axis=1),
                         "marker": {"size": size, "color": fill, "opacity": 0.75}, "hovertemplate": "%{customdata[1]}<extra></extra>"})  # fmt: skip
    else:
        values = items[colour].astype(float)
        ticks = [t for t in (1, 3, 10, 30, 100, 300, 1000) if t <= max(values.max(), 1)]
        data.append({"type": kind, **coords(items), "mode": "markers", "name": "items", "customdata": np.stack([items["id"], items["label"], np.full(len(items), "item")], axis=1),
                     "marker": {"size": size, "color": np.log10(values.clip(lower=1)).to_numpy(), "colorscale": VIRIDIS, "opacity": 0.8, "showscale": True,
                                "colorbar": {"title": {"text": f"{colour_title or colour} (log scale)", "side": "top"}, "orientation": "h",
                                             "thickness": 10, "len": 0.5, "x": 0.5, "xanchor": "center", "y": -0.1, "yanchor": "top",
                                             "tickvals": np.log10(ticks), "ticktext": [f"{t:,}" for t in ticks]}},
                     "hovertemplate": "%{customdata[1]}<extra></extra>"})  # fmt: skip
    if users is not None and len(users):
        segments = list(dict.fromkeys(users["segment"])) if "segment" in users else [None]
        shades = ["#475569", "#a16207", "#0f766e", "#9333ea", "#be123c", "#1d4ed8", "#4d7c0f"]
        for n, segment in enumerate(segments):
            part = users if segment is None else users[users["segment"] == segment]
            data.append({"type": kind, **coords(part), "mode": "markers", "name": "users" if segment is None else f"users: {segment}",
                         "customdata": np.stack([part["id"], part["label"], np.full(len(part), "user")], axis=1),
                         "marker": {"size": size - 1, "color": shades[n % len(shades)] if segment is not None else "#94a3b8",
                                    "symbol": USER_SYMBOL[dims], "opacity": 0.7},
                         "hovertemplate": "%{customdata[1]}<extra></extra>"})  # fmt: skip
    for n, point in enumerate(extra):
        colour_n = PERSONA_COLOURS[n % len(PERSONA_COLOURS)]
        if len(point.get("targets", [])):
            targets = point["targets"]
            for target in targets:
                line = {axis: [point[axis], target[i]] for i, axis in enumerate(("x", "y", "z")[:dims])}
                data.append({"type": kind, **line, "mode": "lines", "line": {"color": colour_n, "width": 1}, "opacity": 0.35, "showlegend": False,
                             "hoverinfo": "skip"})  # fmt: skip
            top = {axis: [t[i] for t in targets] for i, axis in enumerate(("x", "y", "z")[:dims])}
            data.append({"type": kind, **top, "mode": "markers", "name": f"top-K of {short(point['name'], 30)}", "hoverinfo": "text",
                         "marker": {"size": size + 4, "symbol": TOP_K_SYMBOL, "color": "rgba(0,0,0,0)", "line": {"color": colour_n, "width": 2}}}
                        | ({"hovertext": point["target_labels"]} if point.get("target_labels") is not None else {}))  # fmt: skip
        here = {axis: [point[axis]] for axis in ("x", "y", "z")[:dims]}
        star = PERSONA_STARS[(n // len(PERSONA_COLOURS)) % len(PERSONA_STARS)]
        symbol = point.get("symbol", star) if dims == 2 else ["diamond", "square", "cross", "circle"][(n // len(PERSONA_COLOURS)) % 4]
        data.append({"type": kind, **here, "mode": "markers", "name": short(point["name"], 30),
                     "marker": {"size": 18 if dims == 2 else 8, "color": colour_n, "symbol": symbol, "line": {"color": "white", "width": 1.5}},
                     "hovertext": html.escape(point.get("hover", point["name"])), "hoverinfo": "text"})  # fmt: skip
    if dims == 2 and extra:  # tags placed apart on the screen; a 3D view turns, so there they alternate by order
        drawn = [items, *([users] if users is not None else []), pd.DataFrame([{"x": p["x"], "y": p["y"]} for p in extra])]
        xs, ys = (np.concatenate([frame[axis].to_numpy(dtype=float) for frame in drawn]) for axis in ("x", "y"))
        offsets = tag_offsets(extra, (xs.min(), xs.max(), ys.min(), ys.max()))
    else:
        offsets = [TAG_OFFSETS[n % len(TAG_OFFSETS)] for n in range(len(extra))]
    tags = [
        _annotation(point, PERSONA_COLOURS[n % len(PERSONA_COLOURS)], offset, dims) for n, (point, offset) in enumerate(zip(extra, offsets))
    ]
    layout = {"height": 660, "margin": _margin(), "legend": {"font": {"size": 11}, "itemsizing": "constant"},
              "dragmode": "lasso" if dims == 2 else "orbit"}  # fmt: skip
    if dims == 2:
        layout |= {
            "xaxis": {"showticklabels": False, "title": {"text": "UMAP 1"}},
            "yaxis": {"showticklabels": False, "title": {"text": "UMAP 2"}},
        }
        if tags:
            layout["annotations"] = tags
        if not categorical:
            layout["margin"] = _margin() | {"b": 110}
    elif tags:
        layout["scene"] = {"annotations": tags}
    return _figure(data, layout)


def curves(frame: pd.DataFrame, x: str, y: str, group: str, title: str, x_title: str, y_title: str, highlight: str = "ours") -> go.Figure:
    """One line per method over a numeric ``x`` (N, rounds), on a linear axis ticked at the measured values.

    The spacing is true (N = 5 to 10 is five times as far as 1 to 2), so slopes compare; each method
    has its own colour, dash and marker (``method_styles``), and ``highlight`` is drawn thick.
    """
    fig = go.Figure()
    names = list(dict.fromkeys(frame[group]))
    styles = method_styles(names)
    parts = dict(list(frame.groupby(group, sort=False)))
    for name in sorted(names, key=lambda n: n == highlight):  # the highlight drawn last, over lines that run close to it
        part, style = parts[name].sort_values(x), styles[name]
        fig.add_scatter(
            x=part[x].astype(float).to_numpy(), y=part[y].to_numpy(), mode="lines+markers", name=name, legendrank=1000 + names.index(name),
            line=dict(width=4 if name == highlight else 2, color=style["colour"], dash=style["dash"]),
            marker=dict(symbol=style["symbol"], size=9 if name == highlight else 7, color=style["colour"]),
        )  # fmt: skip
    _layout(fig, 380, title=title)
    ticks = sorted({float(v) for v in frame[x]})
    fig.update_xaxes(title=x_title, type="linear", tickmode="array", tickvals=ticks, ticktext=[f"{v:g}" for v in ticks])
    fig.update_yaxes(title=y_title)
    return fig


#: More bars than this in a narrow chart (a third of the page) crowd it: their labels slant further, and a page prints
#: their values in the hover rather than over each other.
CROWDED_BARS = 8


def bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    colour_by: str | None = None,
    error: str | None = None,
    height: int = 360,
    colour: str | None = None,
    text_format: str | None = "{:.3f}",
    colours_of: Mapping[str, str] | None = None,
) -> go.Figure:
    """Vertical bars; one ``colour`` for a single measure (segments), ``colours_of`` (x value → colour) for named bars
    such as methods, otherwise one palette colour per bar. ``text_format`` ``None``: no value printed on the bars (a
    narrow chart of many bars, whose values would run into each other; the hover carries them)."""
    if colours_of is not None:
        colours = [colours_of[v] for v in frame[x]]
    else:
        colours = colour or ([PALETTE[n % len(PALETTE)] for n in range(len(frame))] if colour_by is None else None)
    # With error bars the value goes inside the bar, where the error cap cannot cover it.
    fig = go.Figure(go.Bar(x=frame[x], y=frame[y], marker_color=colours, error_y=dict(type="data", array=frame[error]) if error else None,
                           text=None if text_format is None else [text_format.format(v) for v in frame[y]],
                           textposition="inside" if error else "outside",
                           insidetextanchor="middle", cliponaxis=False))  # fmt: skip
    _layout(fig, height, title=title, showlegend=False)
    # Many labels need a steeper angle not to overlap.
    fig.update_xaxes(tickangle=-45 if len(frame) > CROWDED_BARS else -25, type="category")
    return fig


def popularity_pull(pull, scale: float, events: str = "ratings", axis: float = 0.0) -> go.Figure:
    """Each recommended item (and each item of the plain popularity list) at its catalogue popularity percentile.

    ``pull`` is a :class:`recsys.analysis.pull.PopularityPull`; the dashed line is the median catalogue item.
    """
    label = f"this list (b_i × {scale:g}" + (f", popularity axis removed {axis:g})" if axis else ")")
    rows = [(label, pull.items, POSITIVE), ("most popular", pull.popular, TERM_COLOURS["b_i"])]
    data = [
        {"type": "scatter", "x": frame["percentile"].to_numpy(), "y": [name] * len(frame), "mode": "markers", "name": name,
         "marker": {"size": 10, "color": colour, "opacity": 0.75},
         "customdata": np.stack([frame["title"].map(html.escape), frame["popularity"]], axis=1),
         "hovertemplate": "%{customdata[0]}<br>%{customdata[1]} " + events + " · percentile %{x:.0f}<extra></extra>"}
        for name, frame, colour in rows
    ]  # fmt: skip
    median = {"x": 50, "xref": "x", "yref": "y domain"}  # the dashed line at the median item, labelled at its top
    return _figure(data, {
        "shapes": [{"type": "line", "line": {"color": "#94a3b8", "dash": "dash"}, "x0": 50, "x1": 50, "xref": "x", "y0": 0, "y1": 1,
                    "yref": "y domain"}],
        "annotations": [median | {"showarrow": False, "text": "median item", "xanchor": "center", "y": 1, "yanchor": "bottom"}],
        "height": 190, "margin": _margin(24), "showlegend": False,
        "xaxis": {"title": {"text": f"popularity percentile in the catalogue ({events} in training)"}, "range": [-2, 102]},
    })  # fmt: skip


def pull_tradeoff(
    frame: pd.DataFrame, control: str = "b_i ×", title: str = "Less popularity pull: recall@20 against novelty, at each b_i scale"
) -> go.Figure:
    """Accuracy and novelty at each setting of a popularity control (the item-bias scale by default), one line per onboarding size N."""
    fig = go.Figure()
    for n, (group, part) in enumerate(frame.groupby("N", sort=True)):
        part = part.sort_values("scale")
        fig.add_scatter(
            x=part["novelty"], y=part["recall@20"], mode="lines+markers+text", name=f"N = {group}",
            text=[f"{s:g}" for s in part["scale"]], textposition="top center", line=dict(color=PALETTE[n % len(PALETTE)], width=3),
            hovertemplate=control + " %{text}<br>novelty %{x:.2f} bits<br>recall@20 %{y:.3f}<extra></extra>",
        )  # fmt: skip
    _layout(fig, 380, title=title)
    fig.update_xaxes(title="novelty (mean self-information of recommended items, bits)")
    fig.update_yaxes(title="recall@20")
    return fig


def reliability(rows: Mapping[str, Sequence[Mapping]], title: str) -> go.Figure:
    """Reliability diagram: mean predicted probability against the observed rate, per bin, for each curve in ``rows``."""
    fig = go.Figure()
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfectly calibrated", line=dict(dash="dash", color="#94a3b8"))
    colours = [NEGATIVE, POSITIVE, *PALETTE]
    for n, (name, bins) in enumerate(rows.items()):
        fig.add_scatter(
            x=[b["mean_p"] for b in bins], y=[b["observed"] for b in bins], mode="lines+markers", name=name,
            marker=dict(size=[max(6, min(22, 3 * math.log10(max(b["n"], 1)))) for b in bins], color=colours[n % len(colours)]),
            customdata=[b["n"] for b in bins], hovertemplate="predicted %{x:.3f}<br>observed %{y:.3f}<br>%{customdata:,} pairs<extra></extra>",
        )  # fmt: skip
    _layout(fig, 380, title=title)
    fig.update_xaxes(title="predicted probability of a 4–5★ rating (bin mean)", range=[0, 1])
    fig.update_yaxes(title="observed share rated 4–5★", range=[0, 1])
    return fig


#: Each benchmark method's look, the same on every figure: Okabe–Ito and Tol colours, which stay apart under the
#: common colour-vision deficiencies, plus a dash and a marker per method, so no two lines differ by hue alone.
#: ``ours`` alone is vermillion (no other colour within 25° of its hue), its variants blue and dashed, learned peers
#: solid, simple baselines dotted or grey.
METHOD_STYLES = {
    "ours": {"colour": "#d55e00", "dash": "solid", "symbol": "circle"},
    "ours_unread": {"colour": "#0072b2", "dash": "dash", "symbol": "diamond"},
    "ours_no_era": {"colour": "#4477aa", "dash": "longdashdot", "symbol": "triangle-left"},
    "ours_no_text": {"colour": "#56b4e9", "dash": "dashdot", "symbol": "square"},
    "ours_no_content": {"colour": "#332288", "dash": "dash", "symbol": "triangle-down"},
    "lightfm": {"colour": "#009e73", "dash": "solid", "symbol": "triangle-up"},
    "implicit_als": {"colour": "#cc79a7", "dash": "solid", "symbol": "x"},
    "cornac_bpr": {"colour": "#999933", "dash": "solid", "symbol": "cross"},
    "popularity": {"colour": "#000000", "dash": "dot", "symbol": "circle-open"},
    "popularity_demographic": {"colour": "#999999", "dash": "dot", "symbol": "square-open"},
    "genre": {"colour": "#882255", "dash": "dot", "symbol": "diamond-open"},
    "content_knn": {"colour": "#aa4499", "dash": "dot", "symbol": "triangle-up-open"},
    "random": {"colour": "#bbbbbb", "dash": "longdash", "symbol": "hexagon-open"},
}
#: Colours for methods the table above does not name (ablation settings, new baselines), in this order: none near
#: the vermillion of ``ours``.
SPARE_COLOURS = [
    "#44aa99", "#117733", "#88ccee", "#6699cc", "#2f6db5", "#59a14f", "#9b59b6", "#5fb7b2", "#3a3a3a", "#7570b3", "#b2df8a",
    "#1f78b4",
]  # fmt: skip
SPARE_SYMBOLS = ["star", "pentagon", "hourglass", "bowtie", "star-open", "pentagon-open", "hourglass-open", "bowtie-open"]
#: Dashes of those methods: each round of the spare markers takes the next, so no two lines share dash and marker.
SPARE_DASHES = ["solid", "longdashdot", "longdash", "dashdot", "dash", "dot"]


def method_styles(names: Sequence[str]) -> dict[str, dict[str, str]]:
    """Colour, dash and marker of each method in ``names``: the fixed look where there is one, and never a colour twice.

    Example:
        >>> styles = method_styles(["ours", "ours_unread", "text_only"])
        >>> styles["ours"]["colour"], len({s["colour"] for s in styles.values()})
        ('#d55e00', 3)
    """
    styles = {name: dict(METHOD_STYLES[name]) for name in dict.fromkeys(names) if name in METHOD_STYLES}
    used = {s["colour"] for s in styles.values()}
    spare = [c for c in dict.fromkeys(SPARE_COLOURS) if c not in used]
    others = [name for name in dict.fromkeys(names) if name not in styles]
    if len(others) > len(spare):
        from plotly.colors import unlabel_rgb

        extra = sequential(len(others) - len(spare) + 2)[1:-1]
        spare += ["#" + "".join(f"{round(v):02x}" for v in unlabel_rgb(c)) for c in extra]
    for n, name in enumerate(others):
        dash = SPARE_DASHES[(n // len(SPARE_SYMBOLS)) % len(SPARE_DASHES)]
        styles[name] = {"colour": spare[n], "dash": dash, "symbol": SPARE_SYMBOLS[n % len(SPARE_SYMBOLS)]}
    return {name: styles[name] for name in dict.fromkeys(names)}


#: The plot area of the 2D map as a wide browser draws it, in pixels, slightly narrowed so estimates err towards
#: more room; a name tag is ``TAG_HEIGHT`` pixels tall and about ``TAG_CHAR`` wide per character (12 px font, padding).
MAP_PLOT_PX = (620, 500)
TAG_HEIGHT, TAG_CHAR, TAG_PAD = 24, 7.2, 12
#: Where a name tag may go, relative to its marker (x right, y down, pixels), nearest first.
TAG_OFFSETS = [(0, -36), (0, 36), (0, -64), (0, 64), (0, -92), (0, 92), (0, -120), (0, 120), (0, -148), (0, 148)]


def tag_offsets(
    points: Sequence[Mapping], bounds: tuple[float, float, float, float], size: tuple[int, int] = MAP_PLOT_PX
) -> list[tuple[int, int]]:
    """The (ax, ay) pixel offset of each point's name tag, chosen so no two tags overlap and no tag covers a marker.

    ``bounds`` are the map's (x min, x max, y min, y max) in data units, read as ``size`` pixels. Each tag,
    in turn, takes the nearest offset in ``TAG_OFFSETS`` whose box is clear of the tags placed before it and
    of every point's marker; when none is clear, the one with least overlap.
    """
    x0, x1, y0, y1 = bounds
    width, height = size
    at = [((p["x"] - x0) / max(x1 - x0, 1e-12) * width, (y1 - p["y"]) / max(y1 - y0, 1e-12) * height) for p in points]
    markers = [(x - 11, y - 11, x + 11, y + 11) for x, y in at]  # the persona's star and the new item's diamond, 18–22 px

    def overlap(a: tuple, b: tuple) -> float:
        return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))

    placed: list[tuple] = []
    offsets = []
    for (x, y), point in zip(at, points):
        half = (TAG_CHAR * len(html.unescape(short(point["name"], 40))) + TAG_PAD) / 2
        boxes = [(x + ax - half, y + ay - TAG_HEIGHT / 2, x + ax + half, y + ay + TAG_HEIGHT / 2) for ax, ay in TAG_OFFSETS]
        cost = [sum(overlap(box, other) for other in placed + markers) for box in boxes]
        best = min(range(len(boxes)), key=lambda i: (cost[i], i))
        placed.append(boxes[best])
        offsets.append(TAG_OFFSETS[best])
    return offsets


#: Users are small filled triangles (squares in 3D, which has no triangles): apart from the items' dots and from the
#: hollow rings around a persona's top-K.
USER_SYMBOL = {2: "triangle-up", 3: "square"}
TOP_K_SYMBOL = "circle"  # drawn hollow: a transparent fill inside the persona's colour


#: The onboarding strategies' colours (recsys.onboarding.STRATEGIES).
ONBOARDING_COLOURS = {
    "popular": "#000000",
    "entropy": "#56b4e9",
    "pop_entropy": "#009e73",
    "coverage": "#cc79a7",
    "expected_change": "#d55e00",
}
#: Each strategy's own marker and dash, so lines that cross stay apart without colour: popularity dotted and open
#: like the popularity baseline elsewhere, the model-based strategy solid like ``ours``.
ONBOARDING_MARKS = {
    "popular": ("circle-open", "dot"),
    "entropy": ("diamond", "dash"),
    "pop_entropy": ("square", "dashdot"),
    "coverage": ("triangle-up", "longdash"),
    "expected_change": ("circle", "solid"),
}


def coinciding(frame: pd.DataFrame, label: str, x: str, y: str, within: float = 0.02) -> list[list[str]]:
    """Groups of rows (named by ``label``) whose points lie within ``within`` of each axis's range of each other: on a
    scatter they hide one another, so the page says which they are.

    Example:
        >>> coinciding(pd.DataFrame({"m": ["a", "b", "c"], "x": [0.0, 0.001, 1.0], "y": [0.0, 0.0, 1.0]}), "m", "x", "y")
        [['a', 'b']]
    """
    span = [max(float(frame[c].max() - frame[c].min()), 1e-12) for c in (x, y)]
    groups: list[list[int]] = []
    rows = list(range(len(frame)))
    for i in rows:
        for group in groups:
            j = group[0]
            if all(abs(float(frame[c].iloc[i] - frame[c].iloc[j])) <= within * s for c, s in zip((x, y), span)):
                group.append(i)
                break
        else:
            groups.append([i])
    return [[str(frame[label].iloc[i]) for i in g] for g in groups if len(g) > 1]


def merged_curves(strategies: Mapping[str, Mapping]) -> dict[str, dict]:
    """The strategies whose curves are identical (every point of recall@20 and NDCG@10) as one entry labelled
    "a = b = c", so that no line hides under another; each group keeps its first strategy's name and colour."""
    groups: dict[tuple, list[str]] = {}
    for name, row in strategies.items():
        groups.setdefault((tuple(row["recall@20"]), tuple(row["ndcg@10"])), []).append(name)
    return {
        names[0]: {**strategies[names[0]], "label": " = ".join(str(strategies[n]["label"]) for n in names)} for names in groups.values()
    }


def onboarding_curves(strategies: Mapping[str, Mapping], metric: str, title: str) -> go.Figure:
    """One line per onboarding strategy over the number of questions asked (0…budget), with its 95% interval as a
    band of the same colour; the labels are the strategies' own (``label``)."""
    fig = go.Figure()
    styles = method_styles(list(strategies))
    for name in strategies:  # Okabe–Ito colours that stay apart for colour-blind readers, the model-based one vermilion
        styles[name]["colour"] = ONBOARDING_COLOURS.get(name, styles[name]["colour"])
        styles[name]["symbol"], styles[name]["dash"] = ONBOARDING_MARKS.get(name, (styles[name]["symbol"], styles[name]["dash"]))
    for name, row in strategies.items():
        mean, half = np.asarray(row[metric], dtype=float), np.asarray(row[f"{metric}_ci95"], dtype=float)
        x = np.arange(len(mean), dtype=float)
        colour = styles[name]["colour"]
        fig.add_scatter(x=np.concatenate([x, x[::-1]]), y=np.concatenate([mean + half, (mean - half)[::-1]]), fill="toself",
                        fillcolor=colour, opacity=0.12, line=dict(width=0), hoverinfo="skip", showlegend=False)  # fmt: skip
        fig.add_scatter(
            x=x, y=mean, mode="lines+markers", name=row.get("label", name), line=dict(width=2.5, color=colour, dash=styles[name]["dash"]),
            marker=dict(symbol=styles[name]["symbol"], size=7, color=colour),
            hovertemplate="%{x:d} questions: %{y:.3f}<extra>" + html.escape(str(row.get("label", name))) + "</extra>",
        )  # fmt: skip
    _layout(fig, 420, title=title)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.22, x=0))
    fig.update_xaxes(title="questions asked", type="linear", tickmode="linear", dtick=1)
    fig.update_yaxes(title=metric)
    return fig
