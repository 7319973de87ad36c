"""Does the attitude model carry to wording it was not trained on? Registers, real sentences, and a token tagger.

``python -m recsys_bench.attitude_eval`` prints three measurements of the reader's attitude model
(:mod:`recsys.reading.attitude`), all on the default text model:

1. **Across registers.** The 1,080 sentences of ``bench/reading/round4/attitude/`` were written by
   six helper sessions, one register each (teenagers texting, polite older people, terse
   form-fillers, chatty storytellers, second-language writers, theatrical wits); the shipped
   ``attitude_en.toml`` counts as a seventh. Each register is held out in turn and read by a
   model fitted on the others: the share of its exclusions and of its wishes read right.
2. **On real sentences.** The development sentences of rounds 3 and 4 (``built.jsonl``) that only
   want or only rule out genres, read whole: how well each model's probability separates the two
   (AUC), for the shipped model and for one fitted on every register.
3. **A tagger on token states** (what the reading issue suggests): a logistic regression on the
   text model's token states at the genre phrase, with the mean of the sentence's, fitted on the
   same filled sentences and scored on every genre mention of those development sentences.

The held-out sentence files are never read here. The numbers are in docs/benchmark.md ("A fourth round").
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Sequence

import numpy as np

from recsys.reading import attitude as A
from recsys_bench import reading_eval as R

REGISTERS = R.FOLDER / "round4" / "attitude"
#: The development sentence files the real-sentence measurements read.
DEVELOPMENT = ("round3", "round4")
#: Genre phrases put in for "{g}" per written sentence (the shipped sentences keep their own six).
FILLS = 3


def registers() -> dict[str, list[tuple[int, str]]]:
    """Every register's (label, template) pairs, label 1 = rules "{g}" out; the shipped sentences are ``"shipped"``."""
    out = {"shipped": [(1, t) for t in A._DATA["rules_out"]] + [(0, t) for t in A._DATA["wants"]]}
    for path in sorted(REGISTERS.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        out[path.stem] = [(int(row["label"] == "rules_out"), row["text"]) for row in rows]
    return out


def filled(pairs: Sequence[tuple[int, str]], fills: int, seed: int = 0) -> tuple[list[str], list[tuple[int, int]], np.ndarray]:
    """Each template filled with ``fills`` genre phrases: texts, the phrase's character span in each, labels."""
    rng = random.Random(seed)
    texts, spans, labels = [], [], []
    for label, template in pairs:
        at = template.index("{g}")
        for fill in rng.sample(A._DATA["fills"], fills):
            text = template.replace("{g}", fill)
            texts.append(text[:1].upper() + text[1:])
            spans.append((at, at + len(fill)))
            labels.append(label)
    return texts, spans, np.asarray(labels)


def fit_logistic(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=5000).fit(x, y)


def across_registers(encode: Callable[[Sequence[str]], np.ndarray]) -> dict[str, dict[str, float]]:
    """Per register held out: the share of its exclusions (p ≥ the reader's threshold) and wishes (p below it) read right."""
    data = {}
    for name, pairs in registers().items():
        texts, _, labels = filled(pairs, 6 if name == "shipped" else FILLS)
        data[name] = (np.asarray(encode(texts), dtype=np.float64), labels)
    out = {}
    for held in data:
        x = np.vstack([data[n][0] for n in data if n != held])
        y = np.concatenate([data[n][1] for n in data if n != held])
        p = fit_logistic(x, y).predict_proba(data[held][0])[:, 1]
        truth = data[held][1]
        out[held] = {"rules_out": float(np.mean(p[truth == 1] >= A.THRESHOLD)), "wants": float(np.mean(p[truth == 0] < A.THRESHOLD))}
    return out


def development_sentences() -> list[R.Sentence]:
    return [s for folder in DEVELOPMENT for s in R.load("built", R.FOLDER / folder)]


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores))


def on_real_sentences(encode: Callable[[Sequence[str]], np.ndarray]) -> dict[str, float]:
    """AUC of the shipped model and of one fitted on every register, on one-sided development sentences read whole."""
    one_sided = [
        s for s in development_sentences() if bool(s.rules_out) != bool(s.wants) and not (s.rules_out_optional or s.wants_optional)
    ]
    texts = [s.text for s in one_sided]
    labels = np.asarray([int(bool(s.rules_out)) for s in one_sided])
    pooled = [pair for pairs in registers().values() for pair in pairs]
    train, _, y = filled(pooled, FILLS)
    model = fit_logistic(np.asarray(encode(train), dtype=np.float64), y)
    return {
        "sentences": len(one_sided),
        "shipped": auc(labels, np.asarray(A.AttitudeModel.fit(encode)(texts))),
        "every register": auc(labels, model.predict_proba(np.asarray(encode(texts), dtype=np.float64))[:, 1]),
    }


def _token_features(encoder, texts: Sequence[str], spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """Mean token state over the character span, beside the mean over the whole text."""
    import torch

    tokenizer, transformer = encoder.model.tokenizer, encoder.model[0].auto_model
    rows = []
    for start in range(0, len(texts), 64):
        batch = list(texts[start : start + 64])
        encoded = tokenizer(batch, padding=True, truncation=True, max_length=128, return_tensors="pt", return_offsets_mapping=True)
        offsets = encoded.pop("offset_mapping").numpy()
        with torch.no_grad():
            states = transformer(**encoded).last_hidden_state.numpy()
        for j, (a, b) in enumerate(spans[start : start + 64]):
            real = offsets[j, :, 1] > offsets[j, :, 0]
            inside = real & (offsets[j, :, 0] < b) & (offsets[j, :, 1] > a)
            rows.append(np.concatenate([states[j][inside if inside.any() else real].mean(0), states[j][real].mean(0)]))
    return np.asarray(rows)


def mentions() -> list[tuple[str, int, int, int]]:
    """Every genre mention of the development sentences the labels decide: (text, start, end, 1 if ruled out)."""
    from recsys.reading import negation

    spans: list[list] = []
    original = negation._Negation.negation

    def recording(self, *args, **kwargs):
        spans.append([(self.doc.start[self.word[h.first]], self.doc.end[self.last_word[h.last]], h.labels) for h in self.genre_hits])
        return original(self, *args, **kwargs)

    out = []
    negation._Negation.negation = recording
    try:
        for name in R.CATALOGUES:
            catalogue = R.load_catalogue(name)
            for sentence in (s for s in development_sentences() if s.catalogue == name):
                spans.clear()
                catalogue.reader.read(sentence.text)
                for a, b, labels in spans[0] if spans else []:
                    sides = {int(label in sentence.rules_out) for label in labels if label in sentence.rules_out | sentence.wants}
                    if len(sides) == 1:
                        out.append((sentence.text, a, b, sides.pop()))
    finally:
        negation._Negation.negation = original
    return out


def token_tagger(encoder) -> dict[str, float]:
    """AUC of a tagger on token states, fitted on every register's filled sentences, over the development mentions."""
    pooled = [pair for pairs in registers().values() for pair in pairs]
    texts, spans, labels = filled(pooled, FILLS)
    model = fit_logistic(_token_features(encoder, texts, spans), labels)
    found = mentions()
    x = _token_features(encoder, [m[0] for m in found], [(m[1], m[2]) for m in found])
    return {"mentions": len(found), "auc": auc(np.asarray([m[3] for m in found]), model.predict_proba(x)[:, 1])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.attitude_eval", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    from recsys.encoders import make_encoder

    encoder = make_encoder()
    print("1. one register held out, read by a model fitted on the others (share read right at the reader's threshold)")
    for name, shares in across_registers(encoder.encode).items():
        print(f"   {name:8s} exclusions {shares['rules_out']:.2f}  wishes {shares['wants']:.2f}")
    real = on_real_sentences(encoder.encode)
    print(
        f"2. {real['sentences']} one-sided development sentences, read whole: AUC shipped {real['shipped']:.3f}, every register {real['every register']:.3f}"
    )
    tagged = token_tagger(encoder)
    print(f"3. a tagger on token states at {tagged['mentions']} development genre mentions: AUC {tagged['auc']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
