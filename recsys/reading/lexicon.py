"""The reader's English word lists, read from ``lexicon_en.toml`` into the tables its rules look words up in.

The words are data: adding a negation cue, a job word or a genre phrase is an edit to the
TOML file, not to the rules. A phrase is written as its folded words separated by spaces
("fed up with") and becomes a tuple of words here (``("fed", "up", "with")``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_DATA: dict[str, Any] = tomllib.loads(Path(__file__).with_name("lexicon_en.toml").read_text(encoding="utf-8"))
_GENRES, _NEGATION, _TITLES = _DATA["genres"], _DATA["negation"], _DATA["titles"]
_ERAS, _DEMOGRAPHICS = _DATA["eras"], _DATA["demographics"]


def _words(section: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(section[key])


def _phrases(section: Mapping[str, Any], key: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(phrase.split()) for phrase in section[key])


#: Final consonants a short verb doubles before "-ing" ("nodding"; not "snowing", "fixing", "playing").
_DOUBLED = frozenset("bdgklmnprt")


def _verb_forms(phrase: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """A phrase that opens with a verb in its base form, with the verb also in its -s and -ing forms.

    Example:
        >>> [" ".join(p) for p in _verb_forms(("roll", "my", "eyes"))]
        ['roll my eyes', 'rolls my eyes', 'rolling my eyes']
        >>> [" ".join(p) for p in _verb_forms(("nod", "off"))][1:], [" ".join(p) for p in _verb_forms(("doze", "off"))][2]
        (['nods off', 'nodding off'], 'dozing off')
    """
    verb, rest = phrase[0], phrase[1:]
    if verb.endswith("ed") or verb in ("out", "off", "up"):
        return (phrase,)  # a past form ("walked out") or no verb at all ("out of the room")
    third = verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "z")) else "s")
    if verb.endswith("e") and not verb.endswith("ee"):
        ing = verb[:-1] + "ing"
    elif 3 <= len(verb) <= 4 and verb[-1] in _DOUBLED and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
        ing = verb + verb[-1] + "ing"  # "nod" → "nodding", "grab" → "grabbing"
    else:
        ing = verb + "ing"
    return (phrase, (third, *rest), (ing, *rest))


# --- genres ---------------------------------------------------------------------------
#: Everyday words and phrases for each genre label: the 18 MovieLens genres, then a book
#: shop's shelves. Plurals are added automatically; a phrase listed under two genres
#: ("romcom") counts weakly for both.
DEFAULT_GENRE_LEXICON: Mapping[str, tuple[str, ...]] = {
    label: tuple(phrases) for shelf in ("movielens", "bookshop") for label, phrases in _GENRES[shelf].items()
}
#: Phrases that contain genre words but name no genre.
_NEUTRAL_PHRASES: tuple[str, ...] = tuple(_GENRES["other"]["neutral"])
#: Where a catalogue without a genre shelves what its words describe: label → the labels read instead.
_SHELVED_AS: dict[str, tuple[str, ...]] = {label: tuple(shelves) for label, shelves in _GENRES["shelved_as"].items()}
#: Things people say about themselves that rule a genre out, and the genre.
_RULE_OUT_PHRASES: dict[str, str] = {phrase: label for label, phrases in _GENRES["ruled_out_by_saying"].items() for phrase in phrases}
#: Words that name genres only when ruled out ("nothing violent"), and the genres: phrase → labels.
_DENIED_ONLY: dict[str, tuple[str, ...]] = {}
for _label, _phrases_of in _GENRES["named_when_ruled_out"].items():
    for _phrase in _phrases_of:
        _DENIED_ONLY[_phrase] = (*_DENIED_ONLY.get(_phrase, ()), _label)

# --- negation -------------------------------------------------------------------------
#: Cues whose scope runs forward to the end of the clause; value = scope length (None: to the end).
_PRE_NEGATIONS: dict[tuple[str, ...], int | None] = {
    **dict.fromkeys(_phrases(_NEGATION, "leading")),
    **dict.fromkeys(_phrases(_NEGATION, "leading_next_word"), 1),
}
#: Cues that rule out what comes before them in the clause (or the clause before).
#: Reactions ("I walk out", "I nod off"): trailing cues said of what came before, like an answer ("Horror? I fall asleep
#: every time"); one that places nothing leaves its clause to the attitude model ("I nod off halfway through any western").
#: Each is read in its verb's other forms too ("leave me rolling my eyes", "he nods off").
_REACTIONS = frozenset(form for phrase in _phrases(_NEGATION, "reactions") for form in _verb_forms(phrase))
_POST_NEGATIONS: frozenset[tuple[str, ...]] = frozenset((*_phrases(_NEGATION, "trailing"), *_REACTIONS))
#: Words that open a condition ("if anyone starts singing"): such a clause naming no genre says when, not what.
_CONDITIONS = _phrases(_NEGATION, "conditions")
#: Words that make a whole clause dismissive of what it is about ("I find them tedious").
_DISMISSIVE = _words(_NEGATION, "dismissive")
#: Adverbs a cue may carry inside it ("isn't *really* my thing", "send me *straight* to sleep").
_SOFTENERS = _words(_NEGATION, "softeners")
#: Words that may sit around a cue in a one-clause answer ("Horror? Absolutely not, thanks.").
_ANSWER_WORDS = _words(_NEGATION, "answer_words")
#: Words that point back to something named in an earlier clause.
_POINTERS = _words(_NEGATION, "pointers")
#: Words and phrases of the writer's clause that share the other person's taste ("we watch …", "so do I").
_SHARED = _words(_NEGATION, "shared")
_SHARED_PHRASES = _phrases(_NEGATION, "shared_phrases")
#: Words that open a clause singling out part of the clause before ("…, especially the slasher ones").
_SINGLING_OUT = frozenset(_phrases(_NEGATION, "singling_out"))
#: Words that compare two things, the second losing ("a western over a musical", "sci-fi beats fantasy").
_COMPARATIVES = _words(_NEGATION, "comparatives")
_RATHER = _words(_NEGATION, "rather")
_MORE = _words(_NEGATION, "more")
#: "too"/"overly" said of a genre, and what after them means "also" instead.
_EXCESS = _words(_NEGATION, "excess")
_NOT_EXCESS = _words(_NEGATION, "not_excess")
_DOUBLE_NEGATIONS = frozenset(_phrases(_NEGATION, "double"))
_RHETORICAL_OPENERS = _words(_NEGATION, "rhetorical_openers")
_NEGATED_BE = _words(_NEGATION, "negated_be")
#: Not having seen a genre (neither wanted nor ruled out), what turns it into a wish or keeps it a refusal.
_UNTRIED_NEGATIONS = _words(_NEGATION, "untried_negations")
_EXPERIENCE = _phrases(_NEGATION, "experience")
_PERFECT = _words(_NEGATION, "perfect")
_QUANTITIES = _words(_NEGATION, "quantities")
_UNTRIED_FILLERS = _words(_NEGATION, "untried_fillers")
_TRY_WISHES = _phrases(_NEGATION, "try_wishes")
_REFUSE_TRYING = _phrases(_NEGATION, "refuse_trying")
_EVENT_DISLIKES = _phrases(_NEGATION, "event_dislikes")
_NOT_EXPERIENCED = _phrases(_NEGATION, "not_experienced")
_LIKED_PAST = _words(_NEGATION, "liked_past")
#: A subject negation that only boasts ("Nobody loves westerns more than me"), and words that make "like" a verb.
_BOASTS = _phrases(_NEGATION, "boasts")
_MODAL_BEFORE_LIKE = _words(_NEGATION, "modal_before_like")
_COMPLEMENT_OPENERS = _words(_NEGATION, "complement_openers")
_ELIDED_DENIALS = _words(_NEGATION, "elided_denials")
_NOT_ELIDED = _words(_NEGATION, "not_elided")
#: Words that put a dislike in the past, and words that say it has changed since.
_PAST = _words(_NEGATION, "past")
#: People other than the writer whose dislikes are theirs ("everyone hates musicals, but I love them").
_OTHERS = _words(_NEGATION, "others")
_CHANGE = _words(_NEGATION, "change")
#: Words that say a taste has ended ("not anymore"): a cue holding them points back to it.
_NO_LONGER = _phrases(_NEGATION, "no_longer")
#: "Not really what I'm after": said of what came before.
_WHAT_IM_AFTER = _phrases(_NEGATION, "what_im_after")
_PREFER = _words(_NEGATION, "prefer")
#: After these a negation cue means the opposite ("I don't mind horror", "nothing but comedies").
_CANCELS = _phrases(_NEGATION, "cancels")
_COPULAS = _words(_NEGATION, "copulas")
_LIKING = _words(_NEGATION, "liking")
#: Requests: a clause that asks for something is a wish the rules read ("give me real history instead").
_REQUESTS = _phrases(_NEGATION, "requests")
#: Scores: number words and their values, the words of a star rating, the words that make a score negative, and
#: the shares of the scale (0–1) at or below which a score rules its genre out and at or above which it is a wish.
_SCORE_NUMBERS: dict[str, float] = {word: float(value) for word, value in _NEGATION["score_numbers"].items()}
_SCORE_STARS = _words(_NEGATION, "score_stars")
_SCORE_MINUS = _words(_NEGATION, "score_minus")
_SCORE_LOW, _SCORE_HIGH = float(_NEGATION["score_low"]), float(_NEGATION["score_high"])
#: Words of praise: a clause holding one is a wish, read by the rules.
_PRAISE = _words(_NEGATION, "praise")
#: "of" says liking only after one of these ("fan of", "fond of").
_FOND_OF = _words(_NEGATION, "fond_of")
#: Words of era phrases, so "black and white films bore me" reaches back to "black".
_ERA_WORDS = _words(_NEGATION, "era_words")
_CONTRASTS = _words(_NEGATION, "contrasts")
_SUBJECTS = _words(_NEGATION, "subjects")
#: Verbs a question puts before its subject ("why *would* I"): the subject does not open a clause there.
_QUESTION_VERBS = _words(_NEGATION, "question_verbs")
#: Sentences whose frame turns their words around, and questions the writer answers (frames.py).
_SARCASM = _phrases(_NEGATION, "sarcasm")
_SARCASM_OPENERS = _phrases(_NEGATION, "sarcasm_openers")
_SARCASM_ECHOES = _phrases(_NEGATION, "sarcasm_echoes")
_SINCERE = _phrases(_NEGATION, "sincere")
_ANSWER_NO = _words(_NEGATION, "answer_no")
_ANSWER_YES = _words(_NEGATION, "answer_yes")
_ANSWER_ECHO = _words(_NEGATION, "answer_echo")
_ANSWER_UNSURE = _phrases(_NEGATION, "answer_unsure")
_ANSWER_VOCABULARY = _words(_NEGATION, "answer_vocabulary")
_QUESTION_TURNED = _phrases(_NEGATION, "question_turned")
#: A liking put in the past, and the words that say it lasts.
_PAST_FRAMES = _phrases(_NEGATION, "past_frames")
_STILL = _phrases(_NEGATION, "still")
_PAST_VERBS = _words(_NEGATION, "past_verbs")
_USED_TO_NOT_PAST = _words(_NEGATION, "used_to_not_past")
#: Words that may sit in a comma list of genres without ending the list.
_LIST_FILLER = _words(_NEGATION, "list_filler")
#: What a cue can be about that is no genre: it sits in a list of genres ("no swearing, sex or horror").
_CONTENT_NOUNS = _words(_NEGATION, "content_nouns")

# --- titles ---------------------------------------------------------------------------
_ARTICLES = _words(_TITLES, "articles")
_TITLE_STOP = _ARTICLES | _words(_TITLES, "stop_words")
#: Lower-case words allowed between capitalised ones in a title ("Monty Python and the Holy Grail").
_CONNECTORS = _TITLE_STOP | _words(_TITLES, "connectors")
_FILM_NOUNS = _words(_TITLES, "film_nouns")
#: What people call the items of any catalogue ("slasher pictures", "travel books"); a catalogue adds its own.
_ITEM_NOUNS = _FILM_NOUNS | _words(_TITLES, "item_nouns")
_SEPARATORS = _words(_TITLES, "separators")
#: Common words that never make a lower-case phrase a title on their own ("true romance").
_COMMON = _words(_TITLES, "common")
#: Capitalised single words that are rarely meant as film titles without quotes.
_NOT_TITLES_ALONE = _words(_TITLES, "not_titles_alone")
#: Numbers as words or Roman numerals → digits, for matching titles ("twelve" → "12", "ii" → "2").
_NUMERALS: Mapping[str, str] = _TITLES["numerals"]
#: Words after which a capitalised word is a person, not a film ("my name is Laura").
_NAME_CUES = _words(_TITLES, "name_cues")
#: Phrases after which a clause names films ("films like", "such as", "loved"), tried in order.
_CUES: tuple[tuple[str, ...], ...] = _phrases(_TITLES, "cues")
_FAVOURITE = _words(_TITLES, "favourite")
_POST_CUE_NOUNS = _words(_TITLES, "post_cue_nouns")
#: Words allowed between "favourite" and its verb ("my favourite films of all time are").
_FAVOURITE_FILLER = _FILM_NOUNS | _words(_TITLES, "favourite_filler")
_FAVOURITE_VERBS = _words(_TITLES, "favourite_verbs")

# --- eras -----------------------------------------------------------------------------
#: Verbs of reading or watching: a time after them is when, not what ("I read this year").
_CONSUMED = _words(_ERAS, "consumed")
#: "lol", "haha": a clause of their own (the text's breaks).
_INTERJECTIONS = _words(_NEGATION, "interjections")
#: "grew up in", "child of" before a decade: when the writer lived (a leaning); "born in": no taste at all.
_LIVED = _phrases(_ERAS, "lived")
_BORN = _phrases(_ERAS, "born")
#: Hedges in the clause naming a period ("mostly", "I prefer", "if possible"): a leaning, not a requirement.
_HEDGES = _phrases(_ERAS, "hedges")
#: Decade words and their digit ("the forties" → 4).
_DECADE_WORDS: dict[str, int] = dict(_ERAS["decade_words"])

# --- demographics ---------------------------------------------------------------------
#: Words that say the writer's gender ("F"/"M").
_GENDER_WORDS: dict[str, str] = {word: gender for gender, words in _DEMOGRAPHICS["gender"].items() for word in words}
#: Job words and phrases → MovieLens occupation labels (used only when the label is in the vocabulary).
_JOB_WORDS: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): label for label, phrases in _DEMOGRAPHICS["jobs"].items() for phrase in phrases
}
_RELATIVES = _words(_DEMOGRAPHICS, "relatives")
_OFFSPRING = _words(_DEMOGRAPHICS, "offspring")
_POSSESSIVES = _words(_DEMOGRAPHICS, "possessives")
_SELF_VERBS = _words(_DEMOGRAPHICS, "self_verbs")


def _relative(fold: str, before: str = "") -> bool:
    """A relative or housemate, also as a possessive with its apostrophe dropped ("sisters" of "my sister's"), or
    "my other half" (``before`` is the word before; "half" alone is a half term, a half hour)."""
    return fold in _RELATIVES or (fold.endswith("s") and fold[:-1] in _RELATIVES) or (fold == "half" and before == "other")


#: Words that may sit inside a noun phrase describing oneself ("a busy 45-year-old single mom").
_NOUN_PHRASE = _words(_DEMOGRAPHICS, "noun_phrase")
_SELF_ADVERBS = _words(_DEMOGRAPHICS, "self_adverbs")
