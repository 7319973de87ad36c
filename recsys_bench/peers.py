"""Peer libraries (LightFM, implicit, Cornac) run on our splits, each in its own environment.

Their dependencies clash with the app's (numpy < 2, old setuptools), so ``make bench-peers``
creates one virtual environment per library and this module talks to them through files:
it writes the requests and side information, runs ``bench/peer_runner.py`` with that
environment's Python, and reads back one ranked list per request.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from recsys import columns as C
from recsys.features import age_group
from recsys_bench.baselines import Context, Method
from recsys_bench.splits import Request

ROOT = Path(__file__).resolve().parent.parent
PEER_ENVS = {"lightfm": ".venv-lightfm", "implicit_als": ".venv-implicit", "cornac_bpr": ".venv-cornac"}
RUNNER = ROOT / "bench" / "peer_runner.py"
LIST_LENGTH = 200


def peer_python(name: str) -> Path:
    return ROOT / PEER_ENVS[name] / "bin" / "python"


def available_peers() -> list[str]:
    """Peers whose environment ``make bench-peers`` has created."""
    return [name for name in PEER_ENVS if peer_python(name).exists() and (ROOT / PEER_ENVS[name] / ".ready").exists()]


def side_information(context: Context) -> dict:
    """Item genres/decade and user demographics as plain feature names, for LightFM; and the split's order for equal
    scores, one key per item of ``all_items``, so a peer's ties fall as ours do."""
    ds = context.dataset
    items = {
        str(i): [f"genre:{g}" for g in gs] + ([f"decade:{int(y) // 10 * 10}"] if y == y else [])
        for i, gs, y in zip(ds.items[C.ITEM], ds.items[C.GENRES], ds.items[C.YEAR])
    }
    users = {}
    for record in ds.users.to_dict("records"):
        features = []
        if C.AGE in record:
            features.append(f"age:{age_group(record[C.AGE])}")
        features += [f"{a}:{record[a]}" for a in (C.GENDER, C.OCCUPATION) if a in record]
        users[str(record[C.USER])] = features
    return {"items": items, "users": users, "all_items": [int(i) for i in ds.items[C.ITEM]], "tie_break": context.tie_break.tolist()}


class PeerMethod(Method):
    """A peer library answering a batch of requests in its own environment."""

    def __init__(self, name: str, split_path: Path):
        self.name = name
        self.split_path = split_path
        self.lists: dict[str, list] = {}

    def prepare(self, requests: list[Request]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            (folder / "requests.json").write_text(json.dumps([r.to_json() for r in requests], default=int))
            (folder / "side.json").write_text(json.dumps(side_information(self.context)))
            command = [
                str(peer_python(self.name)), str(RUNNER), "--method", self.name, "--split", str(self.split_path),
                "--requests", str(folder / "requests.json"), "--side", str(folder / "side.json"),
                "--out", str(folder / "out.json"), "--seed", str(self.context.split.seed), "--k", str(LIST_LENGTH),
            ]  # fmt: skip
            result = subprocess.run(command, capture_output=True, text=True, timeout=3600)
            if result.returncode != 0:
                raise RuntimeError(
                    f"peer {self.name} failed: {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.returncode}"
                )
            self.lists = json.loads((folder / "out.json").read_text())

    def scores(self, request: Request) -> np.ndarray:
        """The peer's list as scores: its order first, everything it did not list last."""
        ids = self.context.dataset.item_ids
        scores = np.full(self.context.dataset.n_items, -1e9)
        ranked = [i for i in self.lists.get(request.key, []) if i in ids]
        scores[ids.indices(ranked)] = -np.arange(len(ranked), dtype=float)
        return scores
