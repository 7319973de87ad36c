"""Opening another catalogue for this session, and the offer to switch to the one a persona was made on, or why not."""

from __future__ import annotations

import streamlit as st

from recsys import Explorer
from ui import keeping, literal, resources, session


def open_catalogue(chosen: resources.Opened | None) -> None:
    """Explore ``chosen`` (``None``: the server's catalogue) from the next run on, and note that this browser opened it.

    This session's personas and new items are dropped (:func:`ui.session.set_catalogue`); the record lets a
    persona made on ``chosen`` offer to switch back to it later (:func:`ui.resources.remember_catalogue`).
    """
    session.set_catalogue(chosen)
    if chosen is not None:
        resources.remember_catalogue(chosen, keeping.browser_id())


def switch_catalogue(target, then: tuple[str, str]) -> None:
    """Callback of the switch offer: open the persona's catalogue (``"default"``: the server's), then the persona."""
    open_catalogue(None if target == "default" else target)
    st.session_state[session.REOPEN] = then
    if then[0] == "link":
        st.session_state.pop(session.LINK_LOADED, None)


def offer(explorer: Explorer, kind: str) -> None:
    """Draw the pending offer when it is about a ``kind`` of persona (``"link"`` or ``"saved"``), where it was asked for.

    The server's own catalogue, a shipped example and an upload this browser opened can be switched
    to; somebody else's upload stays private, and a catalogue this server never had cannot be.
    """
    pending = st.session_state.get(session.SWITCH_OFFER)
    if not pending or pending[1][0] != kind:
        return
    made_on, then = pending
    what = "This persona link" if kind == "link" else f"The saved persona “{literal.md(then[1])}”"
    here, nouns = literal.md(explorer.dataset.name), literal.md(explorer.dataset.nouns)
    name = literal.md(made_on["name"])
    target = resources.find_catalogue(made_on["fingerprint"], keeping.browser_id())
    with st.container(border=True, key=f"switch_offer_{kind}"):
        if target in (None, "private"):
            why = (
                "an upload that is private to whoever opened it"
                if target == "private"
                else f"not open on this server (no catalogue here has its content, fingerprint `{literal.md(made_on['fingerprint'])}`)"
            )
            st.error(
                f"{what} was made on the catalogue **{name}**, {why}. Its items would mean other {nouns} in **{here}**, so it "
                "was not opened. Open the same files on the Catalogue page, then open it again."
            )
            st.button("OK", key=f"switch_dismiss_{kind}", on_click=session.decline_switch)
            return
        count = len(session.personas())
        dropped = (
            f" This session's {count} persona{'s' if count != 1 else ''} on {here} will be closed (saved ones stay saved)." if count else ""
        )
        st.warning(
            f"{what} was made on the catalogue **{name}**; this session explores **{here}**, where its item ids would mean "
            f"other {nouns}.{dropped}"
        )
        b = st.columns([0.6, 0.4])
        b[0].button(f"Switch to {name} and open it", key=f"switch_catalogue_{kind}", type="primary", width="stretch",
                    on_click=switch_catalogue, args=(target, then))  # fmt: skip
        b[1].button("Stay here", key=f"switch_decline_{kind}", on_click=session.decline_switch, width="stretch")
