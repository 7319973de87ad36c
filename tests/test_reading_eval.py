"""The profile-reading evaluation: its sentence files, the frozen held-out split, and its scoring by hand."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from recsys.reading import EraWindow, Reading, TitleMatch
from recsys_bench import reading_eval as RE


@pytest.fixture(scope="module")
def splits() -> dict[str, list[RE.Sentence]]:
    return {split: RE.load(split) for split in RE.SPLITS}


@pytest.fixture(scope="module")
def catalogues() -> dict[str, RE.Catalogue]:
    return {name: RE.load_catalogue(name) for name in RE.CATALOGUES}


def test_the_files_parse_and_are_large_enough(splits):
    every = [s for sentences in splits.values() for s in sentences]
    families = {s.family for s in every}
    assert len(every) >= 300 and len(families) >= 40
    assert len({s.id for s in every}) == len(every), "sentence ids are unique"
    for split, sentences in splits.items():
        assert {s.catalogue for s in sentences} == set(RE.CATALOGUES), f"{split} covers both catalogues"
        assert {s.kind for s in sentences} == set(RE.KINDS), f"{split} covers every kind of family"
    assert all(s.text.strip() for s in every)
    # Most lines expect something; the few that expect nothing test that nothing is read into them.
    said = [s for s in every if s.wants or s.rules_out or s.titles or s.era or s.demographics or s.wants_optional]
    assert len(said) >= 0.95 * len(every)


def test_every_label_names_something_its_catalogue_has(splits, catalogues):
    problems = [p for sentences in splits.values() for s in sentences for p in RE.label_problems(s, catalogues[s.catalogue])]
    assert problems == []


def test_label_problems_are_caught(catalogues):
    bad = RE.Sentence.from_dict(
        {"id": "x", "family": "f", "kind": "wants", "catalogue": "bookshop", "text": "t", "wants": ["Western"], "rules_out": [],
         "titles": [{"name": "Nope", "ids": [99999]}], "era": {"start": 2000, "end": 1990}, "demographics": {"occupation": "nurse"}}
    )  # fmt: skip
    problems = RE.label_problems(bad, catalogues["bookshop"])
    assert len(problems) == 4 and all(p.startswith("x: ") for p in problems)


def test_families_are_disjoint_and_the_heldout_third_is_the_seeded_draw(splits):
    built = {s.family for s in splits["built"]}
    heldout = {s.family for s in splits["heldout"]}
    assert built.isdisjoint(heldout)
    kinds = {s.family: s.kind for sentences in splits.values() for s in sentences}
    assert sorted(heldout) == RE.heldout_families(kinds)
    assert abs(len(heldout) - len(kinds) / 3) <= len(RE.KINDS) / 2


def test_the_heldout_file_matches_the_hash_in_the_readme():
    readme = (RE.FOLDER / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"heldout\.jsonl[^\n]*?([0-9a-f]{64})", readme)
    assert recorded, "README records the SHA-256 of heldout.jsonl"
    assert recorded.group(1) == RE.sha256(RE.split_path("heldout"))


# --- scoring, on a tiny hand-made set ----------------------------------------------------


class _Canned:
    """A reader that returns the reading written for each text."""

    def __init__(self, readings: dict[str, Reading]) -> None:
        self.readings = readings

    def read(self, text: str) -> Reading:
        return self.readings[text]


def _sentence(text: str, **labels) -> RE.Sentence:
    row = {"id": text, "family": "f", "kind": "wants", "text": text, "wants": [], "rules_out": [],
           "titles": [], "era": None, "demographics": {}}  # fmt: skip
    # Parsed as a MovieLens line (the catalogues a file may name), then moved to the tiny catalogue.
    return replace(RE.Sentence.from_dict({**row, **labels, "catalogue": "movielens"}), catalogue="tiny")


def _match(item_id, query="q", alternatives=()) -> TitleMatch:
    return TitleMatch(query, item_id, None if item_id is None else f"title {item_id}", 90.0, alternatives)


TINY = [
    # text, labels, the reading the canned reader gives
    ("a", {"wants": ["Comedy"], "rules_out": ["Horror"]}, Reading(wants=("Comedy",), rules_out=("Horror",))),
    ("b", {"rules_out": ["Horror"]}, Reading(wants=("Horror",))),  # the harmful error
    ("c", {"wants": ["Animation"], "wants_optional": ["Children's"]}, Reading(wants=("Animation", "Children's"))),
    ("d", {"wants": ["Animation"], "wants_optional": ["Children's"]}, Reading(wants=("Children's",))),
    ("e", {"titles": [{"name": "X", "ids": [1]}, {"name": "Heat", "unsure": [2]}]},
     Reading(titles=(_match(1), _match(None, "Heat", ((2, "Heat", 90.0), (3, "Heated", 70.0)))))),
    ("f", {"titles": [{"name": "Heat", "unsure": [2]}]}, Reading(titles=(_match(2),))),  # found, but not offered as unsure
    ("g", {"titles": [{"name": "Heat", "unsure": [2]}]}, Reading(titles=(_match(3, alternatives=((2, "Heat", 80.0),)),))),
    ("h", {"era": {"start": 1970, "end": 1979, "tolerance": 1}}, Reading(era=EraWindow(1970, 1980, "the seventies"))),
    ("i", {"era": {"start": None, "end": 1959, "tolerance": 1}}, Reading(era=EraWindow(1953, 1959, "before 1960"))),
    ("j", {"demographics": {"age": [65, 75], "occupation": "retired"}},
     Reading(demographics={"age": 70, "occupation": "retired", "gender": "F"})),  # gender is not a column of this catalogue
    ("k", {}, Reading(era=EraWindow(1990, 1999, "the nineties"))),
    ("l", {"wants": ["Comedy"]}, Reading(wants=("Comedy", "Western"))),  # one genre too many
    ("m", {"rules_out": ["War"]}, Reading(wants=("War",))),  # the harmful error again
]  # fmt: skip


@pytest.fixture
def tiny() -> tuple[list[RE.Sentence], RE.Catalogue]:
    sentences = [_sentence(text, **labels) for text, labels, _ in TINY]
    catalogue = RE.Catalogue(
        name="tiny",
        reader=_Canned({text: reading for text, _, reading in TINY}),
        genres=frozenset({"Comedy", "Horror", "Animation", "Children's", "Western", "War"}),
        item_ids=frozenset({"1", "2", "3"}),
        user_labels={"age": (), "occupation": ("retired", "writer")},
        year_range=(1950, 2000),
    )
    return sentences, catalogue


def test_the_scores_of_a_hand_made_set(tiny):
    sentences, catalogue = tiny
    result = RE.evaluate(sentences, catalogue, "built", keep_misses=True)
    scores = {key: (t.hits, t.n) for key, t in result.tallies.items()}
    assert scores == {
        "rules_out": (1, 3),  # a; b and m read it as wanted
        "wants": (2, 4),  # a, c; d misses the required Animation, l adds Western
        "rules_out_as_wanted": (2, 3),  # b, m
        "titles_found": (2, 3),  # e (confident X, Heat offered), f (Heat taken); g took another film
        "titles_exact": (1, 3),  # e only: f should have been offered as unsure
        "era": (1, 2),  # h within one year; i starts 1953, past the catalogue's 1950 + 1
        "demographics": (1, 1),  # j: the age inside its range, the gender ignored as the app ignores it
        "extra": (3, 13),  # b reads Horror as wanted but Horror was said, so no; g's title 3, k's era and l's Western were not said
        "all": (5, 13),  # a, c, e, h, j
    }
    assert result.n_sentences == 13 and result.p50_ms >= 0
    assert {m["id"] for m in result.misses} == {"b", "d", "f", "g", "i", "k", "l", "m"}
    assert "50% (1/2)" in RE.table([result])


def test_the_command_writes_every_split_and_catalogue(tmp_path, capsys):
    out = tmp_path / "reading.json"
    assert RE.main(["--json", str(out), "--rules-only"]) == 0
    printed = capsys.readouterr().out
    payload = json.loads(out.read_text())
    assert payload["heldout_sha256"] == RE.sha256(RE.split_path("heldout"))
    for split in RE.SPLITS:
        for name in RE.CATALOGUES:
            scores = payload["results"][split][name]["scores"]
            assert set(scores) == {key for key, _, _ in RE.METRICS}
            assert all(0 <= s["hits"] <= s["n"] for s in scores.values())
            assert f"{split} {name}" in printed
    held = RE.load("heldout")
    assert payload["results"]["heldout"]["movielens"]["sentences"] == sum(s.catalogue == "movielens" for s in held)


def test_misreadings_are_never_listed_for_the_heldout_split(capsys):
    assert RE.main(["--split", "heldout", "--catalogue", "bookshop", "--misses", "--rules-only"]) == 0
    assert "read:" not in capsys.readouterr().out


@pytest.mark.slow
def test_the_reader_is_built_as_the_app_builds_it(explorer):
    mirror = RE.reader_for(explorer.dataset, explorer.attitude)
    assert mirror.occupations == explorer.reader.occupations
    for sentence in RE.load("built"):
        if sentence.catalogue == "movielens":
            assert mirror.read(sentence.text) == explorer.reader.read(sentence.text), sentence.text


def test_the_second_rounds_heldout_file_matches_the_hash_in_its_readme():
    folder = RE.FOLDER / "round2"
    recorded = re.search(r"heldout\.jsonl[^\n]*?([0-9a-f]{64})", (folder / "README.md").read_text(encoding="utf-8"))
    assert recorded and recorded.group(1) == RE.sha256(RE.split_path("heldout", folder))
    built, held = ({s.family for s in RE.load(split, folder)} for split in RE.SPLITS)
    assert built.isdisjoint(held) and len(held) == 4 and len(built) == 6


def test_the_third_rounds_heldout_file_matches_the_hash_in_its_readme(catalogues):
    folder = RE.FOLDER / "round3"
    recorded = re.search(r"heldout\.jsonl[^\n]*?([0-9a-f]{64})", (folder / "README.md").read_text(encoding="utf-8"))
    assert recorded and recorded.group(1) == RE.sha256(RE.split_path("heldout", folder))
    sentences = {split: RE.load(split, folder) for split in RE.SPLITS}
    built, held = ({s.family for s in sentences[split]} for split in RE.SPLITS)
    assert built.isdisjoint(held) and len(held) == 12 and len(built) == 10
    assert [p for split in RE.SPLITS for s in sentences[split] for p in RE.label_problems(s, catalogues[s.catalogue])] == []


@pytest.mark.parametrize(
    ("round_name", "families"),
    [("round4", 10), ("round5", 10), ("round6", 10), ("round7", 5), ("round8", 5), ("round9", 5), ("round10", 5)],
)
def test_the_two_writer_rounds_heldout_files_match_the_hashes_in_their_readmes(catalogues, round_name, families):
    folder = RE.FOLDER / round_name
    recorded = re.search(r"heldout\.jsonl[^\n]*?([0-9a-f]{64})", (folder / "README.md").read_text(encoding="utf-8"))
    assert recorded and recorded.group(1) == RE.sha256(RE.split_path("heldout", folder))
    sentences = {split: RE.load(split, folder) for split in RE.SPLITS}
    built, held = ({s.family for s in sentences[split]} for split in RE.SPLITS)
    assert built.isdisjoint(held) and len(held) == families and len(built) == families
    # One writer per split, and not the same one (rounds 4–7: w1 built, w2 held out; round 8: w3 and w4; round 9: w5 and w6; round 10: w7 and w8).
    writers = {split: {s.family.split("_")[0] for s in sentences[split]} for split in RE.SPLITS}
    assert len(writers["built"]) == 1 and len(writers["heldout"]) == 1 and writers["built"] != writers["heldout"]
    assert [p for split in RE.SPLITS for s in sentences[split] for p in RE.label_problems(s, catalogues[s.catalogue])] == []


def test_the_tables_by_kind_split_every_sentence_once_and_score_it_as_the_whole_table_does(catalogues):
    sentences = {split: RE.load(split, RE.FOLDER / "round3") for split in RE.SPLITS}
    whole = [RE.evaluate(sentences[split], catalogue, split) for split in RE.SPLITS for catalogue in catalogues.values()]
    kinds = RE.by_kind(sentences, catalogues)
    assert set(kinds) <= set(RE.KINDS) and len(kinds) >= 4
    for i, result in enumerate(whole):
        parts = [results[i] for results in kinds.values()]
        assert all((p.split, p.catalogue) == (result.split, result.catalogue) for p in parts)
        assert sum(p.n_sentences for p in parts) == result.n_sentences
        for key, tally in result.tallies.items():
            assert (sum(p.tallies[key].hits for p in parts), sum(p.tallies[key].n for p in parts)) == (tally.hits, tally.n)


def test_the_hedges_heldout_file_matches_its_hash_and_the_built_sentences_read_as_labelled():
    from recsys_bench import hedges

    recorded = re.search(r"heldout\.jsonl[^\n]*?([0-9a-f]{64})", (hedges.FOLDER / "README.md").read_text(encoding="utf-8"))
    assert recorded and recorded.group(1) == RE.sha256(hedges.FOLDER / "heldout.jsonl")
    held = hedges.load("heldout")
    assert len(held) == 40 and sum(r["hedged"] for r in held) == 20
    built = hedges.score(hedges.load("built"), RE.load_catalogue("movielens"))
    assert built == {"hedged": 22, "hedged_read": 22, "plain": 17, "plain_as_hedged": 0, "era_right": 39, "sentences": 39}


def test_the_chinese_hedges_heldout_file_matches_its_hash_and_the_built_sentences_read_as_labelled():
    from recsys_bench import hedges

    folder = hedges.FOLDERS["Chinese"]
    recorded = re.search(r"heldout\.jsonl[^\n]*?([0-9a-f]{64})", (folder / "README.md").read_text(encoding="utf-8"))
    assert recorded and recorded.group(1) == RE.sha256(folder / "heldout.jsonl")
    held = hedges.load("heldout", folder)
    assert len(held) == 40 and sum(r["hedged"] for r in held) == 20
    built = hedges.score(hedges.load("built", folder), RE.load_catalogue("movielens"))
    assert built == {"hedged": 6, "hedged_read": 6, "plain": 6, "plain_as_hedged": 0, "era_right": 12, "sentences": 12}
