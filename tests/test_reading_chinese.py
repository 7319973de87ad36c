"""The profile reader on Chinese and mixed Chinese–English text (recsys.reading.chinese)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from recsys import columns as C
from recsys.data import load_movielens_100k
from recsys.reading import ProfileReader
from recsys.reading.chinese import has_chinese, segment, simplified


@pytest.fixture(scope="module")
def reader() -> ProfileReader:
    data = load_movielens_100k()
    return ProfileReader(data.items, occupations=sorted(data.users[C.OCCUPATION].unique()))


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("我喜欢悬疑片，但受不了恐怖片", {"Mystery"}, {"Horror"}),
        ("我喜欢喜剧不喜欢恐怖片", {"Comedy"}, {"Horror"}),  # no punctuation: the nearest word before decides
        ("恐怖片就算了，来点科幻片", {"Sci-Fi"}, {"Horror"}),  # a trailing cue
        ("除了恐怖片以外，什么都看", set(), {"Horror"}),
        ("除了喜剧以外，我也喜欢科幻片", {"Comedy", "Sci-Fi"}, set()),  # 除了…也: besides, not except
        ("别给我推荐西部片", set(), {"Western"}),
        ("我不怕恐怖片", {"Horror"}, set()),  # 不怕 is liking, not 不 + 怕
        ("有没有好看的战争片", {"War"}, set()),  # 有没有 asks; it rules nothing out
        ("恐怖分子题材的动作片", {"Action"}, set()),  # 恐怖 inside 恐怖分子 is no genre word
        ("我喜欢sci-fi，但不要horror", {"Sci-Fi"}, {"Horror"}),  # English genre words take the clause's side
        ("我胆子小", set(), {"Horror"}),
        ("我从来不看恐怖片", set(), {"Horror"}),  # 从来不 is one segmented word
        ("我不是很喜欢爱情片", set(), {"Romance"}),  # a cue two characters before the liking word governs it
        ("只要不是恐怖片都行", set(), {"Horror"}),
        ("我喜欢没有恐怖元素的喜剧", {"Comedy"}, {"Horror"}),  # the cue belongs to the phrase before 的
        ("我唯独喜欢喜剧", {"Comedy"}, set()),  # 唯独 + liking is "only", not "not"
        ("除了恐怖片，其他的我也都喜欢", set(), {"Horror"}),  # 也都: everything else, so the exception stands
        ("除了喜剧，其他都不喜欢", {"Comedy"}, set()),  # nothing else: the exception is the one wish
        ("喜剧片，不要太长的", {"Comedy"}, set()),  # a cue with words of its own is about those words
        ("我老婆不喜欢恐怖片，我喜欢喜剧", {"Comedy"}, set()),  # someone else's dislike is theirs
        ("我和我老公都喜欢恐怖片", {"Horror"}, set()),  # together with the writer: the writer's too
        ("我喜欢comedy but not romance", {"Comedy"}, {"Romance"}),  # English words keep their own negation
    ],
)
def test_genres_wanted_and_ruled_out(reader, text, wants, rules_out):
    reading = reader.read(text)
    assert set(reading.wants) == wants
    assert set(reading.rules_out) == rules_out


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("五十年代的老电影", (1950, 1959)),
        ("90年代的爱情片", (1990, 1999)),
        ("上世纪八十年代初的战争片", (1980, 1983)),
        ("八九十年代的港片", (1980, 1999)),
        ("黑白片", (1922, 1960)),
        ("1990年以后的爱情片", (1991, 1998)),
        ("从1970年到1975年的电影", (1970, 1975)),
        ("不要黑白片", (1961, 1998)),  # a negated open window is its complement
        ("fifties的老电影", (1950, 1959)),
        ("00年代的电影", (2000, 2009)),  # two-digit decades below 20 are this century's
    ],
)
def test_eras(reader, text, window):
    era = reader.read(text).era
    assert era is not None and (era.start, era.end) == window


@pytest.mark.parametrize(
    ("text", "demographics"),
    [
        ("我今年35岁，喜欢动作片", {"age": 35}),
        ("我是退休护士，今年七十岁", {"age": 70, "occupation": "retired"}),
        ("三十岁，男，做销售的", {"age": 30, "gender": "M", "occupation": "salesman"}),
        ("我是中学老师", {"occupation": "educator"}),
        ("我是一个retired teacher", {"occupation": "retired"}),
        ("我儿子是学生，今年8岁", {}),  # someone else's age and job
        ("我喜欢诺兰导演的电影", {}),  # a job word that is not the writer's
        ("我不是学生", {}),
        ("今年十月我看了很多电影", {}),  # a month, not an age
        ("我12岁的时候看过星球大战，现在40了", {"age": 40}),  # an age in the past, then the present one
        ("25岁男生 在广告公司做市场 喜欢喜剧", {"age": 25, "gender": "M", "occupation": "marketing"}),
    ],
)
def test_self_description(reader, text, demographics):
    assert reader.read(text).demographics == demographics


@pytest.mark.parametrize("text", ["我是1985年的", "1995年前后的电影"])
def test_a_birth_year_or_an_approximate_year_is_no_era(reader, text):
    assert reader.read(text).era is None


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("我喜欢喜剧不喜欢恐怖片", "我喜欢喜剧"),  # the wish before the cue stays
        ("我不爱看歌舞片给我来点动作片", "给我来点动作片"),  # and a wish after the genre ruled out
        ("不要恐怖片要喜剧", "要喜剧"),
        ("我不爱看歌舞片 给我来点动作片", "给我来点动作片"),  # a blank between two Han characters ends a clause
        ("除了恐怖片以外都可以", ""),  # nothing wished: nothing of it is read (the model reads no text)
        ("不喜欢恐怖片和动作片", ""),
    ],
)
def test_only_the_ruled_out_part_of_a_clause_is_hidden_from_the_model(reader, text, kept):
    reading = reader.read(text)
    assert reading.kept_text == kept and reading.rules_out
    assert reader.read("我喜欢 sci-fi 电影").wants == reader.read("我喜欢sci-fi电影").wants  # blanks beside Latin words do not cut


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("我不喜欢 恐怖片", (), ("Horror",)),  # a blank after the cue does not cut the cue off its genre
        ("我不喜欢恐怖片 也不喜欢 爱情片", (), ("Horror", "Romance")),
        ("喜剧片 恐怖片 都不喜欢", (), ("Comedy", "Horror")),  # a list before its verb stays whole
        ("我不爱看歌舞片 给我来点动作片", ("Action",), ("Musical",)),
    ],
)
def test_a_blank_between_han_characters_ends_a_clause_only_between_two_about_a_genre(reader, text, wants, rules_out):
    reading = reader.read(text)
    assert (set(reading.wants), set(reading.rules_out)) == (set(wants), set(rules_out))


def test_a_blank_inside_an_era_or_an_age_keeps_it_whole(reader):
    era = reader.read("1990年 到 2000年的电影").era
    assert (era.start, era.end) == (1990, 2000)
    assert reader.read("我今年 三十 岁").demographics == {"age": 30}


def test_the_text_the_model_reads_asks_for_nothing_the_profile_ruled_out(reader):
    """Over the built cases: the kept text (what the language model embeds) names no ruled-out genre as a wish and
    keeps every wish, whatever the order of wish, cue and genre in the sentence."""
    from recsys_bench.chinese import load_cases

    checked = 0
    for case in load_cases("built"):
        reading = reader.read(case["text"])
        if not reading.kept_text:
            continue
        kept = reader.read(reading.kept_text)
        assert not set(kept.wants) & set(reading.rules_out), (case["text"], reading.kept_text)
        assert set(reading.wants) <= set(kept.wants), (case["text"], reading.kept_text)
        assert not reading.kept_text.startswith(("!", "！", ",", "，")), reading.kept_text
        checked += 1
    assert checked >= 15


def test_titles_in_latin_letters_are_found_and_negated_ones_dropped(reader):
    reading = reader.read("我最喜欢Star Wars，不喜欢Titanic")
    assert [m.title for m in reading.titles] == ["Star Wars (1977)"]
    assert any("Titanic" in note and "negatively" in note for note in reading.notes)


def test_a_chinese_title_gets_a_note_rather_than_silence(reader):
    assert any("泰坦尼克号" in note for note in reader.read("我喜欢《泰坦尼克号》").notes)


def test_the_model_reads_the_profile_without_its_ruled_out_clause(reader):
    reading = reader.read("我喜欢悬疑片，但受不了恐怖片")
    assert reading.kept_text == "我喜欢悬疑片"
    assert reader.read("我喜欢悬疑片").kept_text == ""  # nothing ruled out: the whole text is read


def test_english_text_never_takes_the_chinese_path(reader):
    assert not has_chinese("I love comedies but I hate romance")
    reading = reader.read("I love comedies but I hate romance")
    assert (reading.wants, reading.rules_out) == (("Comedy",), ("Romance",))


def test_segmentation_keeps_offsets():
    words = segment("我喜欢 悬疑片")
    assert [w for w, _, _ in words] == ["我", "喜欢", "悬疑片"]
    assert all("我喜欢 悬疑片"[a:b] == w for w, a, b in words)


_CJK_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from(list("，。！？、 不要喜欢恐怖片年代岁我除了以外受不了0123456789abcXYZ《》")),
    ),
    max_size=80,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_CJK_TEXT)
def test_any_chinese_text_reads_into_a_consistent_reading(reader, text):
    reading = reader.read(text)
    assert not set(reading.wants) & set(reading.rules_out)
    assert set(reading.wants) | set(reading.rules_out) <= set(reader.genres)
    if reading.era is not None:
        assert reading.era.start <= reading.era.end
    age = reading.demographics.get("age")
    assert age is None or 5 <= age <= 110
    assert reading.demographics.get("occupation") in (None, *reader.occupations)
    assert len(reading.kept_text) <= len(text)


def test_interests_of_a_chinese_profile_are_its_words_not_its_clauses(small_explorer):
    keywords = list(small_explorer.interest_keywords("我喜欢悬疑片，最好是九十年代的科幻片")["keyword"])
    assert keywords and all(len(k) <= 8 for k in keywords), keywords
    assert {"悬疑片", "科幻片", "九十年代"} & set(keywords), keywords
    assert not {"我", "喜欢", "的"} & set(keywords)


def test_a_profile_in_traditional_characters_is_cut_into_the_words_of_its_simplified_twin():
    """Word-level attribution and interest keywords work on these words: jieba alone cuts 喜歡 into 喜 and 歡."""
    from recsys.analysis.attribution import segmented_words

    typed, twin = "我喜歡老電影，也喜歡喜劇和驚悚片", "我喜欢老电影，也喜欢喜剧和惊悚片"
    words = segmented_words(typed)
    assert [(a, b) for _, a, b in words] == [(a, b) for _, a, b in segmented_words(twin)]
    assert [w for w, _, _ in words] == [typed[a:b] for _, a, b in words] and "喜歡" in [w for w, _, _ in words]


def test_interests_of_a_profile_in_traditional_characters_leave_out_the_same_filler_words(small_explorer):
    keywords = list(small_explorer.interest_keywords("我今年35歲，最喜歡看懸疑電影，也喜歡老電影")["keyword"])
    assert {"懸疑", "老電影", "懸疑電影"} & set(keywords), keywords
    assert not {"喜歡", "電影", "今年"} & set(keywords), keywords  # 喜欢 and 电影 are stop words in either script


@pytest.mark.parametrize(
    ("typed", "twin"),
    [
        ("我喜歡懸疑片，但受不了恐怖片", "我喜欢悬疑片，但受不了恐怖片"),
        ("不要愛情電影，我今年35歲，是退休護士", "不要爱情电影，我今年35岁，是退休护士"),
        ("我最愛喜劇和動畫，討厭紀錄片", "我最爱喜剧和动画，讨厌纪录片"),
        ("想看五十年代的黑白片，除了戰爭片以外都可以", "想看五十年代的黑白片，除了战争片以外都可以"),
        ("我很愛sci-fi，但驚悚片就算了", "我很爱sci-fi，但惊悚片就算了"),
    ],
)
def test_traditional_characters_read_as_their_simplified_twin(reader, typed, twin):
    """A profile typed in traditional characters (Taiwan, Hong Kong) reads as the same words in simplified ones,
    and the text the model reads keeps the characters as typed."""
    read, expected = reader.read(typed), reader.read(twin)
    assert (read.wants, read.rules_out, read.era, read.demographics) == (
        expected.wants, expected.rules_out, expected.era, expected.demographics,
    )  # fmt: skip
    assert read.wants or read.rules_out  # something was read, so the comparison above can fail
    assert simplified(read.kept_text) == expected.kept_text
    assert not set(read.kept_text) - set(typed) - set(",，。 ")  # the characters typed, not their simplified forms


def test_what_the_chips_and_notes_quote_is_in_the_characters_typed(reader):
    """The era chip and the notes quote the profile as the person typed it, not the simplified text it was read in."""
    read, twin = reader.read("上世紀八十年代的老電影"), reader.read("上世纪八十年代的老电影")
    assert (read.era.start, read.era.end, read.era.firm) == (twin.era.start, twin.era.end, twin.era.firm)
    assert twin.era.phrase == "上世纪八十年代、老电影" and read.era.phrase == "上世紀八十年代、老電影"
    notes = reader.read("我很喜歡《斷背山》這部電影").notes
    assert any("'斷背山'" in note for note in notes) and not any("断背山" in note for note in notes), notes


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60))
@example(text="\U0002f800")  # found by this test: a compatibility ideograph outside the basic blocks, once not "Chinese"
def test_simplified_keeps_every_character_in_its_place(text):
    out = simplified(text)
    assert len(out) == len(text)
    assert all(a == b or has_chinese(a) for a, b in zip(text, out, strict=True))


def test_the_traditional_character_cases_are_the_hashed_held_out_file():
    """``bench/reading_zh/traditional.jsonl`` is held out whole: the README records its SHA-256, and its labels are
    the catalogue's genres."""
    import hashlib
    import re
    from pathlib import Path

    from recsys_bench.chinese import CASES, load_cases

    recorded = re.search(r"`traditional\.jsonl`[^\n]*?`([0-9a-f]{64})`", (CASES / "README.md").read_text(encoding="utf-8"))
    assert recorded and recorded.group(1) == hashlib.sha256(Path(CASES / "traditional.jsonl").read_bytes()).hexdigest()
    genres = set(load_movielens_100k().genre_vocabulary())
    cases = load_cases("traditional")
    assert len(cases) >= 36 and len({c["family"] for c in cases}) == 6
    assert all(set(c["wants"]) | set(c["rules_out"]) | set(c.get("wants_optional", ())) <= genres for c in cases)


def test_the_reader_alone_table_reads_traditional_profiles_better_than_without_the_conversion(monkeypatch):
    from recsys.reading import chinese
    from recsys_bench.chinese import reader_alone

    table = reader_alone()
    assert set(table) == {"built", "heldout", "traditional", "traditional (mainland wording)"}
    monkeypatch.setattr(chinese, "simplified", lambda text: text)
    without = reader_alone()["traditional"]
    assert table["traditional"]["entirely"] > without["entirely"] and table["traditional"]["rules_out"] > without["rules_out"]
    assert table["built"] == reader_alone()["built"]  # simplified profiles read the same either way
