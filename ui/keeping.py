"""A browser's session kept across a reload: F5 (or a closed and reopened tab) brings its personas back.

Streamlit starts a new, empty session on every page load. The front door (``frontdoor.py``)
gives each browser a random name in an HttpOnly cookie; after each run the app writes the
session's personas (their inputs, feedback and readings) and the catalogue it explores to a
file under the cache named by a hash of that cookie, and a new session of the same browser
replays them. Another browser has another cookie, so nothing is shared between people; two
tabs of one browser share one kept set (the last one changed wins). Served without the front
door (``streamlit run app.py``) there is no cookie, and a reload starts empty, as Streamlit does.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict
from pathlib import Path

import streamlit as st

from recsys import Explorer
from recsys.cache import atomic_write_json, cache_root
from recsys.personas import Persona
from ui import resources, session

BROWSER_COOKIE = "coldstart_browser"  # frontdoor.BROWSER_COOKIE
FOLDER = "browser-sessions"
MAX_AGE_S = 14 * 24 * 3600  # kept sessions older than this are removed when another is written


def _browser() -> str | None:
    try:
        token = st.context.cookies.get(BROWSER_COOKIE)
    except Exception:  # no browser behind this session (a script run in tests)
        return None
    return token if isinstance(token, str) and 16 <= len(token) <= 64 else None


def browser_id() -> str | None:
    """This browser's name as the server records it (a hash of its cookie), or ``None`` without the front door."""
    token = _browser()
    return hashlib.sha256(token.encode()).hexdigest()[:32] if token else None


def _path(browser: str) -> Path:
    """Where a browser's session is kept, named by :func:`browser_id` (never the cookie itself)."""
    return cache_root() / FOLDER / f"{browser}.json"


def restore_catalogue() -> None:
    """Once per session, before the engine is chosen: look for what this browser kept, and reopen its catalogue."""
    if st.session_state.get(session.KEPT_RESTORED):
        return
    st.session_state[session.KEPT_RESTORED] = True
    browser = browser_id()
    path = _path(browser) if browser else None
    if path is None or not path.exists() or session.personas():
        return
    try:
        kept = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    opened = kept.get("catalogue")
    if isinstance(opened, dict) and Path(str(opened.get("folder"))).is_dir():
        st.session_state[session.CATALOGUE] = resources.Opened(**opened)
    st.session_state[session.KEPT_PENDING] = kept


def restore_personas(explorer: Explorer) -> None:
    """Replay the kept personas on the session's engine (a persona that no longer builds is left out, and said)."""
    kept = st.session_state.pop(session.KEPT_PENDING, None)
    if not kept:
        return
    back, lost = [], []
    for data in kept.get("personas", []):
        try:
            entry = session.build(explorer, Persona.from_json(data))
        except (ValueError, TypeError):
            lost.append(str(data.get("name", "?")) if isinstance(data, dict) else "?")
            continue
        session.personas()[entry.persona.name] = entry
        back.append(entry.persona.name)
    session.seen_versions().update({str(k): int(v) for k, v in (kept.get("saved_versions") or {}).items()})
    active = kept.get("active")
    if back:
        chosen = active if active in back else back[-1]
        session.set_active(chosen)
        st.session_state[session.SHOWN] = chosen
        st.toast(f"Kept from before the reload: {len(back)} persona{'s' if len(back) != 1 else ''}")
    if lost:
        st.warning("Could not bring back after the reload: " + ", ".join(lost))
    st.session_state[session.KEPT_DIGEST] = _digest(_payload())


def _payload() -> dict:
    opened = resources.opened()
    return {
        "catalogue": asdict(opened) if opened is not None else None,
        "personas": [entry.persona.to_json() for entry in session.personas().values()],
        "active": st.session_state.get(session.ACTIVE),
        # Which saved versions are this browser's own saves: after a reload, saving again still updates them in place.
        "saved_versions": dict(session.seen_versions()),
    }


def _digest(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def keep() -> None:
    """After each run: write the session's personas for its browser when they changed since the last write."""
    browser = browser_id()
    if browser is None:
        return
    payload = _payload()
    digest = _digest(payload)
    if digest == st.session_state.get(session.KEPT_DIGEST):
        return
    folder = cache_root() / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = _path(browser)
    try:
        earlier = json.loads(path.read_text()) if path.exists() else {}
    except (OSError, ValueError):
        earlier = {}
    if earlier.get("catalogue") == payload["catalogue"]:
        # Another tab of this browser may have added personas since: keep them, unless this session removed them.
        mine = {p.get("name") for p in payload["personas"]}
        gone = set(st.session_state.get(session.REMOVED, ()))
        others = [p for p in earlier.get("personas", []) if isinstance(p, dict) and p.get("name") not in mine | gone]
        payload = {**payload, "personas": others + payload["personas"],
                   "saved_versions": {**(earlier.get("saved_versions") or {}), **payload["saved_versions"]}}  # fmt: skip
    atomic_write_json(path, {**payload, "saved": time.time()})
    st.session_state[session.KEPT_DIGEST] = digest
    if digest.startswith("0"):  # one write in sixteen: forget browsers long gone
        cutoff = time.time() - MAX_AGE_S
        for old in folder.glob("*.json"):
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
