"""Everything one browser session keeps: its personas, their feedback, its new items, the persona form.

All ``st.session_state`` keys are named here, those of the pages and of ``ui.keeping`` too, and this
module imports no other ``ui`` module (they all import it). Values are immutable engine states
(:class:`recsys.UserState`), so one session's changes can never reach another's.

Widget keys may only be written before their widget is drawn in a run, so every function
here that writes one (``put``, ``clear_form``, ``load_form``) is meant for a button's
``on_click`` callback, or for ``app.py`` before the page runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import streamlit as st

from recsys import Explorer, ItemState, UserState
from recsys import columns as C
from recsys.persona_store import PersonaChanged, PersonaExists, PersonaStore
from recsys.personas import MAX_NAME, OtherCatalogue, Persona, catalogue_of, clean_name, plain_id, text_model_note
from recsys.reading import Reading

PERSONAS = "personas"  # name -> SessionPersona
ACTIVE = "active_persona"
SHOWN = "shown_persona"  # the New user page's persona selector
SHOWN_LISTS = "shown_lists"  # name -> ShownList: the list each persona was last shown
SWITCH_OFFER = "catalogue_switch_offer"  # (catalogue the persona was made on, what to open after switching)
REMOVED = "removed_personas"  # names this session removed or renamed away (a reload must not bring them back)
REOPEN = "reopen_after_switch"  # ("link", token) or ("saved", name): opened again once the other catalogue is open
NEW_ITEMS = "new_items"  # list[ItemState]
LINK_LOADED = "persona_link_loaded"
EDITING = "editing_persona"  # name of the persona the form holds, or None for a new one
FORM_MESSAGE = "persona_form_message"  # (kind, text) shown beside the Recommend button
SAVE_MESSAGE = "persona_save_message"  # (kind, text) shown beside the save / open / rename controls
SAVED_PICK = "saved_pick"  # the Saved personas selector
SAVE_PENDING = "persona_save_pending"  # (name, version) of a saved persona a Save would replace: asks first
DELETE_PENDING = "persona_delete_pending"  # the saved persona a Delete would remove for everyone: asks first
SEEN_VERSIONS = "saved_persona_versions"  # name -> version of each saved persona this session opened or saved
FORM_GENERATION = "persona_form_generation"  # bumped whenever the form is emptied or reloaded
BIAS_SCALE = "item_bias_scale"  # the popularity-pull control: scale on b_i, shared by New user and Score anatomy
BIAS_SCALE_WIDGET = "item_bias_scale_widget"  # its slider (widget state is dropped on pages that do not draw it)
AXIS_STRENGTH = "axis_strength"  # the popularity-axis control: share of ⟨e_u, e_i⟩ along the popularity axis removed
AXIS_STRENGTH_WIDGET = "axis_strength_widget"  # its slider
FUSION_SETTING = "fusion_setting"  # (user factors, item factors) last set on the Fusion page, None while all are 1
RENAME_OLD, RENAME_NEW = "rename_old", "rename_new"  # the New user page's rename controls: the saved name, the new one

# The catalogue this session explores (ui.resources, the Catalogue page) and its kept state after a reload (ui.keeping).
CATALOGUE = "catalogue"  # the ui.resources.Opened catalogue this session explores, absent for the server default
CATALOGUE_PENDING = "catalogue_pending"  # the Opened this session trains: leaving the page and coming back follows it
CATALOGUE_NOTICE = "catalogue_notice"  # (kind, text) said once after a training ends
CATALOGUE_ASKED = "catalogue_asked"  # job key → when (time.perf_counter) this session asked for that catalogue
# What the person chose on the Catalogue page, kept while its widgets are not drawn (during a training, on another page
# or source): a widget drawn again starts from its default, and the page must show what it still uses.
CATALOGUE_UPLOAD = "catalogue_upload"  # the last upload (an Upload)
CATALOGUE_SOURCE = "catalogue_source"  # the source last chosen
CATALOGUE_TRIM = "catalogue_trim"  # (folder, k) last chosen
CATALOGUE_UPLOADER = "catalogue_files"  # the uploader's key, with its generation ("catalogue_files-<n>") under this key
CANCEL_TRAINING = "cancel_training"  # the Catalogue page's cancel button
KEPT_RESTORED = "keeping_restored"  # set once a session has looked for what its browser kept
KEPT_PENDING = "keeping_pending"  # the kept personas, replayed once the catalogue's engine is ready
KEPT_DIGEST = "keeping_digest"  # what was last written, so an unchanged session writes nothing

# The New item page: the list length of its last item, and whether that item's genres were read from its description.
NEW_ITEM_LENGTH = "new_item_length"
NEW_ITEM_GENRES_READ = "new_item_genres_read"

# The Cohort page: its last run, kept while the person visits other pages, and its controls.
COHORT_RESULT = "cohort_result"  # (catalogue fingerprint, source label, CohortRun, CohortView) of the last run
COHORT_SOURCE = "cohort_source"  # where the people come from: an uploaded file or a sample of the catalogue's users
COHORT_FILE = "cohort_file"  # the CSV uploader
COHORT_SAMPLE = "cohort_sample"  # how many users the sample draws
COHORT_WITH_TEXT = "cohort_with_text"  # whether sampled users bring their profile text
COHORT_K = "cohort_k"  # list length
COHORT_RAN_FORM = "cohort_ran_form"  # what the form asked for when the kept run was started (what changed since)

# The persona form's fields (see ``key``), and the value each starts from; PRESET is the selector above the form.
PRESET, TEXT, AGE, GENDER, OCCUPATION, LIKED, NAME = "preset", "profile_text", "age", "gender", "occupation", "liked", "persona_name"
NOT_GIVEN = "—"
FORM_DEFAULTS = {TEXT: "", LIKED: [], NAME: ""}
#: The catalogue's user columns the form asks for, column -> kind ("bucket": a number, "one": a label, "multi":
#: labels); set by ``form_columns``. MovieLens: age, gender, occupation; a bookshop: age, region.
DEMOGRAPHIC_FORM = "persona_form_demographics"
DEFAULT_DEMOGRAPHICS = {AGE: "bucket", GENDER: "one", OCCUPATION: "one"}

MOVIELENS_READY_MADE = {
    "Space-opera fan": ("I love space operas: epic battles between the stars, alien worlds and rebels against an empire.", {}),
    "Parent of young kids": ("Cartoons and family films I can watch with my kids on a Sunday afternoon.", {"age": 38, "gender": "F"}),
    "Horror buff": (
        "Gory slasher films and creepy haunted houses, the scarier the better.",
        {"age": 19, "gender": "M", "occupation": "student"},
    ),
    "Romantic": ("Romantic comedies and love stories with a happy ending.", {"age": 27, "gender": "F"}),
    "Classic-film lover": (
        "Old black-and-white film noir, detectives and femme fatales from the 1940s.",
        {"age": 61, "occupation": "retired"},
    ),
    "War-history buff": ("War films and westerns, especially World War II stories.", {"age": 52, "gender": "M", "occupation": "engineer"}),
}


def common_genres(explorer: Explorer, n: int) -> list[str]:
    """The ``n`` genres most items of the catalogue carry (ties by name)."""
    counts: dict[str, int] = {}
    for genres in explorer.dataset.items[C.GENRES]:
        for genre in genres:
            counts[genre] = counts.get(genre, 0) + 1
    return sorted((g for g in counts if g != "unknown"), key=lambda g: (-counts[g], g))[:n]


def ready_made(explorer: Explorer) -> dict[str, tuple[str, dict]]:
    """Ready-made personas for the catalogue: hand-written ones for films, else one per common genre of its items.

    Only the demographics the catalogue's users have are kept (a MovieLens folder without a users table has none).
    """
    nouns = explorer.dataset.nouns
    if explorer.dataset.noun == "film":
        presets = MOVIELENS_READY_MADE
    else:
        presets = {f"{genre} fan": (f"I love {genre.lower()} {nouns}.", {}) for genre in common_genres(explorer, 6)}
        presets = presets or {"Newcomer": (f"Something good to start with: the {nouns} most people like.", {})}
    known = set(explorer.user_space.columns)
    return {name: (text, {k: v for k, v in demo.items() if k in known}) for name, (text, demo) in presets.items()}


def set_catalogue(chosen) -> None:
    """Explore ``chosen`` (a :class:`ui.resources.Opened`, or ``None`` for the server default) from the next run on.

    This session's personas and new items are built on the other catalogue's model, so
    they are dropped; saved personas stay in the team's store. :func:`ui.switching.open_catalogue`
    also records the catalogue for this browser.
    """
    if chosen is None:
        st.session_state.pop(CATALOGUE, None)
    else:
        st.session_state[CATALOGUE] = chosen
    # A cohort run was ranked by the other engine (another catalogue, or the same files on another text model).
    for name in (
        PERSONAS,
        NEW_ITEMS,
        ACTIVE,
        SHOWN,
        SHOWN_LISTS,
        SAVED_PICK,
        SAVE_PENDING,
        BIAS_SCALE,
        AXIS_STRENGTH,
        FUSION_SETTING,
        SWITCH_OFFER,
        COHORT_RESULT,
        COHORT_RAN_FORM,
    ):
        st.session_state.pop(name, None)
    clear_form()


@dataclass(frozen=True)
class SessionPersona:
    """A persona's inputs and its current engine state, plus the list it saw last (for rank changes).

    ``prior`` is the state before any feedback, so a page can show the cumulative effect of
    all feedback, not only of the last update.
    """

    persona: Persona
    state: UserState
    prior: UserState | None = field(default=None, compare=False)
    change: str = ""  # what the last change to this persona was, as the page names it ("👍 like Heat (1995)")


@dataclass(frozen=True)
class ShownList:
    """The list a persona was last shown, kept to mark what the latest change moved (▲▼🆕).

    ``key`` is what the list was ranked for (the persona's inputs and the popularity pull);
    ``previous`` is the list before the latest change of either, and ``change`` names it.
    """

    key: tuple
    ranks: dict
    previous: dict
    change: str


def bias_scale() -> float:
    """The session's scale on the item bias b_i (1 = the model as trained)."""
    return float(st.session_state.get(BIAS_SCALE, 1.0))


def keep_bias_scale() -> None:
    """Slider callback: keep the chosen scale where pages that do not draw the slider can read it."""
    st.session_state[BIAS_SCALE] = float(st.session_state[BIAS_SCALE_WIDGET])


def axis_strength() -> float:
    """The session's popularity-axis strength (0 = the model as trained)."""
    return float(st.session_state.get(AXIS_STRENGTH, 0.0))


def keep_axis_strength() -> None:
    """Slider callback: keep the chosen strength where pages that do not draw the slider can read it."""
    st.session_state[AXIS_STRENGTH] = float(st.session_state[AXIS_STRENGTH_WIDGET])


def popularity_query() -> dict[str, str]:
    """The popularity controls as link parameters (``pull``, ``axis``), each only when it is off the model as trained."""
    query = {}
    if bias_scale() != 1.0:
        query["pull"] = f"{bias_scale():g}"
    if axis_strength() != 0.0:
        query["axis"] = f"{axis_strength():g}"
    return query


def open_popularity_query(params: Mapping[str, str]) -> list[str]:
    """Set the popularity controls from a link's ``pull`` and ``axis`` (absent: the model as trained); returns what was
    set, in words. Raises ``ValueError`` naming a value that is not a number from 0 to 1, and then sets nothing."""
    read = {}
    for name, default in (("pull", 1.0), ("axis", 0.0)):
        raw = params.get(name)
        try:
            value = default if raw is None else float(raw)
        except ValueError:
            value = float("nan")
        if not 0.0 <= value <= 1.0:  # NaN fails too
            raise ValueError(f"its {name}={raw!r} is not a number from 0 to 1")
        read[name] = value
    st.session_state[BIAS_SCALE], st.session_state[AXIS_STRENGTH] = read["pull"], read["axis"]
    for widget in (BIAS_SCALE_WIDGET, AXIS_STRENGTH_WIDGET):  # a slider already drawn this session starts from the link's
        st.session_state.pop(widget, None)
    return ([f"popularity pull {read['pull']:g}"] if read["pull"] != 1.0 else []) + (
        [f"popularity axis removed {read['axis']:g}"] if read["axis"] != 0.0 else []
    )


#: The key of New user's comparison toggle (a share link made with it on turns it on). One for every persona: a toggle of
#: each persona's own went off when the page showed another, so in a demo the comparison seemed to vanish.
COMPARISON = "compare-on"
#: The keys of the sidebar glossary's toggle and filter (ui.glossary), kept from page to page.
GLOSSARY_OPEN = "glossary-open"
GLOSSARY_FIND = "glossary-find"


def fusion_setting() -> tuple[dict[str, float], dict[str, float]] | None:
    """The (user, item) factors on the fusion weights last set on the Fusion page; None while they are all 1."""
    return st.session_state.get(FUSION_SETTING)


def keep_fusion_setting(user_factors: dict[str, float], item_factors: dict[str, float]) -> None:
    """Keep the Fusion page's factors for pages that compare with them (only the ones moved off 1; 0 everywhere on a side means learned)."""
    user = {m: v for m, v in user_factors.items() if v != 1.0} if any(user_factors.values()) else {}
    item = {m: v for m, v in item_factors.items() if v != 1.0} if any(item_factors.values()) else {}
    st.session_state[FUSION_SETTING] = (user, item) if user or item else None


def personas() -> dict[str, SessionPersona]:
    return st.session_state.setdefault(PERSONAS, {})


def active() -> SessionPersona | None:
    name = st.session_state.get(ACTIVE)
    return personas().get(name) if name else None


def set_active(name: str) -> None:
    st.session_state[ACTIVE] = name


def build(explorer: Explorer, persona: Persona, change: str = "") -> SessionPersona:
    """Replay a persona's inputs through the engine, tied to this catalogue from now on.

    Raises:
        OtherCatalogue: the persona was made on another catalogue.
        ValueError: bad input.
    """
    state = persona.user(explorer)
    if persona.catalogue != catalogue_of(explorer):  # never recorded, or read by another text model: it is this one's now
        persona = replace(persona, catalogue=catalogue_of(explorer))
    return SessionPersona(persona, state, prior=state.without_feedback(), change=change)


def compare_with_last(name: str, entry: SessionPersona, scale: float, ranks: dict, axis: float = 0.0) -> ShownList:
    """The list about to be shown, against the one shown before the latest change to its inputs.

    A rerun that changes nothing (a toggle, another persona shown and back) keeps the comparison;
    a change of the persona (feedback, a chip, an edit), of the popularity pull or of the
    popularity axis starts a new one, named after what changed.
    """
    lists = st.session_state.setdefault(SHOWN_LISTS, {})
    key = (replace(entry.persona, name="").to_token(), round(scale, 4), round(axis, 4))  # a rename changes no list
    last = lists.get(name)
    if last is not None and last.key == key:
        return last
    if last is None:
        shown = ShownList(key, ranks, {}, "")
    else:
        changes = []
        if last.key[0] != key[0]:
            changes.append(entry.change or "the persona changed")
        if last.key[1] != key[1]:
            changes.append(f"popularity pull {last.key[1]:g} → {key[1]:g}")
        if last.key[2] != key[2]:
            changes.append(f"popularity axis removed {last.key[2]:g} → {key[2]:g}")
        shown = ShownList(key, ranks, last.ranks, "; ".join(changes))
    lists[name] = shown
    return shown


def put(entry: SessionPersona) -> None:
    """Add or replace a persona and make it the one shown (call before the selector is drawn)."""
    personas()[entry.persona.name] = entry
    set_active(entry.persona.name)
    st.session_state[SHOWN] = entry.persona.name


def remove(name: str) -> None:
    """Drop a persona from this session (a callback: it also resets the selector and the form if needed)."""
    personas().pop(name, None)
    st.session_state.setdefault(REMOVED, set()).add(name)
    following = next(iter(personas()), None)
    if st.session_state.get(ACTIVE) == name:
        st.session_state[ACTIVE] = following
    if st.session_state.get(SHOWN) == name:
        st.session_state[SHOWN] = following
    if st.session_state.get(EDITING) == name:
        clear_form()
    st.session_state[FORM_MESSAGE] = ("info", f"Removed “{name}” from this session.")


def signal_label(signal: str | int) -> str:
    """How a feedback signal reads: 👍 like, 👎 dislike or n★."""
    return {"like": "👍 like", "dislike": "👎 dislike"}.get(signal, f"{signal}★")


def give_feedback(explorer: Explorer, name: str, item_id, signal: str | int) -> SessionPersona:
    """Apply ``"like"``, ``"dislike"`` or 1–5 stars to a session persona (a button's callback)."""
    entry = personas()[name]
    if signal in ("like", "dislike"):
        state = explorer.feedback(entry.state, item_id, signal == "like")
    else:
        state = explorer.rate(entry.state, item_id, int(signal))
    change = f"{signal_label(signal)} {explorer.titles().get(plain_id(item_id), item_id)}"
    updated = SessionPersona(entry.persona.with_signal(item_id, signal), state, entry.prior, change)
    personas()[name] = updated
    return updated


def new_items() -> list[ItemState]:
    return st.session_state.setdefault(NEW_ITEMS, [])


def default_name(text: str, width: int = 28) -> str:
    """The name of a persona given none: the start of its profile text, cut at a word ("Persona" without text).

    Example:
        >>> default_name("musicals, way too cheesy for me. I want a good western"), default_name("  "), default_name("noir")
        ('musicals, way too cheesy for…', 'Persona', 'noir')
    """
    words = " ".join(text.split())
    if len(words) <= width:
        return words or "Persona"
    cut = words[: width + 1].rsplit(" ", 1)[0] if " " in words[:width] else words[:width]
    return cut.rstrip(",.;:!?-–— ") + "…"


def unique_name(base: str) -> str:
    name, n = base, 2
    while name in personas():
        name, n = f"{base} ({n})", n + 1
    return name


# ---------------------------------------------------------------------- the persona form
def key(field_name: str) -> str:
    """The widget key of a form field in the form's current generation.

    A browser keeps what was typed or picked in a form until it is submitted; writing the
    field's session value does not reach that pending input when the value did not change
    on the server (a film picked but not yet submitted survives a "clear"). New keys make
    new widgets, so emptying or reloading the form really empties or reloads it.
    """
    generation = st.session_state.get(FORM_GENERATION, 0)
    return field_name if generation == 0 else f"{field_name}-{generation}"


def demographic_field(column: str) -> str:
    """The form field of a user column: MovieLens' own names, any other column prefixed (never a clash with the form's keys)."""
    return column if column in (AGE, GENDER, OCCUPATION) else f"demo_{column}"


def _demographic_kinds() -> dict[str, str]:
    return st.session_state.get(DEMOGRAPHIC_FORM, DEFAULT_DEMOGRAPHICS)


def _empty(kind: str):
    return None if kind == "bucket" else [] if kind == "multi" else NOT_GIVEN


def form_columns(explorer: Explorer) -> None:
    """Ask the form for every user column of ``explorer``'s catalogue (before the form is loaded or drawn)."""
    st.session_state[DEMOGRAPHIC_FORM] = {block.column: block.kind for block in explorer.user_space.blocks}


def init_form() -> None:
    """Give every form widget its starting value once (never through the widget's own default,
    which would clash with values written by callbacks); the user columns asked for are the ones
    ``form_columns`` set (``app.py`` does, before any page runs)."""
    editing = st.session_state.get(EDITING)
    if editing in personas() and key(TEXT) not in st.session_state:
        # Streamlit drops widget values while another page is shown: refill the form being edited.
        load_form(personas()[editing].persona)
    st.session_state.setdefault(PRESET, NOT_GIVEN)
    for field_name, value in FORM_DEFAULTS.items():
        st.session_state.setdefault(key(field_name), list(value) if isinstance(value, list) else value)
    for column, kind in _demographic_kinds().items():
        st.session_state.setdefault(key(demographic_field(column)), _empty(kind))


def clear_form() -> None:
    """An empty form for a new persona (nothing carried over from the previous one)."""
    fields = {**FORM_DEFAULTS, **{demographic_field(c): _empty(kind) for c, kind in _demographic_kinds().items()}}
    for field_name in fields:
        st.session_state.pop(key(field_name), None)
    st.session_state[FORM_GENERATION] = st.session_state.get(FORM_GENERATION, 0) + 1
    for field_name, value in fields.items():
        st.session_state[key(field_name)] = list(value) if isinstance(value, list) else value
    st.session_state[PRESET] = NOT_GIVEN
    st.session_state[EDITING] = None


def _fill_demographics(demographics: dict) -> None:
    """Put stated demographics into the form's fields (a number as a whole number, labels as text)."""
    for column, kind in _demographic_kinds().items():
        value = demographics.get(column)
        if value is None:
            continue
        if kind == "bucket":
            st.session_state[key(demographic_field(column))] = int(round(float(value)))
        elif kind == "multi":
            st.session_state[key(demographic_field(column))] = [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
        else:
            st.session_state[key(demographic_field(column))] = str(value)


def load_form(persona: Persona) -> None:
    """Put a persona's inputs into the form, to edit it."""
    clear_form()
    st.session_state[key(TEXT)] = persona.text
    _fill_demographics(persona.demographics or {})
    st.session_state[key(LIKED)] = list(persona.liked)
    st.session_state[key(NAME)] = persona.name
    st.session_state[EDITING] = persona.name


def apply_preset(presets: dict[str, tuple[str, dict]]) -> None:
    """Callback of the ready-made persona selector: the preset replaces everything in the form."""
    name = st.session_state.get(PRESET)
    clear_form()
    st.session_state[PRESET] = name
    if name in presets:
        text, demographics = presets[name]
        st.session_state[key(TEXT)] = text
        _fill_demographics(demographics)
        st.session_state[key(NAME)] = unique_name(name)


def form_persona(name: str) -> Persona:
    """The persona the form describes, under ``name``."""
    demographics = {column: st.session_state.get(key(demographic_field(column))) for column in _demographic_kinds()}
    demographics = {column: value for column, value in demographics.items() if value not in (None, NOT_GIVEN, [])}
    return Persona(name[:MAX_NAME], st.session_state.get(key(TEXT)) or "", demographics, tuple(st.session_state.get(key(LIKED)) or ()))


def submit_form(explorer: Explorer) -> None:
    """Callback of Recommend: create a persona, or update the one being edited, and say which.

    A new persona never silently replaces another of the same name: it gets a numbered name.
    Editing keeps the feedback given so far and replays it on the new inputs.
    """
    editing = st.session_state.get(EDITING)
    editing = editing if editing in personas() else None
    try:
        typed = clean_name(st.session_state.get(key(NAME)) or "", shorten=True)
    except ValueError:  # nothing visible was typed
        typed = ""
    name = typed or editing or unique_name(default_name(st.session_state.get(key(TEXT)) or ""))
    notes = []
    if name in personas() and name != editing:
        taken, name = name, unique_name(name)
        notes.append(f"A persona named “{taken}” already exists and is unchanged; this one is “{name}”.")
    persona = form_persona(name)
    if editing and name == editing:
        before = personas()[editing].persona
        # The same words keep the reading as the person edited it; new words are read afresh.
        persona = replace(persona, feedback=before.feedback, reading=before.reading if before.text == persona.text else None)
    try:
        entry = build(explorer, persona, "edited in the form" if editing and name == editing else "")
    except ValueError as err:
        st.session_state[FORM_MESSAGE] = ("error", str(err)[:1].upper() + str(err)[1:] + ".")
        return
    put(entry)
    if editing and name == editing:
        replayed = f", with its {len(persona.feedback)} feedback replayed" if persona.feedback else ""
        notes.insert(0, f"Updated “{name}”{replayed}.")
        st.session_state[FORM_MESSAGE] = ("success", " ".join(notes))
        return
    clear_form()
    notes.insert(0, f"Created “{name}”. The form is empty for the next persona; ✏️ Edit on the card loads this one back.")
    st.session_state[FORM_MESSAGE] = ("success" if len(notes) == 1 else "warning", " ".join(notes))


# ---------------------------------------------------------------------- the profile's reading
def reading_chips(reading: Reading) -> dict[str, tuple[str, object]]:
    """``{label: (kind, value)}`` of every chip of a reading, in the order shown."""
    chips: dict[str, tuple[str, object]] = {}

    def short(title: str, n: int = 60) -> str:
        return title if len(title) <= n else title[: n - 1] + "…"

    for genre in reading.wants:
        chips[f"wants {genre}"] = ("wants", genre)
    for genre in reading.rules_out:
        chips[f"no {genre}"] = ("rules_out", genre)
    for match in reading.titles:
        label = f"♥ {short(match.title)}" if match.confident else f"♥ {short(match.query)}?"
        chips[label] = ("title", match.item_id if match.confident else match.query)
    if reading.era is not None:
        chips[f"era {reading.era.start}–{reading.era.end}" + (" (leaning)" if reading.era.leaning else "")] = ("era", None)
    for field_name, value in reading.demographics.items():
        chips[f"{field_name} {value}"] = ("demographic", field_name)
    return chips


def _rebuild(explorer: Explorer, name: str, reading: Reading, change: str) -> None:
    entry = personas()[name]
    personas()[name] = build(explorer, replace(entry.persona, reading=reading.to_dict()), change)


def current_reading(explorer: Explorer, entry: SessionPersona) -> Reading:
    """The reading a persona's scores use now: as the person corrected it, else the text's own."""
    return entry.state.reading if entry.state.reading is not None else explorer.read(entry.persona.text)


def chip_reading(explorer: Explorer, entry: SessionPersona) -> Reading:
    """The reading the chips offer: the persona's reading as it stands (titles chosen, genres corrected or added),
    plus every chip of the text's own reading the person dropped (shown unselected, to bring back)."""
    original = explorer.read(entry.persona.text)
    current = entry.state.reading if entry.state.reading is not None else original
    placed = set(current.wants) | set(current.rules_out)
    queries = {m.query for m in current.titles}
    return replace(
        current,
        wants=current.wants + tuple(g for g in original.wants if g not in placed),
        rules_out=current.rules_out + tuple(g for g in original.rules_out if g not in placed),
        titles=current.titles + tuple(m for m in original.titles if m.query not in queries),
        era=current.era if current.era is not None else original.era,
        # A field the form fills is the form's: the text's statement of it reaches nothing, so it is no chip to drop.
        demographics={k: v for k, v in {**original.demographics, **current.demographics}.items() if k not in form_given(entry.persona)},
    )


def form_given(persona: Persona) -> dict:
    """The demographics the form gave ``persona`` (empty fields left out): they win over what its text says."""
    return {k: v for k, v in (persona.demographics or {}).items() if v not in (None, "")}


def corrected_text(explorer: Explorer, text: str, reading: Reading, kind: str, genre: str) -> str:
    """What the language model reads once ``genre`` is corrected to ``kind``: the text it read before, without the
    clauses that name a genre now ruled out (the rules-out term carries them), plus the names of genres still wanted
    whose words went with those clauses, or of a genre now wanted."""
    before = _words_read(text, reading)
    if kind == "wants":
        return _with_genre(explorer, before, genre)
    return _without_genre(explorer, before, [g for g in reading.wants if g != genre], genre)


def _words_read(text: str, reading: Reading) -> str:
    """The profile's words the language model reads now ("" when it reads the neutral placeholder instead)."""
    from recsys.explorer import NEUTRAL_TEXT, model_text
    from recsys.reading import reads_no_words

    read = "" if reads_no_words(text, reading) else model_text(text, reading)
    return "" if read == NEUTRAL_TEXT else read


def _with_genre(explorer: Explorer, read: str, genre: str) -> str:
    """``read`` naming ``genre``: as it is when it does, else with the genre's name added."""
    return read if genre in _named(explorer, read) else f"{read} {genre}".strip()


def _without_genre(explorer: Explorer, read: str, wants: Sequence[str], genre: str) -> str:
    """``read`` without its clauses that name ``genre``, plus the names of the genres in ``wants`` that went with them;
    ``read`` itself, word for word, when none names it (ruling out a genre the text never mentions changes only the
    rules-out term, never what the model reads)."""
    if genre not in _named(explorer, read):
        return read
    clauses = [c for c in _CLAUSES.split(read) if c and c.strip()]
    kept = " ".join(c.strip() for c in clauses if genre not in _named(explorer, c))
    missing = [g for g in wants if g not in _named(explorer, kept)]
    return " ".join([kept, *missing]).strip()


_CLAUSES = re.compile(r"[.,;:!?]+\s*|\s+(?:but|and|though|although|yet|while)\s+", re.IGNORECASE)


def _named(explorer: Explorer, text: str) -> set[str]:
    reading = explorer.read(text)
    return set(reading.wants) | set(reading.rules_out)


def correct_genre(explorer: Explorer, name: str, kind: str, genre: str) -> None:
    """Callback of the reading's corrections: ``genre`` is wanted or ruled out from now on, however it was read."""
    entry = personas()[name]
    reading = current_reading(explorer, entry)
    was = "wanted" if genre in reading.wants else "ruled out" if genre in reading.rules_out else None
    wants = tuple(g for g in reading.wants if g != genre) + ((genre,) if kind == "wants" else ())
    rules_out = tuple(g for g in reading.rules_out if g != genre) + ((genre,) if kind == "rules_out" else ())
    read = corrected_text(explorer, entry.persona.text, reading, kind, genre)
    # An empty text with something ruled out reads as a neutral placeholder (recsys.explorer.model_text).
    corrected = replace(reading, wants=wants, rules_out=rules_out, kept_text=read)
    now = "wanted" if kind == "wants" else "ruled out"
    _rebuild(explorer, name, corrected, f"{genre}: {was} → {now}" if was else f"added {genre} as {now}")


def name_genre(explorer: Explorer, name: str, genre: str) -> None:
    """Callback: the language model reads ``genre``'s own name beside the words it read. A wish said only through other
    words ("Gory? Fine by me") is a chip the reader shows, but the model reads the words, and they may not lead to it."""
    entry = personas()[name]
    reading = current_reading(explorer, entry)
    read = f"{_words_read(entry.persona.text, reading)} {genre}".strip()
    _rebuild(explorer, name, replace(reading, kept_text=read), f"named {genre} for the language model")


def chips_key(name: str, text: str, chips) -> str:
    """The chips widget's key: new chips (another text, a chosen title) make a new widget, never stale labels."""
    return f"chips-{name}-{hash((text, tuple(chips))) & 0xFFFFFF}"


def apply_chips(explorer: Explorer, name: str, widget_key: str) -> None:
    """Callback of the reading chips: the reading is the text's own minus every chip the person deselected."""
    entry = personas()[name]
    offered = chip_reading(explorer, entry)
    labels = reading_chips(offered)
    kept = set(st.session_state.get(widget_key) or ())
    before = set(reading_chips(entry.state.reading)) if entry.state.reading is not None else set(labels)
    dropped = [label for label in labels if label in before and label not in kept]
    returned = [label for label in labels if label not in before and label in kept]
    change = "; ".join([*(f"dropped the chip “{c}”" for c in dropped), *(f"brought back the chip “{c}”" for c in returned)])
    reading = offered
    for label, (kind, value) in labels.items():
        if label not in kept:
            reading = reading.without(kind, value)
            if kind == "wants" and label in dropped:
                # A wish is read by the language model, not a term of its own: dropping its chip takes the clauses
                # naming the genre out of what the model reads (a neutral sentence when nothing is left).
                from recsys.explorer import NEUTRAL_TEXT

                read = _without_genre(explorer, _words_read(entry.persona.text, reading), reading.wants, value)
                reading = replace(reading, kept_text=read or NEUTRAL_TEXT)
        elif kind == "wants" and label in returned:  # the model reads the genre's name again
            reading = replace(reading, kept_text=_with_genre(explorer, _words_read(entry.persona.text, reading), value))
    current = current_reading(explorer, entry)
    given = form_given(entry.persona)  # what the text says of a field the form fills: no chip, still on the card
    reading = replace(reading, demographics={**reading.demographics, **{k: v for k, v in current.demographics.items() if k in given}})
    original = explorer.read(entry.persona.text)
    if (set(reading.wants), set(reading.rules_out)) == (set(original.wants), set(original.rules_out)):
        reading = replace(reading, kept_text=original.kept_text)  # every genre as the text itself reads it
    _rebuild(explorer, name, reading, change or "the reading changed")


def choose_title(explorer: Explorer, name: str, query: str, item_id, title: str) -> None:
    """Callback of an alternative's button: the unsure title becomes that catalogue item."""
    entry = personas()[name]
    reading = current_reading(explorer, entry)
    titles = tuple(
        replace(m, item_id=item_id, title=title, alternatives=()) if m.query == query and not m.confident else m for m in reading.titles
    )
    notes = tuple(n for n in reading.notes if query not in n)
    _rebuild(explorer, name, replace(reading, titles=titles, notes=notes), f"chose “{title}” for “{query}”")


def edit(name: str) -> None:
    """Callback of a persona card's Edit button."""
    load_form(personas()[name].persona)
    st.session_state[FORM_MESSAGE] = ("info", f"Editing “{name}”: change it and press Recommend to update it.")


# ---------------------------------------------------------------------- saved personas
# The saved list is shared by the team: a save never replaces a saved persona without asking,
# and a confirmed replace goes through only while the row is still the version the person was shown.
def seen_versions() -> dict[str, int]:
    return st.session_state.setdefault(SEEN_VERSIONS, {})


def _saved(name: str, version: int, message: str) -> None:
    seen_versions()[name] = version
    st.session_state.pop(SAVE_PENDING, None)
    st.session_state[SAVED_PICK] = name
    st.session_state[SAVE_MESSAGE] = ("success", message)


def save(store: PersonaStore, name: str) -> None:
    """Callback of Save: a new name is saved at once; a taken one asks first (see ``pending_save``)."""
    try:
        version = store.save(personas()[name].persona)
    except PersonaExists as taken:
        if seen_versions().get(name) == taken.version:  # this session's own save, unchanged by anyone since: update it
            if store.entry(name).persona == personas()[name].persona:
                st.session_state[SAVE_MESSAGE] = ("info", f"“{name}” is already saved as it is; nothing changed.")
                return
            replace_saved(store, name, taken.version)
            return
        st.session_state[SAVE_PENDING] = (taken.name, taken.version)
        return
    except (KeyError, ValueError) as err:
        st.session_state[SAVE_MESSAGE] = ("error", str(err))
        return
    _saved(name, version, f"Saved “{name}”. It will be here after a restart.")


def pending_save() -> tuple[str, int, bool] | None:
    """``(name, version, seen_here)`` of a save waiting for its confirm step, if any.

    ``seen_here``: the saved row is the very version this session opened or saved itself;
    otherwise somebody else saved it, and replacing it would lose their persona.
    """
    pending = st.session_state.get(SAVE_PENDING)
    if not pending or pending[0] not in personas():
        return None
    name, version = pending
    return name, version, seen_versions().get(name) == version


def replace_saved(store: PersonaStore, name: str, version: int) -> None:
    """Callback of the confirm step's Replace: overwrite the saved row only if it is still ``version``."""
    try:
        new_version = store.save(personas()[name].persona, overwrite=True, version=version)
    except PersonaChanged as changed:
        if changed.version is None:  # deleted meanwhile: nothing of anyone's to lose
            st.session_state.pop(SAVE_PENDING, None)
            save(store, name)
            return
        st.session_state[SAVE_PENDING] = (name, changed.version)
        st.session_state[SAVE_MESSAGE] = ("error", f"{str(changed)[:1].upper()}{str(changed)[1:]}. Look again before replacing it.")
        return
    except (KeyError, ValueError) as err:
        st.session_state[SAVE_MESSAGE] = ("error", str(err))
        return
    _saved(name, new_version, f"Replaced the saved “{name}” with this session's version.")


def free_saved_name(store: PersonaStore, base: str) -> str:
    """``base``, or ``base (2)``, ``base (3)``… : the first name neither saved nor used in this session."""
    taken, n = set(store.names()) | set(personas()), 2
    name = base
    while name in taken:
        name, n = f"{base[: MAX_NAME - 6]} ({n})", n + 1
    return name


def save_copy(store: PersonaStore, name: str) -> None:
    """Callback of the confirm step's Save as copy: the saved persona stays, this one is saved beside it."""
    try:
        copy = free_saved_name(store, name)
        version = store.save(replace(personas()[name].persona, name=copy))
    except PersonaExists:  # someone took that name in the instant between
        st.session_state[SAVE_MESSAGE] = ("error", f"“{copy}” was saved by someone else just now; press Save as copy again.")
        return
    except (KeyError, ValueError) as err:
        st.session_state[SAVE_MESSAGE] = ("error", str(err))
        return
    rename_in_session(name, copy)  # what this session shows and saves from now on is the copy
    _saved(copy, version, f"Saved a copy as “{copy}”; the saved “{name}” is unchanged. This session now works on “{copy}”.")


def rename_in_session(old: str, new: str) -> None:
    """Give a session persona another name everywhere the session refers to it (selector, form, last list)."""
    entry = personas().pop(old)
    st.session_state.setdefault(REMOVED, set()).add(old)
    personas()[new] = replace(entry, persona=replace(entry.persona, name=new))
    for pointer in (ACTIVE, SHOWN, EDITING):
        if st.session_state.get(pointer) == old:
            st.session_state[pointer] = new
    if st.session_state.get(EDITING) == new:
        st.session_state[key(NAME)] = new
    lists = st.session_state.get(SHOWN_LISTS, {})
    if old in lists:
        lists[new] = lists.pop(old)


def persona_differences(saved: Persona, here: Persona, titles: dict) -> list[dict[str, str]]:
    """What differs between a saved persona and this session's, field by field, as the confirm step shows it."""

    def items(ids) -> str:
        return "; ".join(titles.get(i, str(i)) for i in ids) or "none"

    def reading(persona: Persona) -> str:
        return (
            "as read from the text"
            if persona.reading is None
            else "edited: " + ", ".join(reading_chips(Reading.from_dict(persona.reading)))
        )

    fields = {
        "profile text": (saved.text or "none", here.text or "none"),
        "demographics": tuple(", ".join(f"{k} {v}" for k, v in (p.demographics or {}).items()) or "none" for p in (saved, here)),
        "onboarding likes": (items(saved.liked), items(here.liked)),
        "feedback": tuple("; ".join(f"{signal_label(s)} {titles.get(i, i)}" for i, s in p.feedback) or "none" for p in (saved, here)),
        "reading": (reading(saved), reading(here)),
        "catalogue": tuple((p.catalogue or {}).get("name", "not recorded") for p in (saved, here)),
    }
    return [{"what": what, "saved": a, "this session": b} for what, (a, b) in fields.items() if a != b]


def cancel_save() -> None:
    st.session_state.pop(SAVE_PENDING, None)
    st.session_state[SAVE_MESSAGE] = ("info", "Nothing was saved.")


def offer_switch(made_on: OtherCatalogue, then: tuple[str, str]) -> None:
    """Ask (on the next run, above every page) whether to switch to the catalogue a persona was made on."""
    st.session_state[SWITCH_OFFER] = (made_on.made_on, then)


def decline_switch() -> None:
    st.session_state.pop(SWITCH_OFFER, None)


def open_saved(explorer: Explorer, store: PersonaStore) -> None:
    """Callback of Open: rebuild the picked saved persona in this session and load it into the form."""
    pick = st.session_state.get(SAVED_PICK)
    try:
        saved = store.entry(pick)
        persona = saved.persona
        here = replace(persona, catalogue=catalogue_of(explorer))  # as build() records it, so a second Open is no copy
        if pick in personas() and personas()[pick].persona not in (persona, here):
            persona = replace(persona, name=unique_name(persona.name))
        entry = build(explorer, persona)
    except OtherCatalogue as elsewhere:  # the offer under the Open button says where it belongs and what can be done
        offer_switch(elsewhere, ("saved", pick))
        return
    except (KeyError, ValueError) as err:
        st.session_state[SAVE_MESSAGE] = ("error", str(err))
        return
    if entry.persona.name == pick:
        seen_versions()[pick] = saved.version
    put(entry)
    load_form(entry.persona)
    note = text_model_note(saved.persona, explorer)
    if note:
        st.session_state[SAVE_MESSAGE] = ("warning", note)
        return
    if saved.persona.catalogue is None:
        st.session_state[SAVE_MESSAGE] = (
            "warning",
            f"Opened “{entry.persona.name}”, saved before personas recorded their catalogue: its items were read by id as "
            f"{explorer.dataset.nouns} of {explorer.dataset.name}. Check the titles on the card; saving it again records the catalogue.",
        )
        return
    st.session_state[SAVE_MESSAGE] = ("success", f"Opened “{entry.persona.name}”; it is shown above and loaded in the form.")


def ask_delete() -> None:
    """Callback of Delete: the saved list is the team's, so the page asks before anything is removed."""
    st.session_state[DELETE_PENDING] = st.session_state.get(SAVED_PICK)


def keep_saved() -> None:
    st.session_state.pop(DELETE_PENDING, None)


def delete_saved(store: PersonaStore) -> None:
    """Callback of the confirmed Delete: removes the persona asked about (not whatever is picked by then)."""
    pick = st.session_state.pop(DELETE_PENDING, None)
    if pick is None:
        return
    try:
        store.delete(pick)
    except ValueError as err:
        st.session_state[SAVE_MESSAGE] = ("error", str(err))
        return
    seen_versions().pop(pick, None)
    st.session_state.pop(SAVED_PICK, None)
    st.session_state[SAVE_MESSAGE] = ("info", f"Deleted the saved persona “{pick}” (this session's copy, if any, stays).")


def rename_saved(store: PersonaStore, old_key: str, new_key: str) -> None:
    old, new = st.session_state.get(old_key), st.session_state.get(new_key) or ""
    try:
        store.rename(old, new)
        new = clean_name(new)
    except (KeyError, ValueError) as err:
        st.session_state[SAVE_MESSAGE] = ("error", str(err))
        return
    seen_versions().pop(old, None)
    st.session_state[SAVED_PICK] = new
    st.session_state[new_key] = ""
    st.session_state[SAVE_MESSAGE] = ("success", f"Renamed “{old}” to “{new}”.")
