"""Cold-start recommendations from language-model embeddings, with every score term explained.

The public interface is :class:`Explorer` (see docs/architecture.md); nothing here imports Streamlit.
The engine (torch, the language model) loads on first use of ``Explorer``, so light modules
such as :mod:`recsys.persona_store` import in a blink.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recsys.explorer import Explorer, ItemState, UserState

__all__ = ["Explorer", "ItemState", "UserState"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from recsys import explorer

        return getattr(explorer, name)
    raise AttributeError(f"module 'recsys' has no attribute {name!r}")
