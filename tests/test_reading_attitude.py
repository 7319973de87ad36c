"""The attitude model: what reads a clause the rules cannot place, and only such a clause."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from attitude_spy import Spy

from recsys.reading import AttitudeModel, ProfileReader
from recsys.reading.attitude import THRESHOLD, training_sentences

ITEMS = pd.DataFrame(
    {
        "item_id": [1, 2, 3, 4],
        "title": ["Shane (1953)", "Top Hat (1935)", "Nanook of the North (1922)", "Scream (1996)"],
        "year": [1953.0, 1935.0, 1922.0, 1996.0],
        "genres": [["Western"], ["Musical"], ["Documentary"], ["Horror"]],
    }
)


def reader(p: float) -> tuple[ProfileReader, Spy]:
    spy = Spy(p)
    return ProfileReader(ITEMS, attitude=spy), spy


def test_a_clause_it_reads_as_ruling_out_is_ruled_out_with_a_note() -> None:
    films, spy = reader(0.9)
    reading = films.read("Musicals rank dead last on my list.")
    assert spy.asked == ["Musicals rank dead last on my list."]  # one clause: the whole text, as the model embeds it
    assert reading.rules_out == ("Musical",) and reading.wants == ()
    assert any("how it is put" in note and "Musical" in note for note in reading.notes)
    assert "Musicals" not in reading.kept_text  # the text model does not read what was ruled out


def test_below_the_threshold_a_clause_stays_a_wish() -> None:
    films, spy = reader(THRESHOLD - 0.01)
    reading = films.read("Westerns and documentaries")
    assert spy.asked and set(reading.wants) == {"Western", "Documentary"} and reading.rules_out == ()
    assert not any("how it is put" in note for note in reading.notes)


@pytest.mark.parametrize(
    "text",
    [
        "I love westerns",  # a liking word
        "I can't stand musicals",  # a cue
        "I never say no to a good western",  # a cue answered: the rules decide, not the model
        "I'd rather have a documentary than a musical",  # a comparison
        "I don't think I've ever disliked a western",  # the cue in the clause before reaches in
    ],
)
def test_a_clause_the_rules_place_is_never_asked_about(text: str) -> None:
    films, spy = reader(0.99)
    before = ProfileReader(ITEMS).read(text)
    assert films.read(text) == before and spy.asked == []


def test_only_the_unplaced_clause_of_several_is_asked_about() -> None:
    films, spy = reader(0.9)
    reading = films.read("I love westerns. Documentaries put me off. Musicals, honestly, a chore")
    assert spy.asked == ["Musicals, honestly, a chore"]  # with what follows it after commas; the other clauses are cued
    assert "Western" in reading.wants and {"Documentary", "Musical"} <= set(reading.rules_out)


def test_too_much_of_something_rules_out_without_asking() -> None:
    films, spy = reader(0.0)
    assert films.read("Documentaries are way too slow.").rules_out == ("Documentary",)
    assert spy.asked == []
    assert films.read("Westerns, not too long").wants == ("Western",)  # "not too" is the rules' cue


def test_a_dislike_the_writer_came_round_to_is_a_wish_again_without_a_note() -> None:
    films, spy = reader(0.9)
    reading = films.read("Musicals were a chore for years; now I can't get enough of them.")
    assert spy.asked and reading.wants == ("Musical",) and reading.rules_out == ()
    assert reading.notes == ()


def test_a_title_ending_the_clause_is_quoted_whole_and_stays_liked() -> None:
    films, spy = reader(0.9)
    reading = films.read("Musicals rank below Top Hat. I love westerns")
    assert spy.asked == ["Musicals rank below Top Hat"]
    assert reading.rules_out == ("Musical",) and reading.wants == ("Western",)
    assert [m.item_id for m in reading.titles if m.confident] == [2]  # only the genre is ruled out, not the film


def test_a_clause_after_a_liking_clause_is_still_asked_about() -> None:
    films, spy = reader(0.9)
    reading = films.read("I love westerns, musicals rank dead last on my list")
    assert spy.asked == ["musicals rank dead last on my list"]
    assert reading.wants == ("Western",) and reading.rules_out == ("Musical",)


def test_too_meaning_also_is_no_complaint() -> None:
    films, spy = reader(0.0)
    assert films.read("Musicals too would be nice.").wants == ("Musical",)
    assert spy.asked == ["Musicals too would be nice."]


def test_text_that_describes_an_item_and_english_inside_chinese_are_read_by_the_rules() -> None:
    films, spy = reader(0.99)
    assert films.read("A western, dark and slow", judge=False).wants == ("Western",)
    assert films.read("我喜欢westerns").wants == ("Western",)
    assert spy.asked == []


def test_the_training_sentences_are_fixed_and_balanced() -> None:
    texts, labels = training_sentences()
    assert (texts, labels.tolist()) == (training_sentences()[0], training_sentences()[1].tolist())
    assert 0.4 < labels.mean() < 0.6 and len(set(texts)) == len(texts)
    assert not any("{g}" in t for t in texts)


def test_the_model_is_a_logistic_regression_on_the_encoders_vectors() -> None:
    # A toy encoder: one coordinate for "ruling-out" words of the training sentences, one for the rest.
    texts, labels = training_sentences()
    ruled = {w for t, y in zip(texts, labels) if y for w in t.lower().split()} - {
        w for t, y in zip(texts, labels) if not y for w in t.lower().split()
    }

    def encode(batch):
        return np.array([[sum(w in ruled for w in t.lower().split()), 1.0] for t in batch])

    model = AttitudeModel.fit(encode)
    low, high = model(["lovely westerns", "westerns are " + " ".join(sorted(ruled)[:3])])
    assert high > THRESHOLD > low


@pytest.mark.slow
def test_the_explorers_reader_asks_its_own_text_model(explorer) -> None:
    assert explorer.read("Musicals rank dead last on my list.").rules_out == ("Musical",)
    assert set(explorer.read("Westerns and war movies").wants) == {"Western", "War"}
    user = explorer.new_user("Musicals rank dead last on my list.")
    assert explorer.embedded_text(user) != user.text  # the model does not read the ruled-out clause
    shown = explorer.recommend(user, k=20)
    musicals = explorer.dataset.items.set_index("item_id").loc[shown["item_id"], "genres"].map(lambda g: "Musical" in g)
    assert musicals.sum() == 0
