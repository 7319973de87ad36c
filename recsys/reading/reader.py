"""The profile reader: built once per catalogue, it composes titles, clauses, genres, eras and demographics into a :class:`Reading`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from recsys.reading.chinese import ChineseReader, has_chinese
from recsys.reading.chips import MAX_CHARS, MAX_LIKED, NOTE_TRUNCATED, EraWindow, TitleMatch
from recsys.reading.clauses import _kept_text, _Units
from recsys.reading.demographics import _PLACE_CUE, _stated_age
from recsys.reading.eras import _ERA_SHAPES, _TASTE_ERAS, _VAGUE_ERAS, _era_matches, _hedged, _hull, _year_range
from recsys.reading.genres import _build_lexicon, _catalogue_genres
from recsys.reading.lexicon import _GENDER_WORDS, _JOB_WORDS, DEFAULT_GENRE_LEXICON
from recsys.reading.result import Reading
from recsys.reading.text import _clean, _Doc, _english_words, _fold_word
from recsys.reading.title_search import _Found, _TitleSearch
from recsys.reading.titles import CONFIDENT, _TitleIndex


class ProfileReader:
    """Reads profile text into a :class:`Reading` against one catalogue.

    Built once per catalogue (it indexes the titles); :meth:`read` runs on every submit
    and takes about a millisecond for a sentence or two.

    Args:
        items: the catalogue: ``item_id``, ``title`` (MovieLens style, "Godfather, The
            (1972)"), ``year`` (float, may be NaN), ``genres`` (list of labels).
        genre_lexicon: genre label → everyday words and phrases; default
            :data:`DEFAULT_GENRE_LEXICON`. The catalogue's own genre names (lower-cased)
            are always added, so another catalogue's genres work by name; labels the
            catalogue does not use are dropped.
        occupations: the occupation vocabulary; an occupation is read only if its label is here.
        places: other categorical user columns and their labels (a bookshop's ``region``: "Scotland",
            "North East", …): a label is read when the writer places themselves there ("I live in
            Scotland", "I'm from the North East", "based in London", "moved to Wales").
        year_range: the catalogue's first and last year; default from ``items``.
        item_nouns: what the catalogue calls one item and several ("book", "books"); read like
            "films" and "novels", which always are ("slasher pictures", "travel books bore me").
        attitude: reads a clause the rules could not place — it names a genre with no cue and
            no liking word ("history books are too dry") — and gives the probability that it
            rules the genre out (:class:`~recsys.reading.attitude.AttitudeModel`, which the
            explorer builds on its text model). Without one, such a clause is read as a wish.

    Example:
        >>> items = pd.DataFrame({"item_id": [1, 2], "title": ["Godfather, The (1972)", "Scream (1996)"],
        ...                       "year": [1972.0, 1996.0], "genres": [["Crime", "Drama"], ["Horror"]]})
        >>> reader = ProfileReader(items, occupations=["retired", "healthcare"])
        >>> reading = reader.read("I loved The Godfather. Anything except horror, I scare easily!")
        >>> reading.liked_ids, reading.wants, reading.rules_out
        ((1,), (), ('Horror',))
        >>> reader.read("I'm a 70-year-old retired nurse").demographics
        {'age': 70, 'occupation': 'retired'}
    """

    def __init__(
        self,
        items: pd.DataFrame,
        genre_lexicon: Mapping[str, Sequence[str]] | None = None,
        occupations: Sequence[str] = (),
        year_range: tuple[int, int] | None = None,
        places: Mapping[str, Sequence[str]] | None = None,
        item_nouns: Sequence[str] = (),
        attitude: Callable[[Sequence[str]], Sequence[float]] | None = None,
    ) -> None:
        self.attitude = attitude
        # Folded label words → (column, label), longest labels first so "North East" wins over "East".
        self._places = sorted(
            ((tuple(_fold_word(w) for w in str(label).split()), column, str(label)) for column, labels in (places or {}).items() for label in labels if str(label).strip()),
            key=lambda entry: -len(entry[0]),
        )  # fmt: skip
        self.occupations = tuple(str(o) for o in occupations)
        self._occupations = frozenset(self.occupations)
        # The labels themselves are job words too ("Healthcare by day").
        self._jobs = {**{(o.lower(),): o for o in self.occupations if o.lower() not in ("none", "other")}, **_JOB_WORDS}
        catalogue_genres = _catalogue_genres(items)
        self.genres = catalogue_genres
        self.year_range = _year_range(items, year_range)
        lexicon = DEFAULT_GENRE_LEXICON if genre_lexicon is None else genre_lexicon
        self._lexicon = _build_lexicon(lexicon, catalogue_genres, item_nouns)
        self._index = _TitleIndex(items)
        # English words inside a Chinese profile are read by the rules alone: the attitude model reads whole clauses.
        self._chinese = ChineseReader(
            catalogue_genres, self.occupations, self.year_range, lambda text, notes=None: self._english(text, notes, judge=False)
        )
        _english_words()  # loaded once here, so the first read is as quick as the rest

    def read(self, text: str, judge: bool = True) -> Reading:
        """Read a profile.

        Era rules. Precise phrases: a decade ("1940s", "the forties", "'80s") is its ten
        years ("early"/"mid"/"late" a third of it); "from A to B"/"between A and B" is
        A–B; "before Y" ends at Y − 1 and "after Y" starts at Y + 1, "until"/"since"
        include Y; "films from 1994" is that year. Descriptive phrases: "black and white"
        is catalogue start to 1960, "silent" to 1929, "classic"/"old films"/"golden age"
        to 1969, "recent"/"latest"/"new releases" the catalogue's last 3 years. Several
        precise windows combine into the hull of their union ("the fifties and sixties"
        is 1950–1969); a descriptive window overlapping them narrows them ("classic
        films from the 1940s" is the 1940s) and one apart from them widens the hull ("the
        80s and the latest releases"). A negated open window ("no black and white",
        "nothing before 1960") becomes its complement and cuts the result; a negated
        closed one ("nothing from the 80s") cannot be expressed and is dropped with a note.

        Args:
            text: what the person typed; only the first :data:`MAX_CHARS` characters are read.
            judge: let the attitude model read clauses the rules cannot place (when the reader has one);
                ``False`` for text that describes an item rather than a person's taste.

        Raises:
            TypeError: ``text`` is not a ``str``.
        """
        if not isinstance(text, str):
            raise TypeError(f"profile text must be a str, got {type(text).__name__}")
        notes: list[str] = []
        if len(text) > MAX_CHARS:
            text, notes = text[:MAX_CHARS], [NOTE_TRUNCATED]
        text = _clean(text)
        if has_chinese(text):
            return self._chinese.read(text, notes)
        return self._english(text, notes, judge)

    def _english(self, text: str, notes: list[str] | None = None, judge: bool = True) -> Reading:
        """The reading of an English text (already cleaned and cut to length)."""
        notes = list(notes or [])
        doc = _Doc(text)
        found = _TitleSearch(self._index, doc, self._lexicon.words, self.year_range[1]).run()
        units = _Units(doc, found, self._lexicon)
        negated = units.negation(self.attitude if judge else None, notes)
        titles = self._keep_titles(found, units, negated, notes)
        wants, rules_out = self._genres(units, negated, notes)
        era = self._era(doc, units, negated, notes)
        demographics = self._demographics(units, negated)
        # Not the clauses that rule things out, nor those about a genre the writer has not seen ("Never watched a film
        # noir, but mostly I want comedies" embeds "mostly I want comedies"); a text that is all such clauses is embedded
        # as typed.
        dropped = [n or u in units.neutral or u in units.spent for u, n in enumerate(negated)]
        kept = _kept_text(doc, units, dropped, found) if any(dropped) else ""
        return Reading(wants, rules_out, titles, era, demographics, tuple(dict.fromkeys(notes)), kept)

    # --- from found parts to the reading -----------------------------------------------

    def _keep_titles(self, found: list[_Found], units: _Units, negated: list[bool], notes: list[str]) -> tuple[TitleMatch, ...]:
        """Titles to show, in order, without repeats; ones mentioned negatively are dropped with a note."""
        kept: list[TitleMatch] = []
        seen: set[Any] = set()
        for n, f in enumerate(found):
            match = f.match
            if negated[units.title_unit[n]]:
                shown = match.title or match.query
                notes.append(f"'{match.query}' is mentioned negatively, so {shown} is not used as a film you like.")
                continue
            key = match.item_id if match.item_id is not None else ("query", match.query.casefold())
            if key in seen:
                continue
            seen.add(key)
            kept.append(match)
            if match.confident:
                continue
            options = "; ".join(f"{t} ({s:.0f})" for _, t, s in match.alternatives[:3])
            if match.score >= CONFIDENT and len(match.alternatives) == 1:
                # One film, offered because the word is also an everyday word ("Heat and Casino": is "Heat" the film?).
                notes.append(
                    f"'{match.query}' may mean the film {match.alternatives[0][1]} or the word itself. Pick it if you meant the film."
                )
            elif match.score >= CONFIDENT:
                notes.append(f"'{match.query}' could be several films: {options}. Pick one or add the year.")
            elif match.alternatives:
                notes.append(f"'{match.query}' is not in the catalogue as written; closest: {options}.")
            else:
                notes.append(f"'{match.query}' is not in the catalogue.")
        n_liked = len({m.item_id for m in kept if m.confident})
        if n_liked > MAX_LIKED:
            notes.append(f"You named {n_liked} films; only the first {MAX_LIKED} are used.")
        return tuple(kept)

    # --- genres -----------------------------------------------------------------------

    def _genres(self, units: _Units, negated: list[bool], notes: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Wanted and ruled-out labels; strong mentions beat compound ones, ties go to ruled out."""
        wants: dict[str, bool] = {}
        rules: dict[str, bool] = {}
        theirs = units.theirs()
        neutral: dict[str, None] = {}
        for hit in units.genre_hits:
            if hit.rule_out and negated[hit.first]:
                continue  # "I don't scare easily"
            if hit.denied_only and not negated[hit.first]:
                continue  # "a violent revenge thriller" asks for a thriller, not for every violent genre
            if hit.first in theirs and not negated[hit.first]:
                continue  # "My partner loves horror, but I ...": someone else's taste
            if hit.first in units.neutral and not negated[hit.first]:
                neutral.update(dict.fromkeys(hit.labels))
                continue  # "I've never seen a western", "I hate it when horror films …": neither wanted nor ruled out
            strong = len(hit.labels) == 1
            side = rules if hit.rule_out or negated[hit.first] else wants
            for label in hit.labels:
                side[label] = side.get(label, False) or strong
        for label in [g for g in wants if g in rules]:
            if wants[label] and not rules[label]:
                del rules[label]
            else:
                if wants[label] and rules[label]:
                    notes.append(f"You both asked for and ruled out {label}; it is kept as ruled out.")
                del wants[label]
        said = [label for label in neutral if label not in wants and label not in rules]
        if said:
            notes.append(
                f"{', '.join(said)}: read as neither wanted nor ruled out (not seen yet, liked only in the past, or part of something you dislike). "
                "To ask for it, add it under Correct the reading."
            )
        return tuple(wants), tuple(rules)

    # --- era --------------------------------------------------------------------------

    def _era(self, doc: _Doc, units: _Units, negated: list[bool], notes: list[str]) -> EraWindow | None:
        first_year, last_year = self.year_range
        precise: list[tuple[int, int, int, int]] = []  # start, end, first unit, last unit
        vague: list[tuple[int, int, int, int]] = []
        kinds: list[str] = []  # the kinds of the windows asked for (not the negated ones)
        cuts: list[tuple[int, int, str]] = []
        for start, end, u_first, u_last, kind in _era_matches(units, first_year, last_year):
            phrase = units.span(u_first, u_last)
            shape = _ERA_SHAPES[kind]
            if not any(negated[u_first : u_last + 1]):
                (vague if kind in _VAGUE_ERAS else precise).append((start, end, u_first, u_last))
                kinds.append(kind)
            elif shape == "before":
                cuts.append((end + 1, max(last_year, end + 1), phrase))
            elif shape == "after":
                cuts.append((min(first_year, start - 1), start - 1, phrase))
            else:
                notes.append(f"Ruling out a period ('{phrase}') is not supported yet; it was ignored.")
        positive = precise + vague
        if not positive and not cuts:
            return None
        if positive:
            start, end = _hull(precise or vague)
            for v_start, v_end, _, _ in vague if precise else ():
                if max(start, v_start) <= min(end, v_end):
                    # "classic films from the 1940s": the decade says which classics.
                    start, end = max(start, v_start), min(end, v_end)
                else:
                    # "the 80s and the latest releases": both, so the span of both.
                    start, end = min(start, v_start), max(end, v_end)
            if len({units.segment[p[2]] for p in positive}) == 1:
                # One clause ("the fifties and sixties"): quote it whole.
                phrase = units.span(min(p[2] for p in positive), max(p[3] for p in positive))
            else:
                phrase = " and ".join(dict.fromkeys(units.span(p[2], p[3]) for p in sorted(positive, key=lambda p: p[2])))
        else:
            start, end = first_year, last_year
            phrase = " and ".join("not " + c[2] for c in cuts)
        for cut_start, cut_end, _ in cuts:
            if max(start, cut_start) <= min(end, cut_end):
                start, end = max(start, cut_start), min(end, cut_end)
        if end < first_year or start > last_year:
            notes.append(f"The catalogue has no films from {start}–{end} ('{phrase}').")
        # Hedged when every period asked for is named in a hedged clause ("mostly 80s films"); a cut alone is not.
        hedged = bool(positive) and all(_hedged(units, p[2]) for p in positive)
        return EraWindow(int(start), int(end), phrase, firm=not kinds or any(k not in _TASTE_ERAS for k in kinds), hedged=hedged)

    # --- demographics -----------------------------------------------------------------

    def _demographics(self, units: _Units, negated: list[bool]) -> dict[str, Any]:
        """What the writer says about themselves; "retired" wins over a former job."""
        out: dict[str, Any] = {}
        age = _stated_age(units, negated)
        if age is not None:
            out["age"] = age
        folds = units.fold
        jobs: list[str] = []
        for u in range(len(folds)):
            if units.title[u] >= 0 or negated[u]:
                continue
            for length in (4, 2, 1):
                job = self._jobs.get(tuple(folds[u : u + length]))
                if job is not None and units.same_segment(u, u + length - 1) and units.is_self(u):
                    jobs.append(job)
                    break
            gender = _GENDER_WORDS.get(folds[u])
            if gender and "gender" not in out and units.is_self(u) and not units.relative_after(u):
                out["gender"] = gender
        if "retired" in jobs and "retired" in self._occupations:
            out["occupation"] = "retired"
        else:
            for job in jobs:
                if job in self._occupations:
                    out["occupation"] = job
                    break
        for column, label in self._placed(folds, negated):
            out.setdefault(column, label)
        return out

    def _placed(self, folds: list[str], negated: list[bool]) -> list[tuple[str, str]]:
        """``(column, label)`` of each place the writer puts themselves in ("I live in Scotland")."""
        found = []
        for u in range(len(folds)):
            for words, column, label in self._places:
                if tuple(folds[u : u + len(words)]) != words or negated[u]:
                    continue
                before = folds[max(0, u - 3) : u]
                if before[-1:] == ["the"]:
                    before = folds[max(0, u - 4) : u - 1]
                if _PLACE_CUE(before):
                    found.append((column, label))
                    break
        return found
