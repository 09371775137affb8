"""What the benchmarks against the GitHub imitation share: the floor they time against,
the options (sizes, fault rate, seed), the table, and the verdict on the bounds."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

Row = dict[str, Any]


def floor(base_url: str, n: int) -> float:
    """Seconds for ``n`` bare GETs of ``/rate_limit``: what talking to the server costs."""
    import requests

    with requests.Session() as session:
        start = time.perf_counter()
        for _ in range(n):
            session.get(f"{base_url}/rate_limit", timeout=5).raise_for_status()
        return time.perf_counter() - start


def run_sizes(doc: str, one_size: Callable[[int, float, int], Row]) -> None:
    """Run ``one_size(N, fault rate, seed)`` for each ``--sizes`` N, print the rows as a
    table, and exit 1 unless every row says its bounds held (its last column, ``ok``)."""
    ap = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="5,20,50")
    ap.add_argument("--fault-rate", type=float, default=0.15)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rows = [one_size(int(n), args.fault_rate, args.seed) for n in args.sizes.split(",")]
    print(" | ".join(f"{c:>12}" for c in rows[0]))
    for row in rows:
        cells = [f"{v:.2f}" if isinstance(v, float) else str(v) for v in row.values()]
        print(" | ".join(f"{c:>12}" for c in cells))
    ok = all(row["ok"] for row in rows)
    print("all bounds held" if ok else "A BOUND WAS BROKEN")
    sys.exit(0 if ok else 1)
