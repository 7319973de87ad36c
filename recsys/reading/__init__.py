"""Reads a typed profile into an editable structure: genres wanted and ruled out, named films, an era, stated demographics.

Sentence embeddings blur negation ("anything except horror" sits close to horror), so
the engine also reads the text explicitly. :class:`ProfileReader` is built once per
catalogue and turns text into a :class:`Reading` in about a millisecond; the person can
inspect every part of it and remove any chip (:meth:`Reading.without`).

How the reader decides, in the order it works:

1. **Titles first.** Film titles are found in quotes, after cue phrases ("films like",
   "such as", "my favourite films are", "loved", "liked", ...) and in runs of capitalised
   words, and fuzzily matched (``rapidfuzz`` ``fuzz.ratio`` on folded text) against the
   catalogue's titles, their alternate names and articles moved to the front
   ("Godfather, The" → "The Godfather"). Their words are then masked, so "No Escape"
   or "Star Wars" never reads as a negation or a genre. A match scoring at least
   :data:`CONFIDENT` is taken unless another film scores within :data:`AMBIGUOUS_MARGIN`
   (then it is ambiguous and the person picks); a year written next to the title
   ("Sabrina (1954)", "Vertigo 1958") demotes films from other years. A lone word opening
   a sentence ("Gattaca is wonderful") is a title when it is one; if it is an everyday
   English word ("Crash disturbed me") the film is offered as unsure instead of taken.
2. **Clauses and negation.** Text splits into clauses at ``. ; ! ?``, at commas, at
   contrastive words ("but", "though", ...) and before a new subject ("... and I love").
   A negation cue ("not", "no", "except", "anything but", "I hate", "can't stand",
   "without", "avoid", ...) rules out the genre words after it up to the clause end; a
   trailing cue ("X bores me", "X is not for me", "X? No thanks") rules out the list of
   things just before it. A comma ends the scope unless it continues a list that ends
   in "or"/"and" ("I don't like horror, thrillers or gore"). Cancelling words undo a
   cue ("I don't mind horror", "nothing but comedies"). Adverbs inside a trailing cue are
   skipped ("puts me *straight* to sleep"), and a dismissive word rules out what its
   clause is about ("I find them tedious"). A cue with nothing to rule out after it
   falls back, in order, on its clause's subject ("Horror isn't really my thing"), a
   pronoun's antecedent in an earlier clause ("my kids adore cartoons, but I find them
   tedious") and the bare question it answers ("Westerns? Not for me."). A clause that
   names a genre with no cue and no liking word ("history books are too dry") is read by
   a small learned model on the text model's sentence vector (:mod:`~recsys.reading.attitude`),
   when the reader has one, not taken for a wish. A comparison
   rules out its loser ("a western over a musical", "rather X than Y", "prefer X to Y");
   a dislike the writer has come round to, or that was someone else's, is a wish ("I
   used to hate westerns but now I love them", "my wife hates horror, but I love it").
   Some cues are no dislike (:mod:`~recsys.reading.denials`): two negations ("not as if I'd
   refuse a memoir"), a question expecting yes ("Who doesn't love a heist movie?"), a boast
   ("Nobody loves a whodunnit more than me"), a dislike of an event ("I hate it when a love
   story gets ruined"), and not having seen a genre ("I've never seen a western"), which is
   neither wanted nor ruled out unless the sentence asks to try it or refuses to.
3. **Genres.** A lexicon maps everyday words to catalogue genre labels; a catalogue keeps
   only the labels it has, and a genre it names differently ("Science Fiction") takes the
   words of the entry it matches by name. What the catalogue calls its items ("books",
   "podcasts") reads like "films". A word that is no everyday English word is read as the
   lexicon word it misspells within an edit or two ("horor", "westrens"). A genre both
   wanted and ruled out is a contradiction: it stays ruled out and a note says so; a
   compound word ("romcom") gives way to a plain one ("comedies, but no romcoms").
4. **Era.** Decades, ranges, "before/after YEAR", named periods ("post-war", "the Cold
   War", "the noughties"), "black and white", "silent", "classic" and "recent" each give a window; several combine into the hull of their union, and
   negated ones ("no black and white") cut it (details in :meth:`ProfileReader.read`).
5. **Demographics.** Age, gender and occupation are set only from what people say about
   themselves ("I'm a retired nurse"), never about others ("my 8-year-old son").

The package, each module importing only the ones listed before it:

- ``lexicon_en.toml`` and :mod:`~recsys.reading.lexicon`: the English word lists (genre
  phrases, negation cues, title cues, job and gender words) as data, and the tables read from them.
- :mod:`~recsys.reading.text`: cleaning, tokens, folding, and the word view of a text.
- ``attitude_en.toml`` and :mod:`~recsys.reading.attitude`: the attitude model of clauses the rules cannot place.
- :mod:`~recsys.reading.genres`: one catalogue's genre lexicon (plurals, misspellings, its own genre names).
- :mod:`~recsys.reading.chips`: :class:`TitleMatch`, :class:`EraWindow` and the limits on a reading.
- :mod:`~recsys.reading.serialisation`: a reading's parts to and from plain JSON values, checked.
- :mod:`~recsys.reading.titles`: the catalogue's title index and the title-match thresholds.
- :mod:`~recsys.reading.title_search`: where one text names films, and which films.
- :mod:`~recsys.reading.scores`: a score placed on a genre ("Romance: 2/10", "zero stars").
- :mod:`~recsys.reading.denials`: cues that are no dislike (two negations, a question, a boast, an event, not having
  seen a genre) and dislikes the writer no longer holds.
- :mod:`~recsys.reading.negation`: negation scope, comparisons and changed minds over clause units.
- :mod:`~recsys.reading.relations`: how a clause bears on its neighbours (a complaint that answers or leads, an
  approval that answers, "either", "especially", "is for my nephew, not me").
- :mod:`~recsys.reading.clauses`: the text as clause units, genre hits, the text kept after negation.
- :mod:`~recsys.reading.eras`: era phrases as windows of years.
- :mod:`~recsys.reading.demographics`: the writer's stated age and place, and the words that describe the writer.
- :mod:`~recsys.reading.result`: :class:`Reading`, the structure a read returns.
- :mod:`~recsys.reading.reader`: :class:`ProfileReader`, which composes them.
"""

from __future__ import annotations

from recsys.reading.attitude import AttitudeModel
from recsys.reading.chips import CHIP_KINDS, DEMOGRAPHIC_KEYS, MAX_CHARS, MAX_LIKED, NOTE_TRUNCATED, EraWindow, TitleMatch
from recsys.reading.demographics import self_description_words
from recsys.reading.eras import BLACK_AND_WHITE_END, CLASSIC_END, RECENT_YEARS, SILENT_END
from recsys.reading.lexicon import DEFAULT_GENRE_LEXICON
from recsys.reading.reader import ProfileReader
from recsys.reading.result import NEUTRAL_TEXT, Reading, reads_no_words
from recsys.reading.text import _english_words as _english_words
from recsys.reading.titles import AMBIGUOUS_MARGIN, CANDIDATE, CONFIDENT, MAX_ALTERNATIVES, PREFIX_PENALTY, YEAR_PENALTY

__all__ = [
    "AMBIGUOUS_MARGIN",
    "BLACK_AND_WHITE_END",
    "CANDIDATE",
    "CHIP_KINDS",
    "CLASSIC_END",
    "CONFIDENT",
    "DEFAULT_GENRE_LEXICON",
    "DEMOGRAPHIC_KEYS",
    "MAX_ALTERNATIVES",
    "MAX_CHARS",
    "MAX_LIKED",
    "NEUTRAL_TEXT",
    "NOTE_TRUNCATED",
    "PREFIX_PENALTY",
    "RECENT_YEARS",
    "SILENT_END",
    "YEAR_PENALTY",
    "AttitudeModel",
    "EraWindow",
    "ProfileReader",
    "Reading",
    "TitleMatch",
    "reads_no_words",
    "self_description_words",
]
