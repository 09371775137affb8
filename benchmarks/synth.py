"""Build a big synthetic minutes archive from a real corpus, for scale tests.

Each output file takes one corpus file (in turn), gives it a new date (in
the title heading and the file name) and a new team (the folder), and
appends the last section of another corpus file, so no two files are the
same and every file is still minutes as people write them.

    python3 benchmarks/synth.py OUT_DIR [--files 50000] [--teams 150] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "minutes"
_SECTION = re.compile(r"^#{2,4} ", re.M)


def corpus_texts(corpus: Path) -> list[str]:
    texts = [
        p.read_bytes().decode("utf-8", errors="replace")
        for p in sorted(corpus.rglob("*.md"))
        if not p.name.startswith(".")
    ]
    if not texts:
        sys.exit(f"{corpus}: no minutes files")
    return texts


def recombine(text: str, other: str, day: date) -> str:
    """``text`` dated ``day`` (its title heading replaced), plus ``other``'s last section."""
    lines = text.split("\n")
    title = f"# {day.isoformat()}"
    for n, line in enumerate(lines):
        if line.startswith("#"):
            lines[n] = title
            break
    else:
        lines.insert(0, title)
    starts = [m.start() for m in _SECTION.finditer(other)]
    tail = other[starts[-1] :] if starts else ""
    return "\n".join(lines).rstrip("\n") + "\n\n" + tail


def build(out: Path, corpus: Path, files: int, teams: int, seed: int = 1) -> int:
    """Write ``files`` minutes into ``out/teamNNN/YYYYMMDD.md``; returns the bytes written."""
    texts = corpus_texts(corpus)
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    written = 0
    start = date(2000, 1, 6)
    for n in range(files):
        team, week = n % teams, n // teams
        day = start + timedelta(weeks=week, days=team % 5)
        folder = out / f"team{team:03d}"
        if week == 0:
            folder.mkdir(parents=True)
        text = recombine(texts[n % len(texts)], texts[rng.randrange(len(texts))], day)
        data = text.encode("utf-8")
        (folder / f"{day:%Y%m%d}.md").write_bytes(data)
        written += len(data)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("out", type=Path)
    ap.add_argument("--files", type=int, default=50_000)
    ap.add_argument("--teams", type=int, default=150)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    size = build(args.out, args.corpus, args.files, args.teams)
    print(f"{args.out}: {args.files} files in {args.teams} teams, {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
