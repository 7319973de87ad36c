"""How the app names a catalogue's items: the icon of its noun (🎬 film, 📚 book, … 🆕 anything else)."""

from __future__ import annotations

ICONS = {"film": "🎬", "movie": "🎬", "book": "📚", "novel": "📚", "tale": "📖", "song": "🎵", "track": "🎵", "album": "💿",
         "article": "📰", "podcast": "🎙️", "episode": "📺", "show": "📺", "game": "🎮", "recipe": "🍳", "product": "🛍️"}  # fmt: skip


def item_icon(noun: str) -> str:
    """The icon of a catalogue's item noun; 🆕 for nouns without one (📦 is the Catalogue page's)."""
    return ICONS.get(str(noun).lower(), "🆕")
