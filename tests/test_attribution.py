"""Interest keywords and leave-one-word-out influence, on the real model."""

from __future__ import annotations

import pytest

from recsys.analysis.attribution import interest_keywords, token_attribution, word_influence

pytestmark = pytest.mark.slow


def test_keywords_are_the_content_words(explorer):
    keywords = interest_keywords(explorer, "I love space operas: epic battles between the stars and alien worlds.")
    found = " ".join(keywords.keyword).lower()
    assert "space operas" in found
    assert not any(k.lower() in {"love", "the", "between"} for k in keywords.keyword)
    assert "operas epic" not in found  # phrases never cross punctuation
    assert keywords.relevance.is_monotonic_decreasing


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
