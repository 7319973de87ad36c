"""Entry point of ``python -m recsys_bench bench|speed``: the benchmark's commands with the engine's global options."""

from __future__ import annotations

import sys

from recsys.cli import base_parser, run
from recsys_bench.commands import COMMANDS


def main(argv: list[str] | None = None) -> int:
    parser, sub = base_parser("python -m recsys_bench", "The cold-start benchmark of the explorer's engine.")
    for register in COMMANDS:
        register(sub)
    return run(parser, argv)


if __name__ == "__main__":
    sys.exit(main())
