"""Ranking a large catalogue for one user: the exact inner product over every item against an index (FAISS).

``python -m recsys_bench.search [--items 250000] [--dim 36]`` times, on random item vectors
of the width the engine ranks on ([e_i, x_i] plus the bias column), one user's top-20:

- ``exact``: what :meth:`recsys.Explorer.recommend` does — one matrix-vector product over every
  item (``recsys.model.scores``), then :func:`recsys.ranking.top_k` (a partition);
- ``faiss_flat``: FAISS ``IndexFlatIP``, the same exact search in FAISS's own kernel;
- ``faiss_hnsw``: FAISS ``IndexHNSWFlat`` (approximate), with its recall@20 against exact.

FAISS is optional (``pip install faiss-cpu``; the engine never imports it): without it only
the exact search is timed. One thread, as the app server serves.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy loads its BLAS: one thread, as the server serves
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402


def _p50_ms(run, repeats: int) -> float:
    run()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return float(np.median(samples))


def measure(n_items: int = 250_000, dim: int = 36, k: int = 20, repeats: int = 30, seed: int = 0) -> dict:
    """p50 milliseconds of each search for one random user; HNSW's recall@k against the exact list."""
    from recsys.ranking import top_k

    rng = np.random.default_rng(seed)
    items = rng.normal(size=(n_items, dim)).astype(np.float32)
    users = rng.normal(size=(repeats + 1, dim)).astype(np.float32)
    exact_lists = [top_k(items @ u, k) for u in users]
    position = iter(range(10**9))
    results: dict = {"items": n_items, "dim": dim, "k": k}
    results["exact_ms"] = _p50_ms(lambda: top_k(items @ users[next(position) % len(users)], k), repeats)
    try:
        import faiss
    except ImportError:
        results["faiss"] = "not installed (pip install faiss-cpu)"
        return results
    faiss.omp_set_num_threads(1)
    flat = faiss.IndexFlatIP(dim)
    flat.add(items)
    results["faiss_flat_ms"] = _p50_ms(lambda: flat.search(users[:1], k), repeats)
    started = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.add(items)
    results["faiss_hnsw_build_s"] = time.perf_counter() - started
    results["faiss_hnsw_ms"] = _p50_ms(lambda: hnsw.search(users[:1], k), repeats)
    found = hnsw.search(users, k)[1]
    results["faiss_hnsw_recall_at_k"] = float(np.mean([len(set(f) & set(e)) / k for f, e in zip(found, exact_lists)]))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.search", description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=250_000)
    parser.add_argument("--dim", type=int, default=36)
    parser.add_argument("--json", help="also write the numbers here")
    args = parser.parse_args(argv)
    results = measure(args.items, args.dim)
    print(json.dumps(results, indent=2))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
