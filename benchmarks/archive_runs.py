"""How benchmarks/archive.py runs minutesbot: fresh processes, the floors, synthetic archives.

Every measurement runs the code under test in a fresh process (imports
count); :class:`Runner` points them at a checkout. The synthetic part times
every query (:data:`QUERIES`) as a whole process on archives of given sizes
and prints a table per size and, for several, the growth table.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "corpus" / "minutes"
OWNER = "SovereignCloudStack"
FLOOR = [sys.executable, "-c", "import sqlite3"]
# The same with no site (no .pth files run): what the floor owes to the installation. An
# editable install's finder alone adds 8-12 ms to every start, the floor's included.
BARE_FLOOR = [sys.executable, "-S", "-c", "import sqlite3"]
CLI = [sys.executable, "-m", "minutesbot"]
# A query slower than this in its warm-up run is timed once, not every round.
SLOW_S = 10.0
# The words the issue measured: one in many items, one in few.
WORDS = ("keycloak", "yawol")

TOKENIZE = """
import sys, time
start = time.perf_counter()
from pathlib import Path
if sys.argv[2] == "commonmark":
    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark")
else:  # the configuration minutesbot's parser uses (plugins and all)
    from minutesbot.records.markdown import markdown
    md = markdown()
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    if ".minutesbot" not in path.parts and ".git" not in path.parts:
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

# The index's facts the queries are chosen by (refs by mentions, the busiest owner, a team).
FACTS = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
refs = [r for r, in conn.execute("SELECT ref FROM refs GROUP BY ref "
                                 "ORDER BY count(DISTINCT file_id), ref")]
owner = conn.execute("SELECT owner FROM action_owners GROUP BY owner "
                     "ORDER BY count(*) DESC, owner LIMIT 1").fetchone()[0]
team = conn.execute("SELECT team FROM files WHERE team IS NOT NULL ORDER BY team "
                    "LIMIT 1").fetchone()[0]
dates = [d for d, in conn.execute("SELECT date FROM files WHERE date IS NOT NULL ORDER BY date")]
print(json.dumps({"rare": refs[len(refs) // 2], "frequent": refs[-1], "owner": owner,
                  "team": team, "since": dates[len(dates) // 2]}))
"""


# The git status a query waits for, as the code under test runs it (None: it has none).
GIT_STATUS = """
import json
try:
    from minutesbot.gitstatus import GIT, STATUS
except ImportError:
    print("null")
else:
    print(json.dumps(GIT + STATUS))
"""


def environment(code: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(code), "GITHUB_REPOSITORY": f"{OWNER}/minutes"}
    # The index remembers the owner it was built with; commands run where no configuration
    # is found take the same one from GITHUB_REPOSITORY. Bytecode is cached, as for a user.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


class Runner:
    """Runs the code under test in fresh processes."""

    def __init__(self, code: Path, timeout: float) -> None:
        self.code = code
        self.timeout = timeout
        self.env = environment(code)

    def python(self, code: str, *args: str) -> str:
        # Run in the checkout measured: "python -c" looks for modules in its folder first.
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            env=self.env,
            cwd=self.code,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            sys.exit(f"benchmark process failed:\n{done.stderr}")
        return done.stdout

    def wall(self, argv: list[str], cwd: Path) -> float:
        """Seconds ``argv`` took, or infinity past the timeout (it is stopped then).

        The wait blocks until the process ends, and a timer stops a process past the
        timeout. ``subprocess.run(timeout=...)`` would poll instead, sleeping up to 50 ms
        between looks (1, 2, 4 ... 50 ms): a query that ends at 114 ms is seen to end
        at 163 ms, and the floor at 31 or 63 ms.
        """
        start = time.perf_counter()
        process = subprocess.Popen(
            argv, env=self.env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        timer = threading.Timer(self.timeout, process.kill)
        timer.start()
        try:
            code = process.wait()
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        if seconds >= self.timeout:  # stopped by the timer
            return float("inf")
        if code:
            raise subprocess.CalledProcessError(code, argv)
        return seconds

    def output(self, argv: list[str], cwd: Path) -> str | None:
        try:
            return subprocess.run(
                argv,
                env=self.env,
                cwd=cwd,
                check=True,
                capture_output=True,
                text=True,
                timeout=self.timeout,
            ).stdout
        except subprocess.TimeoutExpired:
            return None

    def refresh(self, root: Path) -> dict:
        return json.loads(self.python(REFRESH, str(root)))

    def tokenize(self, root: Path, config: str = "commonmark") -> float:
        return float(self.python(TOKENIZE, str(root), config))


def drop_index(root: Path) -> None:
    shutil.rmtree(root / ".minutesbot", ignore_errors=True)


def change_one(root: Path, n: int) -> None:
    files = sorted(root.rglob("*.md"))
    with files[len(files) // 2].open("a", encoding="utf-8") as f:
        f.write(f"\n- benchmark edit {n}\n")


def facts(runner: Runner, root: Path) -> dict[str, str]:
    return json.loads(runner.python(FACTS, str(root / ".minutesbot" / "index.sqlite")))


QUERIES: list[tuple[str, list[str]]] = [
    ("index, nothing changed", ["index"]),
    ("history, the median ref", ["history", "{rare}"]),
    ("history, the most mentioned ref", ["history", "{frequent}"]),
    ("actions", ["actions"]),
    ("actions --open", ["actions", "--open"]),
    ("actions --owner (busiest) --open", ["actions", "--owner", "{owner}", "--open"]),
    ("actions --team T --done", ["actions", "--team", "{team}", "--done"]),
    ("decisions", ["decisions"]),
    ("decisions --team T --since (half)", ["decisions", "--team", "{team}", "--since", "{since}"]),
    (f"search {WORDS[0]} (frequent)", ["search", WORDS[0]]),
    (f"search {WORDS[1]} (rare)", ["search", WORDS[1]]),
    ("--help", ["--help"]),
]


def synth_archive(size: int, where: Path) -> Path:
    """The synthetic archive of ``size`` files in ``where`` (built and committed if missing)."""
    root = where / f"synth{size}"
    if (root / ".git").is_dir():
        return root
    sys.path.insert(0, str(HERE))
    from synth import DEFAULT_CORPUS, build

    build(root, DEFAULT_CORPUS, size, max(1, size // 333))
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "synthetic minutes"], check=True)
    return root


def answer_size(runner: Runner, argv: list[str], root: Path, paged: bool) -> int | None:
    """How many results the whole answer holds (JSON lines of the unpaged answer)."""
    if argv[0] in ("index", "--help"):
        return None
    out = runner.output(
        [*CLI, *argv, "--root", str(root), "--json", *(["--all"] if paged else [])], root
    )
    return None if out is None else len(out.splitlines())


def measure_queries(runner: Runner, root: Path, rounds: int) -> dict[str, tuple[float, int | None]]:
    """Median wall time of every query (and of the floor, as "floor"), with answer sizes.

    Interleaved rounds, after a warm-up run each; a query slower than
    ``SLOW_S`` is timed once, and one over ``runner.timeout`` not finished.
    """
    known = facts(runner, root)
    paged = "--all" in (runner.output([*CLI, "actions", "--help"], root) or "")
    queries = {label: [a.format(**known) for a in argv] for label, argv in QUERIES}
    argvs = {
        label: [*CLI, *args, *(["--root", str(root)] if args[0] != "--help" else [])]
        for label, args in queries.items()
    }
    floors = {"floor": FLOOR, "floor without site": BARE_FLOOR}
    git_status = json.loads(runner.python(GIT_STATUS))
    if git_status and (root / ".git").exists():
        floors["git status alone"] = git_status
    times: dict[str, list[float]] = {label: [] for label in floors}
    sizes: dict[str, int | None] = dict.fromkeys(floors)
    for label, argv in argvs.items():
        times[label] = [runner.wall(argv, cwd=root)]  # warm-up
        slow = times[label][0] > SLOW_S
        sizes[label] = None if slow else answer_size(runner, queries[label], root, paged)
    for _ in range(rounds):
        for label, argv in floors.items():
            times[label].append(runner.wall(argv, cwd=root))
        for label, argv in argvs.items():
            if times[label][0] <= SLOW_S:
                times[label].append(runner.wall(argv, cwd=root))
    return {
        label: (statistics.median(t if label in floors else t[1:] or t), sizes[label])
        for label, t in times.items()
    }


def cold(runner: Runner, root: Path) -> dict[str, float]:
    drop_index(root)
    built = runner.refresh(root)
    return {
        "cold": built["seconds"],
        "tokenize": runner.tokenize(root),
        "peak_mb": (built["self_kb"] + (os.cpu_count() or 1) * built["workers_kb"]) / 1024,
    }


def _size(answer: int | None) -> str:
    return "" if answer is None else str(answer)


def _ms(seconds: float) -> str:
    return "timeout" if seconds == float("inf") else f"{seconds * 1000:.0f}"


def size_table(size: int, results: dict, built: dict | None, rounds: int) -> None:
    floor = results["floor"][0]
    git = results.get("git status alone", (None,))[0]
    print(
        f"\nsynthetic archive, {size} files: whole processes on a warm index, medians of "
        f"{rounds} rounds; floor python3 -c 'import sqlite3' {floor * 1000:.1f} ms "
        f"({results['floor without site'][0] * 1000:.1f} ms without site)"
        + (f", git status alone {git * 1000:.1f} ms ({git / floor:.2f}x)" if git else "")
        + f", load {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    if built:
        print(
            f"  cold index {built['cold']:.1f} s = {built['cold'] / built['tokenize']:.2f}x "
            f"of tokenizing in 1 process ({built['tokenize']:.1f} s); peak memory at most "
            f"{built['peak_mb']:.0f} MB"
        )
    print(f"  {'query':38} {'wall ms':>9} {'ratio':>7} {'x git':>7} {'answer':>7}")
    for label, _ in QUERIES:
        seconds, answer = results[label]
        ratio = seconds / floor
        of_git = f"{seconds / git:6.2f}x" if git else ""
        flag = "" if ratio <= 4 else "  OVER"
        print(
            f"  {label:38} {_ms(seconds):>9} {ratio:6.2f}x {of_git:>7} {_size(answer):>7}{flag}",
            flush=True,
        )


def growth_table(
    sizes: list[int], rounds: int, runner: Runner, where: Path, with_cold: bool
) -> None:
    """Each query at each size (a table per size as it is measured, then all sizes side by
    side): wall ms, ratio to the floor, and the answer's size."""
    columns = []
    for size in sizes:
        root = synth_archive(size, where)
        built = cold(runner, root) if with_cold else None
        # A warm index, whatever code built the last one, made as a user makes it: with
        # `minutesbot index`, which also has git store its untracked cache.
        runner.output([*CLI, "index", "--root", str(root)], root)
        results = measure_queries(runner, root, rounds)
        size_table(size, results, built, rounds)
        columns.append((size, results, built))
    if len(columns) < 2:
        return
    print(f"\ngrowth: whole processes, medians of {rounds} rounds (ms, x floor, answer size)")
    print(f"  {'query':36}" + "".join(f" {size:>22}" for size, _, _ in columns))
    floors = ["floor", "floor without site", "git status alone"]
    for label in [*floors, *(label for label, _ in QUERIES)]:
        cells = []
        for _, results, _ in columns:
            seconds, answer = results.get(label, (float("nan"), None))
            ratio = seconds / results["floor"][0]
            cells.append(f"{_ms(seconds):>7} {ratio:5.1f}x {_size(answer):>7}")
        print(f"  {label:36}" + "".join(f" {c:>22}" for c in cells))
    if any(b for _, _, b in columns):
        print(
            "  cold index, ms per file (x tokenize)"
            + "".join(
                f" {b['cold'] * 1000 / size:15.2f} {b['cold'] / b['tokenize']:5.2f}x"
                for size, _, b in columns
                if b
            )
        )
