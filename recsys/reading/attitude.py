"""The attitude model: does a clause the rules could not place rule its genre out?

The rules of :mod:`recsys.reading.negation` know cues ("can't stand", "bores me", "not for
me"); a clause that names a genre with neither a cue nor a liking word ("history books are
too dry", "musicals rank dead last on my list") used to be read as a wish, whatever it said.
New phrasings of dislike are endless, so such a clause is read by a small learned model
instead of another rule: a logistic regression on the text model's sentence vectors,
trained on the sentences of ``attitude_en.toml`` (each says how its writer feels about a
genre, filled with several genre phrases so the model learns the attitude, not the genre).

The model is fitted when first needed, in about a second once the text model has embedded
its 800 sentences (they stay in the text model's disk cache; embedding them the first time
takes ten to twenty seconds on two cores). It only ever sees clauses the rules left
unplaced, so a cue the rules read always wins.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Sentences that rule "{g}" out, sentences that want it, and the genre phrases put in for "{g}".
_DATA = tomllib.loads(Path(__file__).with_name("attitude_en.toml").read_text(encoding="utf-8"))
#: Genre phrases each sentence is filled with.
FILLS_PER_SENTENCE = 6
#: A clause is read as ruling its genre out when the model gives it at least this probability.
#: Chosen on the built sentences of ``bench/reading`` (see docs/benchmark.md); 0.5 would rule out more wishes.
THRESHOLD = 0.6

Encode = Callable[[Sequence[str]], np.ndarray]


def training_sentences(seed: int = 0) -> tuple[list[str], np.ndarray]:
    """The model's training sentences and labels (1: rules the genre out), the same for a given ``seed``."""
    rng = random.Random(seed)
    texts: list[str] = []
    labels: list[int] = []
    for label, key in ((1, "rules_out"), (0, "wants")):
        for template in _DATA[key]:
            for fill in rng.sample(_DATA["fills"], FILLS_PER_SENTENCE):
                sentence = template.replace("{g}", fill)
                texts.append(sentence[:1].upper() + sentence[1:])
                labels.append(label)
    return texts, np.asarray(labels, dtype=np.int64)


@dataclass(frozen=True)
class AttitudeModel:
    """P(a clause rules its genre out), from the text model's vector of the clause.

    Example:
        >>> encode = lambda texts: np.array([[1.0, 0.0] if "dull" in t else [0.0, 1.0] for t in texts])
        >>> model = AttitudeModel(encode, weights=np.array([4.0, -4.0]), bias=0.0)
        >>> [round(p, 2) for p in model(["Westerns are dull", "Westerns, please"])]
        [0.98, 0.02]
    """

    encode: Encode
    weights: np.ndarray
    bias: float

    @classmethod
    def fit(cls, encode: Encode, seed: int = 0) -> AttitudeModel:
        """Fit on :func:`training_sentences` as ``encode`` embeds them (deterministic for a given text model)."""
        from sklearn.linear_model import LogisticRegression

        texts, labels = training_sentences(seed)
        vectors = np.asarray(encode(texts), dtype=np.float64)
        regression = LogisticRegression(C=1.0, max_iter=2000).fit(vectors, labels)
        return cls(encode, regression.coef_[0].copy(), float(regression.intercept_[0]))

    def __call__(self, texts: Sequence[str]) -> list[float]:
        """For each text, the probability that it rules out the genre it names."""
        if not texts:
            return []
        logits = np.asarray(self.encode(list(texts)), dtype=np.float64) @ self.weights + self.bias
        return [float(p) for p in 1.0 / (1.0 + np.exp(-logits))]
