"""New user: describe a person, see their top-K with every score term, give feedback, compare personas."""

from __future__ import annotations

import html
import re
import time
from urllib.parse import urlencode, urlsplit, urlunsplit

import numpy as np
import pandas as pd
import streamlit as st

from recsys import columns as C
from recsys.analysis.attribution import IG_STEPS, INTEGRATED_GRADIENTS, ScoreAttribution, attribution_method
from recsys.analysis.overlap import compare_lists
from recsys.analysis.pull import percentiles
from recsys.online import sigmoid
from recsys.persona_store import StoreUnavailable
from recsys.reading import reads_no_words, self_description_words
from recsys.results import held_on_new_users
from ui import charts, glossary, literal, resources, session, switching
from ui.nouns import plural

explorer = resources.explorer()
NOUN, NOUNS = explorer.dataset.noun, explorer.dataset.nouns
TITLES = explorer.titles()
PRESETS = session.ready_made(explorer)
IMPLICIT = explorer.dataset.implicit  # interactions without ratings (purchases, reads, clicks)
EVENTS = "interactions" if IMPLICIT else "ratings"
#: The list's score header: the formula, then the glossary's plain sentence (negative scores are normal).
SCORE_HELP = f"r̂ = μ + b_u + b_i + ⟨e_u, e_i⟩. {glossary.SCORE}"
LIKES = explorer.dataset.liking().replace("{}", "*{}*")  # what the calibrated p is the probability of
PLACEHOLDER = (
    "e.g. “cartoons with my kids”, “gory slasher films”, “I love space operas”"
    if NOUN == "film"
    else "e.g. " + ", ".join(f"“{text}”" for text, _ in list(PRESETS.values())[:3])
)
MESSAGE = {"error": st.error, "warning": st.warning, "success": st.success, "info": st.info}

st.title("🧑 New user")
st.caption(
    f"Describe a person in plain words, by demographics, by {NOUNS} they like — or any mix. "
    "Everything below is recomputed from the same code path that ranks."
)
session.init_form()


def show_message(key: str) -> None:
    """A callback's message, shown once where its control is."""
    message = st.session_state.pop(key, None)
    if message:
        MESSAGE[message[0]](literal.md(message[1]))  # messages quote names and typed text


left, right = st.columns([0.36, 0.64], gap="large")

with left:
    st.selectbox("Start from a ready-made persona", [session.NOT_GIVEN, *PRESETS], key=session.PRESET, on_change=session.apply_preset, args=(PRESETS,),
                 help="Replaces everything in the form: text, demographics and onboarding picks.")  # fmt: skip
    editing = st.session_state.get(session.EDITING)
    top = st.columns([0.5, 0.5], vertical_alignment="center")
    if editing:
        top[0].markdown(f"✏️ Editing **{literal.md(editing)}** — Recommend updates it; a new name makes a copy.")
    else:
        top[0].markdown("**New persona**")
    top[1].button("➕ New persona", key="new_persona", on_click=session.clear_form, width="stretch",
                  help="Empty the form (text, demographics, onboarding picks and name) to describe someone else.")  # fmt: skip
    with st.form("profile", border=True):
        st.text_area(
            "Profile text (optional)", key=session.key(session.TEXT), height=110, max_chars=20_000,
            placeholder=PLACEHOLDER,
            help="Free text, any length; the model reads the first 256 tokens. Ctrl+Enter submits.",
        )  # fmt: skip
        # Every user column of the catalogue (MovieLens: age, gender, occupation; a bookshop: age, region).
        blocks = list(explorer.user_space.blocks)
        if blocks:
            st.markdown("**Demographics (optional)**")
            for start in range(0, len(blocks), 2):  # two per row: a long occupation stays readable
                row = blocks[start : start + 2]
                for col, block in zip(st.columns(2), row):
                    label = block.column.replace("_", " ").capitalize()
                    field = session.key(session.demographic_field(block.column))
                    if block.kind == "bucket":
                        high = 120 if block.column == "age" else None
                        col.number_input(label, min_value=1 if high else None, max_value=high, key=field, placeholder="—")
                    elif block.kind == "multi":
                        col.multiselect(label, list(block.labels), key=field, placeholder="—")
                    else:
                        col.selectbox(label, [session.NOT_GIVEN, *block.labels], key=field)
        st.multiselect(
            f"Onboarding likes: {NOUNS} the person says they like (optional)", options=list(dict.fromkeys([*explorer.listed_titles(), *st.session_state.get(session.key(session.LIKED), [])])), key=session.key(session.LIKED),
            format_func=lambda i: TITLES.get(i, str(i)), placeholder="Search titles…", max_selections=20,
            # Words as typed: fuzzy matching offered "Blue Angel" for "blade", and a "Select 11 matches" first option
            # added eleven films at one click.
            filter_mode="contains", select_all=False,
        )  # fmt: skip
        st.text_input("Persona name", key=session.key(session.NAME), placeholder=f"e.g. {next(iter(PRESETS), 'Newcomer')}", max_chars=80)
        st.form_submit_button("Recommend", type="primary", width="stretch", on_click=session.submit_form, args=(explorer,))
        st.caption("Any of text, demographics or onboarding likes is enough.")
        show_message(session.FORM_MESSAGE)
    k = st.slider("List length k", 5, 50, 20, key="k")
    # The kept setting is the slider's value argument, never written into its widget state: the browser then holds the
    # session's setting even for a slider it has just drawn anew, where a default of 0 (the minimum) would silently
    # turn the popularity pull off at the next click.
    st.slider(
        "Popularity pull: scale on the item bias b_i", 0.0, 1.0, session.bias_scale(), step=0.05, key=session.BIAS_SCALE_WIDGET,
        on_change=session.keep_bias_scale,
        help=f"b_i is learned from how often a {NOUN} is liked, so it pulls every list towards the most popular {NOUNS}. "
        "1 = the model as trained; 0 ranks by the person's fit ⟨e_u, e_i⟩ alone. The scaled b_i is the term shown everywhere, "
        "so the score still adds up exactly. Score anatomy uses the same setting.",
    )  # fmt: skip
    st.slider(
        "Popularity axis: share of ⟨e_u, e_i⟩ along it removed", 0.0, 1.0, session.axis_strength(), step=0.05, key=session.AXIS_STRENGTH_WIDGET,
        on_change=session.keep_axis_strength,
        help=f"Most of a list's popularity comes through ⟨e_u, e_i⟩, not b_i: the {NOUNS}' vectors have one direction that "
        "predicts how popular they are. This removes that share of the dot product along it, shown as its own term "
        "(popularity axis removed), so the score still adds up exactly. 0 = the model as trained. Score anatomy uses the same setting.",
    )  # fmt: skip


def rank_change(item_id, rank: int, previous: dict, k: int) -> str:
    """▲/▼ places, = or 🆕 against ``previous`` (item id → rank in the list before the latest change): 🆕 for an item
    that was not among the ``k`` shown then, as the "dropped out" line counts only those ``k``."""
    if not previous:
        return ""
    if previous.get(item_id, k + 1) > k:
        return "🆕 new"
    moved = previous[item_id] - rank
    return f"▲ {moved}" if moved > 0 else f"▼ {-moved}" if moved < 0 else "="


def shade(value: float, limit: float) -> str:
    """A word's background: blue when it raises the score, red when it lowers it, as strong as its share of ``limit``."""
    alpha = min(1.0, abs(value) / limit)
    return f"background:rgba(37,99,235,{alpha:.2f});" if value > 0 else f"background:rgba(239,68,68,{alpha:.2f});"


#: How a word the language model never read (a ruled-out clause's) is drawn, in both attribution views.
UNREAD_STYLE = ";text-decoration:line-through;color:#64748b"


def highlighted(influence: pd.DataFrame, text: str) -> str:
    """The profile with each word shaded by how much it pushes the chosen item up (blue) or down (red)."""
    if influence.empty:
        return literal.md(text)
    limit = max(1e-6, float(influence["delta"].abs().max()))
    spans = []
    for word, delta, read in zip(influence["word"], influence["delta"], influence["read"]):
        style = f"{shade(delta, limit)}padding:1px 3px;border-radius:3px"
        tip = f"{delta:+.3f}"
        if not read:  # a word of a clause the reading took out: the model never embedded it
            style += UNREAD_STYLE
            tip = "not read by the model (taken out before embedding)"
        spans.append(f"<span title='{tip}' style='{style}'>{literal.md(word)}</span>")
    return " ".join(spans)


def attributed(words: pd.DataFrame, text: str) -> str:
    """The profile as typed, each word shaded by its share of the score; words the model never read are struck
    through, and carry the reading's term (rules out, era) they became, if any."""
    limit = max(1e-6, float(words["total"].abs().max())) if len(words) else 1.0
    spans, at = [], 0
    for row in words.itertuples():
        spans.append(literal.md(text[at : row.start]))
        style = f"{shade(row.total, limit)}padding:1px 3px;border-radius:3px"
        if row.read:
            tip = f"{row.total:+.3f}: read by the model" + (
                f" ({row.ig:+.3f}) and part of the era term ({row.credit:+.3f})" if row.term else ""
            )
        else:
            how = {"avoid": "the rules-out term", "era": "the era term"}.get(row.term)
            tip = "not read by the model (taken out before embedding); " + (
                f"carries {row.credit:+.3f} of {how}" if how else "adds nothing to this score"
            )
            style += UNREAD_STYLE
        spans.append(f"<span title=\"{html.escape(tip)}\" style='{style}'>{literal.md(text[row.start : row.end])}</span>")
        at = row.end
    spans.append(literal.md(text[at:]))
    return "".join(spans)


def attribution_section(attribution: ScoreAttribution, text: str, listed: float) -> None:
    """The listed score as a sum of its parts, word by word over the text the model read (by the method that ran)."""
    if abs(attribution.path_end - attribution.score) > 1e-3:  # the gradients ran over something else than what ranked
        st.warning(
            f"The attribution's own score ({attribution.path_end:+.3f}) differs from the list's ({attribution.score:+.3f}): "
            f"the difference is in the {list(attribution.parts)[1]} row, so read the word shares with care."
        )
    st.markdown(attributed(attribution.words, text), unsafe_allow_html=True)
    names = list(attribution.parts)
    shown = charts.rounded([*attribution.parts.values()], 3)
    total = round(sum(shown), 3)
    frame = pd.DataFrame({"part of r̂": [*names, "r̂ (the list's score)"], "value": [f"{v:+.3f}" for v in [*shown, total]]})
    st.table(frame.set_index("part of r̂"), border="horizontal")
    how = (
        f"Method: **integrated gradients over tokens**, {IG_STEPS} steps from a neutral [MASK] text to the text the model read"
        if attribution.method == INTEGRATED_GRADIENTS
        else "Method: **leave-one-out over words** (this text model has no gradient graph): each word's share is the score "
        "minus the score without it, from the text the model read"
    )
    st.caption(
        "Blue words raise this item's score, red words lower it (hover a word for its share). Struck-through words were "
        "taken out before the language model embedded the profile — a ruled-out clause reaches the score through the "
        f"rules-out term instead, credited to its words. {how} (“{literal.md(attribution.model_text)}”); the parts add up "
        f"to the score in the list ({listed:.2f})."
    )


def rate(explorer, name: str, item_id, key: str) -> None:
    """Star-rating callback (``st.feedback`` gives the star's index, 0 for 1★): 1★ is a dislike (y = 0), 5★ a like (y = 1)."""
    if st.session_state.get(key) is not None:
        session.give_feedback(explorer, name, item_id, int(st.session_state[key]) + 1)


def persona_card(entry: session.SessionPersona) -> None:
    """Everything the persona is made of — text, demographics, onboarding likes, feedback — with its actions."""
    persona, name = entry.persona, entry.persona.name
    with st.container(border=True, key="persona_card"):
        head = st.columns([0.56, 0.22, 0.22], vertical_alignment="center")
        head[0].markdown(f"#### {literal.md(name)}")
        head[1].button("✏️ Edit", key=f"edit-{name}", on_click=session.edit, args=(name,), width="stretch",
                       help="Load this persona into the form to change it.")  # fmt: skip
        head[2].button("🗑 Remove", key=f"remove-{name}", on_click=session.remove, args=(name,), width="stretch",
                       help="Remove this persona from the session (a saved copy stays saved).")  # fmt: skip
        text = persona.text.strip()
        if text:
            st.markdown(f"**Profile text:** {literal.md(text[:400])}{'…' if len(text) > 400 else ''}", unsafe_allow_html=True)
        else:
            st.markdown("**Profile text:** *none* — built from the demographics and onboarding likes below.")
        # What the model was given: the form's demographics, and what the text says where the form left a field empty.
        typed = session.form_given(persona)
        stated = entry.state.reading.demographics if entry.state.reading is not None else {}

        def source(key: str) -> str:
            if key not in typed:
                return " *(from the text)*"
            if key in stated and str(stated[key]) != str(typed[key]):
                return f" *(the form's; the text says {literal.md(str(stated[key]))})*"
            return ""

        described = ", ".join(f"{key} {literal.md(str(value))}{source(key)}" for key, value in entry.state.demographics.items())
        st.markdown(f"**Demographics:** {described or '*not given*'}", unsafe_allow_html=True)
        picked = set(persona.liked)
        liked = (
            "; ".join(literal.md(TITLES.get(i, str(i))) + ("" if i in picked else " *(named in the text)*") for i in entry.state.liked)
            or "*none*"
        )
        st.markdown(f"**Onboarding likes:** {liked}", unsafe_allow_html=True)
        given = "; ".join(f"{session.signal_label(v)} {literal.md(TITLES.get(i, str(i)))}" for i, v in persona.feedback) or "*none yet*"
        st.markdown(f"**Feedback given:** {given}", unsafe_allow_html=True)


def reading_section(name: str, user) -> None:
    """How the words were read, as chips: click one to drop it (and again to bring it back); the list re-ranks."""
    if not user.text:
        return
    chips = session.reading_chips(session.chip_reading(explorer, session.personas()[name]))
    if not chips:
        st.caption(f"Reading: no genres, exclusions, named {NOUNS}, era or self-description found — the words alone drive the text part.")
        correction_section(name, user)
        return
    current = session.reading_chips(user.reading) if user.reading is not None else chips
    widget_key = session.chips_key(name, user.text, chips)
    if widget_key not in st.session_state:
        st.session_state[widget_key] = [label for label in chips if label in current]
    st.pills(
        f"How the profile was read — wants, no (rules out), ♥ named {NOUNS} (? unsure), era, what they say about themselves. "
        "Click a chip to drop it from the model, again to bring it back.",
        list(chips), selection_mode="multi", key=widget_key, on_change=session.apply_chips, args=(explorer, name, widget_key),
        help=f"Ruled-out genres and the era enter the score as their own parts of ⟨e_u, e_i⟩ (\"from rules out\" and \"from era\" in the score bars); a wanted genre is read by the "
        f"language model, so dropping it takes the clauses that name it out of what the model reads; named {NOUNS} become onboarding "
        "likes and are never recommended back; what the person says about themselves fills in the demographics the form leaves empty.",
    )  # fmt: skip
    correction_section(name, user)
    for match in user.reading.titles if user.reading else ():
        if not match.confident and match.alternatives:
            # A row that wraps: every title shown whole, however long.
            with st.container(horizontal=True, vertical_alignment="center", key=f"alternatives-{name}-{match.query}"):
                st.caption(f"“{literal.md(match.query)}” is unsure — did you mean:")
                for item_id, title, score in match.alternatives[:3]:
                    st.button(literal.md(title), key=f"alt-{name}-{match.query}-{item_id}", help=f"match score {score:.0f}/100", width="content",
                              on_click=session.choose_title, args=(explorer, name, match.query, item_id, title))  # fmt: skip


def unshown_wishes(name: str, user, recs: pd.DataFrame) -> None:
    """A wanted genre that none of the list has: the chip is the reader's, the list the language model's, which reads the
    words themselves. Say so, and offer to name the genre for the model when the words it reads never do."""
    if user.reading is None or not len(recs):
        return
    read = explorer.embedded_text(user).lower()
    for genre in user.reading.wants:
        if any(genre in genres for genres in recs[C.GENRES]):
            continue
        named = re.search(rf"(?<![\w-]){re.escape(genre.lower())}", read) is not None
        st.caption(
            f"None of these {len(recs)} {NOUNS} is {literal.md(genre)}, though the reading wants it: a wish reaches the score "
            f"through the language model, which reads the words themselves"
            + ("." if named else f", and they never name {literal.md(genre)}.")
        )
        if not named:  # below the sentence, as wide as its label: a narrow column cut it to "Name Horror for th…"
            st.button(f"Name {genre} for the model", key=f"name-genre-{name}-{genre}", width="content",
                      on_click=session.name_genre, args=(explorer, name, genre))  # fmt: skip


def correction_section(name: str, user) -> None:
    """Flip a genre the reading got the wrong way round, or add one it missed: the list follows at once."""
    genres = list(explorer.reader.genres)
    if not genres:
        return
    reading = user.reading
    with st.expander("✏️ Correct the reading — flip a genre or add one it missed"):
        cols = st.columns([0.45, 0.33, 0.22], vertical_alignment="bottom")
        genre = cols[0].selectbox("Genre", genres, index=None, key=f"fix-genre-{name}", placeholder="Pick a genre…")
        now = "wants" if reading and genre in reading.wants else "rules out" if reading and genre in reading.rules_out else None
        # A radio, not a toggle group: clicking the choice already made keeps it (a toggle would clear it and grey out Apply).
        how = cols[1].radio("The person", ["wants", "rules out"], key=f"fix-kind-{name}", index=1, horizontal=True)
        kind = {"wants": "wants", "rules out": "rules_out"}[how]
        cols[2].button("Apply", key=f"fix-{name}", width="stretch", disabled=genre is None or how == now,
                       on_click=session.correct_genre, args=(explorer, name, kind, genre))  # fmt: skip
        st.caption(
            (f"Read now: {genre} is {'wanted' if now == 'wants' else 'ruled out'}. " if genre and now else "")
            + f"A ruled-out genre costs every {NOUN} that has it (the rules-out term); a wanted one is read by the language "
            f"model. {NOUNS.capitalize()} the reading missed: add them as onboarding likes in the form."
        )


def bias_label(scale: float) -> str:
    """The LaTeX label of the item-bias term: b_i, or b_i scaled when the popularity pull is turned down."""
    return "b_i" if scale == 1.0 else rf"{scale:g}\,b_i"


def probability_wording() -> str:
    """What the p next to a score is: calibrated on held-out users, or σ(r̂) as trained."""
    if explorer.calibration.identity:
        return "model's probability σ(r̂)"
    # Three decimals, as Score anatomy prints them: two reproduce the shown p only up to a hundredth (σ(0.60·0.73 − 0.62) ≠ 0.46).
    return f"calibrated probability σ({explorer.calibration.a:.3f}·r̂ + ({explorer.calibration.c:.3f})) (see Evaluation)"


def pull_section(user, recs: pd.DataFrame, scale: float, axis: float = 0.0) -> None:
    """How popular this list is next to the catalogue and the plain popularity list, and how much of it is b_i."""
    pull = explorer.popularity_pull(recs)
    st.markdown(f"**Popularity pull** — mean popularity percentile of the {len(recs)} {NOUNS} (50 = the median {NOUN})")
    cols = st.columns(3)
    cols[0].metric("This list", f"{pull.list_percentile:.0f}",
                   help=f"Percentile of each recommended {NOUN}'s number of {EVENTS} in the catalogue, averaged over the list.")  # fmt: skip
    cols[1].metric("Most-popular list", f"{pull.popular_percentile:.0f}", help="The same for the plain popularity top list of this length.")
    mean_bias = float(pull.items[C.B_ITEM].mean()) if len(pull.items) else 0.0
    cols[2].metric("b_i's share", f"{pull.bias_share:.0%}", delta=f"mean b_i {mean_bias:+.2f}", delta_color="off", delta_arrow="off",
                   help=f"μ and b_u are the same for every {NOUN}, so the order is decided by b_i + ⟨e_u, e_i⟩; this is |b_i| ÷ "
                   "(|b_i| + |⟨e_u, e_i⟩|), averaged over the list: how much of the order b_i decides, in either direction. "
                   f"A negative b_i holds a {NOUN} back. Popularity can also come through ⟨e_u, e_i⟩ itself.")  # fmt: skip
    st.plotly_chart(charts.popularity_pull(pull, scale, EVENTS, axis), width="stretch")
    without = (
        pull if scale == 0.0 else explorer.popularity_pull(explorer.recommend(user, k=len(recs), item_bias_scale=0.0, axis_strength=axis))
    )
    if pull.list_percentile <= 55 and without.list_percentile <= 55:  # no popularity to explain
        where = (f"This list sits near or below the median {NOUN} (percentile {pull.list_percentile:.0f}; "
                 f"{without.list_percentile:.0f} with b_i removed entirely): popularity does not drive it.")  # fmt: skip
    elif without.list_percentile > pull.list_percentile - 5:
        where = (f"With b_i removed entirely this list would still sit at percentile {without.list_percentile:.0f}: its popularity comes "
                 f"through ⟨e_u, e_i⟩ — the fused vectors of popular {NOUNS} point where most people's do — not through the bias.")  # fmt: skip
    else:
        where = f"With b_i removed entirely this list would sit at percentile {without.list_percentile:.0f}."
    if mean_bias < 0 and pull.bias_share >= 0.5:
        where += (f" b_i's large share is no pull towards popularity: it is negative here (mean {mean_bias:+.2f}), "
                  f"holding these {NOUNS} back.")  # fmt: skip
    correlation = explorer.popularity_axis[1]
    st.caption(
        f"Each dot is a {NOUN} at its popularity percentile (median catalogue {NOUN}: {pull.catalogue_median:.0f} {EVENTS}). {where} "
        f"The {NOUNS}' coordinate along the popularity axis correlates {correlation:.2f} with their log number of {EVENTS}: "
        f"the second control on the left removes that share of ⟨e_u, e_i⟩ along it"
        + (f" (now {axis:g}: its term is in every score shown)." if axis else ".")
    )


#: The benchmark's (block, method) behind each baseline list of the comparison, for held-out new users (``user_cold``).
#: The model's own lists are looked up by their popularity settings (:func:`model_measured_as`); the model with the
#: text ignored and at Fusion page weights were never measured as such, and show none.
MEASURED_AS = {"most popular": ("user_cold", "popularity"), "popular in segment": ("user_cold", "popularity_demographic"),
               "text similarity": ("user_cold", "content_knn")}  # fmt: skip


def model_measured_as(scale: float, axis: float) -> tuple[str, str]:
    """The benchmark row of the model at the page's popularity settings (("", "") when it measured no such setting)."""
    if axis == 0.0:
        return ("user_cold", "ours") if scale == 1.0 else ("popularity_pull", f"{scale:g}")
    return ("popularity_axis", f"{axis:g}") if scale == 1.0 else ("", "")


def likes_of(user) -> int:
    """The person's onboarding likes and the 👍 / 4–5★ given since: the benchmark's N for them."""
    return len(user.liked) + sum(f.kind == "like" or (f.kind == "stars" and (f.stars or 0) >= 4) for f in user.feedback)


def calibration_note(user, p: float) -> str:
    """How a calibrated p near ``p`` held on the benchmark's new users with as many likes (:func:`held_on_new_users`);
    "" when the p shown is not calibrated or the run was made on another catalogue."""
    found = resources.bench_results()
    if found is None or explorer.calibration.identity or not found.ran_on(explorer.dataset.name, explorer.fingerprint):
        return ""
    segment = segment_of(found.data, likes_of(user))
    bins = found.data.get("calibration", {}).get("splits", {}).get(f"user_cold_{segment}", {}).get("calibrated", [])
    return held_on_new_users(bins, p, segment) + " " if segment is not None else ""


def segment_of(data: dict, likes: int) -> str | None:
    """The benchmark's onboarding group nearest below ``likes`` (people who gave that many likes), None without one."""
    groups = sorted(int(g) for g in data.get("user_cold", {}) if str(g).isdigit())
    below = [g for g in groups if g <= likes]
    return str(below[-1]) if below else None


def measured_recall(data: dict | None, name: str, segment: str | None, scale: float, axis: float) -> str:
    """recall@20 the benchmark measured for the method behind one list of the comparison, in ``segment``; — where it did not."""
    if data is None or segment is None or data.get("dataset") != explorer.dataset.name:
        return "—"
    settings = {"this model": (scale, axis), "model, b_i × 0": (0.0, axis), "model, axis removed 0.5": (scale, 0.5)}
    block, key = model_measured_as(*settings[name]) if name in settings else MEASURED_AS.get(name, ("", ""))
    summary = data.get(block, {}).get(segment, {}).get(key, {})
    return f"{summary['recall@20']:.3f}" if "recall@20" in summary else "—"


def comparison_section(entry: session.SessionPersona, k: int, scale: float, axis: float) -> None:
    """The model's list beside what a product could ship this person instead: overlap, what only each list has,
    popularity and genre mix, and what the benchmark measured for each method on people like this one."""
    if not st.toggle("Compare with what we would ship otherwise", key=session.COMPARISON,
                     help="The most popular items, the popular ones in this person's segment, plain text similarity and the "
                     "model with less popularity or without the text, beside this list."):  # fmt: skip
        return
    user = entry.state
    depth = min(k, 10)
    lists = explorer.alternatives(user, depth, item_bias_scale=scale, axis_strength=axis, fusion=session.fusion_setting())
    percentile = dict(zip(explorer.items[C.ITEM], percentiles(np.asarray(explorer.popularity, dtype=np.float64))))
    genres = dict(zip(explorer.items[C.ITEM], explorer.items[C.GENRES]))
    table = compare_lists(lists, "this model", percentile, genres, top_genres=2)
    likes = likes_of(user)
    found = resources.bench_results()
    data = found.data if found else None
    segment = segment_of(data or {}, likes)
    table["recall"] = [measured_recall(data, name, segment, scale, axis) for name in table["list"]]
    table["only here"] = [len(v) for v in table["only_here"]]
    # Named with its depth: Popularity pull above averages the whole list (top-20), this the top-10 of each list.
    pct = f"popularity pct. (top-{depth})"
    table = table.rename(columns={"percentile": pct})
    st.dataframe(
        table[["list", "jaccard", "rbo", "only here", pct, "genres", "recall"]], hide_index=True, width="stretch",
        column_config={
            "jaccard": st.column_config.NumberColumn("Jaccard", format="%.2f", help="Shared items over all items of the two lists (vs this model)."),
            "rbo": st.column_config.NumberColumn("RBO", format="%.2f", help="Rank-biased overlap with this model's list (p = 0.9): agreement at the top counts most."),
            "only here": st.column_config.NumberColumn("only here", help=f"{NOUNS.capitalize()} no other list has (bold below)."),
            pct: st.column_config.NumberColumn(format="%.0f", help=f"Mean popularity percentile of each list's first {depth} {NOUNS} in the catalogue (Popularity pull above averages all {k} of this model's)."),
            "genres": st.column_config.TextColumn("top genres", help="The two most frequent genres, as the share of the list's items."),
            "recall": st.column_config.TextColumn(f"recall@20 ({plural(segment, 'like') if segment else '? likes'})",
                                                  help="What the benchmark measured for the same method on held-out new users who gave this many onboarding likes."),
        },
    )  # fmt: skip
    per_row = 4 if len(lists) <= 4 else (len(lists) + 1) // 2
    named = list(lists.items())
    for start in range(0, len(named), per_row):
        cols = st.columns(per_row)
        for col, (name, items), only in zip(cols, named[start : start + per_row], table["only_here"][start : start + per_row]):
            with col:
                st.markdown(f"**{literal.md(name)}**")
                # Whole titles, wrapping in the narrow column: a cut title ("Snow White and the Seven Dw…") names no film.
                st.markdown("  \n".join(f"{r}. " + (f"**{literal.md(TITLES[i])}**" if i in only else literal.md(TITLES[i]))
                                         for r, i in enumerate(items, 1)))  # fmt: skip
    absent = [why for why in (
        None if "popular in segment" in lists else "popular in segment (no demographics)",
        None if "text similarity" in lists else
        "text similarity (the model reads none of the text's words)" if user.text.strip() else "text similarity (no profile text)",
        None if "model, text ignored" in lists or not user.text.strip() else "model, text ignored (nothing but the text)",
        None if "model, Fusion page weights" in lists else "the model at Fusion page weights (none set there)",
    ) if why]  # fmt: skip
    source = f"the {found.label}" if found else "no benchmark results"
    elsewhere = data is not None and data.get("dataset") != explorer.dataset.name
    measured = (
        f"recall@20 is — throughout: the benchmark results found ({literal.md(source)}) are of "
        f"{literal.md(data.get('dataset', 'another catalogue'))}, not of {literal.md(explorer.dataset.name)}, so none is "
        "shown. Run `make bench` on this catalogue to measure it."
        if elsewhere else
        f"recall@20 is what `make bench` measured ({literal.md(source)}) for the same method on held-out new users with "
        f"{plural(segment, 'onboarding like') if segment else 'this many onboarding likes'}"
        + (f", the nearest it measured at or below this persona's {likes}," if segment and int(segment) != likes else "")
        + " (— where it did not measure "
        "that method or setting). Text similarity is measured there as content kNN, which also averages the onboarding "
        "likes' texts."
    )  # fmt: skip
    st.caption(
        f"Top-{depth} of each list, {NOUNS} already seen left out; **bold**: only this list has it. Overlaps are with "
        f"the model's list at this page's popularity settings. {measured}" + (f" Not listed: {', '.join(absent)}." if absent else "")
    )


def share_url(persona) -> str:
    """A full link to this page that rebuilds ``persona`` (feedback included) and its list as shown here: the popularity
    controls when they are off the model as trained, and the comparison when it is open."""
    page = st.context.url or "http://localhost:8501/new_user"
    parts = urlsplit(page)
    path = parts.path if parts.path.rstrip("/").endswith("new_user") else parts.path.rstrip("/") + "/new_user"
    query = {"persona": persona.to_token(), **session.popularity_query()}
    if st.session_state.get(session.COMPARISON):
        query["compare"] = "1"
    return urlunsplit((parts.scheme or "http", parts.netloc or "localhost:8501", path, urlencode(query), ""))


def empty_state() -> None:
    """Before the first persona: how to start, and the catalogue users' average fusion weights to read meanwhile."""
    st.info("👈 Describe a person (or pick a ready-made persona) and press **Recommend**.")
    # Something to read while typing, and the chart library loaded before the first list needs it (~2 s of a
    # browser's first chart, otherwise paid on the first Recommend).
    warm = resources.derived(("mean warm-user weights",), lambda: explorer.warm_user_weights().drop(columns=[C.USER]).mean().to_dict())
    st.plotly_chart(charts.weights_bar(warm, "Fusion weights α of the catalogue's users, on average"), width="stretch")
    st.caption(
        f"How much each source of evidence weighs, on average, for the {explorer.status()['n_users']:,} users the model was "
        "trained on. A new persona has no collaborative part: its own weights show here once it is made."
    )


def top_score_terms(recs: pd.DataFrame, scale: float, user) -> None:
    """The #1 item's score as the formula, term by term, rounded to add up (with the popularity-axis term when it is on)."""
    with st.container():
        top = recs.iloc[0]
        on = abs(float(top[C.POP])) > 0.0
        # The rounding of Score anatomy (same decimals, μ and b_u rounded plainly): a term reads the same on both pages.
        d = charts.TERM_DECIMALS
        mu, b_u, b_i, dot, pop = charts.rounded([top["mu"], top["b_u"], top["b_i"], top["dot"], top[C.POP]], d, fixed=(0, 1))
        st.markdown(f"**Score terms of the #1 item, {literal.md(top['title'])}**")
        axis = rf" + \underbrace{{({pop:.{d}f})}}_{{\text{{pop. axis}}}}" if on else ""
        st.latex(
            rf"\hat r = \underbrace{{{mu:.{d}f}}}_{{\mu}} + \underbrace{{({b_u:.{d}f})}}_{{b_u}} + "
            rf"\underbrace{{({b_i:.{d}f})}}_{{{bias_label(scale)}}} + \underbrace{{({dot:.{d}f})}}_{{\langle e_u, e_i\rangle}}{axis} = "
            rf"{round(mu + b_u + b_i + dot + (pop if on else 0.0), d) + 0.0:.{d}f}"
        )
        st.caption(
            f"p = {charts.probability(top['p_like'])}: the {probability_wording()} that this person "
            f"{LIKES.format(literal.md(top['title']))}. {calibration_note(user, float(top['p_like']))}{small_p_note(float(top['p_like']))}"
            "Terms are rounded so that they add up to the rounded total."
        )


def small_p_note(p: float) -> str:
    """Why the #1 item's p can be small, when it is: every p is small where people pick few of many items."""
    if p >= 0.05:
        return ""
    per_person = resources.derived(("positives per person",), lambda: len(explorer.dataset.positives()) / max(explorer.dataset.n_users, 1))
    calibrated = "" if not explorer.calibration.identity else " σ(r̂) is not calibrated on this catalogue (no benchmark run of it)."
    return (
        f"A small p is usual here: on average a person {explorer.dataset.liking().format(f'{per_person:.1f} of the {explorer.dataset.n_items:,} {NOUNS}')}"
        f", so any one {NOUN} is unlikely; the list is ranked by r̂, and what counts is its order.{calibrated} "
    )


def online_update_section(entry: session.SessionPersona) -> None:
    """The last online update: its formula, how b_u, ‖e_u − e⁰‖ and the loss moved, and p of every rated item."""
    user = entry.state
    if user.last_update is None:
        return
    trace = user.last_update
    with st.expander("The online update, in numbers", expanded=True):
        st.latex(r"e \leftarrow e - \eta\Big[\sum_j (\sigma(\hat r_{uj}) - y_j)\,e_j + \lambda (e - e^0)\Big]")
        st.latex(r"b \leftarrow b - \eta\Big[\sum_j (\sigma(\hat r_{uj}) - y_j) + \lambda_b (b - b^0)\Big]")
        c = st.columns(3)
        c[0].metric(
            "b_u",
            f"{trace.b_after:.2f}",
            f"{trace.b_after - trace.b_before:+.3f}",
            help="The user's bias now; below it, its change in the last update",
        )
        c[1].metric(
            "‖e_u − e⁰‖", f"{np.linalg.norm(user.delta_e):.3f}", help="Distance of the user's vector from its prior (before feedback)"
        )
        # The loss sums over every rating so far, so it grows from one update to the next as ratings come in; the change
        # shown is within this update (its first step to its last). A bare "↓ −0.205" under 0.745, after a 0.400, read
        # as the loss having fallen since the last like.
        c[2].metric(
            f"loss ({len(user.feedback)} rating{'s' if len(user.feedback) != 1 else ''})", f"{trace.loss[-1]:.3f}",
            f"{trace.loss[-1] - trace.loss[0]:+.3f} in this update", delta_color="inverse",
            help="The update's loss at its last step, summed over every rating so far (so more ratings, a larger loss); "
            f"below it, its change within this update, from its first step to its last ({len(trace.loss) - 1} steps)",
        )  # fmt: skip
        st.caption(
            f"Each update runs K = {trace.config.steps} steps (η = {trace.config.lr}, λ = {trace.config.reg}, "
            f"λ_b = {trace.config.reg_bias}) over all {len(user.feedback)} feedback so far, so one rating can move "
            "the others' p too."
        )
        prior = entry.prior or user
        rows = [
            {
                "item": TITLES.get(f.item_id, f.item_id), "feedback": f"{f.label} (y = {f.target:g})",
                "profile": float(sigmoid(explorer.explain(prior, f.item_id).score)), "before": pb, "now": pa,
            }
            for f, pb, pa in zip(user.feedback, trace.p_before, trace.p_after)
        ]  # fmt: skip
        frame = pd.DataFrame(rows)
        frame["change"] = frame["now"] - frame["profile"]
        # A static table: the panel is a third of the page, and a data grid put Δσ(r̂) past its right edge.
        shown = pd.DataFrame({
            NOUN: frame["item"], "feedback": frame["feedback"], "σ(r̂): profile": frame["profile"].map("{:.3f}".format),
            "σ(r̂): before": frame["before"].map("{:.3f}".format), "σ(r̂): now": frame["now"].map("{:.3f}".format),
            "Δσ(r̂)": frame["change"].map("{:+.3f}".format),
        })  # fmt: skip
        st.table(shown)
        st.caption(
            "σ(r̂) is the probability the update's loss uses"
            + (
                ", the same as the p beside each score in the list. "
                if explorer.calibration.identity
                else f", not the calibrated p beside each score in the list (fitted on held-out users), so the two differ for the same {NOUN}. "
            )
            + "Profile = before any feedback; before → now = the last update only; Δσ(r̂) = now − profile, the "
            f"cumulative effect of all feedback (a disliked {NOUN}'s σ(r̂) can rise in a later update when another rating pulls the vector)."
        )


def ranked_list(name: str, user, recs: pd.DataFrame, shown: session.ShownList) -> None:
    """The top-k with rank arrows against the list before the latest change, and a like, dislike and (rated catalogues) stars per row."""
    k, previous = len(recs), shown.previous
    stars = not IMPLICIT  # a catalogue without ratings has no stars to give: a like or a dislike is all
    st.markdown(f"#### Top-{k} — {'like, dislike or rate' if stars else 'like or dislike'} to update the user online")
    if previous:
        listed = set(recs[C.ITEM])
        dropped = [TITLES.get(i, i) for i, rank in previous.items() if rank <= k and i not in listed and i not in user.seen]
        gone = ""
        if dropped:  # every one counted, the first ten named
            more = f"; and {len(dropped) - 10} more" if len(dropped) > 10 else ""
            gone = f" Dropped out of the list ({len(dropped)}): " + "; ".join(literal.md(str(t)) for t in dropped[:10]) + more + "."
        if not dropped and all(previous.get(i) == r for i, r in zip(recs[C.ITEM], recs["rank"])):
            gone = f" No {NOUN} of the top-{k} moved: the change reaches none of them, or not enough to change their order."
        st.caption(f"▲▼🆕 compare with the list before the latest change: **{literal.md(shown.change)}**.{gone}")
    widths = [0.09, 0.34, 0.10, 0.09, 0.09, 0.29]
    header = st.columns(widths, gap="small")
    for col, label in zip(header, ["rank", "title", "score", "", "", "rate" if stars else ""]):
        col.caption(label, help=SCORE_HELP if label == "score" else None)
    ruled_out = set(user.reading.rules_out) if user.reading else set()
    for row in recs.itertuples():
        cols = st.columns(widths, vertical_alignment="center", gap="small")
        cols[0].markdown(f"**{row.rank}**  \n<small>{rank_change(row.item_id, row.rank, previous, k)}</small>", unsafe_allow_html=True)
        cols[1].markdown(f"{literal.md(row.title)}  \n<small>{literal.md(', '.join(row.genres))}{kept_anyway(row, ruled_out)}</small>",
                         unsafe_allow_html=True)  # fmt: skip
        cols[2].write(f"{row.score:.2f}")
        args = (explorer, name, row.item_id)
        cols[3].button("👍", key=f"like-{name}-{row.item_id}", help="Like (y = 1)", on_click=session.give_feedback, args=(*args, "like"))
        cols[4].button(
            "👎", key=f"dislike-{name}-{row.item_id}", help="Dislike (y = 0)", on_click=session.give_feedback, args=(*args, "dislike")
        )
        if stars:  # five stars to click (st.feedback), one click instead of a drop-down; the star's index is 0 for 1★
            key = f"stars-{name}-{row.item_id}-{len(user.feedback)}"
            with cols[5]:
                st.feedback("stars", key=key, on_change=rate, args=(*args, key))


def kept_anyway(row, ruled_out: set[str]) -> str:
    """Under a listed item of a genre the person rules out: that it is, and the terms that keep it in the list anyway
    (a ruled-out genre costs a fixed amount, which a strong wish can outweigh: a musical lover who rules out Children's
    got Cinderella at #19 from the model before its items' rows were fitted). Rounded as the score is shown, so the two
    parts add up to it."""
    avoid = float(getattr(row, C.DOT_PREFIX + "avoid", 0.0))
    if avoid >= 0.0:
        return ""
    named = [g for g in row.genres if g in ruled_out]
    shown, cost = round(float(row.score), 2), round(avoid, 2)
    return (
        f"<br>⛔ {literal.md(', '.join(named) or 'a ruled-out genre')} is ruled out ({cost:+.2f}); "
        f"its other terms ({shown - cost:+.2f}) keep it in the list"
    )


def words_section(name: str, user, recs: pd.DataFrame, scale: float) -> None:
    """Which words drive a recommendation: leave one word out, or integrated gradients over the text the model read."""
    if not user.text:
        st.caption("Which words drive a recommendation: this persona has no profile text.")
        return
    # A toggle rather than an expander: Streamlit runs an expander's body even when closed.
    if st.toggle("Which words drive a recommendation?", key=f"why-on-{name}"):
        choice = st.selectbox("Recommendation", list(recs[C.ITEM]), format_func=lambda i: TITLES.get(i, str(i)), key=f"why-{name}")
        # The method that splits the listed score depends on the text model: gradients need its network in torch.
        graph = attribution_method(explorer.encoder) == INTEGRATED_GRADIENTS
        whole = "integrated gradients (token level)" if graph else "leave-one-out over words, adding up to the score"
        method = st.radio(
            "Method", ["leave one word out", whole], horizontal=True, key=f"why-method-{name}",
            help="Leave-one-word-out re-embeds the text the model read without each word, the reading held as it is. Integrated gradients runs the language model "
            "token by token (transformers) and follows the gradient of r̂ from a neutral [MASK] profile to the real one.",
        )  # fmt: skip
        if choice is not None:
            if method != whole:
                influence = explorer.word_influence(user, choice)
                st.markdown(highlighted(influence, user.text), unsafe_allow_html=True)
                st.caption(
                    "Blue words raise this item's score, red words lower it (hover a word for the change in r̂ when it is left out "
                    "of the text the model read; the reading — what is ruled out, the era, the titles — stays as it is). "
                    "Struck-through words were never read by the model."
                    + (" Computed on the model's score, without the popularity-axis term." if session.axis_strength() else "")
                )
            elif session.axis_strength() > 0.0:
                # The popularity-axis term moves with every word too; the split that adds up is of the model as trained.
                st.info("This split adds up to the model's own score. Set the popularity-axis control to 0 to use it.")
            else:
                with st.spinner("Running the language model token by token…" if graph else "Embedding the profile without each word…"):
                    attribution = explorer.score_attribution(user, choice, item_bias_scale=scale)
                attribution_section(attribution, user.text, float(recs.set_index(C.ITEM).loc[choice, C.SCORE]))


def results(k: int) -> None:
    """The chosen persona: its card and reading, the score of its #1 item, the popularity pull, the last update, the
    top-k and which words drive it."""
    # Not a fragment: a like changes the card, the share link and the comparison below, so the whole page reruns.
    names = list(session.personas())
    if not names:
        empty_state()
        return
    if st.session_state.get(session.SHOWN) not in names:
        current = st.session_state.get(session.ACTIVE)
        st.session_state[session.SHOWN] = current if current in names else names[-1]
    name = st.selectbox("Persona", names, key=session.SHOWN)
    session.set_active(name)
    entry = session.personas()[name]
    user = entry.state
    persona_card(entry)
    reading_section(name, user)
    for warning in user.warnings:
        st.warning(literal.md(warning))
    scale, axis = session.bias_scale(), session.axis_strength()
    # Ranked once at the longest list the slider offers: what k shows, and what the next change is compared with.
    longest = explorer.recommend(user, k=50, item_bias_scale=scale, axis_strength=axis)
    recs = longest.head(k)
    shown = session.compare_with_last(name, entry, scale, dict(zip(longest[C.ITEM], longest["rank"])), axis)
    # Keywords of what the model embeds: the text without the clauses that rule things out — and none when every
    # clause rules something out ("no horror, please"), where the model reads a neutral placeholder instead.
    read_words = "" if reads_no_words(user.text, user.reading) else explorer.embedded_text(user)
    titles = [match.query for match in (user.reading.titles if user.reading else ())]
    # Not the words that describe the writer ("70-year-old retired nurse", "mostly"): the model reads them, but they are no interest.
    about_self = self_description_words(read_words, user.reading.demographics) if user.reading else frozenset()
    keywords = explorer.interest_keywords(read_words, names=titles, about_self=about_self) if read_words else pd.DataFrame({"keyword": []})
    if len(keywords):
        # Code spans show their text literally: no HTML escaping here, or apostrophes would read &#x27;.
        st.markdown("**Interests the text expresses:** " + " ".join(f"`{w.replace('`', '')}`" for w in keywords["keyword"]))
    elif user.text and not read_words:
        # Whose doing: the text itself (every clause rules something out) or the chips the person dropped.
        own = explorer.read(user.text)
        why = ("all of it rules something out, which the score carries as the rules-out term" if reads_no_words(user.text, own)
               else "the chips dropped take every clause it read")  # fmt: skip
        st.caption(f"**Interests the text expresses:** none — {why}; the language model reads a neutral placeholder instead.")
    unshown_wishes(name, user, recs)
    st.plotly_chart(charts.weights_bar(user.weights, "Fusion weights α of this user"), width="stretch")
    top_score_terms(recs, scale, user)
    pull_section(user, recs, scale, axis)

    online_update_section(entry)

    ranked_list(name, user, recs, shown)

    st.markdown("**Score of each recommendation, term by term** (bars stack to the ◆ score; blue parts come from the profile text)")
    st.plotly_chart(charts.score_breakdown(recs), width="stretch")

    words_section(name, user, recs, scale)


with right:
    results(k)

if session.personas() and session.active() is not None:  # full width: seven lists side by side need the room
    st.divider()
    st.subheader(f"“{literal.md(session.active().persona.name)}” against what we would ship otherwise")
    comparison_section(session.active(), k, session.bias_scale(), session.axis_strength())

st.divider()
st.subheader("Personas side by side")
names = list(session.personas())
if len(names) < 2:
    st.caption("Create two or three personas above to compare their lists here.")
else:
    chosen = st.multiselect("Compare", names, default=names[-3:], max_selections=3)
    if len(chosen) >= 2:
        lists = {n: explorer.recommend(session.personas()[n].state, k=10, item_bias_scale=session.bias_scale(),
                                       axis_strength=session.axis_strength()) for n in chosen}  # fmt: skip
        sets = {n: set(r[C.ITEM]) for n, r in lists.items()}
        cols = st.columns(len(chosen))
        for col, n in zip(cols, chosen):
            with col:
                st.markdown(f"**{literal.md(n)}**")
                # A static table: its cells wrap, so two or three lists side by side keep whole titles and their scores
                # (a data grid cut the score column to "sc" beside a long title).
                shown = lists[n][["rank", C.TITLE, C.SCORE]].rename(columns={C.TITLE: "title", C.SCORE: "score"})  # "#" reads as a heading
                st.table(shown.assign(score=shown["score"].map("{:.2f}".format)))
        overlaps = []
        for i, a in enumerate(chosen):
            for b in chosen[i + 1 :]:
                shared = sets[a] & sets[b]
                overlaps.append(
                    {
                        "pair": f"{a} ↔ {b}",
                        "shared of 10": len(shared),
                        "Jaccard": len(shared) / len(sets[a] | sets[b]),
                        "shared titles": "; ".join(TITLES[i] for i in shared),
                    }
                )
        st.dataframe(pd.DataFrame(overlaps), hide_index=True, width="stretch",
                     column_config={"Jaccard": st.column_config.NumberColumn(format="%.2f")})  # fmt: skip


def confirm_replace(name: str) -> None:
    """The confirm step of a save over a name already in the team's list: replace, save a copy, or cancel."""
    pending = session.pending_save()
    if pending is None or pending[0] != name:
        return
    _, version, seen_here = pending
    try:
        saved = store.entry(name)
    except KeyError:
        saved = None
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(saved.saved)) if saved else "just now"
    if seen_here:
        st.warning(
            f"“{literal.md(name)}” is already saved: the copy this session opened or saved (saved {when}). Replace it with this version?"
        )
    else:
        st.warning(
            f"Someone else saved a persona named “{literal.md(name)}” (saved {when}); saving here would replace theirs. "
            "Replace it, or keep theirs and save this one as a copy?"
        )
    if saved is not None:
        differences = session.persona_differences(saved.persona, session.personas()[name].persona, TITLES)
        if differences:
            st.caption("What differs:")
            st.table(pd.DataFrame(differences).set_index("what"), border="horizontal")
        else:
            st.caption("The saved one and this session's are the same.")
    b = st.columns(3)
    b[0].button(
        "Replace it", key="confirm_replace", type="primary", on_click=session.replace_saved, args=(store, name, version), width="stretch"
    )
    b[1].button("Save as copy", key="save_copy", on_click=session.save_copy, args=(store, name), width="stretch",
                help="Keep the saved one and save this one under a free name; this session then works on the copy.")  # fmt: skip
    b[2].button("Cancel", key="cancel_save", on_click=session.cancel_save, width="stretch")


st.divider()
st.subheader("Save and share")
active = session.active()
try:
    store = resources.persona_store()
    made_on = store.catalogues()  # every saved name, newest first, with the catalogue it was made on
    saved = list(made_on)
except StoreUnavailable as err:  # the database is down: everything but the saved list still works
    store, saved, made_on = None, [], {}
    st.error(f"The saved personas cannot be reached right now, so saving is off: {literal.md(err)}")
if active is not None and store is not None:
    st.button(f"💾 Save “{literal.md(active.persona.name)}”", key="save", on_click=session.save, args=(store, active.persona.name),
              help="Adds it to the team's saved list (asks first before replacing someone else's).")  # fmt: skip
    confirm_replace(active.persona.name)  # right under the button, full width: the differences need the room
cols = st.columns(3)
with cols[0]:
    st.markdown("**Share link** (opens this persona, feedback included, ready to edit)")
    if active is None:
        st.caption("No persona yet.")
    else:
        st.code(share_url(active.persona), language=None, wrap_lines=True)
with cols[1]:
    st.markdown("**Saved personas**")
    if st.session_state.get(session.SAVED_PICK) not in saved:
        st.session_state.pop(session.SAVED_PICK, None)
    if not saved:
        st.caption("Nothing saved yet.")
    else:
        here = explorer.fingerprint

        def saved_label(name: str) -> str:
            catalogue = made_on.get(name)
            if catalogue is None:
                return f"{name} · catalogue not recorded"
            return name if catalogue.get("fingerprint") == here else f"{name} · on {catalogue.get('name', '?')}"

        st.selectbox("Saved", saved, key=session.SAVED_PICK, label_visibility="collapsed", format_func=saved_label,
                     help="Personas made on another catalogue say which; opening one offers to switch to it.")  # fmt: skip
        b = st.columns(2)
        b[0].button("Open", key="open_saved", on_click=session.open_saved, args=(explorer, store), width="stretch")
        b[1].button("🗑 Delete", key="delete_saved", on_click=session.ask_delete, width="stretch")
        pending = st.session_state.get(session.DELETE_PENDING)
        if pending is not None and pending == st.session_state.get(session.SAVED_PICK):
            st.warning(f"Delete “{literal.md(pending)}” from the saved list? Everyone who opens it loses it.")
            c = st.columns(2)
            c[0].button("Delete it", key="delete_confirm", type="primary", on_click=session.delete_saved, args=(store,), width="stretch")
            c[1].button("Keep it", key="delete_cancel", on_click=session.keep_saved, width="stretch")
        switching.offer(explorer, "saved")  # one made on another catalogue: switch to it here, or why not
    show_message(session.SAVE_MESSAGE)
with cols[2]:
    st.markdown("**Rename a saved persona**")
    if saved:
        if st.session_state.get(session.RENAME_OLD) not in saved:
            st.session_state.pop(session.RENAME_OLD, None)
        st.selectbox("Persona to rename", saved, key=session.RENAME_OLD)
        st.text_input("New name", key=session.RENAME_NEW, max_chars=80)
        st.button("Rename", key="rename", on_click=session.rename_saved, args=(store, session.RENAME_OLD, session.RENAME_NEW))
    else:
        st.caption("Nothing saved yet.")
