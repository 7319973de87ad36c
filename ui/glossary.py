"""The words the pages use, said plainly: a glossary in the sidebar of every page, with a filter.

The pages speak the model's language (b_i, ⟨e_u, e_i⟩, softmax, recall@20, RBO …) because the people who teach the
scoring math need it; a product manager in the same demo needs one sentence per word. Each entry is the word as the
pages print it (``term``), what else it is called or found under (``also``, for the filter), and the plain sentence.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import streamlit as st

from ui import literal, session

#: The list's score, said plainly: a product manager read its negative scores as bad ones (also the list header's help).
SCORE = (
    "How strongly the model expects this person to like the item: the higher, the likelier. Negative scores are normal — "
    "within a list only the order matters; p(like) says a score as a chance."
)


class Entry(NamedTuple):
    term: str
    also: str
    plain: str


GLOSSARY: tuple[Entry, ...] = (
    # The score and its terms.
    Entry("score r̂", "logit log-odds negative", SCORE),
    Entry("μ", "mu global", "The catalogue's overall tendency to like, the same for every person and item."),
    Entry("b_u", "user bias", "How much this person likes things in general, compared with the average user."),
    Entry("b_i", "item bias popularity", "How well liked the item is by everyone, whoever asks: the non-personal part of its score."),
    Entry(
        "⟨e_u, e_i⟩",
        "dot product match personal",
        "The match between the person's taste vector and the item's vector: the personal part of the score, split on "
        "Score anatomy into one term per source of evidence.",
    ),
    Entry("σ", "sigma sigmoid", "Turns a score into a number between 0 and 1: σ(0) = 0.5, σ(2) ≈ 0.88."),
    Entry(
        "p(like)",
        "probability calibrated Platt chance",
        "The chance that the person likes the item as this catalogue counts a like (4–5 stars on MovieLens), from its "
        "score: through a map fitted on held-out ratings (Platt scaling) when a benchmark run of this catalogue exists, "
        "else σ(r̂).",
    ),
    Entry(
        "ECE",
        "calibration error reliability",
        "Expected calibration error: the average gap between the p the model states and how often pairs given that p were "
        "really liked. 0 is perfect.",
    ),
    # How the vectors are made.
    Entry(
        "embedding",
        "vector e_u e_i space",
        "A list of numbers placing a text, a person or an item in a space where near means alike. e_u is the person's, e_i the item's.",
    ),
    Entry(
        "modality",
        "source of evidence",
        "One kind of evidence: profile text, demographics, onboarding likes and the collaborative part for a person; text, "
        "attributes and the collaborative part for an item.",
    ),
    Entry(
        "collaborative",
        "ID id row warm",
        "What the model learned from one user's or one item's own ratings. New users and new items have none until they are trained on.",
    ),
    Entry(
        "fusion weights α",
        "alpha weights",
        "How much each modality weighs in a vector; they add up to 1 over the modalities a person or item has.",
    ),
    Entry(
        "softmax(g)",
        "global weights gate",
        "What the fusion weights would be from the global preferences g alone; each user's gate, read from their text, "
        "shifts g before the softmax, so no user has exactly these weights.",
    ),
    Entry("tower", "user tower item tower", "The part of the model that turns one side's evidence (users, or items) into its vector."),
    Entry(
        "UMAP",
        "map UMAP 1 UMAP 2 projection",
        "The method that draws the many-dimensional space on a flat map. Only nearness means something there; the axes "
        "UMAP 1 and UMAP 2 have no meaning of their own.",
    ),
    Entry("cosine", "similarity", "How alike two vectors point: 1 the same direction, 0 unrelated."),
    Entry(
        "online update",
        "K steps η eta λ lambda λ_b feedback",
        "After each like or rating, the person's vector and bias are refitted to all their feedback so far in K small "
        "steps (step size η); λ and λ_b keep them near where the profile put them.",
    ),
    # How the results are judged.
    Entry(
        "cold-start",
        "cold start new user new item N likes",
        "A person or an item with no ratings yet. N = the likes a new person has given so far; the warm-up curve follows "
        "the list's quality as N grows.",
    ),
    Entry("recall@20", "recall", "Of the items a held-out person liked, the share found in their top-20."),
    Entry("precision@20", "precision", "Of the 20 items listed, the share the person liked."),
    Entry("F1@20", "F1", "One number for both: the harmonic mean of precision@20 and recall@20."),
    Entry("NDCG@20", "NDCG ranking quality", "Like recall, but a liked item near the top of the list counts more than one at the bottom."),
    Entry("HR@10", "hit rate", "The share of people with at least one liked item in their top-10."),
    Entry(
        "95% CI",
        "confidence interval ±",
        "A range around a measured value, from its spread over people; ranges built this way hold the true value 95 times in 100.",
    ),
    Entry("novelty (bits)", "novelty", "How far from the obvious the listed items are: higher means less popular picks."),
    Entry("coverage", "catalogue coverage", "The share of the catalogue that appears in anyone's list."),
    Entry(
        "Gini of exposure",
        "Gini",
        "How unevenly the list slots go to items: 0 every item shown equally often, towards 1 a few take every slot.",
    ),
    Entry("Jaccard", "overlap", "The overlap of two lists: items in both over items in either (1 = the same items)."),
    Entry("RBO", "rank-biased overlap", "Like Jaccard, but agreement near the top of the two lists counts most."),
    Entry(
        "entropy",
        "polarising onboarding",
        "How spread out people's ratings of an item are: one rated everything from 1 to 5 has high entropy, one everybody "
        "rates 4 has none.",
    ),
    Entry(
        "largest expected change of e_u",
        "onboarding strategy adaptive",
        "An onboarding strategy: ask about the item whose answer would move the person's vector the most.",
    ),
)


def matching(query: str, entries: tuple[Entry, ...] = GLOSSARY) -> list[Entry]:
    """The entries whose word, other names or sentence hold a word starting with each word of ``query`` (case ignored;
    all when empty): "id" finds the collaborative part, not every "side" and "divided".

    Example:
        >>> [e.term for e in matching("hit")]
        ['HR@10']
        >>> [e.term for e in matching("item bias")]
        ['b_i']
        >>> [e.term for e in matching("lambda")]
        ['online update']
    """
    starts = [re.compile(r"(?<!\w)" + re.escape(word)) for word in query.lower().split()]
    return [e for e in entries if all(start.search(f"{e.term} {e.also} {e.plain}".lower()) for start in starts)]


def sidebar() -> None:
    """The glossary at the foot of the sidebar, behind a toggle (an expander's body runs and sits in the page even when
    closed: every page would carry thirty hidden sentences), then a filter and one line per word."""
    if not st.sidebar.toggle("📖 What the words mean", key=session.GLOSSARY_OPEN):
        return
    query = st.sidebar.text_input("Find a word", key=session.GLOSSARY_FIND, placeholder="e.g. b_i, recall, UMAP")
    found = matching(query)
    if found:
        st.sidebar.markdown("\n".join(f"- **{literal.md(e.term)}** — {literal.md(e.plain)}" for e in found))
    else:
        st.sidebar.caption(f"No word here matches “{literal.md(query)}”.")
