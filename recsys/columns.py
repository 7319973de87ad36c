"""The fixed vocabulary of column names shared by every table in the library."""

from __future__ import annotations

USER = "user_id"
ITEM = "item_id"
RATING = "rating"
TIMESTAMP = "timestamp"
TITLE = "title"
TEXT = "text"
GENRES = "genres"
YEAR = "year"
AGE = "age"
GENDER = "gender"
OCCUPATION = "occupation"
SCORE = "score"
MU = "mu"
B_USER = "b_u"
B_ITEM = "b_i"
DOT = "dot"
DOT_PREFIX = "dot_"
POP = "pop"  # the popularity-axis term a ranking may add (0 unless asked for)

#: On a 1–5 scale, ratings of this many stars or more are implicit positives; the rule itself
#: (scaled to the dataset's own rating scale) is :meth:`recsys.data.Dataset.positives`.
POSITIVE_STARS = 4.0
