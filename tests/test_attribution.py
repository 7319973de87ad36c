"""Interest keywords and leave-one-word-out influence, on the real model."""

from __future__ import annotations

import pytest

from recsys.analysis.attribution import interest_keywords, score_attribution, token_attribution, word_influence

pytestmark = pytest.mark.slow


def test_keywords_are_the_content_words(explorer):
    keywords = interest_keywords(explorer, "I love space operas: epic battles between the stars and alien worlds.")
    found = " ".join(keywords.keyword).lower()
    assert "space operas" in found
    assert not any(k.lower() in {"love", "the", "between"} for k in keywords.keyword)
    assert "operas epic" not in found  # phrases never cross punctuation
    assert keywords.relevance.is_monotonic_decreasing


def test_keywords_leave_out_the_words_of_a_hedge(explorer):
    """A hedge says how strongly the period is wanted; "especially ones" and "can" are not interests."""
    keywords = interest_keywords(explorer, "Comedies, especially ones from the 80s. Something recent if you can.")
    words = {w.lower() for k in keywords.keyword for w in k.split()}
    assert "comedies" in words and not {"especially", "ones", "can"} & words, list(keywords.keyword)


def test_keywords_leave_out_the_light_verbs_of_an_effect(explorer):
    """ "keeps me hooked", "makes my evening": what a genre does to the writer; "keeps" and "makes" are no interests."""
    keywords = interest_keywords(explorer, "A clever heist film keeps me hooked. Film noir makes my evening.")
    words = {w.lower() for k in keywords.keyword for w in k.split()}
    assert "heist" in words and not {"keeps", "makes"} & words, list(keywords.keyword)


def test_keywords_leave_out_how_the_writer_asks(explorer):
    """ "looking for", "based on", "big", "good": how a wish is put, not what it is for (a newcomer's walk saw "big",
    "based" and "looking" listed as interests)."""
    for text, kept in [
        ("The big Hollywood musicals of the 1950s, all song-and-dance numbers", "musicals"),
        ("I'm 15 and into anime and films based on video games", "anime"),
        ("Parent of a 6-year-old looking for something gentle", "gentle"),
        ("I want a good western", "western"),
    ]:
        words = {w.lower() for k in interest_keywords(explorer, text).keyword for w in k.split()}
        assert kept in words and not {"big", "based", "looking", "good"} & words, (text, words)


def test_keywords_share_no_word_and_leave_out_liking_words(explorer):
    keywords = list(interest_keywords(explorer, "loved Heat and Fargo, Fargo most of all, and Heat again")["keyword"])
    assert keywords and not {"loved", "Loved"} & set(keywords)
    words = [w.lower() for k in keywords for w in k.split()]
    assert len(words) == len(set(words)), keywords  # "Heat Fargo" never follows "Fargo": no word twice


def test_keywords_leave_out_the_words_of_named_titles(explorer):
    """A named film is read by the model but is not an interest: "Casino" is not gambling, "Heat" not the weather."""
    text = "Casino and Heat, over and over; gritty crime dramas about gangsters"
    user = explorer.new_user(text)
    names = [match.query for match in user.reading.titles]
    assert {"Casino", "Heat"} <= {n.strip() for n in names}, names
    keywords = list(interest_keywords(explorer, explorer.embedded_text(user), names=names)["keyword"])
    words = {w.lower() for k in keywords for w in k.split()}
    assert keywords and not {"casino", "heat"} & words, keywords
    assert {"crime", "gangsters", "gritty"} & words, keywords
    everything = {w.lower() for k in interest_keywords(explorer, explorer.embedded_text(user))["keyword"] for w in k.split()}
    assert {"casino", "heat"} & everything  # without the names they would be offered


def test_leaving_a_word_out_holds_the_reading(explorer):
    """Leaving out "horror" in "no horror, I want something funny" must not re-read the rest as "no … funny" (which
    would rule comedies out): the reading stays, only what the model read varies, and the ruled-out clause it never
    read changes nothing."""
    user = explorer.new_user("no horror, I want something funny from the 80s")
    assert user.reading.rules_out == ("Horror",) and "Comedy" in user.reading.wants
    top = explorer.recommend(user, k=1)["item_id"].iloc[0]
    influence = word_influence(explorer, user, top).set_index("word")
    assert influence.loc["horror", "delta"] == 0.0 and not influence.loc["horror", "read"]
    assert influence.loc["no", "delta"] == 0.0
    assert influence.loc["funny", "delta"] > 0 and bool(influence.loc["funny", "read"])
    assert influence["delta"].abs().max() < 10  # a word's share of a score near 0, not the cost of a re-read exclusion


def test_genre_words_drive_a_genre_recommendation(explorer):
    user = explorer.new_user("gory slasher films and romantic comedies")
    recs = explorer.recommend(user, k=50)
    horror = int(recs[[("Horror" in g) for g in recs.genres]].item_id.iloc[0])
    influence = word_influence(explorer, user, horror).set_index("word")["delta"]
    assert influence["slasher"] > 0
    assert influence["slasher"] > influence["romantic"]
    assert influence["slasher"] > abs(influence["and"])


def test_token_level_attribution_is_complete_and_touches_no_weight(explorer):
    user = explorer.new_user("gory slasher films and romantic comedies")
    recs = explorer.recommend(user, k=50)
    horror = int(recs[[("Horror" in g) for g in recs.genres]].item_id.iloc[0])
    tokens = token_attribution(explorer, user, horror)
    by_word = tokens.set_index("word")["attribution"]
    assert by_word["slasher"] > 0 and by_word["slasher"] > by_word["romantic"]
    assert tokens["score"].iloc[0] == pytest.approx(explorer.explain(user, horror).score, abs=1e-3)
    gap = tokens["score"].iloc[0] - tokens["baseline_score"].iloc[0]
    assert tokens["attribution"].sum() == pytest.approx(gap, abs=0.15)  # completeness, up to integration error
    assert all(p.grad is None for copy in explorer.encoder.replicas() for p in copy.parameters())  # whichever copy ran it


def test_the_listed_score_splits_over_the_text_the_model_read_and_the_reading_terms(explorer):
    user = explorer.new_user("I love 90s thrillers but can't stand gore")
    assert user.reading.kept_text == "I love 90s thrillers"
    horror = explorer.dataset.items[[("Horror" in g and "Thriller" in g) for g in explorer.dataset.items.genres]].item_id.iloc[0]
    for item_id, scale in ((horror, 1.0), (horror, 0.5), (int(explorer.recommend(user, k=1).item_id.iloc[0]), 0.3)):
        a = score_attribution(explorer, user, item_id, item_bias_scale=scale)
        listed = explorer.explain(user, item_id, item_bias_scale=scale).score
        assert a.score == pytest.approx(listed, abs=1e-6) and sum(a.parts.values()) == pytest.approx(listed, abs=1e-6)
        assert a.path_end == pytest.approx(listed, abs=1e-3)  # the gradients ran over what the ranking scored
        assert abs(a.parts["integration error"]) < 0.05
        words = a.words.set_index("word")
        assert not words.loc[["but", "can't", "stand", "gore"], "read"].any()
        assert (words.loc[["but", "can't", "stand", "gore"], "ig"] == 0).all()
        assert words.loc[["love", "90s", "thrillers"], "read"].all()
        assert a.words["ig"].sum() == pytest.approx(a.parts["words the model read"], abs=1e-6)
    horror_words = score_attribution(explorer, user, horror).words.set_index("word")
    avoid = explorer.explain(user, horror).dot_by_user_term["avoid"]
    assert avoid < -1  # a ruled-out genre costs the horror film
    assert horror_words.loc[["but", "can't", "stand", "gore"], "credit"].sum() == pytest.approx(avoid, abs=1e-6)
