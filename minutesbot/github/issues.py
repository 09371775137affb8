"""Issues minutesbot opens itself (one per action item), found again by a label and the
hidden marker that opens their body.

GitHub cannot create an issue only if none with a marker exists, so every
creation is guarded the way backlinks are: the label's issues are listed
once per run (:class:`Labelled`), a POST in doubt has them listed afresh
before anything is sent again (:meth:`~minutesbot.github.transport.Transport.rounds`),
and after creating, a look at the newest ones finds the twin a concurrent
run may have opened (:func:`duplicates`): the lower number is the issue,
the other is closed as its duplicate and loses the label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from minutesbot.github.model import TrackedIssue, parse_issue_ref
from minutesbot.github.policy import Transient
from minutesbot.github.transport import Transport


def _tracked(full_name: str, issue: Any) -> TrackedIssue:
    body = issue.body or ""
    return TrackedIssue(
        ref=f"{full_name}#{issue.number}".lower(),
        number=issue.number,
        state=issue.state,
        state_reason=issue.state_reason,
        title=issue.title or "",
        body=body,
        labels=[label.name for label in issue.labels],
        url=issue.html_url,
        assignees=[user.login.lower() for user in issue.assignees or []],
        handle=issue,
    )


def labelled(
    transport: Transport, full_name: str, label: str, *, newest: bool = False
) -> list[TrackedIssue]:
    """The issues (not pull requests) of ``full_name`` labelled ``label``, open and closed,
    lowest number first; ``newest``: only the latest page (a hundred), for a look after
    creating."""
    repo = transport.repository(full_name)

    def fetch() -> list[TrackedIssue]:
        pages = repo.get_issues(
            state="all", labels=[label], sort="created", direction="desc" if newest else "asc"
        )
        found = pages.get_page(0) if newest else pages
        # The page URL tells a pull request (asking .pull_request could cost a request each).
        issues = [_tracked(full_name, i) for i in found if "/pull/" not in (i.html_url or "")]
        return sorted(issues, key=lambda i: i.number)

    return transport.read(f"{full_name}: listing issues labelled {label!r}", fetch)


class Labelled:
    """The issues of one repository with one label, by marker; listed when first asked,
    and again only after a write that may or may not have been stored."""

    def __init__(self, transport: Transport, full_name: str, label: str) -> None:
        self.transport, self.full_name, self.label = transport, full_name, label
        self._issues: list[TrackedIssue] | None = None

    def all(self) -> list[TrackedIssue]:
        if self._issues is None:
            self._issues = labelled(self.transport, self.full_name, self.label)
        return self._issues

    def marked(self, marker: str) -> list[TrackedIssue]:
        """The issues whose body opens with ``marker``, lowest number (the first made) first."""
        return [i for i in self.all() if i.marker == marker]

    def stale(self) -> None:
        self._issues = None

    def add(self, issue: TrackedIssue) -> None:
        self.all().append(issue)


def ensure_issue(
    transport: Transport,
    issues: Labelled,
    marker: str,
    title: str,
    body: str,
    assignees: list[str],
) -> tuple[str, TrackedIssue]:
    """The issue marked ``marker`` (``unchanged``), else a new one (``created``) with
    ``title``, ``body`` (opening with the marker), the label and ``assignees``."""
    repo = transport.repository(issues.full_name)
    attempted = ""

    def step() -> tuple[str, TrackedIssue]:
        nonlocal attempted
        found = issues.marked(marker)
        if found:
            return attempted or "unchanged", found[0]
        attempted = "created"
        try:
            made = transport.write(
                f"{issues.full_name}: opening an issue",
                lambda: repo.create_issue(
                    title=title, body=body, labels=[issues.label], assignees=assignees
                ),
            )
        except Transient:
            issues.stale()  # stored or not: the next round lists them again
            raise
        issue = _tracked(issues.full_name, made)
        issues.add(issue)
        return "created", issue

    return transport.rounds(f"{issues.full_name}: issue {marker}", step)


def current(transport: Transport, ref: str) -> TrackedIssue:
    """The issue as GitHub has it now."""
    full_name, number = parse_issue_ref(ref)
    repo = transport.repository(full_name)
    return transport.read(f"{ref}: reading", lambda: _tracked(full_name, repo.get_issue(number)))


def settle(
    transport: Transport,
    issue: TrackedIssue,
    what: str,
    settled: Callable[[TrackedIssue], bool],
    edit: dict[str, Any],
) -> bool:
    """PATCH ``edit`` onto the issue unless it is ``settled`` already; whether it wrote.

    The first look is at ``issue`` as listed; after a PATCH in doubt the
    issue is read again before anything is sent anew.
    """
    looked = wrote = False

    def step() -> bool:
        nonlocal looked, wrote
        now = current(transport, issue.ref) if looked else issue
        looked = True
        if settled(now):
            return wrote
        wrote = True
        full_name, number = parse_issue_ref(issue.ref)
        transport.write(
            f"{issue.ref}: {what}",
            lambda: transport.requester.requestJsonAndCheck(
                "PATCH", f"/repos/{full_name}/issues/{number}", input=edit
            ),
        )
        return True

    return transport.rounds(f"{issue.ref}: {what}", step)


def remove_label(transport: Transport, ref: str, label: str, labels: list[str]) -> bool:
    """Take ``label`` (any case) off the issue or pull request ``ref``, whose labels are
    ``labels`` as last seen; whether this call took it off.

    GitHub sets an issue's labels as a whole; a change in doubt is checked by
    reading the issue again.
    """
    _full_name, number = parse_issue_ref(ref)
    seen = TrackedIssue(ref, number, "open", None, "", "", list(labels), "")
    kept = [name for name in labels if name.lower() != label.lower()]
    return settle(
        transport,
        seen,
        f"taking off the label {label!r}",
        lambda now: label.lower() not in (name.lower() for name in now.labels),
        {"labels": kept},
    )


def duplicates(
    transport: Transport, full_name: str, label: str, markers: Iterable[str]
) -> dict[str, tuple[TrackedIssue, list[TrackedIssue]]]:
    """After creating issues marked ``markers``: for each marker with more than one issue
    among the newest of the label (where a concurrent run's twin is), the first one and
    the others."""
    wanted = set(markers)
    found: dict[str, list[TrackedIssue]] = {}
    for issue in labelled(transport, full_name, label, newest=True):
        if issue.marker in wanted:
            found.setdefault(issue.marker, []).append(issue)
    return {marker: (twins[0], twins[1:]) for marker, twins in found.items() if len(twins) > 1}
