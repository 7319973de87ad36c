"""Runs one peer library on a benchmark split, inside that library's own virtual environment.

Reads the split (parquet), the requests and side information (JSON) written by
recsys_bench.peers, and writes {request key: ranked item ids}. Only numpy, pandas, scipy and the
peer library are imported here.
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import pandas as pd
import scipy.sparse as sp


def load(args):
    frame = pd.read_parquet(args.split)
    train = frame[frame["part"] == "train"]
    positives = train[train["rating"] >= 4]
    with open(args.requests) as handle:
        requests = json.load(handle)
    with open(args.side) as handle:
        side = json.load(handle)
    return train, positives, requests, side


def rank(scores: np.ndarray, item_ids: np.ndarray, request: dict, k: int, ties: np.ndarray) -> list[int]:
    """The request's best ``k`` candidates; equal scores in the benchmark's random order for the split (``ties``, one
    key per item of ``item_ids``, which is the side information's ``all_items``)."""
    index = {int(i): n for n, i in enumerate(item_ids)}
    masked = np.full(len(scores), -np.inf)
    if request["candidates"] is None:
        masked[:] = scores
    else:
        rows = [index[int(i)] for i in request["candidates"]]
        masked[rows] = scores[rows]
    for i in request["exclude"]:
        masked[index[int(i)]] = -np.inf
    order = np.lexsort((ties, -masked))[:k]
    return [int(item_ids[r]) for r in order if np.isfinite(masked[r])]


def run_lightfm(args, positives, requests, side):
    from lightfm import LightFM

    users = sorted(int(u) for u in side["users"])
    items = [int(i) for i in side["all_items"]]
    u_index = {u: n for n, u in enumerate(users)}
    i_index = {i: n for n, i in enumerate(items)}
    u_feats = sorted({f for fs in side["users"].values() for f in fs})
    i_feats = sorted({f for fs in side["items"].values() for f in fs})
    warm_users = set(int(u) for u in positives["user_id"])
    warm_items = set(int(i) for i in positives["item_id"])

    def features(entities, index, names, table, warm):
        # Identity column for warm entities only: a cold entity is described by its features alone.
        col = {f: len(entities) + n for n, f in enumerate(names)}
        rows, cols, vals = [], [], []
        for e in entities:
            own = [col[f] for f in table[str(e)]] + ([index[e]] if e in warm else [])
            for c in own:
                rows.append(index[e]), cols.append(c), vals.append(1.0 / max(1, len(own)))
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(entities), len(entities) + len(names)), dtype=np.float32)

    uf = features(users, u_index, u_feats, side["users"], warm_users)
    itf = features(items, i_index, i_feats, side["items"], warm_items)
    interactions = sp.coo_matrix(
        (
            np.ones(len(positives), np.float32),
            ([u_index[int(u)] for u in positives["user_id"]], [i_index[int(i)] for i in positives["item_id"]]),
        ),
        shape=(len(users), len(items)),
    )
    model = LightFM(loss="warp", no_components=32, learning_rate=0.05, random_state=args.seed)
    model.fit(interactions, user_features=uf, item_features=itf, epochs=30, num_threads=2)
    item_rows = np.arange(len(items), dtype=np.int32)
    out = {}
    for r in requests:
        # LightFM has no fold-in: a new user is scored from demographics only (onboarding items unused).
        row = np.full(len(items), u_index[int(r["user_id"])], dtype=np.int32)
        scores = model.predict(row, item_rows, user_features=uf, item_features=itf, num_threads=2)
        out[r["key"]] = rank(scores, np.array(items), r, args.k, np.asarray(side["tie_break"]))
    return out


def run_implicit(args, positives, requests, side):
    from implicit.als import AlternatingLeastSquares

    users = sorted(int(u) for u in side["users"])
    items = [int(i) for i in side["all_items"]]
    u_index = {u: n for n, u in enumerate(users)}
    i_index = {i: n for n, i in enumerate(items)}
    matrix = sp.csr_matrix(
        (
            np.full(len(positives), 20.0, np.float32),
            ([u_index[int(u)] for u in positives["user_id"]], [i_index[int(i)] for i in positives["item_id"]]),
        ),
        shape=(len(users), len(items)),
    )
    model = AlternatingLeastSquares(factors=64, regularization=0.05, iterations=20, random_state=args.seed)
    model.fit(matrix, show_progress=False)
    item_factors = np.asarray(model.item_factors)
    out = {}
    for r in requests:
        if r["warm"]:
            vector = np.asarray(model.user_factors)[u_index[int(r["user_id"])]]
        else:
            # Fold-in: recompute the user's factors from the onboarding items only.
            row = sp.csr_matrix(
                (np.full(len(r["onboarding"]), 20.0, np.float32), ([0] * len(r["onboarding"]), [i_index[int(i)] for i in r["onboarding"]])),
                shape=(1, len(items)),
            )
            vector = np.asarray(model.recalculate_user(0, row)).ravel()
        out[r["key"]] = rank(item_factors @ vector, np.array(items), r, args.k, np.asarray(side["tie_break"]))
    return out


def run_cornac(args, positives, requests, side):
    import cornac

    triples = [(str(u), str(i), 1.0) for u, i in zip(positives["user_id"], positives["item_id"])]
    data = cornac.data.Dataset.from_uir(triples, seed=args.seed)
    model = cornac.models.BPR(k=32, max_iter=200, learning_rate=0.01, lambda_reg=0.01, seed=args.seed, verbose=False)
    model.fit(data)
    items = [int(i) for i in side["all_items"]]
    bias = np.zeros(len(items))
    factors = np.zeros((len(items), model.i_factors.shape[1]))
    for n, i in enumerate(items):
        idx = data.iid_map.get(str(i))
        if idx is not None:  # unknown (cold) items keep zero: BPR cannot score them
            bias[n], factors[n] = model.i_biases[idx], model.i_factors[idx]
    out = {}
    for r in requests:
        uidx = data.uid_map.get(str(r["user_id"]))
        # BPR has no user fold-in: an unknown user is ranked by the item biases alone.
        scores = bias + (factors @ model.u_factors[uidx] if uidx is not None else 0.0)
        out[r["key"]] = rank(scores, np.array(items), r, args.k, np.asarray(side["tie_break"]))
    return out


def main():
    parser = argparse.ArgumentParser()
    for name in ("--method", "--split", "--requests", "--side", "--out"):
        parser.add_argument(name, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--k", type=int, default=200)
    args = parser.parse_args()
    train, positives, requests, side = load(args)
    runner = {"lightfm": run_lightfm, "implicit_als": run_implicit, "cornac_bpr": run_cornac}[args.method]
    out = runner(args, positives, requests, side)
    with open(args.out, "w") as handle:
        json.dump(out, handle)


if __name__ == "__main__":
    main()
