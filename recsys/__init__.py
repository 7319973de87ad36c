"""Cold-start recommendations from language-model embeddings, with every score term explained.

The public interface is :class:`Explorer` (see the README); nothing here imports Streamlit.
"""

from __future__ import annotations

from recsys.explorer import Explorer, ItemState, UserState

__all__ = ["Explorer", "ItemState", "UserState"]
