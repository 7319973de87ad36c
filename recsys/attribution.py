"""Which words of a profile matter: interest keywords and leave-one-word-out score changes."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from recsys.explorer import Explorer, UserState

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "i",
        "i'm",
        "im",
        "in",
        "into",
        "is",
        "it",
        "its",
        "like",
        "love",
        "me",
        "my",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "them",
        "this",
        "to",
        "too",
        "very",
        "was",
        "we",
        "with",
        "you",
        "your",
        "really",
        "just",
        "some",
        "any",
        "all",
        "more",
        "most",
        "much",
        "lot",
        "lots",
        "also",
        "about",
        "what",
        "who",
        "watch",
        "watching",
        "movie",
        "movies",
        "film",
        "films",
        "want",
        "enjoy",
        "enjoyed",
        "please",
        "something",
        "things",
        "thing",
    ]
)
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
MAX_WORDS = 40


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def interest_keywords(explorer: Explorer, text: str, k: int = 6) -> pd.DataFrame:
    """The phrases of ``text`` closest in meaning to the whole profile (KeyBERT-style).

    Candidates are single words and two-word phrases without stop words; each is embedded
    by the same language model and ranked by cosine similarity to the profile's embedding.
    """
    candidates: list[str] = []
    # Two-word phrases never cross punctuation ("space operas: epic" is not a phrase).
    for clause in re.split(r"[.,;:!?()\[\]\n]+", text)[: MAX_WORDS * 2]:
        tokens = words(clause)
        lowered = [w.lower() for w in tokens]
        for i, word in enumerate(lowered):
            if word not in STOPWORDS and len(word) > 2:
                candidates.append(tokens[i])
                if i + 1 < len(lowered) and lowered[i + 1] not in STOPWORDS and len(lowered[i + 1]) > 2:
                    candidates.append(f"{tokens[i]} {tokens[i + 1]}")
    candidates = list(dict.fromkeys(candidates))[: MAX_WORDS * 2]
    if not candidates:
        return pd.DataFrame({"keyword": [], "relevance": []})
    vectors = explorer.encoder.encode([text, *candidates])
    relevance = vectors[1:] @ vectors[0]
    order = np.argsort(-relevance)
    chosen: list[int] = []
    for i in order:
        # Skip a phrase whose words are all inside one already chosen (keeps the list varied).
        if any(set(candidates[i].lower().split()) <= set(candidates[j].lower().split()) for j in chosen):
            continue
        chosen.append(int(i))
        if len(chosen) == k:
            break
    return pd.DataFrame({"keyword": [candidates[i] for i in chosen], "relevance": relevance[chosen].astype(float)})


def word_influence(explorer: Explorer, user: UserState, item_id) -> pd.DataFrame:
    """Score change of ``item_id`` when each word of the profile is left out.

    Positive ``delta`` means the word pushes the item up. The session's feedback offsets
    are kept, so only the text's contribution varies.
    """
    tokens = words(user.text)[:MAX_WORDS]
    if len(tokens) < 2:
        return pd.DataFrame({"position": [], "word": [], "delta": []})
    base = float(explorer.explain(user, item_id)["score"])
    deltas = []
    variants = [" ".join(tokens[:i] + tokens[i + 1 :]) for i in range(len(tokens))]
    explorer.encoder.encode(variants)  # one batch; the per-variant calls below hit the cache
    for text in variants:
        other = explorer.new_user(text, user.demographics, liked=user.liked)
        other = replace(other, delta_e=user.delta_e, delta_b=user.delta_b)
        deltas.append(base - float(explorer.explain(other, item_id)["score"]))
    return pd.DataFrame({"position": range(len(tokens)), "word": tokens, "delta": deltas})
