"""Which words of a profile matter: interest keywords, leave-one-word-out score changes, and the listed score split over words."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np
import pandas as pd
import torch

from recsys.encoder import CachedEncoder
from recsys.model import Parts, predict
from recsys.reading import Reading, reads_no_words
from recsys.reading.chinese import has_chinese, segment, simplified
from recsys.states import Explanation, ItemState, UserState


class Engine(Protocol):
    """What the attributions call on the engine (:class:`recsys.explorer.Explorer` is one, and offers each of them)."""

    encoder: CachedEncoder  # the language model that embeds profiles
    mu: float  # the global offset μ

    def read(self, text: str) -> Reading:
        """How the engine reads a profile."""
        ...

    def embedded_text(self, user: UserState) -> str:
        """The text the language model embedded for ``user`` (the profile without its ruled-out clauses)."""
        ...

    def new_user(self, text: str, demographics: Mapping[str, Any] | None = None, liked: Sequence = ()) -> UserState:
        """A cold-start user from profile text, demographics and onboarding likes."""
        ...

    def explain(self, user: UserState, item: ItemState | Any, item_bias_scale: float = 1.0) -> Explanation:
        """Every term of one score."""
        ...

    def item(self, item_id: Any) -> ItemState:
        """A catalogue item's state."""
        ...

    def user_inputs(self, user: UserState) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The non-text user-tower inputs of a user state."""
        ...

    def user_tower(self, text: torch.Tensor, demo, rows, has_id, history, has_text=True) -> Parts:
        """The user tower in torch, gradients flowing to ``text``."""
        ...


STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "i",
        "i'm",
        "im",
        "in",
        "into",
        "is",
        "it",
        "its",
        "like",
        "love",
        "me",
        "my",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "them",
        "this",
        "to",
        "too",
        "very",
        "was",
        "we",
        "with",
        "you",
        "your",
        "really",
        "just",
        "some",
        "any",
        "all",
        "more",
        "most",
        "much",
        "lot",
        "lots",
        "also",
        "about",
        "what",
        "who",
        "watch",
        "watching",
        "movie",
        "movies",
        "film",
        "films",
        "want",
        "enjoy",
        "enjoyed",
        "please",
        "something",
        "things",
        "thing",
        # Liking and disliking words say how the writer feels, not what about; the bookshop's nouns are its "films".
        "loved",
        "loves",
        "liked",
        "likes",
        "adore",
        "adored",
        "enjoys",
        "hate",
        "hated",
        "hates",
        "wants",
        "prefer",
        "dislike",
        "don't",
        "dont",
        "can't",
        "cant",
        "not",
        "never",
        "book",
        "books",
        "novel",
        "novels",
        "read",
        "reading",
        # Function words: with one keyword per word, the list reaches far enough down to meet them.
        "after",
        "again",
        "against",
        "before",
        "between",
        "because",
        "been",
        "could",
        "during",
        "each",
        "have",
        "has",
        "had",
        "here",
        "only",
        "other",
        "over",
        "than",
        "then",
        "their",
        "there",
        "these",
        "they",
        "those",
        "through",
        "under",
        "were",
        "when",
        "where",
        "which",
        "while",
        "will",
        "without",
        "would",
    ]
)
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
MAX_WORDS = 40


def words(text: str) -> list[str]:
    return _WORD.findall(text)


#: Chinese function words and the words every profile has (like, watch, film), never an interest on their own.
_ZH_STOPWORDS = frozenset(
    [
        "我",
        "你",
        "他",
        "她",
        "的",
        "了",
        "是",
        "在",
        "和",
        "也",
        "都",
        "很",
        "最",
        "但",
        "但是",
        "就",
        "还",
        "又",
        "要",
        "想",
        "看",
        "喜欢",
        "爱看",
        "电影",
        "片子",
        "一些",
        "一点",
        "有点",
        "什么",
        "这种",
        "那种",
        "这些",
        "那些",
        "最好",
        "比较",
        "特别",
        "非常",
        "平时",
        "推荐",
        "给我",
        "我们",
        "还是",
        "或者",
        "而且",
        "因为",
        "所以",
        "可以",
        "不要",
        "不",
        "今年",
        "现在",
        "最近",
    ]
)


#: Words of asking and judging, never an interest themselves: "give me a heist film", "fine by me, the messier the better".
NOT_INTERESTS = frozenset(
    [
        "give",
        "gimme",
        "bring",
        "show",
        "find",
        "want",
        "wants",
        "wanted",
        "need",
        "needs",
        "fine",
        "better",
        "best",
        "okay",
        "please",
        "pls",
        "stuff",
        "something",
        "anything",
        "thing",
        "things",
        # Counts say how many, never what ("dad of two").
        *("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozen", "couple"),
        # How strongly a period or genre is wanted ("especially ones from the 80s", "if you can"), never what.
        *("especially", "particularly", "primarily", "predominantly", "chiefly", "principally", "ideally", "preferably"),
        *("possible", "bonus", "partial", "can", "could", "ones"),
        # Light verbs say what a genre does to the writer ("keeps me hooked", "makes my evening"), never what it is.
        *("make", "makes", "made", "get", "gets", "got", "keep", "keeps", "kept", "leave", "leaves", "put", "puts"),
        *("gives", "giving", "take", "takes"),
        # Searching and sizing words say how the writer asks, never what for ("looking for", "films based on video
        # games", "big Hollywood musicals", "a good western").
        *("looking", "look", "searching", "based", "big", "huge", "good", "great", "nice", "kind", "sort", "type"),
    ]
)


def _content_word(word: str) -> bool:
    if has_chinese(word):  # the stop words are written in simplified characters: 喜歡 is 喜欢
        return len(word) >= 2 and simplified(word) not in _ZH_STOPWORDS
    return word not in STOPWORDS and len(word) > 2


def _overlaps(phrase: str, other: str) -> bool:
    """Do ``phrase`` and ``other`` share a word (Chinese: is one inside the other, as a substring)?"""
    if has_chinese(phrase) or has_chinese(other):
        return phrase in other or other in phrase
    return bool(set(phrase.lower().split()) & set(other.lower().split()))


def interest_keywords(engine: Engine, text: str, k: int = 6, names: Sequence[str] = (), about_self: Collection[str] = ()) -> pd.DataFrame:
    """The phrases of ``text`` closest in meaning to the whole profile (KeyBERT-style).

    Candidates are single words and two-word phrases without stop words; each is embedded
    by the same language model and ranked by cosine similarity to the profile's embedding.
    ``names``: the words of ``text`` that name items (the titles the reader found): they are read with the rest
    but are not interests ("Casino" in "Heat and Casino, over and over"), so no candidate comes from them.
    ``about_self``: lower-cased words that describe the writer, not a taste ("70-year-old", "retired", "mostly";
    :func:`recsys.reading.self_description_words`): no candidate holds one.
    """
    candidates: list[str] = []
    chinese = has_chinese(text)
    said = text
    for name in sorted(filter(None, names), key=len, reverse=True):
        said = re.sub(re.escape(name), ".", said, flags=re.IGNORECASE)
    # Two-word phrases never cross punctuation ("space operas: epic" is not a phrase), nor a name left out.
    for clause in re.split(r"[.,;:!?()\[\]\n。，；：！？、]+", said)[: MAX_WORDS * 2]:
        # Chinese has no spaces: its words come from the segmenter, and a two-word phrase is written without one.
        tokens = [w for w, _, _ in segmented_words(clause)] if chinese else words(clause)
        lowered = [w.lower() for w in tokens]
        for i, word in enumerate(lowered):
            if _content_word(word):
                candidates.append(tokens[i])
                if i + 1 < len(lowered) and _content_word(lowered[i + 1]):
                    joiner = "" if has_chinese(tokens[i]) and has_chinese(tokens[i + 1]) else " "
                    candidates.append(f"{tokens[i]}{joiner}{tokens[i + 1]}")
    left_out = NOT_INTERESTS | set(about_self)
    candidates = [c for c in candidates if not {p for w in c.lower().split() for p in (w, *w.split("-"))} & left_out]
    candidates = list(dict.fromkeys(candidates))[: MAX_WORDS * 2]
    if not candidates:
        return pd.DataFrame({"keyword": [], "relevance": []})
    vectors = engine.encoder.encode([text, *candidates])
    relevance = vectors[1:] @ vectors[0]
    order = np.argsort(-relevance)
    chosen: list[int] = []
    for i in order:
        # Skip a phrase sharing a word with one already chosen ("Heat Fargo" after "Fargo Romance"): a varied list.
        if any(_overlaps(candidates[i], candidates[j]) for j in chosen):
            continue
        chosen.append(int(i))
        if len(chosen) == k:
            break
    return pd.DataFrame({"keyword": [candidates[i] for i in chosen], "relevance": relevance[chosen].astype(float)})


def word_influence(engine: Engine, user: UserState, item_id) -> pd.DataFrame:
    """Score change of ``item_id`` when each word the language model read is left out, everything else held.

    Only the text vector varies: the reading (its ``avoid`` and ``era`` terms, the titles it found), the
    demographics, the likes and the session's feedback stay as they are, so a word's ``delta`` is what that
    word does through the text the model embedded — never what re-reading a shorter profile would do (left
    out, "horror" in "no horror, I want something funny" would turn the sentence into "no ... funny").
    Positive ``delta`` means the word pushes the item up. One row per word of the profile as typed (``read``:
    the model embedded it; a word of a ruled-out clause is not read and has ``delta`` 0); when none of the
    typed words reached the model (a Chinese profile given to it in English), the rows are the words it read.
    """
    typed = segmented_words(user.text)[:MAX_WORDS]
    read = "" if reads_no_words(user.text, user.reading) else engine.embedded_text(user)
    spans = segmented_words(read)[:MAX_WORDS]
    if len(typed) < 2 or not spans:
        return pd.DataFrame({"position": [], "word": [], "delta": [], "read": []})
    vectors = engine.encoder.encode([read, *(_without(read, a, b) for _, a, b in spans)])
    with torch.no_grad():
        scores = _text_scores(engine, user, item_id, vectors, 1.0)
    deltas = scores[0] - scores[1:]
    # Each typed word is matched, in order, to the next word the model read with the same spelling.
    matched, at = [], 0
    for word, _, _ in typed:
        hit = next((j for j in range(at, len(spans)) if spans[j][0].lower() == word.lower()), None)
        matched.append(hit)
        at = hit + 1 if hit is not None else at
    if all(hit is None for hit in matched):
        words_, shown, flags = [w for w, _, _ in spans], list(deltas), [True] * len(spans)
    else:
        words_ = [w for w, _, _ in typed]
        shown = [float(deltas[hit]) if hit is not None else 0.0 for hit in matched]
        flags = [hit is not None for hit in matched]
    return pd.DataFrame({"position": range(len(words_)), "word": words_, "delta": shown, "read": flags})


IG_STEPS = 24
INTEGRATED_GRADIENTS = "integrated gradients over tokens"
LEAVE_ONE_OUT = "leave-one-out over words"


@dataclass(frozen=True)
class ScoreAttribution:
    """How one listed score r̂(u, i) splits over the words of the profile, adding up to exactly that score.

    Attributes:
        words: one row per word of the profile as typed: ``word``, ``start``/``end`` (character offsets),
            ``read`` (the language model embedded it), ``ig`` (the word's share of the score through
            the text the model read, by ``method``; 0 for words it never read), ``term`` (``"avoid"`` or
            ``"era"`` when the word belongs to a clause the reading turned into that term, else
            ``""``), ``credit`` (the share of that term it carries) and ``total`` (``ig + credit``).
        parts: the score as a sum, in the order shown: the words the model read, the remainder the
            word shares leave (the integration error, or the words' interaction under leave-one-out),
            the ``avoid`` and ``era`` terms, and everything else (μ, b_u, b_i and the non-text parts,
            at a neutral text). They add up to ``score`` exactly.
        score: r̂ as the list shows it (same item-bias scale).
        model_text: the text the language model embedded (the profile without its ruled-out clauses).
        path_end: r̂ of the text the model read, computed by the attribution itself (the end of the
            gradient path): equal to ``score`` up to float error when it ran over what the ranking scored.
        method: :data:`INTEGRATED_GRADIENTS` (token level, for a text model with a torch graph) or
            :data:`LEAVE_ONE_OUT` (word level, for one without).
    """

    words: pd.DataFrame
    parts: dict[str, float]
    score: float
    model_text: str
    path_end: float
    method: str = INTEGRATED_GRADIENTS


def attribution_method(encoder: object) -> str:
    """How :func:`score_attribution` splits a score for this text model: gradients need its network in torch."""
    return INTEGRATED_GRADIENTS if getattr(encoder, "differentiable", False) else LEAVE_ONE_OUT


def score_attribution(engine: Engine, user: UserState, item_id, item_bias_scale: float = 1.0, steps: int = IG_STEPS) -> ScoreAttribution:
    """The listed score of ``item_id`` split over the words of the profile, adding up to it.

    Integrated gradients over tokens for a text model whose network runs in torch (MiniLM);
    leave-one-out over words for one without (the multilingual encoder):
    :func:`leave_one_out_attribution`.
    """
    if attribution_method(engine.encoder) == LEAVE_ONE_OUT:
        return leave_one_out_attribution(engine, user, item_id, item_bias_scale)
    return _integrated_gradients_attribution(engine, user, item_id, item_bias_scale, steps)


def _integrated_gradients_attribution(engine: Engine, user: UserState, item_id, item_bias_scale: float, steps: int) -> ScoreAttribution:
    """Integrated-gradients attribution of the listed score of ``item_id`` over the text the model read.

    The language model embeds the profile without the clauses that rule things out
    (:meth:`Engine.embedded_text`); gradients are taken over that text alone, so a word the
    model never read gets no gradient share. The removed clauses reach the score through the
    reading's ``avoid`` term, and an era phrase through the ``era`` term: each such term is
    credited to the words it came from. What the words do not explain — μ, b_u, b_i and the
    demographic, likes and feedback parts at a neutral ([MASK]) text — is its own part, and
    the small integration error is shown rather than hidden, so the parts add up to the score
    the list shows.
    """
    read = engine.embedded_text(user)
    with engine.encoder.borrow() as st_model:  # its tokenizer and network for this call alone
        ig = _token_attribution(engine, st_model, replace(user, text=read), item_id, steps, item_bias_scale)
    explanation = engine.explain(user, item_id, item_bias_scale=item_bias_scale)
    score = float(explanation.score)
    terms = {name: float(explanation.dot_by_user_term.get(name, 0.0)) for name in ("avoid", "era")}
    # Everything was ruled out: the model read a neutral placeholder, not a word of the profile.
    placeholder = reads_no_words(user.text, user.reading)
    words_frame = _credited_words(user, "" if placeholder else read, ig, terms, engine.read)
    text_part = 0.0 if placeholder else float(ig["attribution"].sum())
    baseline = float(ig["score" if placeholder else "baseline_score"].iloc[0])
    parts = {
        "words the model read": text_part,
        "integration error": float(ig["score"].iloc[0]) - baseline - text_part,
        "rules out (avoid term)": terms["avoid"],
        "era term": terms["era"],
        "everything else (μ, b_u, b_i, other parts at a neutral text)": baseline - terms["avoid"] - terms["era"],
    }
    # The IG path's end point is the listed score up to float error; the list's own number is the total.
    parts["integration error"] += score - sum(parts.values())
    return ScoreAttribution(words_frame, parts, score, read, float(ig["score"].iloc[0]), INTEGRATED_GRADIENTS)


#: The remainder leave-one-out shares leave: removing two words together does not cost the sum of removing each.
LOO_REMAINDER = "leave-one-out remainder (words interact)"


def leave_one_out_attribution(engine: Engine, user: UserState, item_id, item_bias_scale: float = 1.0) -> ScoreAttribution:
    """Word-level leave-one-out attribution of the listed score of ``item_id`` over the text the model read.

    The words are those of :func:`segmented_words` (Chinese runs segmented by jieba). Each
    word's share is r̂(read text) − r̂(read text without that word), with everything but the
    text vector held fixed (demographics, likes, feedback, the ``avoid`` and ``era`` terms):
    all variants and an empty text are embedded in one batch and run through the user tower.
    The shares do not add up to r̂(read) − r̂(empty text) — words interact — so the difference
    is its own part, shown rather than hidden; the rest is accounted for as in
    :func:`score_attribution`, and the parts add up to the score the list shows.
    """
    read = engine.embedded_text(user)
    spans = segmented_words(read)
    variants = [_without(read, a, b) for _, a, b in spans]
    vectors = engine.encoder.encode([read, "", *variants])
    with torch.no_grad():
        scores = _text_scores(engine, user, item_id, vectors, item_bias_scale)
    full, empty, without = float(scores[0]), float(scores[1]), scores[2:]
    shares = pd.DataFrame({"word": [w for w, _, _ in spans], "attribution": full - without, "start": [a for _, a, _ in spans]})
    explanation = engine.explain(user, item_id, item_bias_scale=item_bias_scale)
    score = float(explanation.score)
    terms = {name: float(explanation.dot_by_user_term.get(name, 0.0)) for name in ("avoid", "era")}
    placeholder = reads_no_words(user.text, user.reading)
    words_frame = _credited_words(user, "" if placeholder else read, shares, terms, engine.read, spans=segmented_words)
    text_part = 0.0 if placeholder else float(shares["attribution"].sum())
    baseline = full if placeholder else empty
    parts = {
        "words the model read": text_part,
        LOO_REMAINDER: full - baseline - text_part,
        "rules out (avoid term)": terms["avoid"],
        "era term": terms["era"],
        "everything else (μ, b_u, b_i, other parts at a neutral text)": baseline - terms["avoid"] - terms["era"],
    }
    parts[LOO_REMAINDER] += score - sum(parts.values())  # r̂(read) here is the listed score up to float error
    return ScoreAttribution(words_frame, parts, score, read, full, LEAVE_ONE_OUT)


def _without(text: str, start: int, end: int) -> str:
    """``text`` without the word at ``text[start:end]``: one space where it stood between spaces, none in Chinese."""
    before, after = text[:start], text[end:]
    if before[-1:].isspace() or after[:1].isspace():
        return f"{before.rstrip()} {after.lstrip()}".strip()
    return before + after


def _text_scores(engine: Engine, user: UserState, item_id, text_vectors: np.ndarray, item_bias_scale: float) -> np.ndarray:
    """r̂ of ``item_id`` for ``user`` with each row of ``text_vectors`` as the profile's text vector, all else held."""
    n = len(text_vectors)
    demo, rows, has_id, history = engine.user_inputs(user)
    parts = engine.user_tower(
        torch.as_tensor(text_vectors), np.repeat(demo, n, 0), np.repeat(rows, n), np.repeat(has_id, n), np.repeat(history, n, 0)
    )
    item = engine.item(item_id)
    e_u = parts.vector + torch.tensor(user.delta_e)[None, :]
    explicit = float(user.explicit @ item.explicit) if user.explicit.size and item.explicit.size == user.explicit.size else 0.0
    item_bias = torch.tensor([item.bias * item_bias_scale])
    scores = predict(engine.mu, parts.bias + user.delta_b, item_bias, e_u, torch.tensor(item.vector)[None, :])[:, 0] + explicit
    return scores.detach().cpu().numpy().astype(np.float64)


#: Han characters (CJK unified ideographs, extension A, compatibility ideographs): runs of them are segmented by jieba.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SEGMENTS = re.compile(f"(?P<han>[{_HAN}]+)|(?P<word>[^\\W{_HAN}]+(?:['’-][^\\W{_HAN}]+)*)")


def segmented_words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of ``text``: runs of letters and digits (with inner ' and -), and Chinese words by jieba.

    Example:
        >>> [w for w, _, _ in segmented_words("我喜欢悬疑片，but not horror")]
        ['我', '喜欢', '悬疑片', 'but', 'not', 'horror']
    """
    out = []
    for match in _SEGMENTS.finditer(text):
        if match.group("word"):
            out.append((match.group(), match.start(), match.end()))
            continue
        out.extend((piece, match.start() + a, match.start() + b) for piece, a, b in segment(match.group()))
    return out


def _spans(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def _credited_words(user: UserState, read: str, ig: pd.DataFrame, terms: dict[str, float], reader=None, spans=_spans) -> pd.DataFrame:
    """The profile's words with their share through the read text (``ig``: per-token or per-word values with the
    character offset where each starts) and their share of the reading's terms. ``spans`` splits a text into words."""
    typed = spans(user.text)
    rows = [{"word": w, "start": a, "end": b, "read": False, "ig": 0.0, "term": "", "credit": 0.0} for w, a, b in typed]
    reading = user.reading
    read_spans = spans(read)
    # IG tokens carry character offsets into the read text: sum them per word of it.
    per_read = np.zeros(len(read_spans))
    for start, value in zip(ig["start"], ig["attribution"]):
        for n, (_, a, b) in enumerate(read_spans):
            if a <= start < b:
                per_read[n] += value
                break
    # Align the read words to the typed ones (the read text is the typed one with clauses taken out).
    matcher = difflib.SequenceMatcher(a=[w.casefold() for w, _, _ in read_spans], b=[w.casefold() for w, _, _ in typed], autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            rows[block.b + k]["read"] = True
            rows[block.b + k]["ig"] = float(per_read[block.a + k])
    # The removed words reach the score through the avoid term; the era phrase's words through the era term.
    if terms["avoid"] and reading is not None and reading.rules_out:
        removed = [r for r in rows if not r["read"]]
        # The words that name a ruled-out genre carry the term ("gore", not "but"); a clause without one shares it.
        naming = [r for r in removed if reader is not None and set(reading.rules_out) & _genres_named(reader, r["word"])]
        for r in naming or removed:
            r["term"], r["credit"] = "avoid", terms["avoid"] / len(naming or removed)
    if terms["era"] and reading is not None and reading.era is not None:
        phrase = reading.era.phrase.casefold()
        at = user.text.casefold().find(phrase) if phrase else -1
        inside = [r for r in rows if at >= 0 and at <= r["start"] < at + len(phrase)]
        for r in inside:
            r["term"], r["credit"] = "era", r["credit"] + terms["era"] / len(inside)
    frame = pd.DataFrame(rows, columns=["word", "start", "end", "read", "ig", "term", "credit"])
    frame["total"] = frame["ig"] + frame["credit"]
    return frame


def _genres_named(reader, word: str) -> set[str]:
    reading = reader(word)
    return set(reading.wants) | set(reading.rules_out)


def token_attribution(engine: Engine, user: UserState, item_id, steps: int = IG_STEPS, item_bias_scale: float = 1.0) -> pd.DataFrame:
    """Integrated-gradients attribution of ``item_id``'s score to the tokens of ``user.text`` (as given).

    Runs the language model through ``transformers`` directly — token embeddings in, mean
    pooling and normalisation as sentence-transformers does for this model — then the user
    tower and the score. Each word's token embeddings are moved from a neutral baseline
    (the ``[MASK]`` embedding) to their real value in ``steps`` steps, and
    (embedding − baseline) · mean gradient is summed over its word pieces. The attributions
    add up to r̂(text) − r̂(baseline text) (the ``baseline_score`` column) up to the
    integration error. Only the input gets gradients; no model weight is touched.
    :func:`score_attribution` is the dashboard's entry point: it runs this over the text the
    model actually read and accounts for the rest of the listed score.

    Raises:
        ValueError: the configured text model does not use mean pooling (not reproducible here).
    """
    with engine.encoder.borrow() as st_model:  # its tokenizer and network for this call alone
        return _token_attribution(engine, st_model, user, item_id, steps, item_bias_scale)


def _token_attribution(engine: Engine, st_model, user: UserState, item_id, steps: int, item_bias_scale: float = 1.0) -> pd.DataFrame:
    transformer = st_model[0]
    pooling = st_model[1] if len(st_model) > 1 else None
    mean = getattr(pooling, "pooling_mode", None) == "mean" or getattr(pooling, "pooling_mode_mean_tokens", False)
    if not mean:
        raise ValueError(f"token attribution needs a mean-pooling model; {engine.encoder.model_id} is not one")
    tokenizer, network = transformer.tokenizer, transformer.auto_model
    encoded = tokenizer(user.text, return_tensors="pt", truncation=True, max_length=engine.encoder.max_tokens, return_offsets_mapping=True)
    offsets = encoded.pop("offset_mapping")[0].tolist()
    device = next(network.parameters()).device
    ids, mask = encoded["input_ids"].to(device), encoded["attention_mask"].to(device)
    table = network.get_input_embeddings()
    with torch.no_grad():
        real = table(ids)[0].float()
        neutral = table(torch.tensor([tokenizer.mask_token_id or tokenizer.pad_token_id], device=device))[0].float()
    special = torch.tensor([t in tokenizer.all_special_ids for t in ids[0].tolist()], device=device)
    baseline = torch.where(special[:, None], real, neutral.expand_as(real))
    alphas = torch.cat([torch.zeros(1), (torch.arange(steps) + 0.5) / steps, torch.ones(1)]).to(device)
    path = (baseline[None] + alphas[:, None, None] * (real - baseline)[None]).detach().requires_grad_(True)
    batch_mask = mask.expand(len(alphas), -1)
    hidden = network(inputs_embeds=path.to(next(network.parameters()).dtype), attention_mask=batch_mask).last_hidden_state
    weights = batch_mask[..., None].to(hidden.dtype)
    pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
    text_vectors = torch.nn.functional.normalize(pooled.float(), dim=1).cpu()
    demo, rows, has_id, history = engine.user_inputs(user)
    n = len(alphas)
    parts = engine.user_tower(text_vectors, np.repeat(demo, n, 0), np.repeat(rows, n), np.repeat(has_id, n), np.repeat(history, n, 0))
    item = engine.item(item_id)
    e_u = parts.vector + torch.tensor(user.delta_e)[None, :]
    # The explicit terms (avoid, era) do not depend on the text: a constant along the path, as in the list's score.
    explicit = float(user.explicit @ item.explicit) if user.explicit.size and item.explicit.size == user.explicit.size else 0.0
    item_bias = torch.tensor([item.bias * item_bias_scale])
    scores = predict(engine.mu, parts.bias + user.delta_b, item_bias, e_u, torch.tensor(item.vector)[None, :])[:, 0] + explicit
    (gradient,) = torch.autograd.grad(scores[1:-1].sum(), path)
    average = gradient[1:-1].mean(0)
    per_token = ((real - baseline) * average.to(real.dtype)).sum(-1).detach().cpu().numpy()
    pieces = tokenizer.convert_ids_to_tokens(ids[0].cpu().tolist())
    words_out: list[str] = []
    values: list[float] = []
    starts: list[int] = []
    for piece, value, is_special, (start, _) in zip(pieces, per_token, special.tolist(), offsets):
        if is_special:
            continue
        if piece.startswith("##") and words_out:
            words_out[-1] += piece[2:]
            values[-1] += float(value)
        else:
            words_out.append(piece)
            values.append(float(value))
            starts.append(int(start))
    return pd.DataFrame(
        {
            "word": words_out, "attribution": values, "start": starts,
            "score": float(scores[-1].detach()), "baseline_score": float(scores[0].detach()),
        }
    )  # fmt: skip
