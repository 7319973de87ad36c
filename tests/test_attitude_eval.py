"""The attitude model's measurements read the registers' sentences as written and fill the genre where it was."""

from __future__ import annotations

import numpy as np

from recsys_bench import attitude_eval as AE


def test_every_register_is_read_with_balanced_labels_and_one_genre_slot() -> None:
    registers = AE.registers()
    assert set(registers) == {"shipped", "A", "B", "C", "D", "E", "F"}
    for name, pairs in registers.items():
        assert all("{g}" in template for _, template in pairs), name
        if name != "shipped":  # the shipped sentences may name it twice ("{g} and more {g}")
            assert all(template.count("{g}") == 1 for _, template in pairs), name
            assert len(pairs) == 180 and sum(label for label, _ in pairs) == 90, name
    assert sum(len(pairs) for name, pairs in registers.items() if name != "shipped") == 1080


def test_a_filled_sentence_carries_its_label_and_the_span_of_the_genre_put_in() -> None:
    pairs = [(1, "{g}? hard pass"), (0, "more {g} please")]
    texts, spans, labels = AE.filled(pairs, 3)
    assert len(texts) == 6 and labels.tolist() == [1, 1, 1, 0, 0, 0]
    for text, (a, b) in zip(texts, spans):
        assert text[a:b].lower() in {fill.lower() for fill in AE.A._DATA["fills"]}
    assert AE.filled(pairs, 3)[0] == texts  # the same fills for the same seed


def test_the_development_sentences_never_include_a_held_out_file() -> None:
    sentences = AE.development_sentences()
    built = {s.id for folder in AE.DEVELOPMENT for s in AE.R.load("built", AE.R.FOLDER / folder)}
    held = {s.id for folder in AE.DEVELOPMENT for s in AE.R.load("heldout", AE.R.FOLDER / folder)}
    assert {s.id for s in sentences} == built and not built & held


def _oracle() -> dict[str, int]:
    """Every filled sentence of every register, with its label: what a perfect encoder would know."""
    known = {}
    for name, pairs in AE.registers().items():
        texts, _, labels = AE.filled(pairs, 6 if name == "shipped" else AE.FILLS)
        known.update(zip(texts, labels.tolist()))
    return known


def test_across_registers_scores_a_perfect_encoder_perfect_and_a_blind_one_at_one_side() -> None:
    known = _oracle()
    perfect = AE.across_registers(lambda texts: np.array([[known[t], 1 - known[t]] for t in texts], dtype=float))
    assert set(perfect) == {"shipped", "A", "B", "C", "D", "E", "F"}
    assert all(r == {"rules_out": 1.0, "wants": 1.0} for r in perfect.values()), perfect
    blind = AE.across_registers(lambda texts: np.ones((len(texts), 2)))  # one answer for everything: one side all wrong
    assert all(min(r.values()) == 0.0 and max(r.values()) == 1.0 for r in blind.values()), blind


def test_auc_ranks_exclusions_above_wishes() -> None:
    labels = np.array([0, 0, 1, 1])
    assert AE.auc(labels, np.array([0.1, 0.2, 0.8, 0.9])) == 1.0
    assert AE.auc(labels, np.array([0.9, 0.8, 0.2, 0.1])) == 0.0
