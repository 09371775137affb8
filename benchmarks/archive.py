"""The archive's speed, as ratios to floors timed in the same run.

Each measurement runs in a fresh Python process (so imports count, and no
process inherits another's warm modules); in-process times exclude only the
interpreter's own start-up, which both sides of a ratio would share.

On the corpus (the default, or MINUTES_DIR):

- cold index (``Archive.open`` + ``refresh`` on no index), against
  markdown-it-py tokenizing the same files in one process (import, read,
  tokenize; CommonMark preset; the configuration minutesbot's parser uses,
  with its plugins, is shown too): target <= 1.0x;
- refresh with nothing changed / one file changed, against the cold index:
  targets <= 0.10x / <= 0.15x;
- ``minutesbot history REF`` on a warm index, the whole process, against
  the whole process ``python3 -c "import sqlite3"``: target <= 4x.

With ``--synth N``, every query (see :data:`QUERIES`) as a whole process on
a warm index of a synthetic archive of N files (``benchmarks/synth.py``,
committed to a git repository as minutes are), against the same floor:
target <= 4x. ``--synth 1000,5000,20000,50000`` does the same at each size
and then shows the sizes side by side, with the size of each answer, so a
query whose cost grows faster than its answer shows; ``--cold`` adds the
cold index per file and the single-process tokenize floor at each size
(slow: minutes at 50,000 files). Archives are kept in ``--synth-dir``
(reused when there) to save the builds.

``--code DIR`` measures another checkout of minutesbot (say, main before a
change) with the same benchmark. Bytecode caching is on for the processes
timed, as for a user, whatever PYTHONDONTWRITEBYTECODE says.

    python3 benchmarks/archive.py [MINUTES_DIR] [--rounds 5] [--no-corpus]
        [--synth N[,N...]] [--cold] [--synth-dir DIR] [--code DIR] [--timeout S]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from archive_runs import (
    DEFAULT,
    FLOOR,
    HERE,
    Runner,
    change_one,
    drop_index,
    facts,
    growth_table,
)

# -- the corpus --------------------------------------------------------------------------------


def measure_corpus(runner: Runner, root: Path, rounds: int) -> dict[str, list[float]]:
    """Interleaved rounds (drift on a shared machine hits every row alike)."""
    rows: dict[str, list[float]] = {
        k: []
        for k in ("tokenize", "tokenize_mb", "cold", "nochange", "onefile", "sqlite", "history")
    }
    for n in range(rounds):
        rows["tokenize"].append(runner.tokenize(root))
        rows["tokenize_mb"].append(runner.tokenize(root, "minutesbot"))
        drop_index(root)
        rows["cold"].append(runner.refresh(root)["seconds"])
        rows["nochange"].append(runner.refresh(root)["seconds"])
        change_one(root, n)
        one = runner.refresh(root)
        assert one["parsed"] == 1, one
        rows["onefile"].append(one["seconds"])
        history = [
            sys.executable,
            "-m",
            "minutesbot",
            "history",
            facts(runner, root)["frequent"],
            "--root",
            str(root),
        ]
        rows["sqlite"].append(runner.wall(FLOOR, cwd=root))
        rows["history"].append(runner.wall(history, cwd=root))
    return rows


def corpus_table(rows: dict[str, list[float]], files: int) -> None:
    med = {k: statistics.median(v) for k, v in rows.items()}
    lines = [
        ("markdown-it-py tokenize, 1 process", "tokenize", None, None),
        ("  same, minutesbot's configuration", "tokenize_mb", "tokenize", None),
        ("cold index (parallel)", "cold", "tokenize", 1.0),
        ("refresh, nothing changed", "nochange", "cold", 0.10),
        ("refresh, one file changed", "onefile", "cold", 0.15),
        ('python3 -c "import sqlite3"', "sqlite", None, None),
        ("minutesbot history REF (process)", "history", "sqlite", 4.0),
    ]
    print(f"\ncorpus: {files} files, {len(rows['cold'])} rounds, medians")
    print(f"  {'':38} {'median':>10} {'ratio':>8} {'target':>8}")
    for label, key, floor, target in lines:
        ratio = f"{med[key] / med[floor]:.2f}x" if floor else ""
        goal = f"<= {target:g}x" if target else ""
        ok = "" if not target else ("  ok" if med[key] / med[floor] <= target else "  OVER")
        print(f"  {label:38} {med[key] * 1000:8.1f}ms {ratio:>8} {goal:>8}{ok}")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("minutes", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument(
        "--synth",
        default="",
        metavar="N[,N...]",
        help="every query on a synthetic archive of N files, at each size given "
        "(1000,5000,20000,50000 for the growth table)",
    )
    ap.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds after which a query is stopped (shown as >N s)",
    )
    ap.add_argument("--cold", action="store_true", help="also the cold index at each size")
    ap.add_argument("--no-corpus", action="store_true", help="skip the corpus table")
    ap.add_argument(
        "--synth-dir",
        type=Path,
        default=None,
        help="keep the synthetic archives here (reused when present)",
    )
    ap.add_argument(
        "--code",
        type=Path,
        default=HERE.parent,
        help="the minutesbot checkout to measure (default: this one)",
    )
    args = ap.parse_args()
    if not args.minutes.is_dir():
        sys.exit(f"{args.minutes}: no such directory (pass the minutes corpus)")
    runner = Runner(args.code.resolve(), args.timeout)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()}, "
        f"code {args.code}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_corpus:
            # A copy: the index is written beside the minutes, never into the corpus.
            root = Path(tmp) / "minutes"
            shutil.copytree(args.minutes, root, ignore=shutil.ignore_patterns(".minutesbot"))
            corpus_table(measure_corpus(runner, root, args.rounds), len(list(root.rglob("*.md"))))
        where = args.synth_dir or Path(tmp)
        if args.synth:
            sizes = [int(n) for n in args.synth.split(",")]
            growth_table(sizes, args.rounds, runner, where, args.cold)
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
