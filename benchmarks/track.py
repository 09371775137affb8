"""Requests per tracked action, counted at the loopback imitation of GitHub.

For a meeting with N open actions (a quarter of the owners not assignable),
and a later review that reports half of them done:

- the first run may use at most N + 3 requests: one listing of the label's
  issues, one GraphQL look at who can be assigned, one POST per action, one
  look for a concurrent run's twins;
- closing an action costs at most 3 (its comments listed, the closing
  comment, the close), the run 2 more (listing, and the review's own
  open actions, if any, opened like the first ones);
- tracking both meetings again writes nothing, in one request;
- with 15% of the requests failing (5xx, 502 after storing a write, rate
  limits, dropped connections) the end state is the same as without.

Wall time is printed as a ratio to a floor timed in the same run: bare GETs
of ``/rate_limit`` against the same server, one per request the run made.

    python3 benchmarks/track.py [--sizes 5,20,50] [--fault-rate 0.15] [--seed 1]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests")]

import github  # noqa: E402,F401  (PyGithub imported outside the timing)
from at_fake import floor, run_sizes  # noqa: E402
from ghfake.server import FakeGitHub  # noqa: E402

from minutesbot.archive import Archive  # noqa: E402
from minutesbot.config import Config, TeamConfig  # noqa: E402
from minutesbot.github.client import GitHub  # noqa: E402
from minutesbot.github.policy import Policy  # noqa: E402
from minutesbot.links import Links  # noqa: E402
from minutesbot.track.plan import IssueText, plan_tracking  # noqa: E402
from minutesbot.track.sync import Tracker  # noqa: E402

REPO = "acme/actions"
OWNERS = ["alice", "bob", "carol", "zed"]  # zed cannot be assigned
FAULTS = ["status", "store-then-status", "secondary", "too-many", "drop", "store-then-drop"]


def words(n: int) -> str:
    """Three words no other action shares (tracking compares texts by their words)."""
    return " ".join(f"w{n}x{k}" for k in range(3))


def meeting(n: int) -> str:
    return "# 2024-04-18\n\n## Agenda\n\n" + "".join(
        f"### Topic {i}\n- AI @{OWNERS[i % 4]}: review {words(i)}\n\n" for i in range(1, n + 1)
    )


def review(n: int) -> str:
    return "# 2024-04-25\n\n## Agenda\n\n### Check AIs from last time\n" + "".join(
        f"- AI @{OWNERS[i % 4]}: review {words(i)} - done\n" for i in range(1, n // 2 + 1)
    )


class Run:
    """A minutes root with the two meetings, and track runs over it against one fake."""

    def __init__(self, folder: Path, n: int, fake: FakeGitHub, policy: Policy) -> None:
        self.root = folder / "minutes"
        (self.root / "container").mkdir(parents=True)
        (self.root / "container" / "20240418.md").write_text(meeting(n), encoding="utf-8")
        self.config = Config(
            default_owner="acme", teams={"container": TeamConfig(action_issues=REPO)}
        )
        self.links = Links("https://github.com", "acme/minutes", "HEAD", "minutes/")
        self.fake, self.policy = fake, policy
        fake.add_repo(REPO, assignable=tuple(OWNERS[:3]))

    def add_review(self, n: int) -> None:
        (self.root / "container" / "20240425.md").write_text(review(n), encoding="utf-8")

    def track(self, *sources: str) -> tuple[int, float]:
        """Track ``sources``; the failures and the seconds waited for GitHub."""
        client = GitHub("t0ken", self.fake.base_url, self.policy)
        with Archive.open(self.root, self.config) as archive:
            archive.refresh()
            plan = plan_tracking(archive, list(sources), self.config, self.links)
        report = Tracker(client, IssueText(self.config)).run(plan)
        return report.count("failed"), client.waited

    def end_state(self) -> list[tuple[object, ...]]:
        return sorted(
            ((i.body or "").split("\n", 1)[0], i.title, i.state, i.state_reason, i.assignees)
            for i in self.fake.issues_in(REPO)
            if "action-item" in i.labels
        )


def one_size(n: int, rate: float, seed: int) -> dict[str, object]:
    policy = Policy(
        timeout=1, backoff=0.01, max_wait=60, attempts=8, request_interval=0, write_interval=0
    )
    first, second = "container/20240418.md", "container/20240425.md"
    row: dict[str, object] = {"N": n}
    with tempfile.TemporaryDirectory() as tmp, FakeGitHub() as fake:
        run = Run(Path(tmp), n, fake, policy)
        with Archive.open(run.root, run.config) as archive:
            archive.refresh()  # the index is built outside the timing
        fake.reset_counts()
        start = time.perf_counter()
        run.track(first)
        took = time.perf_counter() - start
        row["open_req"], row["bound N+3"] = fake.requests, n + 3
        row["req/action"] = round(fake.requests / n, 2)
        row["open_s/floor"] = took / floor(fake.base_url, fake.requests)
        run.add_review(n)
        fake.reset_counts()
        run.track(second)
        row["close_req"], row["bound 3N/2+2"] = fake.requests, 3 * (n // 2) + 2
        fake.reset_counts()
        run.track(first, second)
        row["again_req"], row["again_writes"] = fake.requests, fake.writes
        reference = run.end_state()
    with tempfile.TemporaryDirectory() as tmp, FakeGitHub() as fake:
        run = Run(Path(tmp), n, fake, policy)
        fake.seed(seed)
        chaos = fake.inject(FAULTS, rate=rate, times=None)
        failed, waited = run.track(first)
        run.add_review(n)
        more, waited_more = run.track(second)
        row["faults"], row["failed"] = chaos.fired, failed + more
        row["same_end"] = run.end_state() == reference
        row["waited_s"] = round(waited + waited_more, 2)
    bounds = (row["open_req"] <= n + 3, row["close_req"] <= 3 * (n // 2) + 2)
    row["ok"] = all(bounds) and (row["again_req"], row["again_writes"], row["failed"]) == (1, 0, 0)
    row["ok"] = row["ok"] and row["same_end"]
    return row


if __name__ == "__main__":
    run_sizes(__doc__ or "", one_size)
