"""What the tenth round of sentences taught the reader: a genre that does something to the writer is not asked for
("Westerns give me a headache" is no "give me westerns"), and a question or fragment that says how something makes the
writer feel before naming it ("what bores me to tears? poetry", "Puts me to sleep: documentaries") rules out its answer,
not what came before it.

Found on the first writer's sentences of ``bench/reading/round10/built.jsonl``; the sentences here are new wordings of
the same constructions, with look-alikes that must not flip.
"""

from __future__ import annotations

import pytest
from attitude_spy import RULES_GENRES, Spy, genres_read, one_item_per_genre, read_by_rules

from recsys.reading import ProfileReader

FILMS = [*RULES_GENRES, "Action", "Drama"]
MOVIELENS = [
    "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir",
    "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
]  # fmt: skip  # the rules-only genres, and two these sentences name


def reads(text: str) -> tuple[set, set]:
    return genres_read(text, FILMS)


@pytest.mark.parametrize(
    "text",
    [
        "Westerns give me a headache.",
        "Musicals really give me the creeps",
        "Horror films always give me nightmares, honestly.",
        "Documentaries? They give me a migraine.",
    ],
)
def test_a_genre_that_gives_the_writer_something_is_not_asked_for(text: str) -> None:
    """The genre is the subject of "give me": the clause is not a request, so the attitude model reads it (here a
    stand-in that rules out whatever it is asked about) or a known cue does."""
    spy = Spy(0.9)
    reading = ProfileReader(one_item_per_genre(FILMS), attitude=spy).read(text)
    assert reading.wants == () and len(reading.rules_out) == 1, (text, reading)


@pytest.mark.parametrize(
    ("text", "wants"),
    [
        ("Give me westerns.", ("Western",)),
        ("So just give me westerns, please.", ("Western",)),
        ("Honestly give me a western any day", ("Western",)),
        ("No more dramas. Give me a good thriller", ("Thriller",)),
    ],
)
def test_a_request_is_still_a_request(text: str, wants: tuple) -> None:
    """Look-alikes: "give me" with nothing of its own before it asks for what follows; the attitude model, which would
    rule out anything, is not asked about it."""
    spy = Spy(0.9)
    reading = ProfileReader(one_item_per_genre(FILMS), attitude=spy).read(text)
    assert set(reading.wants) == set(wants), (text, reading)
    assert not set(reading.wants) & set(reading.rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("what bores me to tears? poetry, every time", (), ("Poetry",)),
        ("Comedies are great. What puts me to sleep? Westerns.", ("Comedy",), ("Western",)),
        ("I love a good thriller. Bores me stiff: musicals.", ("Thriller",), ("Musical",)),
        # Look-alikes: a question that asks what the writer likes, and one whose answer is a liking.
        ("What do I love? Westerns.", ("Western",), ()),
        ("what makes me cringe? nothing, I love romance", ("Romance",), ()),
    ],
)
def test_a_cue_before_what_it_is_about_rules_out_the_answer_not_what_came_before(text: str, wants: tuple, rules_out: tuple) -> None:
    assert reads(text) == (set(wants), set(rules_out)), text


@pytest.mark.parametrize(
    ("text", "rules_out"),
    [
        ("Romantic comedies always leave me rolling my eyes", ("Romance",)),
        ("Westerns? I end up dozing off.", ("Western",)),
        ("War films have me nodding off by the first battle", ("War",)),
        ("the minute a cowboy rides into town I'm changing the channel", ("Western",)),
    ],
)
def test_a_reaction_is_read_in_its_other_forms(text: str, rules_out: tuple) -> None:
    """A reaction listed as "roll my eyes", "doze off", "nod off", "change the channel" is the same reaction as
    "rolling my eyes", "dozing off", "nodding off", "changing the channel"."""
    assert set(rules_out) <= reads(text)[1], text


def test_a_question_that_only_says_how_something_is_disliked_is_not_read_by_the_text_model() -> None:
    reading = read_by_rules("what bores me to tears? musicals. give me space operas", FILMS)
    assert (reading.wants, reading.rules_out, reading.kept_text) == (("Sci-Fi",), ("Musical",), "give me space operas")


def test_a_misspelling_two_genre_words_are_equally_near_reads_the_same_in_every_run() -> None:
    """ "heast" is one edit from "heart" and from "heist": the correction took whichever the run's set order met first,
    so a sentence could read differently from one process to the next (PYTHONHASHSEED). Ties now go the same way."""
    import os
    import subprocess
    import sys

    script = (
        "from attitude_spy import read_by_rules\n"
        f"genres = {MOVIELENS!r}\n"
        "for text in ('heast films please', 'crims and cartoons', 'arimes please'):\n"
        "    print(sorted(read_by_rules(text, genres).wants))\n"
    )
    here = os.path.dirname(__file__)
    runs = {
        subprocess.run(
            [sys.executable, "-c", script], cwd=here, capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": here},
        ).stdout
        for seed in range(6)
    }  # fmt: skip
    assert len(runs) == 1, runs
    # And the tie goes to a word that names a genre on its own: "heist" (not "heart"), "crime" (not "cries").
    assert runs.pop().split("\n")[:2] == ["['Crime']", "['Animation', 'Crime']"]
