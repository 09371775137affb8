"""The archive's speed, as ratios to floors timed in the same run.

Each measurement runs in a fresh Python process (so imports count, and no
process inherits another's warm modules); in-process times exclude only the
interpreter's own start-up, which both sides of a ratio would share. Rows:

- cold index (``Archive.open`` + ``refresh`` on no index), against
  markdown-it-py tokenizing the same files in one process (import, read,
  tokenize; CommonMark preset; the configuration minutesbot's parser uses,
  with its plugins, is shown too): target <= 1.0x;
- refresh with nothing changed, against the cold index: target <= 0.10x;
- refresh with one file changed, against the cold index: target <= 0.15x;
- ``minutesbot history REF`` on a warm index, the whole process, against
  the whole process ``python3 -c "import sqlite3"``: target <= 4x.

With ``--synth N`` the same is done on an archive of N files made by
``benchmarks/synth.py`` (cold index within 120 s on 2 cores; peak memory
under 400 MB, counted as the indexing process plus its workers).

    python3 benchmarks/archive.py [MINUTES_DIR] [--rounds 5] [--synth 50000 [--synth-dir DIR]]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DEFAULT = PROJECT.parent / "shared" / "corpus" / "minutes"
OWNER = "SovereignCloudStack"
# The index remembers the owner it was built with; the history command, run
# where no configuration is found, takes the same one from GITHUB_REPOSITORY.
ENV = {**os.environ, "PYTHONPATH": str(PROJECT), "GITHUB_REPOSITORY": f"{OWNER}/minutes"}

TOKENIZE = """
import sys, time
start = time.perf_counter()
from pathlib import Path
if sys.argv[2] == "commonmark":
    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark")
else:  # the configuration minutesbot's parser uses (plugins and all)
    from minutesbot.records.document import markdown
    md = markdown()
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    if ".minutesbot" not in path.parts:
        md.parse(path.read_bytes().decode("utf-8", errors="replace"))
print(time.perf_counter() - start)
"""

REFRESH = """
import json, resource, sys, time
start = time.perf_counter()
from pathlib import Path
from minutesbot.archive import Archive
from minutesbot.config import Config
with Archive.open(Path(sys.argv[1]), Config(default_owner=OWNER_REPR)) as archive:
    result = archive.refresh()
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "parsed": result.parsed,
                  "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "workers_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
""".replace("OWNER_REPR", repr(OWNER))


# What any refresh must at least do: one stat per file (here without minutesbot at all).
STAT_SWEEP = """
import os, sys
stack = [sys.argv[1]]
while stack:
    for entry in os.scandir(stack.pop()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            stack.append(entry.path)
        elif entry.name.endswith(".md"):
            entry.stat()
"""


def python(code: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=ENV, check=True, capture_output=True, text=True
    ).stdout


def wall(argv: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=ENV, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def refresh(root: Path) -> dict:
    return json.loads(python(REFRESH, str(root)))


def drop_index(root: Path) -> None:
    shutil.rmtree(root / ".minutesbot", ignore_errors=True)


def change_one(root: Path, n: int) -> None:
    path = sorted(root.rglob("*.md"))[len(sorted(root.rglob("*.md"))) // 2]
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n- benchmark edit {n}\n")


def refs_by_mentions(root: Path) -> list[str]:
    """Every ref in the index, from the least to the most mentioned (by files)."""
    import sqlite3

    conn = sqlite3.connect(root / ".minutesbot" / "index.sqlite")
    refs = [
        ref
        for ref, _ in conn.execute(
            "SELECT ref, count(DISTINCT file_id) AS n FROM refs GROUP BY ref ORDER BY n, ref"
        )
    ]
    conn.close()
    return refs


def measure(root: Path, rounds: int) -> dict[str, list[float]]:
    """Interleaved rounds (drift on a shared machine hits every row alike)."""
    rows: dict[str, list[float]] = {
        k: []
        for k in ("tokenize", "tokenize_mb", "cold", "nochange", "onefile", "sqlite", "history")
    }
    history = [sys.executable, "-m", "minutesbot", "history", "", "--root", str(root)]
    for n in range(rounds):
        rows["tokenize"].append(float(python(TOKENIZE, str(root), "commonmark")))
        rows["tokenize_mb"].append(float(python(TOKENIZE, str(root), "minutesbot")))
        drop_index(root)
        rows["cold"].append(refresh(root)["seconds"])
        rows["nochange"].append(refresh(root)["seconds"])
        change_one(root, n)
        one = refresh(root)
        assert one["parsed"] == 1, one
        rows["onefile"].append(one["seconds"])
        history[4] = refs_by_mentions(root)[-1]
        rows["sqlite"].append(wall([sys.executable, "-c", "import sqlite3"]))
        rows["history"].append(wall(history, cwd=root))
    return rows


def table(title: str, rows: dict[str, list[float]], files: int) -> None:
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
    print(f"\n{title}: {files} files, {len(rows['cold'])} rounds, medians")
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
        type=int,
        default=0,
        metavar="N",
        help="also measure a synthetic archive of N files",
    )
    ap.add_argument("--synth-dir", type=Path, default=None)
    args = ap.parse_args()
    if not args.minutes.is_dir():
        sys.exit(f"{args.minutes}: no such directory (pass the minutes corpus)")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        # A copy: the index is written beside the minutes, never into the corpus.
        root = Path(tmp) / "minutes"
        shutil.copytree(args.minutes, root, ignore=shutil.ignore_patterns(".minutesbot"))
        files = len(list(root.rglob("*.md")))
        table("corpus", measure(root, args.rounds), files)
    if args.synth:
        synth(args.synth, args.synth_dir)


def synth(files: int, where: Path | None) -> None:
    sys.path.insert(0, str(HERE))
    from synth import DEFAULT_CORPUS, build

    with tempfile.TemporaryDirectory() as tmp:
        root = where or Path(tmp) / "synth"
        size = build(root, DEFAULT_CORPUS, files, max(1, files // 333))
        cold = refresh(root)
        refs = refs_by_mentions(root)
        typical, most = refs[len(refs) // 2], refs[-1]
        runs: dict[str, list[float]] = {"sqlite": [], "sweep": [], typical: [], most: []}
        for _ in range(5):
            runs["sqlite"].append(wall([sys.executable, "-c", "import sqlite3"]))
            runs["sweep"].append(wall([sys.executable, "-c", STAT_SWEEP, str(root)]))
            for ref in (typical, most):
                runs[ref].append(
                    wall(
                        [sys.executable, "-m", "minutesbot", "history", ref, "--root", str(root)],
                        cwd=root,
                    )
                )
        med = {k: statistics.median(v) for k, v in runs.items()}
        workers = os.cpu_count() or 1
        peak = (cold["self_kb"] + workers * cold["workers_kb"]) / 1024
        print(f"\nsynthetic archive: {files} files, {size / 1e6:.0f} MB")
        print(f"  cold index {cold['seconds']:.1f} s (target <= 120 s)")
        print(
            f"  peak memory: indexing process {cold['self_kb'] / 1024:.0f} MB, largest worker "
            f"{cold['workers_kb'] / 1024:.0f} MB; together at most {peak:.0f} MB "
            f"(target < 400 MB)"
        )
        print(f"  python3 -c 'import sqlite3': {med['sqlite'] * 1000:.0f} ms")
        print(
            f"  python3 stat of every file, nothing else: {med['sweep'] * 1000:.0f} ms = "
            f"{med['sweep'] / med['sqlite']:.2f}x (the floor of any refresh that sees edits)"
        )
        for label, ref in (("median ref", typical), ("most mentioned ref", most)):
            print(
                f"  history, {label} {ref}: {med[ref] * 1000:.0f} ms = "
                f"{med[ref] / med['sqlite']:.2f}x (target <= 4x)"
            )
        if where is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
