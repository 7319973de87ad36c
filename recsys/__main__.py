"""Entry point of ``python -m recsys``."""

from __future__ import annotations

import sys

from recsys.cli import main

sys.exit(main())
