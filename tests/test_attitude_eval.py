"""The attitude model's measurements read the registers' sentences as written and fill the genre where it was."""

from __future__ import annotations

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
