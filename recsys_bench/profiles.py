"""Profile understanding: do the sentences people type get what they say?

For each form — exclusions, named films, eras, self-descriptions, plain genre words — a set
of profiles written for this benchmark is scored twice: as the engine reads it today, and
with an empty reading (the text embedding alone, which is how profiles were read before
the reader existed). ``python -m recsys bench --profiles`` prints the table docs/benchmark.md quotes.

Targets per form:
- exclusions: the ruled-out genre is at most 5% of the top-20, and the wanted genre keeps
  at least its share in the same profile without the exclusion clause;
- named films: none of them comes back, and the list's overlap with the films most often
  co-rated with them is at least 90% of what the same films give when picked as onboarding likes;
- eras: at least 70% of the top-20 inside the named window;
- self-descriptions: the stated age and occupation are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.explorer import Explorer
from recsys.reading import Reading

K = 20


@dataclass(frozen=True)
class Case:
    """One profile and what it should get.

    Attributes:
        form: ``exclusion``, ``titles``, ``era``, ``self`` or ``plain``.
        wants / rules_out: genres the list should contain / avoid.
        baseline: for exclusions, the same profile without the exclusion clause.
        titles: catalogue titles the text names.
        window: the era window (first year, last year).
        demographics: what the person says about themselves.
    """

    text: str
    form: str
    wants: tuple[str, ...] = ()
    rules_out: tuple[str, ...] = ()
    baseline: str = ""
    titles: tuple[str, ...] = ()
    window: tuple[int, int] | None = None
    demographics: dict[str, Any] = field(default_factory=dict)


CASES: tuple[Case, ...] = (
    Case("Anything except horror, I scare easily", "exclusion", (), ("Horror",)),
    Case("I love comedies but I hate romance", "exclusion", ("Comedy",), ("Romance",), "I love comedies"),
    Case("Action movies, but no war films", "exclusion", ("Action",), ("War",), "Action movies"),
    Case("Sci-fi please, nothing with horror", "exclusion", ("Sci-Fi",), ("Horror",), "Sci-fi please"),
    Case("I can't stand musicals. Give me a good thriller.", "exclusion", ("Thriller",), ("Musical",), "Give me a good thriller."),
    Case("Dramas are fine but documentaries bore me", "exclusion", ("Drama",), ("Documentary",), "Dramas are fine"),
    Case(
        "Not a fan of westerns; I like crime stories and heists", "exclusion", ("Crime",), ("Western",), "I like crime stories and heists"
    ),
    Case(
        "I don't like romance. Adventure and fantasy are my thing.",
        "exclusion",
        ("Adventure",),
        ("Romance",),
        "Adventure and fantasy are my thing.",
    ),
    Case("Comedies without any romance", "exclusion", ("Comedy",), ("Romance",), "Comedies"),
    Case("Anything but cartoons", "exclusion", (), ("Animation",)),
    Case("Thrillers are great, but no horror or gore please", "exclusion", ("Thriller",), ("Horror",), "Thrillers are great"),
    Case("My favourite films are Casablanca and Vertigo", "titles", titles=("Casablanca (1942)", "Vertigo (1958)")),
    Case("I loved The Godfather and Goodfellas", "titles", titles=("Godfather, The (1972)", "GoodFellas (1990)")),
    Case("Films like Star Wars and Raiders of the Lost Ark", "titles", titles=("Star Wars (1977)", "Raiders of the Lost Ark (1981)")),
    Case("Our family favourites are Toy Story and Aladdin", "titles", titles=("Toy Story (1995)", "Aladdin (1992)")),
    Case(
        "Big fan of Pulp Fiction, Fargo and Reservoir Dogs",
        "titles",
        titles=("Pulp Fiction (1994)", "Fargo (1996)", "Reservoir Dogs (1992)"),
    ),
    Case("Something like 'The Silence of the Lambs'", "titles", titles=("Silence of the Lambs, The (1991)",)),
    Case("I enjoyed Titanic and Sleepless in Seattle", "titles", titles=("Titanic (1997)", "Sleepless in Seattle (1993)")),
    Case("I rewatch Alien and Aliens every year", "titles", titles=("Alien (1979)", "Aliens (1986)")),
    Case("classic films from the 1940s and 1950s", "era", window=(1940, 1959)),
    Case("westerns from the sixties", "era", ("Western",), window=(1960, 1969)),
    Case("films from the 1970s", "era", window=(1970, 1979)),
    Case("black-and-white movies", "era", window=(1900, 1960)),
    Case("old Hollywood musicals from the fifties", "era", ("Musical",), window=(1950, 1959)),
    Case("the latest releases", "era", window=(1996, 1998)),
    Case("80s action movies", "era", ("Action",), window=(1980, 1989)),
    Case(
        "I am a 70-year-old retired nurse who loves old black and white romances and musicals",
        "self",
        window=(1900, 1960),
        demographics={C.AGE: 70, C.OCCUPATION: "retired"},
    ),  # fmt: skip
    Case(
        "I'm a 34-year-old software developer who likes sci-fi", "self", ("Sci-Fi",), demographics={C.AGE: 34, C.OCCUPATION: "programmer"}
    ),
    Case("College student, 20, into horror and comedies", "self", demographics={C.AGE: 20, C.OCCUPATION: "student"}),
    Case("As a teacher I enjoy historical dramas", "self", ("Drama",), demographics={C.OCCUPATION: "educator"}),
    Case("I'm a 45-year-old lawyer and I like courtroom dramas", "self", ("Drama",), demographics={C.AGE: 45, C.OCCUPATION: "lawyer"}),
    Case("gory slasher films", "plain", ("Horror",)),
    Case("cartoons with my kids", "plain", ("Animation", "Children's")),
    Case("space operas", "plain", ("Sci-Fi",)),
)


def _share(recs: pd.DataFrame, genres: Sequence[str]) -> float:
    return float(np.mean([bool(set(g) & set(genres)) for g in recs[C.GENRES]])) if len(recs) else 0.0


def _in_window(explorer: Explorer, recs: pd.DataFrame, window: tuple[int, int]) -> float:
    years = explorer.items.set_index(C.ITEM).loc[recs[C.ITEM], C.YEAR].to_numpy()
    return float(np.mean((years >= window[0]) & (years <= window[1])))


def co_rated(explorer: Explorer, item_ids: Sequence, n: int = 50) -> set:
    """The ``n`` films most often rated by the people who rated any of ``item_ids`` (themselves excluded)."""
    ratings = explorer.ratings
    fans = ratings[ratings[C.ITEM].isin(item_ids)][C.USER].unique()
    counts = ratings[ratings[C.USER].isin(fans) & ~ratings[C.ITEM].isin(item_ids)][C.ITEM].value_counts()
    return set(counts.head(n).index)


def score_case(explorer: Explorer, case: Case) -> dict[str, Any]:
    """One case, read (``now``) and unread (``before``), with the measures of its form."""
    ids = {t: i for i, t in zip(explorer.items[C.ITEM], explorer.items[C.TITLE])}
    now_user = explorer.new_user(case.text)
    now = explorer.recommend(now_user, k=K)
    before = explorer.recommend(explorer.new_user(case.text, reading=Reading()), k=K)
    row: dict[str, Any] = {"form": case.form, "profile": case.text, "reading": now_user.reading.to_dict()}
    if case.rules_out:
        row["ruled_out_share_before"], row["ruled_out_share_now"] = _share(before, case.rules_out), _share(now, case.rules_out)
        row["met"] = row["ruled_out_share_now"] <= 0.05
        if case.wants and case.baseline:
            plain = explorer.recommend(explorer.new_user(case.baseline), k=K)
            row["wanted_share_without_clause"], row["wanted_share_now"] = _share(plain, case.wants), _share(now, case.wants)
            row["met"] = row["met"] and row["wanted_share_now"] >= row["wanted_share_without_clause"] - 1e-9
    if case.titles:
        named = [ids[t] for t in case.titles]
        truth = co_rated(explorer, named)
        picked = explorer.recommend(explorer.new_user(case.text, liked=named, reading=Reading()), k=K)
        row["named_found"] = sum(i in now_user.liked for i in named) / len(named)
        row["named_returned_before"] = sum(i in set(before[C.ITEM]) for i in named)
        row["named_returned_now"] = sum(i in set(now[C.ITEM]) for i in named)
        row["co_rated_overlap_now"] = len(truth & set(now[C.ITEM])) / K
        row["co_rated_overlap_before"] = len(truth & set(before[C.ITEM])) / K
        row["co_rated_overlap_picked"] = len(truth & set(picked[C.ITEM])) / K
        row["met"] = row["named_returned_now"] == 0 and row["co_rated_overlap_now"] >= 0.9 * row["co_rated_overlap_picked"]
    if case.window:
        row["in_window_before"], row["in_window_now"] = _in_window(explorer, before, case.window), _in_window(explorer, now, case.window)
        row["met"] = row.get("met", True) and row["in_window_now"] >= 0.7
    if case.demographics:
        read = now_user.reading.demographics
        row["demographics_read"] = all(read.get(k) == v for k, v in case.demographics.items())
        row["met"] = row.get("met", True) and row["demographics_read"]
    if case.form == "plain":
        row["wanted_share_before"], row["wanted_share_now"] = _share(before, case.wants), _share(now, case.wants)
        row["met"] = row["wanted_share_now"] >= 0.7
    return row


def profile_understanding(explorer: Explorer, cases: Sequence[Case] = CASES) -> dict[str, Any]:
    """Every case scored, and per form the mean of each measure and how many cases met their target."""
    rows = [score_case(explorer, case) for case in cases]
    frame = pd.DataFrame(rows)
    summary = {}
    for form, group in frame.groupby("form", sort=False):
        numeric = group.drop(columns=["form", "profile", "reading"]).select_dtypes(include=["number", "bool"])
        summary[form] = {k: float(v) for k, v in numeric.mean().items() if v == v} | {"cases": len(group), "met": int(group["met"].sum())}
    return {"cases": rows, "summary": summary}


def print_profiles(results: dict[str, Any]) -> None:
    """The profile-understanding table: before (text only) and now (read), per form and per case."""
    print("\nprofile understanding (top-20; 'before' = the text embedding alone, 'now' = read)")
    for form, numbers in results["summary"].items():
        shown = ", ".join(f"{k} {v:.2f}" for k, v in numbers.items() if k not in ("cases", "met"))
        print(f"  {form:10s} {numbers['met']}/{numbers['cases']} met · {shown}")
    print()
    for row in results["cases"]:
        print(f"  [{'met' if row['met'] else 'MISSED'}] {row['form']:9s} {row['profile']}")
