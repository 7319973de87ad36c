"""Plotly figures for the pages: score breakdowns, fusion weights, the embedding map, curves.

Figures only draw numbers the engine computed; no model math lives here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

TERM_COLOURS = {
    "mu": "#94a3b8", "b_u": "#64748b", "b_i": "#f59e0b",
    "dot_text": "#2563eb", "dot_demo": "#10b981", "dot_history": "#8b5cf6", "dot_id": "#ef4444", "dot_feedback": "#ec4899",
}  # fmt: skip
TERM_LABELS = {
    "mu": "μ (global)", "b_u": "b_u (user bias)", "b_i": "b_i (item bias)", "dot_text": "⟨·⟩ from profile text",
    "dot_demo": "⟨·⟩ from demographics", "dot_history": "⟨·⟩ from onboarding likes", "dot_id": "⟨·⟩ from collaborative ID",
    "dot_feedback": "⟨·⟩ from feedback updates",
}  # fmt: skip
MODALITY_COLOURS = {"text": "#2563eb", "demo": "#10b981", "attr": "#10b981", "history": "#8b5cf6", "id": "#ef4444", "feedback": "#ec4899"}
PALETTE = ["#2563eb", "#ef4444", "#10b981", "#f59e0b", "#8b5cf6", "#ec4899", "#14b8a6", "#f97316", "#6366f1", "#84cc16",
           "#06b6d4", "#a855f7", "#e11d48", "#0ea5e9", "#22c55e", "#eab308", "#78716c", "#d946ef", "#475569"]  # fmt: skip


def short(text: str, n: int = 38) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _layout(fig: go.Figure, height: int, **kwargs) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), template="plotly_white", **kwargs)
    return fig


def score_breakdown(recs: pd.DataFrame, max_items: int = 20) -> go.Figure:
    """Horizontal stacked bars: every term of each recommended item's score, best item on top."""
    rows = recs.head(max_items).iloc[::-1]
    labels = [f"{r} · {short(t)}" for r, t in zip(rows["rank"], rows["title"])]
    fig = go.Figure()
    terms = ["mu", "b_u", "b_i"] + [c for c in TERM_COLOURS if c.startswith("dot_") and c in rows and np.abs(rows[c]).max() > 1e-9]
    for term in terms:
        fig.add_bar(y=labels, x=rows[term], name=TERM_LABELS[term], orientation="h", marker_color=TERM_COLOURS[term],
                    hovertemplate="%{y}<br>" + TERM_LABELS[term] + ": %{x:.3f}<extra></extra>")  # fmt: skip
    fig.add_scatter(y=labels, x=rows["score"], mode="markers", name="score r̂", marker=dict(symbol="diamond", size=9, color="#111827"),
                    hovertemplate="%{y}<br>score: %{x:.3f}<extra></extra>")  # fmt: skip
    _layout(fig, 28 * len(rows) + 110, barmode="relative", 
            legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, font=dict(size=11)))  # fmt: skip
    fig.update_xaxes(title="contribution to r̂ (logit)", zeroline=True, zerolinecolor="#111827")
    fig.update_yaxes(tickfont=dict(size=11), automargin=True)
    fig.update_layout(margin=dict(t=70))
    return fig


def waterfall(terms: dict[str, float], title: str) -> go.Figure:
    """Waterfall from μ to r̂ through every term, for one user × item."""
    names = list(terms)
    fig = go.Figure(go.Waterfall(
        x=[TERM_LABELS.get(n, n) for n in names] + ["score r̂"], y=[terms[n] for n in names] + [0],
        measure=["relative"] * len(names) + ["total"], text=[f"{terms[n]:+.3f}" for n in names] + [f"{sum(terms.values()):.3f}"],
        textposition="outside", connector=dict(line=dict(color="#cbd5e1")),
        increasing=dict(marker_color="#2563eb"), decreasing=dict(marker_color="#ef4444"), totals=dict(marker_color="#111827"),
    ))  # fmt: skip
    _layout(fig, 380, title=title, showlegend=False)
    fig.update_xaxes(tickangle=-20)
    return fig


def weights_bar(weights: dict[str, float], title: str, height: int = 180) -> go.Figure:
    names = [m for m in weights]
    fig = go.Figure(go.Bar(x=[weights[m] for m in names], y=names, orientation="h", text=[f"{weights[m]:.2f}" for m in names],
                           textposition="auto", marker_color=[MODALITY_COLOURS.get(m, "#64748b") for m in names]))  # fmt: skip
    _layout(fig, height, title=title, showlegend=False)
    fig.update_xaxes(range=[0, 1], title="fusion weight α")
    return fig


def modality_matrix(cross: pd.DataFrame) -> go.Figure:
    """Heatmap of α_m α'_n ⟨h_m, h'_n⟩: which user modality meets which item modality."""
    values = cross.to_numpy()
    limit = max(1e-6, float(np.abs(values).max()))
    fig = go.Figure(go.Heatmap(z=values, x=[f"item: {c}" for c in cross.columns], y=[f"user: {r}" for r in cross.index], zmin=-limit, zmax=limit,
                               colorscale="RdBu", reversescale=True, texttemplate="%{z:.3f}", hoverongaps=False))  # fmt: skip
    return _layout(fig, 300, title="Dot product split by user modality × item modality")


def dimension_bars(products: np.ndarray, k: int = 12) -> go.Figure:
    order = np.argsort(-np.abs(products))[:k]
    fig = go.Figure(go.Bar(x=[f"dim {i}" for i in order], y=products[order], marker_color=["#2563eb" if v > 0 else "#ef4444" for v in products[order]],
                           text=[f"{products[i]:+.3f}" for i in order], textposition="outside"))  # fmt: skip
    _layout(fig, 320, title=f"Top {len(order)} dimensions by |e_u,k · e_i,k|", showlegend=False)
    fig.update_yaxes(title="e_u,k · e_i,k")
    return fig


def embedding_map(
    items: pd.DataFrame,
    users: pd.DataFrame | None,
    colour: str,
    dims: int,
    extra: Sequence[dict] = (),
    categorical: bool = True,
) -> go.Figure:
    """Items (and users) on the map; ``extra`` holds session points with their top-K lines.

    ``items``/``users`` have x, y (, z), a colour column, a ``label`` for hover and an ``id``
    carried in customdata, because point indices are per trace.
    """
    scatter = go.Scattergl if dims == 2 else go.Scatter3d
    fig = go.Figure()

    def coords(frame: pd.DataFrame) -> dict:
        out = {"x": frame["x"], "y": frame["y"]}
        if dims == 3:
            out["z"] = frame["z"]
        return out

    size = 6 if dims == 2 else 3
    if categorical:
        groups = list(dict.fromkeys(items[colour]))
        for n, group in enumerate(groups):
            part = items[items[colour] == group]
            fig.add_trace(scatter(**coords(part), mode="markers", name=str(group), customdata=np.stack([part["id"], part["label"]], axis=1),
                                  marker=dict(size=size, color=PALETTE[n % len(PALETTE)], opacity=0.75),
                                  hovertemplate="%{customdata[1]}<extra></extra>"))  # fmt: skip
    else:
        fig.add_trace(scatter(**coords(items), mode="markers", name="items", customdata=np.stack([items["id"], items["label"]], axis=1),
                              marker=dict(size=size, color=items[colour], colorscale="Viridis", opacity=0.8, showscale=True,
                                          colorbar=dict(title=colour, thickness=12, x=1.0)),
                              hovertemplate="%{customdata[1]}<extra></extra>"))  # fmt: skip
    if users is not None and len(users):
        segments = list(dict.fromkeys(users["segment"])) if "segment" in users else [None]
        shades = ["#475569", "#a16207", "#0f766e", "#9333ea", "#be123c", "#1d4ed8", "#4d7c0f"]
        for n, segment in enumerate(segments):
            part = users if segment is None else users[users["segment"] == segment]
            fig.add_trace(scatter(**coords(part), mode="markers", name="users" if segment is None else f"users: {segment}",
                                  customdata=np.stack([part["id"], part["label"]], axis=1),
                                  marker=dict(size=size - 1, color=shades[n % len(shades)] if segment is not None else "#94a3b8",
                                              symbol="circle-open" if dims == 2 else "circle", opacity=0.7),
                                  hovertemplate="%{customdata[1]}<extra></extra>"))  # fmt: skip
    for n, point in enumerate(extra):
        colour_n = ["#111827", "#dc2626", "#7c3aed", "#059669"][n % 4]
        if len(point.get("targets", [])):
            targets = point["targets"]
            for axis_values in targets:
                line = {"x": [point["x"], axis_values[0]], "y": [point["y"], axis_values[1]]}
                if dims == 3:
                    line["z"] = [point["z"], axis_values[2]]
                fig.add_trace(
                    scatter(**line, mode="lines", line=dict(color=colour_n, width=1), opacity=0.35, showlegend=False, hoverinfo="skip")
                )
            top = {"x": [t[0] for t in targets], "y": [t[1] for t in targets]}
            if dims == 3:
                top["z"] = [t[2] for t in targets]
            fig.add_trace(scatter(**top, mode="markers", name=f"top-K of {point['name']}", hovertext=point.get("target_labels"),
                                  hoverinfo="text", marker=dict(size=size + 4, color="rgba(0,0,0,0)", line=dict(color=colour_n, width=2))))  # fmt: skip
        here = {"x": [point["x"]], "y": [point["y"]]}
        if dims == 3:
            here["z"] = [point["z"]]
        fig.add_trace(scatter(**here, mode="markers+text", name=point["name"], text=[html.escape(point["name"])], textposition="top center",
                              marker=dict(size=16 if dims == 2 else 8, color=colour_n, symbol="star" if dims == 2 else "diamond",
                                          line=dict(color="white", width=1)),
                              hovertext=html.escape(point.get("hover", point["name"])), hoverinfo="text"))  # fmt: skip
    _layout(fig, 640, legend=dict(font=dict(size=11), itemsizing="constant"), dragmode="lasso" if dims == 2 else "orbit")
    if dims == 2:
        fig.update_xaxes(showticklabels=False, title="UMAP 1")
        fig.update_yaxes(showticklabels=False, title="UMAP 2")
    return fig


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
    frame: pd.DataFrame, x: str, y: str, title: str, colour_by: str | None = None, error: str | None = None, height: int = 360
) -> go.Figure:
    colours = [PALETTE[n % len(PALETTE)] for n in range(len(frame))] if colour_by is None else None
    fig = go.Figure(go.Bar(x=frame[x], y=frame[y], marker_color=colours, error_y=dict(type="data", array=frame[error]) if error else None,
                           text=[f"{v:.3f}" for v in frame[y]], textposition="outside"))  # fmt: skip
    _layout(fig, height, title=title, showlegend=False)
    fig.update_xaxes(tickangle=-45 if len(frame) > 8 else -25)  # many labels need a steeper angle not to overlap
    return fig
