"""Reading Chinese and mixed Chinese–English profiles into the same :class:`Reading` the English reader makes.

Chinese has no spaces, so words come from the ``jieba`` segmenter (its own dictionary, loaded
once per process); the reader's words (``lexicon_zh.toml``) are matched on its word
boundaries, joining up to four segmented words ("不" + "喜欢" is the cue 不喜欢), so 恐怖 is
found in 恐怖片 but not inside 恐怖分子.

How a text is read:

1. It splits into clauses at punctuation (，。；！？ and their ASCII forms) and before a
   contrast word (但是, 可是, 不过, ...). A clause with no Chinese character is English and
   goes to the English reader, all such clauses together.
2. In a Chinese clause, a genre word's side is decided by the nearest cue or liking word
   before it (我不喜欢恐怖片, 我喜欢喜剧不喜欢恐怖片); with none before it, by the nearest
   after it (恐怖片就算了, 恐怖片我受不了). 除了 X 以外 rules X out, unless 还 or 也 follows
   ("besides X I also like Y"). Latin words inside a Chinese clause (我喜欢sci-fi) are read by
   the English reader's genre words and named-film search, and take the clause's side.
3. Eras: decades (五十年代, 90年代, 上世纪八十年代, 八九十年代, with 初/中期/末), years with
   以前/以后, ranges (1980年到1990年), and the descriptive 黑白片, 默片, 老电影, 新片 — the same
   windows as the English ones; a negated open window (不要黑白片) cuts the rest. A hedge in the
   clause (大多, 最好是, 一般, 如果可以的话 just before it) makes the window a leaning (hedged).
4. The writer's age (我今年35岁, 三十五岁的…), occupation (退休护士 → retired) and gender,
   unless a relative comes first in the clause (我儿子是学生).
5. The text the model reads drops the Chinese clauses that rule something out, as the English
   reader drops English ones.

Traditional characters (Taiwan, Hong Kong) are read as their simplified forms (OpenCC's ``t2s``
conversion, each character kept in its place), so 我不喜歡懸疑片 is read as 我不喜欢悬疑片; the
text the model reads keeps the characters as typed. Vocabulary that differs between regions
(a Taiwanese word for a genre or a job that the mainland does not use) is not translated.
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recsys.reading.chips import EraWindow, TitleMatch
from recsys.reading.eras import BLACK_AND_WHITE_END, CLASSIC_END, RECENT_YEARS, SILENT_END
from recsys.reading.lexicon import _GENDER_WORDS, _JOB_WORDS
from recsys.reading.result import Reading

_DATA: dict[str, Any] = tomllib.loads(Path(__file__).with_name("lexicon_zh.toml").read_text(encoding="utf-8"))
#: Han characters: extension A, the basic block, compatibility ideographs, 〇, and the supplementary planes
#: (extensions B–H and the compatibility supplement: Hong Kong characters and names live there).
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\U00020000-\U0003134f]")
_CLAUSE_BREAK = re.compile(r"[,.;!?\n。；！？，;]+|(?=" + "|".join(_DATA["negation"]["contrasts"]) + ")")
#: A blank between two Han characters: people typing on a phone often put one where a comma goes
#: (我不爱看歌舞片 给我来点动作片) — but also inside one clause (我不喜欢 恐怖片, 1990年 到 2000年), so it ends a
#: clause only where both sides are about a genre (:meth:`ChineseReader._split_at_blanks`).
_BLANK = re.compile(r"(?<=" + _CJK.pattern + r")\s+(?=" + _CJK.pattern + ")")
_LATIN_RUN = re.compile(r"(?=[0-9]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9'’\-]*(?:\s+[A-Za-z0-9][A-Za-z0-9'’\-]*)*")
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_NUMBER = "零〇一二两三四五六七八九十百"
_DECADE_ITEM = r"(?:(?:19|20)?[0-9]0|[二三四五六七八九]+十?)"
_DECADE = re.compile(
    rf"(?P<century>上世纪|上个世纪|二十世纪|20世纪)?(?P<list>{_DECADE_ITEM}(?:\s*(?:年代)?\s*[、,和到至与及~\-]\s*{_DECADE_ITEM})*)\s*年代"
    r"(?P<part>初期|早期|前期|初|中期|中|末期|后期|晚期|末)?"
)
_YEAR = r"(1[89][0-9]{2}|20[0-9]{2})"
_RANGE = re.compile(rf"(?:从)?{_YEAR}\s*年?\s*(?:到|至|-|—|~)\s*{_YEAR}\s*年?")
_OPEN = re.compile(rf"{_YEAR}\s*年?\s*(以前|之前|以后|之后|以来|前(?!后)|后)")
_ONE_YEAR = re.compile(rf"(?<!我是)(?<!出生于)(?<!生于){_YEAR}\s*年(?:拍的|上映的|出的|的电影|的片|的作品)")
#: Cues that mean "only" rather than "not" before a liking word (我唯独喜欢喜剧).
_ONLY = frozenset({"唯独"})
#: After 除了 X: words for "everything else", and for "nothing else" (除了喜剧，其他都不喜欢).
_ALL_OTHERS = ("其他", "其它", "别的", "什么", "都", "全")
_NOTHING_ELSE = ("都不", "都没", "全不", "一概不", "都不喜欢", "都不看")
_BOOK_TITLE = re.compile(r"《([^》]{1,80})》")
_NOUNS = sorted(_DATA["nouns"]["after_genre"], key=len, reverse=True)
_HEDGES = sorted(_DATA["eras"]["hedges"], key=len, reverse=True)
_NOT_HEDGES = _DATA["eras"]["not_hedges"]
_AGE = re.compile(
    rf"(?:今年|年龄|年纪|已经|现在)\s*(?:已经|刚|刚满|满)?\s*([0-9]{{1,3}}|[{_ZH_NUMBER}]{{1,4}})(?![0-9年代月号日])|([0-9]{{1,3}}|[{_ZH_NUMBER}]{{1,4}})\s*多?\s*(?:岁|周岁)(?!的时候|那年|时)"
)


@functools.lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` with traditional characters written in their simplified forms, every character in its place.

    OpenCC converts phrase by phrase; where that would change the length (so a span of the result would no longer
    be the same span of ``text``), each character is converted alone, and if even that changes it, ``text`` is kept.
    """
    converter = _to_simplified()
    out = converter.convert(text)
    if len(out) != len(text):
        out = "".join(converter.convert(character) for character in text)
    return out if len(out) == len(text) else text


def has_chinese(text: str) -> bool:
    """Does ``text`` contain a Chinese character?"""
    return bool(_CJK.search(text))


@functools.lru_cache(maxsize=1)
def segmenter():
    """The process's jieba tokenizer (its dictionary loads once, about half a second)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def segment(text: str) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` of each segmented word of ``text`` (white space dropped), as written in ``text``.

    jieba's dictionary is in simplified characters and cuts traditional text into single characters (喜歡 → 喜, 歡),
    so the words are cut in :func:`simplified` text; the spans are the same in both."""
    out, at = [], 0
    for word in segmenter().lcut(simplified(text), HMM=False):
        if word.strip():
            out.append((text[at : at + len(word)], at, at + len(word)))
        at += len(word)
    return out


def _table(genres: tuple[str, ...]) -> dict[str, tuple[str, Any]]:
    """Every reader word → (kind, value) for a catalogue's genres."""
    table: dict[str, tuple[str, Any]] = {}
    negation = _DATA["negation"]
    for word in negation["liking"]:
        table[word] = ("like", None)
    for word in negation["cues"]:
        table[word] = ("cue", word)
    for word in negation["neutral"]:
        table[word] = ("neutral", None)
    for word in negation["besides"]:
        table[word] = ("besides", None)
    for word in negation["except_close"]:
        table[word] = ("close", None)
    named: dict[str, list[str]] = {}
    for label, words in _DATA["genres"].items():
        targets = [g for g in genres if g == label or g.casefold() == label.casefold()]
        for word in words:
            for target in targets:
                named.setdefault(word, [])
                if target not in named[word]:
                    named[word].append(target)
    for word, labels in named.items():
        table[word] = ("genre", tuple(labels))
    for label, words in _DATA["genres_ruled_out_by_saying"].items():
        if label in genres:
            for word in words:
                table[word] = ("rules_out", label)
    return table


@dataclass
class _Mention:
    start: int
    end: int
    kind: str  # genre, cue, like, neutral, besides, close, rules_out
    value: Any = None
    negated_by_english: bool = False


@dataclass
class _Clause:
    text: str
    start: int
    mentions: list[_Mention] = field(default_factory=list)
    titles: list[TitleMatch] = field(default_factory=list)
    eras: list[tuple[int, int, str, int, int, str]] = field(default_factory=list)


class ChineseReader:
    """Reads the Chinese clauses of a profile for one catalogue; English clauses go to ``english``.

    Args:
        genres: the catalogue's genre labels.
        occupations: the catalogue's occupation vocabulary.
        year_range: the catalogue's first and last year.
        english: the English reader's ``read`` (for English clauses and Latin words).
    """

    def __init__(
        self, genres: tuple[str, ...], occupations: tuple[str, ...], year_range: tuple[int, int], english: Callable[[str], Reading]
    ):
        self.genres, self.year_range, self.english = genres, year_range, english
        self._table = _table(genres)
        self._longest = 4
        self._occupations = frozenset(occupations)
        self._jobs = {word: label for label, words in _DATA["demographics"]["jobs"].items() for word in words if label in self._occupations}
        self._gender = {word: g for g, words in _DATA["demographics"]["gender"].items() for word in words}
        self._relatives = frozenset(_DATA["demographics"]["relatives"])

    def read(self, text: str, notes: list[str]) -> Reading:
        """The reading of a text that contains Chinese (``notes`` carries the caller's notes in and out)."""
        typed, text = text, simplified(text)  # read in simplified characters; the spans are the same in both
        clauses, english = self._clauses(text)
        wants: dict[str, None] = {}
        rules: dict[str, None] = {}
        titles: list[TitleMatch] = []
        dropped: list[tuple[int, int]] = []
        windows: list[tuple[int, int, str, bool, str, bool]] = []  # start, end, phrase, negated, kind, hedged
        demographics: dict[str, Any] = {}
        about_other = previous_negative = False
        for n, clause in enumerate(clauses):
            negative_clause = False
            negative_spans: list[tuple[int, int]] = []  # where each genre the clause rules out is
            wanted_starts: list[int] = []
            about_other = self._about_other(clause, about_other)
            for m in clause.mentions:
                if about_other and m.kind in ("genre", "rules_out"):
                    continue  # 我老公喜欢恐怖片: someone else's taste
                if m.kind == "rules_out":
                    rules[m.value] = None
                    negative_clause = True
                    negative_spans.append((m.start, m.end))
                elif m.kind == "genre":
                    negated = m.negated_by_english or self._negated(clauses, n, m)
                    for label in m.value:
                        (rules if negated else wants)[label] = None
                    negative_clause = negative_clause or negated
                    (negative_spans.append((m.start, m.end)) if negated else wanted_starts.append(m.start))
            only_genres_ruled_out = negative_clause
            for window in self._eras(clause):
                negated = self._negated(clauses, n, _Mention(window[3], window[4], "era"))
                hedged = _hedged(clause) or (n > 0 and _only_hedge(clauses[n - 1]))
                phrase = _as_typed(window[2], clause.start + window[3], text, typed)
                windows.append((window[0], window[1], phrase, negated, window[5], hedged))
                negative_clause = negative_clause or negated
                only_genres_ruled_out = only_genres_ruled_out and not negated
            for title in clause.titles:
                negated = self._negated(clauses, n, _Mention(text.find(title.query, clause.start) - clause.start, 0, "title"))
                if negated:
                    notes.append(
                        f"'{title.query}' is mentioned negatively, so {title.title or title.query} is not used as a film you like."
                    )
                    negative_clause = True
                    only_genres_ruled_out = False
                elif title.item_id not in {t.item_id for t in titles} or title.item_id is None:
                    titles.append(title)
            if negative_clause:
                # 我不爱看歌舞片给我来点动作片: a wish after the last genre ruled out is kept, and what follows it.
                last = max((e for _, e in negative_spans), default=len(clause.text))
                end = last if only_genres_ruled_out and any(s >= last for s in wanted_starts) else len(clause.text)
                dropped.append((clause.start + _kept_head(clause, [a for a, _ in negative_spans], wanted_starts), clause.start + end))
            elif previous_negative and _only_cue(clause):
                dropped.append((clause.start, clause.start + len(clause.text)))  # 惊悚片看得我心慌，真受不了: the cue goes too
            previous_negative = negative_clause
            if not about_other:
                self._demographics(clause, demographics)
            for found in _BOOK_TITLE.finditer(clause.text):
                query = _as_typed(found.group(1), clause.start + found.start(1), text, typed)
                if not has_chinese(query):
                    continue
                notes.append(f"'{query}' is not in the catalogue as written: its titles are matched as the catalogue writes them.")
        if english.strip():
            read = self.english(english)
            for label in read.wants:
                wants[label] = None
            for label in read.rules_out:
                rules[label] = None
            titles.extend(t for t in read.titles if t.item_id is None or t.item_id not in {k.item_id for k in titles})
            for key, value in read.demographics.items():
                demographics.setdefault(key, value)
            notes.extend(read.notes)
            if read.era is not None:
                windows.append(
                    (read.era.start, read.era.end, read.era.phrase, False, "firm" if read.era.firm else "classic", read.era.hedged)
                )
        for label in [g for g in wants if g in rules]:
            notes.append(f"You both asked for and ruled out {label}; it is kept as ruled out.")
            del wants[label]
        era = self._era(windows, notes)
        kept = ""
        if dropped:
            kept = _without(typed, dropped)
        return Reading(tuple(wants), tuple(rules), tuple(titles), era, demographics, tuple(dict.fromkeys(notes)), kept)

    # --- clauses and mentions -----------------------------------------------------------

    def _clauses(self, text: str) -> tuple[list[_Clause], str]:
        """The Chinese clauses with their mentions, and the English clauses joined."""
        clauses: list[_Clause] = []
        english: list[str] = []
        at = 0
        for piece in _CLAUSE_BREAK.split(text) + [""]:
            start = text.find(piece, at) if piece else at
            if piece.strip():
                if has_chinese(piece):
                    clauses.extend(self._split_at_blanks(piece, start))
                else:
                    english.append(piece.strip())
                at = start + len(piece)
        return clauses, ". ".join(english)

    def _split_at_blanks(self, piece: str, start: int) -> list[_Clause]:
        """``piece`` as one clause, or cut at the blanks between Han characters where the part before says something
        of a genre and the part after names one (我不爱看歌舞片 给我来点动作片 is two clauses; 我不喜欢 恐怖片,
        喜剧片 恐怖片 都不喜欢 and 1990年 到 2000年 stay one)."""
        cuts = [0, *(m.end() for m in _BLANK.finditer(piece)), len(piece)]
        if len(cuts) == 2:  # no blank between Han characters (nearly every profile): one clause, read once
            return [self._clause(piece, start)]
        parts = [(cuts[k], cuts[k + 1]) for k in range(len(cuts) - 1)]
        kinds = [{m.kind for m in self._clause(piece[a:b], 0).mentions} for a, b in parts]
        clauses = [list(parts[0])]
        for k in range(1, len(parts)):
            # The part before says something of a genre (a cue or a liking word with it: 喜剧片 恐怖片 都不喜欢 stays whole).
            said = bool(kinds[k - 1] & {"genre", "rules_out"}) and bool(kinds[k - 1] & {"cue", "like", "rules_out"})
            if said and kinds[k] & {"genre", "rules_out"}:
                clauses.append(list(parts[k]))
            else:
                clauses[-1][1] = parts[k][1]
        return [self._clause(piece[a:b].rstrip(), start + a) for a, b in clauses]

    def _clause(self, text: str, start: int) -> _Clause:
        clause = _Clause(text, start)
        words = segment(text)
        n = 0
        while n < len(words):
            for length in range(min(self._longest, len(words) - n), 0, -1):
                joined = "".join(w for w, _, _ in words[n : n + length])
                entry = self._lookup(joined)
                if entry is None:
                    continue
                clause.mentions.append(_Mention(words[n][1], words[n + length - 1][2], *entry))
                n += length
                break
            else:
                # One segmented word around a reader word (真受不了, 特别喜欢): its longest known tail.
                word, at, _ = words[n]
                for k in range(1, len(word) - 1):
                    entry = self._lookup(word[k:])
                    if entry is not None and entry[0] in ("cue", "like", "genre"):
                        clause.mentions.append(_Mention(at + k, at + len(word), *entry))
                        break
                n += 1
        for m in _LATIN_RUN.finditer(text):
            read = self.english(m.group())
            if read.wants:  # 我喜欢comedy: the clause decides
                clause.mentions.append(_Mention(m.start(), m.end(), "genre", read.wants))
            if read.rules_out:  # 我喜欢comedy but not romance: the English words ruled it out themselves
                clause.mentions.append(_Mention(m.start(), m.end(), "genre", read.rules_out, negated_by_english=True))
            named = self.english("I loved " + m.group()) if any(ch.isupper() for ch in m.group()) else read
            clause.titles.extend(t for t in named.titles if t.item_id is not None)
            if read.era is not None:
                kind = "firm" if read.era.firm else "classic"
                clause.eras.append((read.era.start, read.era.end, m.group(), m.start(), m.end(), kind))
        clause.mentions.sort(key=lambda m: m.start)
        return clause

    def _lookup(self, joined: str) -> tuple[str, Any] | None:
        """The reader word ``joined`` is, or the genre word it is with a noun after it (恐怖片 → 恐怖)."""
        entry = self._table.get(joined)
        if entry is not None:
            return entry
        for noun in _NOUNS:
            if joined.endswith(noun) and len(joined) > len(noun):
                entry = self._table.get(joined[: -len(noun)])
                if entry is not None and entry[0] == "genre":
                    return entry
        return None

    def _negated(self, clauses: list[_Clause], n: int, target: _Mention) -> bool:
        """Is ``target`` (in clause ``n``) on the ruled-out side?"""
        clause = clauses[n]
        mentions = clause.mentions
        before = [m for m in mentions if m.start < target.start and m.kind in ("cue", "like")]
        after = [m for m in mentions if m.start > target.start and m.kind in ("cue", "like")]
        if not before and n + 1 < len(clauses) and _only_cue(clauses[n + 1]):
            return True  # 惊悚片看得我心慌，真受不了: a clause that is nothing but a cue rules out the one before
        deciding = before[-1] if before else (after[0] if after else None)
        if deciding is not None and deciding.kind == "like" and len(before) > 1 and before[-2].kind == "cue":
            gap = clause.text[before[-2].end : deciding.start]
            if len(gap) <= 2 and before[-2].value not in _ONLY:
                deciding = before[-2]  # 别给我推荐西部片, 不是很喜欢爱情片: the cue governs the verb after it
        if deciding is None or deciding.kind == "like":
            return False
        if deciding.start < target.start and _modifies_another(clause, deciding, target):
            return False  # 没有恐怖元素的喜剧: the cue belongs to the phrase before 的, not to the comedy
        if deciding.value == "除了":
            return not self._besides(clauses, n, deciding)
        return True

    def _besides(self, clauses: list[_Clause], n: int, cue: _Mention) -> bool:
        """After 除了 X: is X one more wish (除了喜剧，我也喜欢科幻) rather than the exception (除了恐怖片，其他都行)?"""
        rest = clauses[n].text[cue.end :] + "".join(c.text for c in clauses[n + 1 : n + 2])
        if any(word in rest for word in _ALL_OTHERS):
            # 除了喜剧，其他都不喜欢: everything else is ruled out, so X is the one wish.
            return any(word in rest for word in _NOTHING_ELSE)
        return any(word in rest for word in _DATA["negation"]["besides"])

    # --- eras ---------------------------------------------------------------------------

    def _eras(self, clause: _Clause) -> list[tuple[int, int, str, int, int, str]]:
        """``(start, end, phrase, at, to, kind)`` of each era phrase in the clause."""
        first, last = self.year_range
        text, found = clause.text, list(clause.eras)
        taken: list[tuple[int, int]] = [(e[3], e[4]) for e in clause.eras]

        def add(start: int, end: int, m: re.Match | tuple[int, int, str], kind: str) -> None:
            at, to, phrase = (m.start(), m.end(), m.group()) if isinstance(m, re.Match) else m
            if any(a < to and at < b for a, b in taken) or start > end:
                return
            taken.append((at, to))
            found.append((start, end, phrase, at, to, kind))

        for m in _RANGE.finditer(text):
            a, b = int(m.group(1)), int(m.group(2))
            add(min(a, b), max(a, b), m, "firm")
        for m in _OPEN.finditer(text):
            year, side = int(m.group(1)), m.group(2)
            if side in _DATA["eras"]["before"]:
                add(min(first, year - 1), year - 1, m, "before")
            else:
                add(year if side == "以来" else year + 1, max(last, year + 1), m, "after")
        for m in _ONE_YEAR.finditer(text):
            add(int(m.group(1)), int(m.group(1)), m, "firm")
        for m in _DECADE.finditer(text):
            starts = _decade_starts(m.group("list"), last)
            if not starts:
                continue
            start, end = min(starts), max(starts) + 9
            part = m.group("part")
            if part and len(starts) == 1:
                start, end = _part(start, part)
            add(start, end, m, "firm")
        words = [(w, a, b) for w, a, b in segment(text)]
        for kind, end_year in (("bw", BLACK_AND_WHITE_END), ("silent", SILENT_END), ("classic", CLASSIC_END), ("recent", None)):
            for word in sorted(_DATA["eras"][kind], key=len, reverse=True):
                for at in _find_words(words, word):
                    if end_year is None:
                        add(max(first, last - RECENT_YEARS + 1), last, (at, at + len(word), word), kind)
                    else:
                        add(min(first, end_year), end_year, (at, at + len(word), word), kind)
        return found

    def _era(self, windows: list[tuple[int, int, str, bool, str, bool]], notes: list[str]) -> EraWindow | None:
        """One window from the era phrases, combined as the English reader combines its own (hedged when every period
        asked for is named in a hedged clause)."""
        first, last = self.year_range
        precise = [w for w in windows if not w[3] and w[4] in ("firm", "before", "after", "bw", "silent")]
        vague = [w for w in windows if not w[3] and w[4] in ("classic", "recent")]
        cuts = []
        for start, end, phrase, negated, kind, _ in windows:
            if not negated:
                continue
            if kind in ("before", "bw", "silent", "classic"):
                cuts.append((end + 1, max(last, end + 1), phrase))
            elif kind in ("after", "recent"):
                cuts.append((min(first, start - 1), start - 1, phrase))
            else:
                notes.append(f"Ruling out a period ('{phrase}') is not supported yet; it was ignored.")
        if not precise and not vague and not cuts:
            return None
        if precise or vague:
            base = precise or vague
            start, end = min(w[0] for w in base), max(w[1] for w in base)
            for v in vague if precise else ():
                if max(start, v[0]) <= min(end, v[1]):
                    start, end = max(start, v[0]), min(end, v[1])
                else:
                    start, end = min(start, v[0]), max(end, v[1])
            phrase = "、".join(dict.fromkeys(w[2] for w in precise + vague))
        else:
            start, end, phrase = first, last, "、".join("不要" + c[2] for c in cuts)
        for cut_start, cut_end, _ in cuts:
            if max(start, cut_start) <= min(end, cut_end):
                start, end = max(start, cut_start), min(end, cut_end)
        if end < first or start > last:
            notes.append(f"The catalogue has no films from {start}–{end} ('{phrase}').")
        hedged = bool(precise or vague) and all(w[5] for w in precise + vague)
        return EraWindow(int(start), int(end), phrase, firm=bool(precise) or not vague, hedged=hedged)

    # --- demographics -------------------------------------------------------------------

    def _about_other(self, clause: _Clause, before: bool) -> bool:
        """Is the clause about someone else (我儿子是学生，今年8岁)? A relative before any 我, or no 我 after such a clause."""
        words = [w for w, _, _ in segment(clause.text)]
        first_self = words.index("我") if "我" in words else None
        # A relative after 陪/和/跟/带/给 is company, not the subject (陪孩子看动画片).
        relative = next((k for k, w in enumerate(words) if w in self._relatives and words[k - 1 : k] not in _WITH), None)
        together = relative is not None and first_self is not None and any(w in ("和", "跟", "与") for w in words[first_self:relative])
        if (
            relative is not None
            and not together
            and (first_self is None or relative < first_self or words[relative - 1 : relative] == ["我"])
        ):
            return True
        return before and first_self is None

    def _demographics(self, clause: _Clause, out: dict[str, Any]) -> None:
        """Age, occupation and gender the writer states about themselves in this clause."""
        words = segment(clause.text)
        relative_at = min((a for w, a, _ in words if w in self._relatives), default=len(clause.text))
        for m in _AGE.finditer(clause.text):
            if m.start() > relative_at or "age" in out:
                continue
            age = _number(m.group(1) or m.group(2))
            if age is not None and 5 <= age <= 110:
                out["age"] = age
        jobs: list[str] = []
        n = 0
        while n < len(words) and words[n][1] < relative_at:
            for length in range(min(3, len(words) - n), 0, -1):
                joined = "".join(w for w, _, _ in words[n : n + length])
                job = self._job(joined)
                gender = self._gender.get(joined) or (self._gender.get(joined[:1]) if job else None)
                if gender and "gender" not in out:
                    out["gender"] = gender
                if job and _states_self(clause, words[n][1], joined):
                    jobs.append(job)
                if job or gender:
                    n += length
                    break
            else:
                n += 1
        for m in _LATIN_RUN.finditer(clause.text):
            if m.start() > relative_at or not _states_self(clause, m.start()):
                continue
            folded = [w.lower().strip("'’-") for w in m.group().split()]
            for k in range(len(folded)):
                for length in (4, 3, 2, 1):
                    label = _JOB_WORDS.get(tuple(folded[k : k + length]))
                    if label is None and length == 1 and folded[k] in self._occupations:
                        label = folded[k]
                    if label in self._occupations:
                        jobs.append(label)
                        break
                gender = _GENDER_WORDS.get(folded[k])
                if gender and "gender" not in out:
                    out["gender"] = gender
        if jobs and "occupation" not in out:
            out["occupation"] = "retired" if "retired" in jobs else jobs[0]

    def _job(self, word: str) -> str | None:
        """The occupation a word names: whole (退休护士), or its last part (中学老师 → 老师) or after 女/男."""
        if word in self._jobs:
            return self._jobs[word]
        for k in range(1, len(word) - 1):
            if word[k:] in self._jobs:
                return self._jobs[word[k:]]
        return None


_WITH = tuple([w] for w in ("陪", "和", "跟", "带", "给", "为", "同", "与"))
#: Words that say the writer is describing themselves (我是, 作为, 做) before a job word.
_SELF_CUES = ("我是", "我在", "作为", "身为", "当过", "当", "做", "干", "退休", "职业", "工作")


def _states_self(clause: _Clause, at: int, word: str = "") -> bool:
    """Is a job word at ``at`` about the writer: after 我是/作为/做…, or in a fragment with no liking or cue word
    (三十岁，男，做销售的)? Not after 不是 (我不是学生), and not in 我喜欢诺兰导演的电影."""
    before = clause.text[:at]
    if "不是" in before[-4:]:
        return False
    if any(cue in before + word for cue in _SELF_CUES):
        return True
    return not any(m.kind in ("like", "cue") for m in clause.mentions)


def _kept_head(clause: _Clause, negated_starts: list[int], wanted_starts: list[int]) -> int:
    """Where a negated clause starts to rule things out: at its first cue or ruled-out genre when a wish comes
    before it (我喜欢喜剧不喜欢恐怖片 keeps 我喜欢喜剧), else at its start (the whole clause goes: 纪录片就不怎么喜欢了)."""
    first = min([m.start for m in clause.mentions if m.kind == "cue"] + negated_starts, default=0)
    return first if any(start < first for start in wanted_starts) else 0


def _hedged(clause: _Clause) -> bool:
    """Whether the clause hedges what it says of a period (大多看八十年代的; not 九十年代最好的动作片, where 最好 is "best")."""
    text = clause.text
    covered = [(m.start(), m.end()) for other in _NOT_HEDGES for m in re.finditer(re.escape(other), text)]
    return any(not any(a <= m.start() and m.end() <= b for a, b in covered) for word in _HEDGES for m in re.finditer(re.escape(word), text))


def _only_hedge(clause: _Clause) -> bool:
    """A clause that is a hedge and nothing else (如果可以的话, before 来点黑白片)."""
    names = any(m.kind in ("genre", "rules_out") for m in clause.mentions)  # 可以 in 如果可以的话 is a liking word
    return not names and not clause.eras and not clause.titles and _hedged(clause) and len(clause.text.strip()) <= 8


def _only_cue(clause: _Clause) -> bool:
    """A clause that is a negation cue and little else (真受不了), with no genre, liking word or era of its own."""
    kinds = {m.kind for m in clause.mentions}
    cues = sum(m.end - m.start for m in clause.mentions if m.kind == "cue")
    rest = len(re.sub(r"[\s了啊呀吧呢的]", "", clause.text)) - cues
    return "cue" in kinds and not kinds & {"genre", "like"} and not clause.eras and rest <= 1


def _modifies_another(clause: _Clause, cue: _Mention, target: _Mention) -> bool:
    """Does ``cue`` end inside a phrase closed by 的 before ``target`` (没有恐怖元素的喜剧, 不太血腥的动作片)?"""
    between = clause.text[cue.end : target.start]
    return "的" in between and any(m.kind == "genre" and cue.end <= m.start < target.start for m in clause.mentions)


def _find_words(words: list[tuple[str, int, int]], target: str) -> list[int]:
    """Where ``target`` starts as a run of whole segmented words."""
    out = []
    for n, (_, start, _) in enumerate(words):
        joined = ""
        for word, _, _ in words[n : n + 4]:
            joined += word
            if joined == target:
                out.append(start)
                break
            if not target.startswith(joined):
                break
    return out


def _number(text: str) -> int | None:
    """An integer written in digits or Chinese numerals (三十五 → 35, 七十 → 70, 一百 → 100)."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch == "百":
            total += (digit if digit is not None else 1) * 100
            digit = None
        elif ch == "十":
            total += (digit if digit is not None else 1) * 10
            digit = None
        elif ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        else:
            return None
    return total + (digit or 0)


def _decade_starts(listed: str, last_year: int) -> list[int]:
    """First years of the decades in a list like 八九十, 80、90, 1950到1960 or 二十."""
    out = []
    for item in re.findall(_DECADE_ITEM, listed):
        if item[0].isdigit():
            value = int(item)
            out.append(value if value >= 1000 else (2000 + value if value < 20 else 1900 + value))  # 00年代, 10年代: this century
        else:
            digits = [_ZH_DIGITS[ch] for ch in item if ch in _ZH_DIGITS]
            out.extend(1900 + 10 * d for d in digits if d >= 1)
    return out


def _part(start: int, part: str) -> tuple[int, int]:
    eras = _DATA["eras"]
    if part in eras["early"]:
        return start, start + 3
    if part in eras["late"]:
        return start + 7, start + 9
    return start + 3, start + 6


def _as_typed(phrase: str, at: int, read: str, typed: str) -> str:
    """``phrase``, found at ``at`` of the text as read (simplified characters), in the characters the person typed:
    the two texts have the same length, so a span of one is the same span of the other. A phrase that is not a span
    of the text (one the reader composed) is returned as it is."""
    return typed[at : at + len(phrase)] if read[at : at + len(phrase)] == phrase else phrase


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given character spans taken out (and the punctuation they leave doubled)."""
    kept, at = [], 0
    for start, end in sorted(spans):
        kept.append(text[at:start])
        at = end
    kept.append(text[at:])
    joined = "".join(kept)
    joined = re.sub(r"^[\s,，。；;、!！?？]+|[\s,，；;、]+$", "", joined)
    return re.sub(r"[,，；;、]\s*(?=[,，。；;！!？?])", "", joined)
