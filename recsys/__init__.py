"""Cold-start recommendations from language-model embeddings, with every score term explained.

The public interface (SPEC §8) is :class:`Explorer`; nothing here imports Streamlit.
"""

from __future__ import annotations

from recsys.explorer import Explorer, ItemState, UserState

__all__ = ["Explorer", "ItemState", "UserState"]
