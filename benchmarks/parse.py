"""Parse throughput on a minutes corpus, as a ratio to bare tokenization.

The floor is markdown-it-py tokenizing the same texts with the same
configuration minutesbot uses (``minutesbot.records.markdown.markdown()``), timed in
the same run, so the ratio says what the extraction costs on top of reading
the markdown at all, whatever the machine. Both sides work on decoded text
already in memory; file reading is measured separately.

Times are process CPU time (``time.process_time``), and each figure is the
minimum over the rounds: on a machine shared with other work, wall-clock
time and medians measure the neighbours; the fastest CPU-time round is the
closest to the cost of the code itself.

    python3 benchmarks/parse.py [MINUTES_DIR] [--rounds N]
    python3 benchmarks/parse.py --hostile [--rounds N]

``--hostile`` times the inputs found quadratic instead (issue 16: one line
of 80,000 refs, 40,000 names under a chore heading; later: 20,000 marker
paragraphs, each over its list), each at half and full size: linear work
takes about twice as long at full size, and about as long as tokenizing the
text.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Parsing at most this many times tokenizing (issue 13; its goal is 1.1x).
TARGET = 1.2
sys.path.insert(0, str(HERE.parent))

from minutesbot.records.files import find_minutes_files  # noqa: E402
from minutesbot.records.markdown import markdown  # noqa: E402
from minutesbot.records.parser import parse_text  # noqa: E402
from minutesbot.records.reading import decode_minutes  # noqa: E402

DEFAULT = HERE.parent.parent / "shared" / "corpus" / "minutes"


def timed(func, rounds: int) -> list[float]:
    """CPU seconds of each of ``rounds`` calls (other processes' load excluded)."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("minutes", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--hostile", action="store_true", help="time issue 16's quadratic inputs")
    args = ap.parse_args()
    if args.hostile:
        hostile(max(3, args.rounds // 2))
        return
    if not args.minutes.is_dir():
        sys.exit(f"{args.minutes}: no such directory (pass the minutes corpus)")
    files = find_minutes_files([args.minutes])
    texts = [
        (p.relative_to(args.minutes).as_posix(), decode_minutes(p.read_bytes())[0]) for p in files
    ]
    md = markdown()

    def tokenize() -> None:
        for _, text in texts:
            md.parse(text)

    def parse() -> None:
        for source, text in texts:
            parse_text(text, source=source, default_owner="sovereigncloudstack")

    def read() -> None:
        for p in files:
            decode_minutes(p.read_bytes())

    tokenize(), parse()  # warm up caches and regexes
    floor, full, reading = [], [], []
    for _ in range(args.rounds):  # interleave so drift hits both sides alike
        floor += timed(tokenize, 1)
        full += timed(parse, 1)
        reading += timed(read, 1)
    f, p, r = (min(x) for x in (floor, full, reading))
    size = sum(len(t) for _, t in texts)
    print(
        f"files {len(texts)}, {size / 1e6:.2f} MB of text, {args.rounds} rounds, minimum CPU time:"
    )
    print(f"  {'markdown-it-py tokenize (floor)':34} {f * 1000:8.1f} ms   1.00x")
    ratio = f"{p / f:.2f}x   (target <= {TARGET:.2f}x)"
    print(f"  {'minutesbot parse_text':34} {p * 1000:8.1f} ms   {ratio}")
    print(f"  {'read + decode files':34} {r * 1000:8.1f} ms   {r / f:.2f}x")
    print(f"  parse throughput: {len(texts) / p:.0f} files/s, {size / p / 1e6:.2f} MB/s")

    # The whole corpus as one file: work that grows faster than the text
    # (a scan of every item per action, say) shows here, not in small files.
    big = "\n\n".join(text for _, text in texts)
    rounds = max(3, args.rounds // 2)
    big_floor = min(timed(lambda: md.parse(big), rounds))
    big_parse = min(timed(lambda: parse_text(big, source="big/all.md"), rounds))
    print(
        f"one file of {len(big) / 1e6:.2f} MB ({rounds} rounds): "
        f"tokenize {big_floor * 1000:.0f} ms, "
        f"parse {big_parse * 1000:.0f} ms = {big_parse / big_floor:.2f}x (target <= {TARGET:.2f}x)"
    )


HOSTILE = {
    "refs on one line": lambda n: (
        "# 2024-04-18\n\n### T\n\n" + " ".join(f"x#{i}" for i in range(n)) + "\n"
    ),
    "names under a chore heading": lambda n: (
        "# 2024-04-18\n\n## Minutes\n\n" + "".join(f"- @u{i}\n" for i in range(n // 2))
    ),
    # Each marker's list was looked for in the whole rest of the file: 182 s for 20,000.
    "markers, each over its list": lambda n: (
        "# 2024-04-18\n\n## T\n\n"
        + "".join(f"Action items:\n\n- @u{i} task {i}\n\n" for i in range(n // 4))
    ),
}


def hostile(rounds: int) -> None:
    """The quadratic inputs' reproducers at half and full size, against tokenizing them."""
    md = markdown()
    for name, make in HOSTILE.items():
        times = {}
        for n in (40_000, 80_000):
            text = make(n)
            # The fastest round of each: the least disturbed by other work on the machine.
            floor = min(timed(lambda t=text: md.parse(t), rounds))
            full = min(timed(lambda t=text: parse_text(t, source="team/20240418.md"), rounds))
            times[n] = full
            print(
                f"{name:28} {len(text) / 1e3:6.0f} KB: tokenize {floor * 1000:7.0f} ms, "
                f"parse {full * 1000:7.0f} ms = {full / floor:.2f}x"
            )
        print(f"{'':28} full / half size: {times[80_000] / times[40_000]:.2f}x (linear: ~2)")


if __name__ == "__main__":
    main()
