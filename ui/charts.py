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
pio.templates.default = TEMPLATE_NAME

# Labels and colours come from the engine's one modality table (recsys.modalities).
USER_MODALITY_LABELS = modalities.labels("user")
ITEM_MODALITY_LABELS = modalities.labels("item") | {"explicit": "genres & year (explicit)"}
MODALITY_LABELS = {"user": USER_MODALITY_LABELS, "item": ITEM_MODALITY_LABELS}
MODALITY_COLOURS = modalities.colours("item") | modalities.colours("user") | {"explicit": "#0d9488"}
TERM_COLOURS = {"mu": "#94a3b8", "b_u": "#64748b", "b_i": "#f59e0b", "boost": "#d97706"} | {
    f"dot_{m}": c for m, c in MODALITY_COLOURS.items() if m in USER_MODALITY_LABELS
}
TERM_LABELS = {"mu": "μ (global)", "b_u": "b_u (user bias)", "b_i": "b_i (item bias)", "boost": "new-item boost"} | {
    f"dot_{m}": f"⟨·⟩ from {label}" for m, label in USER_MODALITY_LABELS.items()
}
POSITIVE, NEGATIVE = "#2563eb", "#ef4444"  # blue raises a score, red lowers it, on every chart
#: Twelve colours far apart from each other (categorical groups; more groups are folded by the page).
PALETTE = ["#2f6db5", "#f28e2b", "#d62728", "#ff9da7", "#59a14f", "#3a3a3a", "#9b59b6", "#8c564b", "#e6c229", "#5fb7b2",
           "#8c8c3c", "#b9b2ab"]  # fmt: skip
PERSONA_COLOURS = ["#111827", "#c2410c", "#6d28d9", "#047857"]


def sequential(n: int) -> list[str]:
    """``n`` colours along Viridis, for ordered groups (decades)."""
    from plotly.colors import sample_colorscale

    return sample_colorscale("Viridis", [i / max(n - 1, 1) for i in range(n)])


def modality_label(name: str, side: str = "user") -> str:
    return MODALITY_LABELS[side].get(name, name)


def short(text: str, n: int = 38) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def rounded(values: Sequence[float], decimals: int = 2) -> list[float]:
    """Round ``values`` so the rounded parts add up to their rounded total (largest remainder).

    Plain rounding of −0.434, −1.444, −0.354 and 2.904 gives parts summing to 0.67 under a
    total of 0.67 or 0.68 depending on luck; here the parts always sum to ``round(sum, d)``.
    """
    scale = 10**decimals
    scaled = [float(v) * scale for v in values]
    floors = [math.floor(v) for v in scaled]
    missing = round(sum(scaled)) - sum(floors)
    order = sorted(range(len(scaled)), key=lambda i: scaled[i] - floors[i], reverse=True)
    for i in order[: max(0, missing)]:
        floors[i] += 1
    return [f / scale for f in floors]


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
    """Waterfall from μ to r̂ through every term, for one user × item (shown parts add up to the shown total)."""
    names = list(terms)
    shown = rounded([terms[n] for n in names], decimals)
    total = round(sum(terms.values()), decimals)
    fig = go.Figure(go.Waterfall(
        x=[TERM_LABELS.get(n, n) for n in names] + ["score r̂"], y=[terms[n] for n in names] + [0],
        measure=["relative"] * len(names) + ["total"], text=[f"{v:+.{decimals}f}" for v in shown] + [f"{total:.{decimals}f}"],
        textposition="outside", connector=dict(line=dict(color="#cbd5e1")),
        increasing=dict(marker_color=POSITIVE), decreasing=dict(marker_color=NEGATIVE), totals=dict(marker_color="#111827"),
    ))  # fmt: skip
    _layout(fig, 380, title=title, showlegend=False)
    fig.update_xaxes(tickangle=-20)
    fig.update_yaxes(title="r̂ (logit)")
    return fig


def weights_bar(weights: Mapping[str, float], title: str, height: int = 180, side: str = "user") -> go.Figure:
    names = list(weights)
    bar = {"type": "bar", "x": [weights[m] for m in names], "y": [modality_label(m, side) for m in names], "orientation": "h",
           "text": [f"{weights[m]:.2f}" for m in names], "textposition": "outside", "cliponaxis": False,
           "marker": {"color": [MODALITY_COLOURS.get(m, "#64748b") for m in names]}}  # fmt: skip
    return _figure([bar], {
        "height": height, "margin": _margin(), "title": {"text": title}, "showlegend": False,
        # room for a label at 1.00
        "xaxis": {"range": [0, 1.14], "tickvals": [0, 0.25, 0.5, 0.75, 1], "title": {"text": "fusion weight α"}},
        "yaxis": {"automargin": True},
    })  # fmt: skip


def modality_box(frame: pd.DataFrame, modalities: Sequence[str], title: str, side: str) -> go.Figure:
    """Distribution of per-entity fusion weights α, one box per modality."""
    fig = go.Figure()
    for m in modalities:
        fig.add_box(y=frame[m], name=modality_label(m, side), marker_color=MODALITY_COLOURS.get(m, "#64748b"), boxpoints=False)
    _layout(fig, 320, title=title, showlegend=False)
    fig.update_yaxes(title="fusion weight α", range=[0, 1])
    return fig


def modality_matrix(cross: pd.DataFrame) -> go.Figure:
    """Heatmap of α_m α'_n ⟨h_m, h'_n⟩: which user modality meets which item modality (blue raises r̂).

    Rows and columns that are all zero (a modality the entity lacks, feedback never given) are left out.
    """
    keep_rows = cross.index[(cross.abs() > 1e-9).any(axis=1)]
    keep_cols = cross.columns[(cross.abs() > 1e-9).any(axis=0)]
    cross = cross.loc[keep_rows, keep_cols] if len(keep_rows) and len(keep_cols) else cross
    values = cross.to_numpy()
    limit = max(1e-6, float(np.abs(values).max()))
    fig = go.Figure(go.Heatmap(
        z=values, x=[f"item: {modality_label(c, 'item')}" for c in cross.columns], y=[f"user: {modality_label(r)}" for r in cross.index],
        zmin=-limit, zmax=limit, colorscale=[[0, NEGATIVE], [0.5, "#f8fafc"], [1, POSITIVE]], texttemplate="%{z:.3f}", hoverongaps=False,
        colorbar=dict(title="logit", thickness=12),
    ))  # fmt: skip
    _layout(fig, 300, title="Dot product split by user modality × item modality")
    fig.update_yaxes(automargin=True)
    return fig


def dimension_bars(products: np.ndarray, k: int = 12, labels: Sequence[str] | None = None) -> go.Figure:
    """The ``k`` largest products e_u,k · e_i,k, plus one bar for all the other dimensions together.

    ``labels`` names the coordinates (default ``dim k``): the explicit ones are genres and years.
    """
    labels = list(labels) if labels is not None else [f"dim {i}" for i in range(len(products))]
    order = np.argsort(-np.abs(products))[:k]
    rest = np.setdiff1d(np.arange(len(products)), order)
    values = [float(products[i]) for i in order] + ([float(products[rest].sum())] if len(rest) else [])
    names = [labels[i] for i in order] + ([f"other {len(rest)} dims"] if len(rest) else [])
    shown = rounded(values, 3)
    colours = [POSITIVE if v > 0 else NEGATIVE for v in values]
    if len(rest):
        colours[-1] = "#94a3b8"
    fig = go.Figure(go.Bar(x=names, y=values, marker_color=colours, text=[f"{v:+.3f}" for v in shown], textposition="outside"))
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


def _annotation(point: dict, colour: str, n: int, dims: int) -> dict:
    """A name tag offset from its marker, on a white box, so it covers neither the marker nor its neighbours."""
    offset = [-34, 34, -58, 58][n % 4]
    tag = dict(text=html.escape(short(point["name"], 40)), showarrow=True, arrowhead=0, arrowcolor=colour, ax=0, ay=offset,
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
                                    "symbol": "circle-open" if dims == 2 else "circle", "opacity": 0.7},
                         "hovertemplate": "%{customdata[1]}<extra></extra>"})  # fmt: skip
    tags = []
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
                         "marker": {"size": size + 4, "color": "rgba(0,0,0,0)", "line": {"color": colour_n, "width": 2}}}
                        | ({"hovertext": point["target_labels"]} if point.get("target_labels") is not None else {}))  # fmt: skip
        here = {axis: [point[axis]] for axis in ("x", "y", "z")[:dims]}
        symbol = point.get("symbol", "star") if dims == 2 else "diamond"
        data.append({"type": kind, **here, "mode": "markers", "name": short(point["name"], 30),
                     "marker": {"size": 18 if dims == 2 else 8, "color": colour_n, "symbol": symbol, "line": {"color": "white", "width": 1.5}},
                     "hovertext": html.escape(point.get("hover", point["name"])), "hoverinfo": "text"})  # fmt: skip
        tags.append(_annotation(point, colour_n, n, dims))
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
    fig = go.Figure()
    for n, (name, part) in enumerate(frame.groupby(group, sort=False)):
        width = 4 if name == highlight else 2
        fig.add_scatter(x=part[x], y=part[y], mode="lines+markers", name=name, line=dict(width=width, color=PALETTE[n % len(PALETTE)]))
    _layout(fig, 380, title=title)
    fig.update_xaxes(title=x_title, type="category")
    fig.update_yaxes(title=y_title)
    return fig


def bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    colour_by: str | None = None,
    error: str | None = None,
    height: int = 360,
    colour: str | None = None,
    text_format: str = "{:.3f}",
) -> go.Figure:
    """Vertical bars; one ``colour`` for a single measure (segments), otherwise one palette colour per bar."""
    colours = colour or ([PALETTE[n % len(PALETTE)] for n in range(len(frame))] if colour_by is None else None)
    # With error bars the value goes inside the bar, where the error cap cannot cover it.
    fig = go.Figure(go.Bar(x=frame[x], y=frame[y], marker_color=colours, error_y=dict(type="data", array=frame[error]) if error else None,
                           text=[text_format.format(v) for v in frame[y]], textposition="inside" if error else "outside",
                           insidetextanchor="middle", cliponaxis=False))  # fmt: skip
    _layout(fig, height, title=title, showlegend=False)
    fig.update_xaxes(tickangle=-45 if len(frame) > 8 else -25, type="category")  # many labels need a steeper angle not to overlap
    return fig


def popularity_pull(pull, scale: float, events: str = "ratings") -> go.Figure:
    """Each recommended item (and each item of the plain popularity list) at its catalogue popularity percentile.

    ``pull`` is a :class:`recsys.analysis.pull.PopularityPull`; the dashed line is the median catalogue item.
    """
    rows = [(f"this list (b_i × {scale:g})", pull.items, POSITIVE), ("most popular", pull.popular, TERM_COLOURS["b_i"])]
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


def pull_tradeoff(frame: pd.DataFrame) -> go.Figure:
    """Accuracy and novelty at each setting of the item-bias scale, one line per onboarding size N."""
    fig = go.Figure()
    for n, (group, part) in enumerate(frame.groupby("N", sort=True)):
        part = part.sort_values("scale")
        fig.add_scatter(
            x=part["novelty"], y=part["recall@20"], mode="lines+markers+text", name=f"N = {group}",
            text=[f"×{s:g}" for s in part["scale"]], textposition="top center", line=dict(color=PALETTE[n % len(PALETTE)], width=3),
            hovertemplate="b_i × %{text}<br>novelty %{x:.2f} bits<br>recall@20 %{y:.3f}<extra></extra>",
        )  # fmt: skip
    _layout(fig, 380, title="Less popularity pull: recall@20 against novelty, at each b_i scale")
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
