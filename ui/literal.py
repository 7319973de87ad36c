"""Text a person typed or linked, inside Markdown, shown exactly as typed: no HTML, no Markdown, no LaTeX.

Streamlit renders Markdown (and ``$…$`` as LaTeX) in ``st.markdown``, captions, alerts, toasts,
button and widget labels. Every name, profile, description, title from an uploaded catalogue
or error message that carries such text goes through :func:`md` on its way there.
"""

from __future__ import annotations

import html
import re

# The punctuation that Markdown, its GitHub extensions, Streamlit's :colour[…] and :emoji: directives and $…$ math
# read, backslash-escaped (CommonMark allows it for any punctuation); < > & become entities instead, so they stay
# text with or without unsafe_allow_html.
_MARKDOWN = re.compile(r"""([!#$()*+\-.:=\[\\\]^_`{|}~])""")


def md(text: object) -> str:
    r"""``text`` escaped for Streamlit Markdown, so it renders literally.

    Example:
        >>> print(md("**hi** <b> $x$"))
        \*\*hi\*\* &lt;b&gt; \$x\$
    """
    return html.escape(_MARKDOWN.sub(r"\\\1", str(text)), quote=False)
