"""What the fifth round of sentences taught the rules: not having seen a genre, negations carried by a question or by
the subject, rare habits, and dislikes of an event rather than a genre.

Found on the first writer's sentences of ``bench/reading/round5/built.jsonl``; the sentences here are new wordings of
the same constructions. The attitude model is a spy that never rules anything out, so what is tested is the rules
alone.
"""

from __future__ import annotations

import pytest
from attitude_spy import RULES_GENRES, Spy, assert_reads, one_item_per_genre, read_by_rules

from recsys.reading import ProfileReader

ITEMS = one_item_per_genre(RULES_GENRES)
read = read_by_rules


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("I've never seen a western.", (), ()),
        ("I haven't tried sci-fi yet, not sure about it.", (), ()),
        ("Westerns I've never seen, so recommend me one", ("Western",), ()),
        ("I've hardly seen any westerns, I'd like to try some", ("Western",), ()),
        ("Haven't watched a single musical yet, but I'm curious.", ("Musical",), ()),
        ("I've never read any poetry and I'd love to start.", ("Poetry",), ()),
        # Refusing to try, or a habit, is still a dislike.
        ("I have never seen a horror film and never will.", (), ("Horror",)),
        ("I've never watched a documentary in my life and I'm not about to start.", (), ("Documentary",)),
        ("I never watch horror.", (), ("Horror",)),
        ("I never read romance.", (), ("Romance",)),
        ("I haven't watched a musical in years and don't plan to.", (), ("Musical",)),
    ],
)
def test_not_having_seen_a_genre_is_no_dislike_and_asking_to_try_it_is_a_wish(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Who doesn't love a good western?", ("Western",), ()),
        ("What's not to like about a creepy horror film?", ("Horror",), ()),
        ("Why would anyone refuse a musical?", ("Musical",), ()),
        ("Who needs horror when you have real life?", (), ("Horror",)),
        ("Why would I watch a musical?", (), ("Musical",)),
        ("Honestly, who needs yet another romance?", (), ("Romance",)),
        ("Documentaries? Why would I want homework on a Friday night.", (), ("Documentary",)),
        ("Who has time for a three-hour musical?", (), ("Musical",)),
        ("Isn't a good western the best way to spend a Sunday?", ("Western",), ()),
        ("Isn't horror the worst?", (), ("Horror",)),
        ("Don't you love a good comedy?", ("Comedy",), ()),
        ("Don't you hate musicals?", (), ("Musical",)),
    ],
)
def test_a_rhetorical_question_reads_as_the_answer_it_expects(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Nobody in this house would ever refuse a comedy", ("Comedy",), ()),
        ("No one can resist a good comedy.", ("Comedy",), ()),
        ("No one here ever says no to a thriller.", ("Thriller",), ()),
        ("Nobody loves a gritty crime film more than me.", ("Crime",), ()),
        ("Nobody dislikes a good western.", ("Western",), ()),
        ("Nobody hates musicals more than I do.", (), ("Musical",)),
        ("Nobody at home can stand westerns.", (), ("Western",)),
        ("No one in my family likes horror.", (), ("Horror",)),
    ],
)
def test_a_negation_carried_by_the_subject_is_undone_by_a_second_one_or_a_boast(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("I rarely watch comedies.", (), ("Comedy",)),
        ("I seldom enjoy musicals but love a good war film.", ("War",), ("Musical",)),
        ("I barely tolerate musicals.", (), ("Musical",)),
        ("I rarely miss a new thriller.", ("Thriller",), ()),
        ("I barely watch anything other than westerns.", ("Western",), ()),
        ("I don't like anything except westerns.", ("Western",), ()),
        ("I could hardly believe how good that crime movie was", ("Crime",), ()),
        ("I can't believe how good westerns are", ("Western",), ()),
    ],
)
def test_rare_habits_rule_out_and_a_second_negation_after_them_is_a_wish(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("I hate it when horror films rely on jump scares, I want proper slow-burn horror.", ("Horror",), ()),
        ("I can't stand it when a romance ends badly, so happy ones please.", ("Romance",), ()),
        ("I hate when people talk during comedies, but I love comedies.", ("Comedy",), ()),
        ("I hate horror when it's gory.", (), ("Horror",)),
    ],
)
def test_a_dislike_of_an_event_is_not_a_dislike_of_the_genre_it_happens_in(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


def test_predictable_is_a_complaint_about_what_the_pronoun_points_back_to() -> None:
    assert_reads("People rave about romance novels but I find them really predictable.", (), ("Romance",))


def test_the_text_model_does_not_read_a_clause_about_a_genre_the_writer_has_not_seen() -> None:
    reading = read("I haven't tried sci-fi yet. I love comedies.")
    assert reading.wants == ("Comedy",) and reading.kept_text == "I love comedies."


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        # A relative "who" is no question.
        ("I'm someone who doesn't like horror", (), ("Horror",)),
        ("I'm someone who wants a good thriller", ("Thriller",), ()),
        # Not seen is said of what follows it, not of a genre liked before it, nor across to a clause of its own.
        ("I love comedies and have never seen a western", ("Comedy",), ()),
        ("I've never seen a western, but I'd like to try more comedies", ("Comedy",), ()),
        ("I've never seen a western, but I won't watch horror", (), ("Horror",)),
        # Idioms of dislike with "seen", and a complaint after it.
        ("I've never seen the point of horror", (), ("Horror",)),
        ("I've never seen a horror film I enjoyed", (), ("Horror",)),
        ("I've never tried sci-fi because it bores me", (), ("Sci-Fi",)),
        # An event's genre is neutral, and a cue after the event still counts.
        ("I hate it when apps recommend me horror films", (), ()),
        ("I hate it when romances end badly and westerns bore me", (), ("Western",)),
        ("Who doesn't love a western and who needs musicals?", ("Western",), ("Musical",)),
        # "when" opening the next sentence is not the event of this one.
        ("Horror I hate. When I want to relax I watch comedies.", ("Comedy",), ("Horror",)),
        # Boasts and comparisons after a subject negation; "believe" alone cancels nothing.
        ("Nobody does comedy like the British", ("Comedy",), ()),
        ("Nobody in my house likes horror except me", ("Horror",), ()),
        ("No one in my family would like horror.", (), ("Horror",)),
        ("I don't believe romance films are worth it", (), ("Romance",)),
    ],
)
def test_what_a_review_of_the_fifth_round_rules_found(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("I loved westerns as a kid, no longer though.", (), ("Western",)),
        ("Horror? Not anymore.", (), ("Horror",)),
        ("Comedies were my thing once, not any more, documentaries are what I want now.", ("Documentary",), ("Comedy",)),
        ("Westerns never did anything for me until recently, now I can't get enough.", ("Western",), ()),
        ("I used to hate westerns but now I can't get enough.", ("Western",), ()),
    ],
)
def test_a_taste_that_ended_or_began_reads_as_it_is_now(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Romance used to grab me, but these days I find it too soppy.", (), ("Romance",)),
        ("I used to hate westerns, these days I love them.", ("Western",), ()),
        ("Musicals too would be nice.", ("Musical",), ()),
        ("I love comedies, musicals too.", ("Comedy", "Musical"), ()),
    ],
)
def test_too_and_a_time_of_life_point_where_they_should(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


@pytest.mark.parametrize("text", ["Give me real westerns instead.", "Thrillers, on the other hand, I devour."])
def test_a_request_or_a_hungry_verb_is_a_wish_the_rules_place_without_asking_the_attitude_model(text: str) -> None:
    spy = Spy(1.0)  # an attitude model that would rule everything out
    reading = ProfileReader(ITEMS, attitude=spy).read(text)
    assert reading.wants and reading.rules_out == () and spy.asked == []


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("I used to love westerns but I've gone off them, these days it's comedies.", ("Comedy",), ("Western",)),
        ("Was really into musicals once, these days I find them tiresome.", (), ("Musical",)),
        ("Is there anything more tedious than a musical?", (), ("Musical",)),
        ("I'd happily watch a thriller, but horror is a bit much for me", ("Thriller",), ("Horror",)),
    ],
)
def test_what_a_second_blind_review_found(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


def test_a_genre_read_as_neither_wanted_nor_ruled_out_is_named_in_a_note() -> None:
    reading = read("I've never seen a western.")
    assert (reading.wants, reading.rules_out) == ((), ())
    assert any(note.startswith("Western: read as neither wanted nor ruled out") for note in reading.notes)
    assert not any("neither wanted" in note for note in read("I've never seen a western, so show me one.").notes)
