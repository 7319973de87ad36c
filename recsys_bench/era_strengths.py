"""The era term's strengths (``PreferenceConfig.era_edge`` and ``leaning``) swept on the seven built era cases of
:mod:`recsys_bench.profiles` and on ten held-out era profiles, written before the sweep of 2026-12-06 and not used to
choose (docs/benchmark.md: Profile understanding). Share of each top-20 inside the window the profile names; a case is
met at 0.70 or more.

``python -m recsys_bench.era_strengths`` (the packaged MovieLens-100k model, trained once and cached).
"""

from __future__ import annotations

from dataclasses import replace

from recsys import Explorer
from recsys.preferences import PreferenceConfig
from recsys_bench.profiles import CASES, Case, score_case

HELD_OUT = (
    Case("comedies from the nineties", "era", ("Comedy",), window=(1990, 1999)),
    Case("science fiction from the 1980s", "era", ("Sci-Fi",), window=(1980, 1989)),
    Case("dramas made in the 1950s", "era", ("Drama",), window=(1950, 1959)),
    Case("horror films from the seventies", "era", ("Horror",), window=(1970, 1979)),
    Case("war films from the 1940s", "era", ("War",), window=(1940, 1949)),
    Case("romances from the 1960s", "era", ("Romance",), window=(1960, 1969)),
    Case("thrillers from the 70s", "era", ("Thriller",), window=(1970, 1979)),
    Case("something recent please", "era", window=(1996, 1998)),
    Case("musicals from the 1930s and 40s", "era", ("Musical",), window=(1930, 1949)),
    Case("crime movies from the 1990s", "era", ("Crime",), window=(1990, 1999)),
)
GRID = [(edge, leaning) for edge in (2.0, 3.0, 4.0) for leaning in (0.1, 0.2, 0.3)]


def main() -> None:
    explorer = Explorer.load()
    built = [c for c in CASES if c.form == "era"]
    for edge, leaning in GRID:
        explorer.preferences = replace(PreferenceConfig(), era_edge=edge, leaning=leaning)
        parts = []
        for name, cases in (("built", built), ("held-out", HELD_OUT)):
            rows = [score_case(explorer, c) for c in cases]
            shares = " ".join(f"{r['in_window_now']:.2f}" for r in rows)
            mean = sum(r["in_window_now"] for r in rows) / len(rows)
            parts.append(f"{name} {sum(r['met'] for r in rows)}/{len(rows)} met, in-window {mean:.3f} [{shares}]")
        print(f"edge {edge} leaning {leaning}: " + " | ".join(parts), flush=True)


if __name__ == "__main__":
    main()
