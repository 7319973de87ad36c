"""Comparing a person's list with what a product would ship otherwise: the overlap measures by hand, and the lists."""

from __future__ import annotations

import numpy as np
import pytest

from recsys import columns as C
from recsys.analysis.overlap import compare_lists, jaccard, rbo


def test_jaccard_by_hand():
    assert jaccard([1, 2, 3, 4], [3, 4, 5]) == pytest.approx(2 / 5)
    assert jaccard([1, 2], [2, 1]) == 1.0
    assert jaccard([1], [2]) == 0.0
    assert jaccard([], []) == 1.0


def test_rbo_by_hand():
    # p = 0.5, depth 3: overlaps X_1..3 = 1, 1, 3 → (1/2)(1·½ + ½·¼ + 1·⅛)·2 + 1·⅛ = 0.75 + 0.125.
    assert rbo([1, 2, 3], [1, 3, 2], p=0.5) == pytest.approx(0.875)
    # Swapping the top pair costs more than swapping the bottom pair: agreement at the top counts most.
    top, bottom = rbo([2, 1, 3, 4], [1, 2, 3, 4]), rbo([1, 2, 4, 3], [1, 2, 3, 4])
    assert top < bottom < 1.0
    assert rbo([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert rbo([1, 2, 3], [4, 5, 6]) == 0.0
    # The top pair swapped, p = 0.5: X_1 = 0, X_2 = 2, so (1 − p)/p · Σ (X_d/d) p^d + (X_k/k) p^k = 1·(0 + 1·¼) + 1·¼.
    assert rbo([1, 2], [2, 1], p=0.5) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="p must be"):
        rbo([1], [1], p=1.0)


def test_compare_lists_names_what_only_each_list_has():
    lists = {"model": [1, 2, 3], "popular": [3, 4, 5], "text": [1, 6, 3]}
    percentile = {i: 10.0 * i for i in range(1, 7)}
    genres = {1: ["Comedy"], 2: ["Comedy", "Drama"], 3: ["Drama"], 4: ["Action"], 5: ["Action"], 6: ["Horror"]}
    table = compare_lists(lists, "model", percentile, genres).set_index("list")
    assert table.loc["model", "jaccard"] == 1.0 and table.loc["model", "rbo"] == pytest.approx(1.0)
    assert table.loc["popular", "jaccard"] == pytest.approx(1 / 5)
    assert table.loc["model", "only_here"] == [2]
    assert table.loc["popular", "only_here"] == [4, 5]
    assert table.loc["text", "only_here"] == [6]
    assert table.loc["popular", "percentile"] == pytest.approx(40.0)
    assert table.loc["popular", "genres"].startswith("Action 67%")
    assert table.loc["model", "genres"] == "Comedy 67%, Drama 67%"


def test_the_alternatives_for_one_person(small_explorer):
    first = int(small_explorer.dataset.items[C.ITEM].iloc[0])
    user = small_explorer.feedback(small_explorer.new_user("robots and space stations"), first, True)
    lists = small_explorer.alternatives(user, k=5)
    assert list(lists) == ["this model", "most popular", "text similarity", "model, b_i × 0", "model, axis removed 0.5"]
    assert lists["this model"] == small_explorer.recommend(user, k=5)[C.ITEM].tolist()
    assert all(first not in items and len(items) == 5 for items in lists.values())  # what the person rated is never offered
    liked = small_explorer.dataset.positives()
    popularity = liked[C.ITEM].value_counts().reindex(small_explorer.items[C.ITEM], fill_value=0).to_dict()
    shown = [popularity[i] for i in lists["most popular"]]
    assert shown == sorted(shown, reverse=True) and shown[0] == max(v for i, v in popularity.items() if i != first)
    assert lists["model, b_i × 0"] == small_explorer.recommend(user, k=5, item_bias_scale=0.0)[C.ITEM].tolist()
    # Text similarity ranks by the cosine of the text the model read with each item's text.
    query = small_explorer.encoder.encode([small_explorer.embedded_text(user)])[0]
    vectors = small_explorer.item_text_vectors
    cosine = dict(zip(small_explorer.items[C.ITEM], vectors @ query / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(query))))
    best = sorted((i for i in cosine if i != first), key=lambda i: -cosine[i])[:5]
    assert lists["text similarity"] == best
    # No text, no text-similarity list; nor when the model reads none of its words (the similarity was to the neutral
    # placeholder "I watch a movie now and then.": Now and Then, Apocalypse Now…).
    assert "text similarity" not in small_explorer.alternatives(small_explorer.new_user("", liked=[first]), k=5)
    from dataclasses import replace

    from recsys.reading import NEUTRAL_TEXT

    excluded = small_explorer.new_user("no horror please", liked=[first])
    assert small_explorer.embedded_text(excluded) == NEUTRAL_TEXT
    assert "text similarity" not in small_explorer.alternatives(excluded, k=5)
    dropped = small_explorer.new_user(
        "comedies", liked=[first], reading=replace(small_explorer.read("comedies"), wants=(), kept_text=NEUTRAL_TEXT)
    )
    assert small_explorer.embedded_text(dropped) == NEUTRAL_TEXT
    assert "text similarity" not in small_explorer.alternatives(dropped, k=5)


def test_the_segment_the_text_left_out_and_the_fusion_setting(small_explorer):
    ex = small_explorer
    first = int(ex.dataset.items[C.ITEM].iloc[0])
    user = ex.new_user("robots and space stations", {"age": 30, "gender": "F"}, liked=[first])
    lists = ex.alternatives(user, k=5, fusion=({}, {"text": 0.0}))
    assert list(lists) == ["this model", "most popular", "popular in segment", "text similarity", "model, text ignored",
                           "model, b_i × 0", "model, axis removed 0.5", "model, Fusion page weights"]  # fmt: skip
    # Popular in segment: the likes of the catalogue's women aged 25–34 (the benchmark's segment), by hand.
    users = ex.dataset.users
    members = set(users[(users["gender"] == "F") & users["age"].between(25, 34)]["user_id"])
    liked = ex.dataset.positives()
    counts = liked[liked["user_id"].isin(members)]["item_id"].value_counts()
    assert counts.get(lists["popular in segment"][0]) == counts.drop(first, errors="ignore").max()
    assert [counts.get(i, 0) for i in lists["popular in segment"]] == sorted(
        (counts.get(i, 0) for i in lists["popular in segment"]), reverse=True
    )
    # Text ignored: the same model given the demographics and the like only.
    alone = ex.new_user("", {"age": 30, "gender": "F"}, liked=[first])
    assert lists["model, text ignored"] == ex.recommend(alone, k=5)[C.ITEM].tolist() != lists["this model"]
    # The Fusion page's setting: the items' text weighed 0.
    assert lists["model, Fusion page weights"] == ex.recommend(user, k=5, item_weights={"text": 0.0})[C.ITEM].tolist()
    # Nothing but text (a title named in it is text too): no text-ignored list.
    named = ex.new_user(f"I loved {ex.titles()[first]}")
    assert ex.without_text(named) is None and "model, text ignored" not in ex.alternatives(named, k=5)


def test_a_segment_is_only_what_the_person_gave(small_explorer):
    ex = small_explorer
    liked = ex.dataset.positives()
    users = ex.dataset.users
    women = set(users[users["gender"] == "F"]["user_id"])
    counts = liked[liked["user_id"].isin(women)]["item_id"].value_counts()
    shown = ex.alternatives(ex.new_user("robots", {"gender": "F"}), k=5)["popular in segment"]
    assert [counts.get(i, 0) for i in shown] == sorted(counts.to_numpy(), reverse=True)[:5]  # any age, women only
    assert "popular in segment" not in ex.alternatives(ex.new_user("robots", {"occupation": "artist"}), k=5)
