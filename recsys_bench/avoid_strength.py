"""What a ruled-out genre costs (``PreferenceConfig.avoid``), swept on the eleven built exclusion cases of
:mod:`recsys_bench.profiles` and on eight profiles whose wanted and ruled-out genres often share a film ("1950s
musicals, but nothing made for kids"), written for the question a newcomer's walk raised: is −10 logits strong enough?
Share of the ruled-out genre in each top-20 (a case is met at 0.05 or less, and when it names a wish, with the wish's
share no lower than the same profile without its exclusion — which the second set cannot meet by construction: ruling
out children's films removes the children's musicals).

``python -m recsys_bench.avoid_strength`` (the packaged MovieLens-100k model, trained once and cached; about a minute).
"""

from __future__ import annotations

from dataclasses import replace

from recsys import Explorer
from recsys.preferences import PreferenceConfig
from recsys_bench.profiles import CASES, Case, score_case

SHARED = (
    Case("1950s musicals, but nothing made for kids", "exclusion", ("Musical",), ("Children's",), "1950s musicals"),
    Case("animated films, but nothing for children", "exclusion", ("Animation",), ("Children's",), "animated films"),
    Case("action films but no sci-fi", "exclusion", ("Action",), ("Sci-Fi",), "action films"),
    Case("romantic films, no comedies", "exclusion", ("Romance",), ("Comedy",), "romantic films"),
    Case("thrillers but no crime stories", "exclusion", ("Thriller",), ("Crime",), "thrillers"),
    Case("war films, but no dramas", "exclusion", ("War",), ("Drama",), "war films"),
    Case("horror, just no sci-fi", "exclusion", ("Horror",), ("Sci-Fi",), "horror"),
    Case("adventure films without any action", "exclusion", ("Adventure",), ("Action",), "adventure films"),
)
VALUES = (10.0, 20.0, 40.0)


def main() -> None:
    explorer = Explorer.load()
    built = [c for c in CASES if c.form == "exclusion"]
    for avoid in VALUES:
        explorer.preferences = replace(PreferenceConfig(), avoid=avoid)
        for name, cases in (("built", built), ("shared genres", SHARED)):
            rows = [score_case(explorer, c) for c in cases]
            ruled = " ".join(f"{r['ruled_out_share_now']:.2f}" for r in rows)
            wanted = " ".join(f"{r['wanted_share_now']:.2f}" if "wanted_share_now" in r else "–" for r in rows)
            print(f"avoid {avoid:g} {name}: {sum(r['met'] for r in rows)}/{len(rows)} met; ruled-out share {ruled}; wanted share {wanted}")


if __name__ == "__main__":
    main()
