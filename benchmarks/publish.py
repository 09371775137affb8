"""Requests per backlink, counted at the loopback imitation of GitHub.

For a minutes file that mentions N issues:

- the first publish may use at most 2N + 2 requests (list + create per issue);
- publishing the unchanged file again writes nothing, in at most N + 2;
- with 15% of the requests failing (5xx, 502 after storing a POST, rate
  limits, dropped connections) the end state is the same -- one comment per
  issue -- and the total time spent waiting stays inside the budget.

Wall time is printed as a ratio to a floor timed in the same run: N bare
GETs of ``/rate_limit`` against the same server, so the ratio says what a
backlink costs beyond talking to the server at all.

    python3 benchmarks/publish.py [--sizes 5,20,50] [--fault-rate 0.15] [--seed 1]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests")]

from at_fake import floor, run_sizes  # noqa: E402
from ghfake.server import FakeGitHub  # noqa: E402

from minutesbot.config import Config  # noqa: E402
from minutesbot.github.client import GitHub  # noqa: E402
from minutesbot.github.policy import Policy  # noqa: E402
from minutesbot.links import Links  # noqa: E402
from minutesbot.publish.backlinks import Renderer, marker_for, plan  # noqa: E402
from minutesbot.publish.upsert import publish  # noqa: E402
from minutesbot.records.parser import parse_text  # noqa: E402

FAULTS = ["status", "store-then-status", "secondary", "too-many", "drop", "store-then-drop"]


def minutes(n: int) -> str:
    return "# 2024-04-18\n\n" + "".join(
        f"## Topic {i}\nacme/stacks#{i}\n- Decision: do thing {i}\n- AI @bob: follow up {i}\n\n"
        for i in range(1, n + 1)
    )


def one_size(n: int, rate: float, seed: int) -> dict[str, object]:
    config = Config(default_owner="acme")
    record = parse_text(
        minutes(n), source="container/20240418.md", team="container", default_owner="acme"
    )
    links = Links("https://github.com", "acme/minutes", "HEAD", "minutes/")
    backlinks = plan(record, links, Renderer(config))
    policy = Policy(
        timeout=1, backoff=0.01, max_wait=30, attempts=8, request_interval=0, write_interval=0
    )
    row: dict[str, object] = {"N": n}
    with FakeGitHub() as fake:
        for i in range(1, n + 1):
            fake.add_issue(f"acme/stacks#{i}")
        base = floor(fake.base_url, 2 * n)
        fake.reset_counts()
        client = GitHub("t0ken", fake.base_url, policy)  # PyGithub's import stays out of the timing
        start = time.perf_counter()
        first = publish(backlinks, client)
        row["first_s/floor"] = (time.perf_counter() - start) / base
        row["first_req"], row["bound 2N+2"] = fake.requests, 2 * n + 2
        row["created"] = first.count("created")
        fake.reset_counts()
        again = publish(backlinks, GitHub("t0ken", fake.base_url, policy))
        row["again_req"], row["bound N+2"] = fake.requests, n + 2
        row["again_writes"] = fake.writes
        assert again.count("unchanged") == n
    with FakeGitHub() as fake:
        for i in range(1, n + 1):
            fake.add_issue(f"acme/stacks#{i}")
        fake.seed(seed)
        chaos = fake.inject(FAULTS, rate=rate, times=None)
        client = GitHub("t0ken", fake.base_url, policy)
        faulty = publish(backlinks, client)
        marker = marker_for(record.source)
        exact = all(
            sum(b.startswith(marker) for b in fake.comments_on(f"acme/stacks#{i}")) == 1
            for i in range(1, n + 1)
        )
        row["faulty_req"], row["faults"] = fake.requests, chaos.fired
        row["failed"] = faulty.count("failed")
        row["one_each"] = exact
        row["waited_s"] = round(client.waited, 2)
        row["budget_s"] = policy.max_wait
    row["ok"] = (
        row["first_req"] <= row["bound 2N+2"]
        and row["again_req"] <= row["bound N+2"]
        and row["again_writes"] == 0
        and exact
        and row["failed"] == 0
    )
    return row


if __name__ == "__main__":
    run_sizes(__doc__ or "", one_size)
