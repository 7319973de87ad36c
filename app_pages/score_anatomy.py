"""Score anatomy: any user × any item, the formula with live numbers, term by term."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from recsys import UserState
from recsys import columns as C
from recsys.model import predict
from recsys.results import held_on_warm
from ui import charts, literal, resources, session

explorer = resources.explorer()
TITLES = explorer.titles()
USER_IDS = explorer.dataset.users[C.USER]
NUMERIC_IDS = pd.api.types.is_integer_dtype(USER_IDS)
NOUN = explorer.dataset.noun
DECIMALS = charts.TERM_DECIMALS  # every number of the anatomy is shown to three decimals, as New user's formula


def listed(terms: list[str]) -> str:
    """User terms by their labels, for a sentence."""
    return ", ".join(charts.modality_label(m) for m in terms)


def has(user: UserState, term: str) -> bool:
    """Whether the user's e_u has a part from ``term``: a fused modality of weight > 0, feedback given, a preference read."""
    if term in user.modalities:
        return user.weights[term] > 0
    if term == "feedback":
        return bool(user.feedback)
    coordinates = explorer.explicit_layout.slices.get(term)
    return coordinates is not None and bool(np.any(user.explicit[coordinates]))


st.title("🔬 Score anatomy")
st.latex(r"\hat r(u,i) = \mu + b_u + b_i + \langle e_u, e_i \rangle, \qquad e = \sum_m \alpha_m h_m,\quad b = \sum_m \alpha_m \beta_m")

cols = st.columns(2)
EXISTING = f"existing {explorer.dataset.name} user"
sources = [f"persona: {n}" for n in session.personas()] + [EXISTING]
# The persona on screen on New user (the active one) first: a demo clicks through from it.
active = st.session_state.get(session.ACTIVE)
source = cols[0].selectbox("User", sources, index=sources.index(f"persona: {active}") if f"persona: {active}" in sources else 0)
if source == EXISTING:
    if NUMERIC_IDS:
        low, high = int(USER_IDS.min()), int(USER_IDS.max())
        user_id = cols[0].number_input("User id", min_value=low, max_value=high, value=low, step=1,
                                       help=f"Any of the catalogue's {len(USER_IDS):,} users (ids {low}–{high}).")  # fmt: skip
    else:
        user_id = cols[0].selectbox("User id", USER_IDS.tolist(), help=f"Any of the catalogue's {len(USER_IDS):,} users.")
    try:
        user = explorer.user(int(user_id) if NUMERIC_IDS else user_id)
    except ValueError as err:
        st.error(literal.md(err))
        st.stop()
    label = f"user {user_id}"
else:
    label = source.removeprefix("persona: ")
    user = session.personas()[label].state
scale, axis = session.bias_scale(), session.axis_strength()
recs = explorer.recommend(user, k=20, item_bias_scale=scale, axis_strength=axis)
options = list(dict.fromkeys([*recs[C.ITEM].tolist(), *explorer.listed_titles()]))
item_id = cols[1].selectbox(
    f"{explorer.dataset.noun.capitalize()} (this user's top-20 first)",
    options,
    format_func=lambda i: TITLES.get(i, str(i)),
    filter_mode="contains",  # the words typed, in any title; fuzzy matching offers titles that only share letters
)
if item_id is None:
    st.stop()

anatomy = explorer.explain(user, item_id, item_bias_scale=scale, axis_strength=axis)
st.markdown(f"**{literal.md(label)}** × **{literal.md(TITLES[item_id])}**")
# One rounding for the whole page, top down: the four terms to the rounded score, the user terms of ⟨e_u, e_i⟩ to
# the ⟨e_u, e_i⟩ shown, each row of the modality matrix to its term. The formula and every figure below draw these
# numbers, so a term reads the same everywhere and every list of parts adds up to the total shown for it.
mu, b_u, b_i, dot, pop = charts.rounded([anatomy.mu, anatomy.b_u, anatomy.b_i, anatomy.dot, anatomy.pop], DECIMALS, fixed=(0, 1))
dot_terms = dict(zip(anatomy.dot_by_user_term, charts.rounded(list(anatomy.dot_by_user_term.values()), DECIMALS, dot)))
cross = charts.rounded_table(anatomy.cross, [dot_terms.get(m, 0.0) for m in anatomy.cross.index], DECIMALS)
score = round(mu + b_u + b_i + dot + (pop if axis else 0.0), DECIMALS) + 0.0
bias_term = "b_i" if scale == 1.0 else rf"{scale:g}\,b_i"
axis_term = rf" + \underbrace{{({pop:.3f})}}_{{\text{{pop. axis}}}}" if axis else ""
st.latex(
    rf"\hat r = \underbrace{{{mu:.3f}}}_{{\mu}} + \underbrace{{({b_u:.3f})}}_{{b_u}} + \underbrace{{({b_i:.3f})}}_{{{bias_term}}} + "
    rf"\underbrace{{({dot:.3f})}}_{{\langle e_u,e_i\rangle}}{axis_term} = {score:.3f}, \qquad p = {anatomy.p_like:.3f}"
)
calibration = explorer.calibration
st.caption(
    "Every number on this page is rounded once, to three decimals: a term shows the same number in the formula and in every "
    "figure, and the shown parts add up to the shown total. "
    + ("p = σ(r̂), the model's like-probability as trained." if calibration.identity
       else f"p = σ({calibration.a:.3f}·r̂ + ({calibration.c:.3f})): the like-probability calibrated on held-out users (see Evaluation).")
    + (f" The item bias is scaled by {scale:g} (the popularity-pull control on the New user page)." if scale != 1.0 else "")
    + (f" The popularity-axis term removes {axis:g} of ⟨e_u, e_i⟩ along the items' popularity direction (the New user page's "
       "second control): −λ·⟨e_u, a⟩⟨e_i, a⟩." if axis else "")
)  # fmt: skip
# A catalogue user is not a new user, on whom the calibration was fitted: say how such a p held on their held-out ratings
# (on the warm split, pairs given 0.8–0.9 were liked about one time in five), as New film does for its audience.
found = resources.bench_results() if source == EXISTING and not calibration.identity else None
held = found.reliability_bin("warm", float(anatomy.p_like), explorer.dataset.name, explorer.fingerprint) if found else None
if held is not None:
    st.caption(
        f"How far to trust p = {anatomy.p_like:.3f} here: {label} is one of the catalogue's own users, and the calibration was "
        f"fitted on new users. {held_on_warm(held)}: read p as an order here, not as a chance."
    )

# The user terms drawn: those with a cell that is not 0 as shown. The others' rows (and their terms) are 0 as shown.
drawn = [m for m in cross.index if (cross.loc[m] != 0).any()]
terms = {"mu": mu, "b_u": b_u, "b_i": b_i} | {f"dot_{m}": dot_terms[m] for m in drawn} | ({"pop": pop} if axis else {})
st.plotly_chart(charts.waterfall(terms, "From μ to r̂, term by term", DECIMALS), width="stretch")

cols = st.columns(2)
with cols[0]:
    columns = [c for c in cross.columns if (cross.loc[drawn, c] != 0).any()]
    if drawn and columns:
        st.plotly_chart(charts.modality_matrix(cross.loc[drawn, columns], DECIMALS), width="stretch")

    lacking = [m for m in cross.index if not has(user, m)]
    zero = [m for m in cross.index if has(user, m) and m not in drawn]
    exactly = [m for m in zero if (anatomy.cross.loc[m].abs() < 1e-9).all()]
    near = [m for m in zero if m not in exactly]
    notes = [f"{listed(lacking)}: this user has none (weight 0)"] if lacking else []
    if exactly:
        notes.append(f"{listed(exactly)}: this user has {'it' if len(exactly) == 1 else 'them'}, but "
                     f"{'it is' if len(exactly) == 1 else 'they are'} 0 for this {NOUN}")  # fmt: skip
    if near:
        notes.append(f"{listed(near)}: this user has {'it' if len(near) == 1 else 'them'}, but "
                     f"{'it rounds' if len(near) == 1 else 'they round'} to 0.000 for this {NOUN}")  # fmt: skip
    st.caption(
        "Cell (m, n) = α_m α'_n ⟨h_m, h'_n⟩: how much the user's modality m meets the item's modality n. Each row adds up to "
        f"its term in the waterfall (Σ), all cells to ⟨e_u, e_i⟩ = {dot:.3f}. Blue raises the score, red lowers it."
        + (f" Not drawn — {'; '.join(notes)}." if notes else "")
    )
with cols[1]:
    st.plotly_chart(
        charts.dimension_bars(
            anatomy.per_dimension, labels=[f"dim {i}" for i in range(len(user.vector))] + explorer.explicit_layout.labels,
            total=dot, decimals=DECIMALS,
        ),
        width="stretch",
    )  # fmt: skip
    st.caption(f"The {len(anatomy.per_dimension)} products e_u,k · e_i,k — {len(user.vector)} fused dimensions, then the explicit "
               f"genre and year coordinates a profile's reading weighs (the 12 largest, and the rest as one grey bar) — "
               f"sum to ⟨e_u, e_i⟩ = {dot:.3f}.")  # fmt: skip

with st.expander("Biases, by modality"):
    user_parts = {m: v for m, v in anatomy.b_u_by_term.items() if m != "feedback" or user.last_update is not None}
    user_parts = dict(zip(user_parts, charts.rounded(list(user_parts.values()), DECIMALS, b_u)))
    item_parts = dict(zip(anatomy.b_i_by_modality, charts.rounded(list(anatomy.b_i_by_modality.values()), DECIMALS, b_i)))
    parts = pd.DataFrame(
        [{"side": "user b_u", "modality": charts.modality_label(m), "α·β": v} for m, v in user_parts.items()]
        + [{"side": "item b_i", "modality": charts.modality_label(m, "item"), "α·β": v} for m, v in item_parts.items()]
    )  # fmt: skip
    st.dataframe(parts, hide_index=True, width="stretch", column_config={"α·β": st.column_config.NumberColumn(format="%.3f")})
    # The fusion weights of each side add up to 1, and so do their shown values.
    user_weights = zip(anatomy.user_weights, charts.rounded(list(anatomy.user_weights.values()), 2))
    item_weights = zip(anatomy.item_weights, charts.rounded(list(anatomy.item_weights.values()), 2))
    user_weights = ", ".join(f"{charts.modality_label(m)} {w:.2f}" for m, w in user_weights)
    item_weights = ", ".join(f"{charts.modality_label(m, 'item')} {w:.2f}" for m, w in item_weights)
    item_bias = "b_i" if scale == 1.0 else f"{scale:g} b_i"
    st.caption(
        f"The user's parts add up to b_u = {b_u:.3f}, the {NOUN}'s to {item_bias} = {b_i:.3f}. "
        f"User fusion weights: {user_weights}. Item fusion weights: {item_weights} (each side's add up to 1)."
    )

with st.expander("The online update rule, with this user's numbers", expanded=user.last_update is not None):
    st.latex(r"e \leftarrow e - \eta\Big[\sum_j (\sigma(\hat r_{uj}) - y_j)\,e_j + \lambda (e - e^0)\Big]")
    st.latex(r"b \leftarrow b - \eta\Big[\sum_j (\sigma(\hat r_{uj}) - y_j) + \lambda_b (b - b^0)\Big]")
    config = explorer.online
    st.markdown(f"η = {config.lr}, λ = {config.reg}, λ_b = {config.reg_bias}, K = {config.steps} steps over all feedback so far; "
                "e⁰, b⁰ are what the towers make of the text, demographics and onboarding likes.")  # fmt: skip
    if user.last_update is None:
        st.caption("No feedback yet for this user: like or dislike items on the New user page.")
    else:
        trace = user.last_update
        st.markdown(f"b_u: {trace.b_before:.3f} → {trace.b_after:.3f}; ‖e − e⁰‖ = {np.linalg.norm(user.delta_e):.3f}; "
                    f"loss {trace.loss[0]:.3f} → {trace.loss[-1]:.3f}.")  # fmt: skip
        st.plotly_chart(charts.loss_curve(trace.loss), width="stretch")

st.subheader("Worked example you can check by hand")
st.markdown("A 5-dimensional toy with μ = 0, b_u = 0.2, b_i = 0.1:")
e_u = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
e_i = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
products = e_u * e_i
table = pd.DataFrame({"k": range(1, 6), "e_u,k": e_u, "e_i,k": e_i, "e_u,k · e_i,k": products})
st.dataframe(table, hide_index=True)
worked = float(predict(0.0, 0.2, np.array([0.1]), e_u, e_i[None, :])[0])  # the engine's own formula
st.latex(
    rf"\langle e_u, e_i\rangle = {' + '.join(f'{p:.2f}' for p in products)} = {products.sum():.2f}, \qquad "
    rf"\hat r = 0 + 0.2 + 0.1 + {products.sum():.2f} = {worked:.2f}"
)
st.caption("The total is computed by the engine's score function (`recsys.model.predict`), the same one that ranks.")
st.info(
    f"**Check the sum yourself:** 0 + 0.2 + 0.1 + {products.sum():.2f} = {worked:.2f}. Versions of this worked example in "
    f"course notes print the total as 1.45, with b_u counted twice: a good first exercise in reading the formula term by term.",
    icon="✏️",
)
