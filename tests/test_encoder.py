"""The text encoder's disk cache and input checks."""

from __future__ import annotations

import numpy as np
import pytest

from recsys.encoder import EmbeddingStore, TextEncoder, pick_device


def test_store_keeps_rows_aligned_with_duplicate_keys(tmp_path):
    # Regression: duplicate texts in one batch once shifted every later row after a reload.
    path = tmp_path / "e.npz"
    from recsys.encoder import PERSIST_BATCH

    store = EmbeddingStore(path, 2)
    padding = [f"pad {n}" for n in range(PERSIST_BATCH)]
    vectors = np.vstack([np.array([[1, 0], [0, 1], [1, 0], [1, 1]]), np.zeros((PERSIST_BATCH, 2))]).astype(np.float32)
    store.add(["a", "b", "a", "c", *padding], vectors)
    reloaded = EmbeddingStore(path, 2)
    vectors, missing = reloaded.lookup(["c", "b", "a", "zzz"])
    assert missing == [3]
    assert vectors[:3].tolist() == [[1, 1], [0, 1], [1, 0]]


@pytest.fixture(scope="module")
def encoder(tmp_path_factory):
    return TextEncoder(cache_dir=tmp_path_factory.mktemp("cache"))


def test_second_encode_is_a_cache_hit(encoder):
    first = encoder.encode(["a brand new sentence about tea"])
    hits = encoder.hits
    second = encoder.encode(["a brand new sentence about tea"])
    assert encoder.hits == hits + 1
    assert np.array_equal(first, second)
    assert np.linalg.norm(first[0]) == pytest.approx(1.0, abs=1e-4)


def test_prepare_escapes_nothing_and_strips_control_characters(encoder):
    prepared = encoder.prepare("<script>alert(1)</script>\x00 horror")
    assert prepared.text == "<script>alert(1)</script> horror"


def test_device_choice_is_overridable():
    assert pick_device("cpu") == "cpu"
    assert pick_device() in {"cpu", "cuda", "mps"}


def test_small_batches_stay_in_memory_large_ones_are_written(tmp_path):
    from recsys.encoder import PERSIST_BATCH

    path = tmp_path / "e.npz"
    store = EmbeddingStore(path, 2)
    store.add(["one"], np.ones((1, 2), dtype=np.float32))
    assert not path.exists() and store.lookup(["one"])[1] == []
    keys = [f"k{i}" for i in range(PERSIST_BATCH)]
    store.add(keys, np.zeros((PERSIST_BATCH, 2), dtype=np.float32))
    # The batch is on disk; the typed text is not (it is embedded again after a restart).
    assert EmbeddingStore(path, 2).lookup(["one", *keys])[1] == [0]
    assert store.lookup(["one", *keys])[1] == []


def test_typed_texts_are_a_bounded_lru(tmp_path):
    store = EmbeddingStore(tmp_path / "e.npz", 2, max_recent=3)
    for n in range(3):
        store.add([f"typed {n}"], np.full((1, 2), n, dtype=np.float32))
    store.lookup(["typed 0"])  # used again: now the most recent
    store.add(["typed 3"], np.full((1, 2), 3, dtype=np.float32))
    vectors, missing = store.lookup(["typed 0", "typed 1", "typed 2", "typed 3"])
    assert missing == [1] and len(store) == 3
    assert vectors[[0, 2, 3], 0].tolist() == [0, 2, 3]


@pytest.mark.parametrize(("text", "known"), [("gory slasher films", 3), ("asdkjh qwpoeiru zxcmnv", 0), ("Tarantino and qwpoeiru", 2)])
def test_known_words_counts_words_the_tokenizer_reads_whole(encoder, text, known):
    assert encoder.known_words(text) == (known, len(text.split()))


def test_empty_item_description_names_the_item(encoder):
    with pytest.raises(ValueError, match="^item description is empty: type a few words$"):
        encoder.prepare("  ", what="item description")


def test_two_callers_encode_at_once_each_with_its_own_copy_of_the_model(encoder):
    """A shared server encodes two requests at once (one torch thread each), each with its own model copy and tokenizer."""
    import threading

    from recsys.encoder import REPLICAS

    if REPLICAS < 2:
        pytest.skip("one core: one copy of the model")
    held, both = [], threading.Event()

    def hold():
        with encoder.borrow() as model:
            held.append(model)
            if len(held) == REPLICAS:
                both.set()
            both.wait(10)

    threads = [threading.Thread(target=hold) for _ in range(REPLICAS)]
    for thread in threads:
        thread.start()
    assert both.wait(10), "a second caller waited for the first one's copy"
    for thread in threads:
        thread.join(10)
    assert len({id(model) for model in held}) == REPLICAS
    assert {id(model) for model in held} == {id(model) for model in encoder.replicas()}
    texts = [f"heist thrillers with clever twists, take {n}" for n in range(24)]
    errors, vectors = [], {}

    def work(part):
        try:
            for text in part:
                encoder.prepare(text)
                vectors[text] = encoder.encode([text])[0]
        except Exception as err:  # a tokenizer shared between threads raises "Already borrowed"
            errors.append(err)

    workers = [threading.Thread(target=work, args=(texts[n::3],)) for n in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors
    alone = encoder.model.encode(texts, normalize_embeddings=True)
    assert np.allclose(np.stack([vectors[t] for t in texts]), alone, atol=1e-5)


def test_a_cancelled_encode_keeps_the_chunks_already_embedded(tmp_path):
    """A training cancelled mid-way through its item texts does not embed the finished chunks again next time."""
    encoder = TextEncoder(cache_dir=tmp_path)
    texts = [f"a quiet village mystery, number {n}" for n in range(40)]

    def cancel_after_the_first_chunk(done, total):
        raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError):
        encoder.encode(texts, batch_size=2, progress=cancel_after_the_first_chunk)  # chunks of 16 texts
    misses = encoder.misses
    encoder.encode(texts[:16])
    assert encoder.misses == misses, "the first chunk was kept"
    encoder.encode(texts)
    assert encoder.misses == misses + 24


def test_a_text_asked_twice_in_one_encode_is_embedded_once(tmp_path):
    encoder = TextEncoder(cache_dir=tmp_path)
    seen: list[tuple[int, int]] = []
    texts = ["a quiet village mystery", "space opera with pirates", "a quiet village mystery", "a quiet village mystery"]
    vectors = encoder.encode(texts, progress=lambda done, total: seen.append((done, total)))
    assert encoder.misses == 2 and seen == [(2, 2)]
    assert np.array_equal(vectors[0], vectors[2]) and np.array_equal(vectors[0], vectors[3])
    assert np.linalg.norm(vectors[3]) == pytest.approx(1.0, abs=1e-4)  # filled in, not left at zero
    alone = TextEncoder(cache_dir=tmp_path / "other").encode(["space opera with pirates"])
    assert np.allclose(vectors[1], alone[0], atol=1e-5)
