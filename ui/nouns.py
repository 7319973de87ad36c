"""How the app names things: the icon of a catalogue's item noun (🎬 film, 📚 book, … 🆕 anything else), a count."""

from __future__ import annotations

ICONS = {"film": "🎬", "movie": "🎬", "book": "📚", "novel": "📚", "tale": "📖", "song": "🎵", "track": "🎵", "album": "💿",
         "article": "📰", "podcast": "🎙️", "episode": "📺", "show": "📺", "game": "🎮", "recipe": "🍳", "product": "🛍️"}  # fmt: skip


def item_icon(noun: str) -> str:
    """The icon of a catalogue's item noun; 🆕 for nouns without one (📦 is the Catalogue page's)."""
    return ICONS.get(str(noun).lower(), "🆕")


def plural(count: int | str, noun: str) -> str:
    """A count with its noun, in the plural unless the count is one.

    Example:
        >>> plural(1, "like"), plural("3", "onboarding like")
        ('1 like', '3 onboarding likes')
    """
    return f"{count} {noun}" + ("" if str(count) == "1" else "s")
