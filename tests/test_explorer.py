"""The public interface on the real model: contract, meaning, feedback, isolation, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from recsys import columns as C

pytestmark = pytest.mark.slow

PERSONAS = {
    "kids": ("cartoons with my kids", {"Animation", "Children's"}),
    "horror": ("gory slasher films", {"Horror"}),
    "space": ("space operas", {"Sci-Fi"}),
}


def genre_share(recs, genres) -> float:
    return float(np.mean([bool(set(g) & genres) for g in recs[C.GENRES]]))


def test_recommend_contract(explorer):
    recs = explorer.recommend(explorer.new_user("I love space operas"), k=20)
    assert len(recs) == 20
    for column in ("item_id", "title", "genres", "score", "mu", "b_u", "b_i", "dot"):
        assert column in recs.columns
    assert np.allclose(recs["score"], recs["mu"] + recs["b_u"] + recs["b_i"] + recs["dot"], atol=1e-4)
    dots = recs[[c for c in recs.columns if c.startswith("dot_")]].sum(axis=1)
    assert np.allclose(dots, recs["dot"], atol=1e-4)
    assert recs.score.is_monotonic_decreasing
    assert recs.item_id.is_unique


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_recommendations_follow_the_words(explorer, name):
    text, genres = PERSONAS[name]
    recs = explorer.recommend(explorer.new_user(text), k=20)
    assert genre_share(recs, genres) >= 0.7, recs[[C.TITLE, C.GENRES]].to_string()


def test_different_profiles_get_different_lists(explorer):
    lists = {name: set(explorer.recommend(explorer.new_user(text), k=20).item_id) for name, (text, _) in PERSONAS.items()}
    names = sorted(lists)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert len(lists[a] & lists[b]) <= 3, (a, b, lists[a] & lists[b])


def test_onboarding_likes_enter_as_history_and_are_not_recommended(explorer):
    star_wars, empire = 50, 172
    user = explorer.new_user("I watch a movie now and then", liked=[star_wars, empire])
    assert user.weights["history"] > 0
    recs = explorer.recommend(user, k=20)
    assert star_wars not in set(recs.item_id) and empire not in set(recs.item_id)
    assert genre_share(recs, {"Sci-Fi", "Adventure", "Action"}) >= 0.5


def test_cold_user_has_no_collaborative_part(explorer):
    user = explorer.new_user("romantic comedies", demographics={"age": 30, "gender": "F", "occupation": "writer"})
    assert user.weights["id"] == 0.0
    assert sum(user.weights.values()) == pytest.approx(1.0)
    assert user.weights["demo"] > 0


def neighbours(explorer, item_id, k=15):
    vectors = explorer.item_vectors
    row = explorer.dataset.item_ids.index(item_id)
    sims = vectors @ vectors[row] / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(vectors[row]))
    order = [r for r in np.argsort(-sims) if r != row][:k]
    return [explorer.dataset.item_ids.external(r) for r in order]


def mean_score(explorer, user, item_ids):
    terms = explorer.score_terms(user)
    return float(np.mean(terms.score[explorer.dataset.item_ids.indices(item_ids)]))


def test_like_moves_neighbours_up_and_dislike_moves_them_down(explorer):
    user = explorer.new_user("I like all kinds of films")
    target = 98  # The Silence of the Lambs
    near = neighbours(explorer, target)
    before = mean_score(explorer, user, near)
    liked = explorer.feedback(user, target, True)
    disliked = explorer.feedback(user, target, False)
    assert mean_score(explorer, liked, near) > before > mean_score(explorer, disliked, near)
    assert liked.last_update is not None and liked.last_update.loss[-1] < liked.last_update.loss[0]
    recs = explorer.recommend(liked, k=50)
    assert target not in set(recs.item_id)
    assert np.allclose(recs[[c for c in recs.columns if c.startswith("dot_")]].sum(axis=1), recs["dot"], atol=1e-4)


def test_feedback_returns_a_new_state_and_never_touches_the_model(explorer):
    before = {k: v.clone() for k, v in explorer.model.state_dict().items()}
    items_before = explorer.item_vectors.copy()
    user = explorer.new_user("heist thrillers")
    updated = explorer.feedback(explorer.feedback(user, 1, True), 2, False)
    assert user.feedback == () and len(updated.feedback) == 2
    assert not np.array_equal(user.vector, updated.vector)
    after = explorer.model.state_dict()
    assert all(before[k].numpy().tobytes() == after[k].numpy().tobytes() for k in before)
    assert items_before.tobytes() == explorer.item_vectors.tobytes()
    with pytest.raises(ValueError):
        user.delta_e[0] = 1.0  # states are read-only values


def test_star_ratings_and_likes_are_told_apart(explorer):
    user = explorer.rate(explorer.new_user("dramas"), 50, 4)
    assert [(f.item_id, f.kind, f.stars, f.target) for f in user.feedback] == [(50, "stars", 4, 0.75)]
    one_star = explorer.rate(explorer.new_user("dramas"), 50, 1)
    liked = explorer.feedback(explorer.new_user("dramas"), 50, True)
    assert one_star.feedback[0].target == 0.0 and liked.feedback[0].target == 1.0


@pytest.mark.parametrize("value", [1.0, 0.0, 1, 4, "yes", None])
def test_the_old_numeric_feedback_form_is_rejected_with_the_two_calls_named(explorer, value):
    with pytest.raises(ValueError, match=r"feedback\(user, item_id, liked\).*rate\(user, item_id, stars\)"):
        explorer.feedback(explorer.new_user("dramas"), 50, value)


@pytest.mark.parametrize("stars", [0, 6, 2.5, True, "4", None])
def test_bad_star_ratings_are_rejected(explorer, stars):
    with pytest.raises(ValueError, match="stars from 1 to 5"):
        explorer.rate(explorer.new_user("dramas"), 50, stars)


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_a_fully_empty_persona_is_a_clear_error(explorer, text):
    with pytest.raises(ValueError, match="describe the person"):
        explorer.new_user(text)


@pytest.mark.parametrize(("demographics", "liked", "modality"), [({"age": 19, "gender": "M"}, (), "demo"), ({}, (50, 172), "history")])
def test_a_persona_without_text_leaves_the_text_modality_out(explorer, demographics, liked, modality):
    user = explorer.new_user("  ", demographics, liked=liked)
    assert user.text == "" and user.weights["text"] == 0.0 and user.weights[modality] == pytest.approx(1.0)
    recs = explorer.recommend(user, k=5)
    assert len(recs) == 5 and (recs["dot_text"] == 0).all()
    assert recs["score"].to_numpy() == pytest.approx((recs["mu"] + recs["b_u"] + recs["b_i"] + recs["dot"]).to_numpy(), abs=1e-4)


def test_gibberish_text_gets_a_warning(explorer):
    assert any("Almost no words" in w for w in explorer.new_user("asdkjh qwpoeiru zxcmnv").warnings)
    assert not explorer.new_user("gory slasher films and haunted houses").warnings


def test_very_long_text_is_truncated_with_a_warning(explorer):
    user = explorer.new_user("space battles and alien worlds " * 700)
    assert any("truncated" in w for w in user.warnings)
    assert len(explorer.recommend(user, k=5)) == 5


def test_a_long_profile_is_read_to_its_last_word(explorer):
    """The language model reads the first 256 tokens; the reader reads every word, so what comes last still counts."""
    wish = "I love slow-burning thrillers set in cities at night, heist films with good dialogue, and crime dramas. "
    user = explorer.new_user(wish * 30 + "But absolutely no musicals. I am a 34-year-old programmer.")
    assert any("truncated" in w for w in user.warnings)
    assert "Musical" in user.reading.rules_out
    assert user.demographics.get("age") == 34 and user.demographics.get("occupation") == "programmer"
    assert not any("Musical" in g for g in explorer.recommend(user, k=20)["genres"])


@pytest.mark.parametrize("text", ["🚀🚀👽🌌", "我喜欢太空歌剧和科幻电影"])
def test_emoji_and_chinese_text_work_with_a_warning(explorer, text):
    user = explorer.new_user(text)
    assert user.warnings
    assert len(explorer.recommend(user, k=10)) == 10


def test_unknown_ids_are_clear_errors(explorer):
    user = explorer.new_user("anything")
    with pytest.raises(ValueError, match="unknown item id 999999"):
        explorer.feedback(user, 999999, True)
    with pytest.raises(ValueError, match="unknown liked item id"):
        explorer.new_user("anything", liked=[123456])
    with pytest.raises(ValueError, match="unknown occupation"):
        explorer.new_user("anything", demographics={"occupation": "astronaut"})
    with pytest.raises(ValueError, match="unknown user id"):
        explorer.user(10**6)
    with pytest.raises(ValueError, match="k must be"):
        explorer.recommend(user, k=0)


def test_new_item_and_its_audience(explorer):
    item = explorer.new_item("A heist thriller set in Tokyo", attributes={"genres": ["Crime", "Thriller"]})
    assert item.weights["id"] == 0.0
    audience = explorer.audience(item, k=20)
    assert len(audience) == 20
    assert list(audience.columns[:6]) == ["user_id", "score", "p_like", "boost", "position", "in_top"]
    assert audience.score.is_monotonic_decreasing
    assert {"age", "gender", "occupation"} <= set(audience.columns)
    kids = explorer.new_item("An animated musical for young children about a singing puppy", {"genres": ["Animation", "Children's"]})
    assert set(explorer.audience(kids, k=20).user_id) != set(audience.user_id)
    with pytest.raises(ValueError, match="unknown genres"):
        explorer.new_item("x", {"genres": ["Space Western Opera"]})


def test_new_item_boost_is_its_own_term_and_reach_grows_with_it(explorer):
    item = explorer.new_item("A heist thriller set in Tokyo", attributes={"genres": ["Crime", "Thriller"], "year": 2024})
    plain, boosted = explorer.audience(item, k=943), explorer.audience(item, k=943, boost=1.5)
    assert (plain["boost"] == 0).all() and (boosted["boost"] == 1.5).all()
    by_user = plain.set_index("user_id")["score"]
    assert (boosted.set_index("user_id")["score"] - by_user).to_numpy() == pytest.approx(1.5, abs=1e-5)
    reach = explorer.boost_reach(item, list_length=20)
    assert reach["boost"].tolist() == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    assert reach["users"].is_monotonic_increasing and reach["users"].iloc[-1] > reach["users"].iloc[0]
    assert reach["users"].iloc[0] == plain["in_top"].sum() and reach["users"].iloc[3] == boosted["in_top"].sum()
    segments = explorer.audience_segments(item, "gender", boost=3.0)
    assert segments["share_in_top"].max() > explorer.audience_segments(item, "gender")["share_in_top"].max()
    with pytest.raises(ValueError, match="boost"):
        explorer.audience(item, boost=float("nan"))


def test_warm_user_has_collaborative_part_and_explanation_matches_ranking(explorer):
    user = explorer.user(1)
    assert user.weights["id"] > 0
    recs = explorer.recommend(user, k=5)
    seen = set(explorer.ratings[explorer.ratings.user_id == 1].item_id)
    assert not seen & set(recs.item_id)
    anatomy = explorer.explain(user, int(recs.item_id[0]))
    assert anatomy.score == pytest.approx(float(recs.score[0]), abs=1e-4)
    assert anatomy.score == pytest.approx(anatomy.mu + anatomy.b_u + anatomy.b_i + anatomy.dot, abs=1e-5)
    assert sum(anatomy.dot_by_user_term.values()) == pytest.approx(anatomy.dot, abs=1e-4)
    assert sum(anatomy.dot_by_item_modality.values()) == pytest.approx(anatomy.dot, abs=1e-4)
    assert anatomy.cross.to_numpy().sum() == pytest.approx(anatomy.dot, abs=1e-4)
    assert anatomy.per_dimension.sum() == pytest.approx(anatomy.dot, abs=1e-4)
    assert sum(anatomy.b_u_by_term.values()) == pytest.approx(anatomy.b_u, abs=1e-5)
    assert sum(anatomy.b_i_by_modality.values()) == pytest.approx(anatomy.b_i, abs=1e-5)


def test_reweighting_changes_recommendations(explorer):
    user = explorer.new_user("gory slasher films", demographics={"age": 60, "gender": "F", "occupation": "retired"})
    text_heavy = explorer.recommend(explorer.reweight(user, {"demo": 0.0}), k=20)
    demo_heavy = explorer.recommend(explorer.reweight(user, {"text": 0.0}), k=20)
    assert set(text_heavy.item_id) != set(demo_heavy.item_id)
    assert genre_share(text_heavy, {"Horror"}) > genre_share(demo_heavy, {"Horror"})
