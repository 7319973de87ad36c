"""Which words of a profile matter: interest keywords and leave-one-word-out score changes."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import torch

from recsys.explorer import Explorer
from recsys.model import predict
from recsys.states import UserState

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
    ]
)
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
MAX_WORDS = 40


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def interest_keywords(explorer: Explorer, text: str, k: int = 6) -> pd.DataFrame:
    """The phrases of ``text`` closest in meaning to the whole profile (KeyBERT-style).

    Candidates are single words and two-word phrases without stop words; each is embedded
    by the same language model and ranked by cosine similarity to the profile's embedding.
    """
    candidates: list[str] = []
    # Two-word phrases never cross punctuation ("space operas: epic" is not a phrase).
    for clause in re.split(r"[.,;:!?()\[\]\n]+", text)[: MAX_WORDS * 2]:
        tokens = words(clause)
        lowered = [w.lower() for w in tokens]
        for i, word in enumerate(lowered):
            if word not in STOPWORDS and len(word) > 2:
                candidates.append(tokens[i])
                if i + 1 < len(lowered) and lowered[i + 1] not in STOPWORDS and len(lowered[i + 1]) > 2:
                    candidates.append(f"{tokens[i]} {tokens[i + 1]}")
    candidates = list(dict.fromkeys(candidates))[: MAX_WORDS * 2]
    if not candidates:
        return pd.DataFrame({"keyword": [], "relevance": []})
    vectors = explorer.encoder.encode([text, *candidates])
    relevance = vectors[1:] @ vectors[0]
    order = np.argsort(-relevance)
    chosen: list[int] = []
    for i in order:
        # Skip a phrase whose words are all inside one already chosen (keeps the list varied).
        if any(set(candidates[i].lower().split()) <= set(candidates[j].lower().split()) for j in chosen):
            continue
        chosen.append(int(i))
        if len(chosen) == k:
            break
    return pd.DataFrame({"keyword": [candidates[i] for i in chosen], "relevance": relevance[chosen].astype(float)})


def word_influence(explorer: Explorer, user: UserState, item_id) -> pd.DataFrame:
    """Score change of ``item_id`` when each word of the profile is left out.

    Positive ``delta`` means the word pushes the item up. The session's feedback offsets
    are kept, so only the text's contribution varies.
    """
    tokens = words(user.text)[:MAX_WORDS]
    if len(tokens) < 2:
        return pd.DataFrame({"position": [], "word": [], "delta": []})
    base = explorer.explain(user, item_id).score
    deltas = []
    variants = [" ".join(tokens[:i] + tokens[i + 1 :]) for i in range(len(tokens))]
    explorer.encoder.encode(variants)  # one batch; the per-variant calls below hit the cache
    for text in variants:
        other = explorer.new_user(text, user.demographics, liked=user.liked)
        other = replace(other, delta_e=user.delta_e, delta_b=user.delta_b)
        deltas.append(base - explorer.explain(other, item_id).score)
    return pd.DataFrame({"position": range(len(tokens)), "word": tokens, "delta": deltas})


IG_STEPS = 24


def token_attribution(explorer: Explorer, user: UserState, item_id, steps: int = IG_STEPS) -> pd.DataFrame:
    """Integrated-gradients attribution of ``item_id``'s score to the words of the profile.

    Runs the language model through ``transformers`` directly — token embeddings in, mean
    pooling and normalisation as sentence-transformers does for this model — then the user
    tower and the score. Each word's token embeddings are moved from a neutral baseline
    (the ``[MASK]`` embedding) to their real value in ``steps`` steps, and
    (embedding − baseline) · mean gradient is summed over its word pieces. The attributions
    add up to r̂(profile) − r̂(baseline profile) (the ``baseline_score`` column), which the
    dashboard shows as a check. Only the input gets gradients; no model weight is touched.

    Raises:
        ValueError: the configured text model does not use mean pooling (not reproducible here).
    """
    with explorer.encoder.borrow() as st_model:  # its tokenizer and network for this call alone
        return _token_attribution(explorer, st_model, user, item_id, steps)


def _token_attribution(explorer: Explorer, st_model, user: UserState, item_id, steps: int) -> pd.DataFrame:
    transformer = st_model[0]
    pooling = st_model[1] if len(st_model) > 1 else None
    mean = getattr(pooling, "pooling_mode", None) == "mean" or getattr(pooling, "pooling_mode_mean_tokens", False)
    if not mean:
        raise ValueError(f"token attribution needs a mean-pooling model; {explorer.encoder.model_id} is not one")
    tokenizer, network = transformer.tokenizer, transformer.auto_model
    encoded = tokenizer(user.text, return_tensors="pt", truncation=True, max_length=explorer.encoder.max_tokens)
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
    demo, rows, has_id, history = explorer.user_inputs(user)
    n = len(alphas)
    parts = explorer.user_tower(text_vectors, np.repeat(demo, n, 0), np.repeat(rows, n), np.repeat(has_id, n), np.repeat(history, n, 0))
    item = explorer.item(item_id)
    e_u = parts.vector + torch.tensor(user.delta_e)[None, :]
    scores = predict(explorer.model.mu, parts.bias + user.delta_b, torch.tensor([item.bias]), e_u, torch.tensor(item.vector)[None, :])[:, 0]
    (gradient,) = torch.autograd.grad(scores[1:-1].sum(), path)
    average = gradient[1:-1].mean(0)
    per_token = ((real - baseline) * average.to(real.dtype)).sum(-1).detach().cpu().numpy()
    pieces = tokenizer.convert_ids_to_tokens(ids[0].cpu().tolist())
    words_out: list[str] = []
    values: list[float] = []
    for piece, value, is_special in zip(pieces, per_token, special.tolist()):
        if is_special:
            continue
        if piece.startswith("##") and words_out:
            words_out[-1] += piece[2:]
            values[-1] += float(value)
        else:
            words_out.append(piece)
            values.append(float(value))
    return pd.DataFrame(
        {"word": words_out, "attribution": values, "score": float(scores[-1].detach()), "baseline_score": float(scores[0].detach())}
    )
