"""What a hostile or careless person types or links: hypothesis strategies and fixed payloads for the input tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Each is something a person can paste: markup that must stay text, characters that hide or reorder text,
# ones that cannot be encoded at all, and database-looking names.
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script>",
    "**bold** _it_ # heading [link](javascript:alert(1)) ![img](http://x/y.png)",
    "$x^2$ $$\\frac{a}{b}$$ \\(x\\)",
    "Robert'); DROP TABLE personas;--",
    "' OR 1=1 --",
    "\x00\x01\x1b[31mred\x7f",
    "\u202eevil\u202c \u200fRTL\u200e",
    "zero\u200bwidth\u200d\ufeff",
    "lone \ud800 high and \udfff low surrogates",
    "😀👨‍👩‍👧 家族 العربية",
    "\n\t  \r\n",
    "",
]

HOSTILE_CHARS = st.sampled_from("\x00\x07\x1b\x7f\u200b\u200c\u200d\u202e\u200f\ufeff\ud800\udfff<>&\"'`*_$\\[](){}#|~%;")
CHARS = st.characters() | st.characters(categories=["Cs"]) | HOSTILE_CHARS
TEXT = st.text(CHARS, max_size=200) | st.sampled_from(PAYLOADS) | st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), st.text(CHARS))
IDS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT | st.lists(st.integers(), max_size=3)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)
