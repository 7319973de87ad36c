"""What the sixth round of sentences taught the rules: sarcasm, a question the writer answers, a liking put in the past,
comparison signs, hyperbole, "not just X", and a one-cue sentence after a description.

Found on the first writer's sentences of ``bench/reading/round6/built.jsonl``; the sentences here are new wordings of
the same constructions, with look-alikes that must not flip. The attitude model is a spy that never rules anything
out, so what is tested is the rules alone.
"""

from __future__ import annotations

import pytest
from attitude_spy import assert_reads, read_by_rules


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Oh great, a three-hour musical. Just what I needed.", (), ("Musical",)),
        ("oh goody, more romance. give me a thriller", ("Thriller",), ("Romance",)),
        ("Westerns, said nobody ever.", (), ("Western",)),
        ("Musicals, because I love people singing at me for three hours 🙄", (), ("Musical",)),
        ("war films, my favourite way to ruin a weekend /s", (), ("War",)),
        ("Horror? Oh sure, because I love being scared out of my wits. Comedy please.", ("Comedy",), ("Horror",)),
        ("yeah because what I want on a Friday is a four-hour lecture. documentaries, no", (), ("Documentary",)),
        # Sincere look-alikes: no sarcasm marker, or the writer says they mean it.
        ("Great, more westerns please!", ("Western",), ()),
        ("Oh great, another musical! And no, that's not sarcasm, I genuinely love them.", ("Musical",), ()),
        ("Oh great, you have westerns! I've been looking for them.", ("Western",), ()),
        ("A good comedy is just what I need after work.", ("Comedy",), ()),
        ("Oh, I love westerns because of the landscapes.", ("Western",), ()),
        ("Sure, I'll watch horror because my partner loves it.", ("Horror",), ()),
        ("I love westerns, said no one ever... just kidding, I really do.", ("Western",), ()),
    ],
)
def test_a_sarcastic_sentence_rules_out_what_it_names_or_the_sentence_beside_it(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Do I enjoy musicals? Nope.", (), ("Musical",)),
        ("would i watch a western? absolutely not", (), ("Western",)),
        ("Crime? Always.", ("Crime",), ()),
        ("Do I like war films? Yes, all the time.", ("War",), ()),
        ("Am I a horror person? Turns out I am.", ("Horror",), ()),
        ("Do I need more poetry? No. Do I want some anyway? Yes.", ("Poetry",), ()),
        ("Comedy or romance? Comedy, easily.", ("Comedy",), ("Romance",)),
        ("Documentaries? Not bad at all.", ("Documentary",), ()),
        ("Would I sit through a western? Absolutely, love them.", ("Western",), ()),
        ("would i watch a musical? in a heartbeat", ("Musical",), ()),
        ("Thrillers? I'd rather watch paint dry.", (), ("Thriller",)),
        # An answer that does not say, or a question that is a request, leaves the reading to the other rules.
        ("Possibly a musical? Not sure.", ("Musical",), ()),
        # An answer that goes on about something is no yes or no; a question asked the other way round is no question.
        ("Any good westerns? Not seen many but keen to try.", ("Western",), ()),
        ("Any thrillers? Not the really violent ones.", ("Thriller",), ()),
        ("Is it wrong that I love musicals? No!", ("Musical",), ()),
        ("Am I too old for westerns? Not at all!", ("Western",), ()),
        ("Who doesn't love a good western? Not me!", ("Western",), ()),
        ("Musicals? Nope, not for me.", (), ("Musical",)),
        ("Westerns? No, just not my thing.", (), ("Western",)),
        ("Do I like horror? Yes. I also watch a lot of TV. Is it any good? No.", ("Horror",), ()),
        ("Any good westerns? Thanks!", ("Western",), ()),
    ],
)
def test_a_question_the_writer_answers_is_read_by_the_answer(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("I used to watch a lot of westerns.", (), ()),
        ("Went through a massive horror phase in my twenties. These days it's comedies.", ("Comedy",), ()),
        ("As a kid I loved musicals, but now I mostly watch documentaries.", ("Documentary",), ()),
        # Still liked, or asked for again: a wish.
        ("As a kid I loved musicals and I still do.", ("Musical",), ()),
        ("I used to love westerns, show me some good ones.", ("Western",), ()),
        # A past dislike is left to the rules: gone off it, or come round to it.
        ("I used to love horror but I've gone right off it.", (), ("Horror",)),
        ("used to love comedies, can't stand them these days", (), ("Comedy",)),
        ("I never used to like musicals but they've grown on me lately.", ("Musical",), ()),
        ("I'm used to westerns and I love them.", ("Western",), ()),
        # A present liking, or a frame word that is no past: a wish.
        ("I'm in a big horror phase at the moment.", ("Horror",), ()),
        ("I'm going through a western phase and loving it.", ("Western",), ()),
        ("I discovered sci-fi years ago and never looked back.", ("Sci-Fi",), ()),
        ("I love classic westerns, the ones made 50 years ago.", ("Western",), ()),
        ("Growing up with sci-fi, I adore it.", ("Sci-Fi",), ()),
    ],
)
def test_a_liking_in_the_past_is_no_wish_now(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


def test_a_past_teen_is_not_the_writers_age() -> None:
    assert read_by_rules("As a teen I loved horror.").demographics == {}
    assert read_by_rules("When I was a teenager I watched westerns.").demographics == {}
    assert read_by_rules("I'm a teen who loves horror.").demographics == {"age": 16}


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("comedies > romance", ("Comedy",), ("Romance",)),
        ("westerns < war films", ("War",), ("Western",)),
        ("crime>horror", ("Crime",), ("Horror",)),
        ("I <3 westerns", ("Western",), ()),
        ("I like sci-fi > crime > romance", ("Sci-Fi", "Crime", "Romance"), ()),
        # Hyperbole both ways.
        ("Musicals make me want to scream.", (), ("Musical",)),
        ("Romance? I'm looking for the nearest exit.", (), ("Romance",)),
        ("I could watch crime films all night.", ("Crime",), ()),
        # "not just X": X too.
        ("Not just comedies, I love a good thriller too.", ("Comedy", "Thriller"), ()),
        ("I'm never not watching a western.", ("Western",), ()),
        ("I've never met a musical I liked.", (), ("Musical",)),
        ("I'd never just watch horror for fun.", (), ("Horror",)),
        ("I'm a sucker for a good western.", ("Western",), ()),
        ("I never don't enjoy a good crime film.", ("Crime",), ()),
        ("I never dislike a clever thriller.", ("Thriller",), ()),
        ("It's not like I don't enjoy westerns, I watch them all the time.", ("Western",), ()),
        ("I'd never pass on a good western.", ("Western",), ()),
        ("Musicals are fine I guess, but not really what I'm after.", (), ("Musical",)),
        ("Sci-fi or nothing for me.", ("Sci-Fi",), ()),
        # A one-cue sentence after a description rules out what the description is about.
        ("Musicals, all those people singing at each other in the street. Hard pass.", (), ("Musical",)),
        ("I love westerns. Musicals? Not for me.", ("Western",), ("Musical",)),
    ],
)
def test_signs_hyperbole_and_double_negations(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)


def test_the_text_model_never_reads_a_sarcastic_sentence() -> None:
    """What the language model embeds drops the sarcastic sentence whole, its "great" and "needed" included."""
    reading = read_by_rules("Oh great, another musical. Just what I needed. Westerns please.")
    assert reading.kept_text == "Westerns please."
    assert read_by_rules("Do I like westerns? Always. I hate musicals.").kept_text == "Do I like westerns? Always."


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        # A bare "no" opening a sentence answers something unsaid; the wish after it is the writer's own.
        ("no, I want something funny from the 80s", ("Comedy",), ()),
        ("Nope, give me thrillers", ("Thriller",), ()),
        ("No thanks, comedies are what I like", ("Comedy",), ()),
        # An empty cue before a bare list still carries over it.
        ("I hate: horror, westerns", (), ("Horror", "Western")),
        ("no, horror.", (), ("Horror",)),
        ("No, I refuse westerns", (), ("Western",)),
        # A trailing cue standing as a clause of its own, with nothing before it to point back to, leads the list after.
        ("Not for me: horror or westerns", (), ("Horror", "Western")),
        ("I love westerns. Not for me: musicals", ("Western",), ("Musical",)),
        ("Westerns? Not for me. Comedies please", ("Comedy",), ("Western",)),
        ("Not for me, I want comedies", ("Comedy",), ()),
    ],
)
def test_a_bare_no_before_a_wish_of_its_own_rules_nothing_out(text: str, wants: tuple, rules_out: tuple) -> None:
    assert_reads(text, wants, rules_out)
