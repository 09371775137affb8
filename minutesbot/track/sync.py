"""GitHub made to match the plan: issues opened, brought up to date, closed.

Per repository, the issues with the tracking label are listed once (a
hundred a request); only actions without an issue cost a request of their
own (one POST, after one GraphQL look at who can be assigned), and an
action reported done or dropped costs a closing comment and the close. A
run over minutes already tracked only lists: it writes nothing.

A write in doubt is never resent blindly (see :mod:`minutesbot.github.issues`);
after creating, one look at the newest issues finds a concurrent run's twin
of an issue just opened, which is closed as its duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from minutesbot.github.model import TrackedIssue, same_body
from minutesbot.report import Outcome, Report
from minutesbot.track.plan import (
    CLOSING_MARKER,
    STATE_REASONS,
    IssueText,
    Meeting,
    Planned,
    TrackPlan,
    marked_source,
)

OUTCOMES = ("created", "updated", "unchanged", "closed", "skipped", "failed")
MAX_ASSIGNEES = 10  # GitHub takes at most ten
# A permalink's commit: a body that differs only there says the same.
_COMMIT = re.compile(r"/blob/[^/\s)]+/")


def track_report() -> Report:
    """An empty report of tracked actions, as ``track`` prints it and the job summary shows it."""
    return Report(
        "minutesbot track",
        (("outcome", "outcome"), ("issue", "subject"), ("action", "source"), ("detail", "detail")),
        OUTCOMES,
    )


def same_text(a: str, b: str) -> bool:
    """Whether two bodies say the same, whatever commit their permalinks name."""
    return same_body(_COMMIT.sub("/blob/-/", a), _COMMIT.sub("/blob/-/", b))


class Tracker:
    """One run's writes to GitHub for a plan; ``client`` is a
    :class:`minutesbot.github.client.GitHub`."""

    def __init__(
        self, client: Any, text: IssueText, home: str | None = None, report: Report | None = None
    ) -> None:
        """``home``: the repository the run belongs to (``GITHUB_REPOSITORY``), for the hint
        a refusal elsewhere gets."""
        self.client, self.text, self.home = client, text, home
        self.report = report or track_report()

    def run(self, plan: TrackPlan) -> Report:
        groups: dict[tuple[str, str], tuple[list[Planned], list[Meeting]]] = {}
        for planned in plan.actions:
            groups.setdefault((planned.repo, planned.label), ([], []))[0].append(planned)
        for meeting in plan.meetings:
            groups.setdefault((meeting.repo, meeting.label), ([], []))[1].append(meeting)
        for (repo, label), (actions, meetings) in groups.items():
            self._repository(repo, label, actions, meetings)
        self.report.waited = getattr(self.client, "waited", 0.0)
        return self.report

    # -- one repository ----------------------------------------------------
    def _repository(
        self, repo: str, label: str, actions: list[Planned], meetings: list[Meeting]
    ) -> None:
        from minutesbot.github.policy import GitHubError

        listing = self.client.labelled(repo, label)
        try:
            listing.all()
            to_open = [a for a in actions if a.state == "open" and not listing.marked(a.marker)]
            handles = {o for a in to_open for o in a.owners}
            assignable = self.client.assignable(repo, handles) if handles else set()
        except GitHubError as exc:
            for planned in actions:
                if planned.state == "open":
                    self._failed(planned.repo, planned.where, exc)
            for meeting in meetings:
                self._failed(repo, meeting.source, exc)
            return
        created: dict[str, Outcome] = {}
        for planned in actions:
            try:
                self._action(planned, listing, assignable, created)
            except GitHubError as exc:
                self._failed(planned.repo, planned.where, exc)
        for meeting in meetings:
            self._withdraw(meeting, listing)
        if created:
            self._twins(repo, label, created)

    def _action(
        self, planned: Planned, listing: Any, assignable: set[str], created: dict[str, Outcome]
    ) -> None:
        found: list[TrackedIssue] = listing.marked(planned.marker)
        if planned.state != "open":
            if found:
                self._close(found[0], planned.state, planned.where, self._reported(planned))
            return
        if not found:
            owners = [o for o in planned.owners if o.lower() in assignable]
            body = self.text.body(planned, assignable)
            action, issue = self.client.ensure_issue(
                listing, planned.marker, planned.title, body, owners[:MAX_ASSIGNEES]
            )
            unknown = [o for o in planned.owners if o.lower() not in assignable]
            note = f" (not assignable in {planned.repo}, named only: {', '.join(unknown)})"
            done = self._add(
                issue.ref, action, planned.where, issue.url + (note if unknown else "")
            )
            if action == "created":
                created[planned.marker] = done
            return
        issue = found[0]
        for twin in found[1:]:
            self._duplicate(twin, planned.label)
        if issue.state != "open":
            self._add(issue.ref, "unchanged", planned.where, f"{issue.url} (closed on GitHub)")
            return
        body = self.text.body(planned, set(issue.assignees))
        if not planned.rewrite or same_text(issue.body, body):
            self._add(issue.ref, "unchanged", planned.where, issue.url)
            return
        wrote = self.client.settle_issue(
            issue, "updating the body", lambda now: same_text(now.body, body), {"body": body}
        )
        self._add(issue.ref, "updated" if wrote else "unchanged", planned.where, issue.url)

    def _reported(self, planned: Planned) -> Callable[[str], str]:
        closed = planned.closed_by or {}
        context = planned.context
        return lambda status: self.text.closing_comment(
            status,
            context["team"],
            closed.get("date") or closed.get("source") or "",
            closed.get("source") or "",
            context["closing_permalink"],
        )

    def _close(
        self, issue: TrackedIssue, status: str, where: str, comment: Callable[[str], str]
    ) -> None:
        """Close ``issue`` with the comment saying why (``done``, ``dropped``, ``withdrawn``),
        unless it is closed already."""
        if issue.state != "open":
            self._add(issue.ref, "unchanged", where, f"{issue.url} (closed)")
            return
        self.client.upsert_comment(issue.ref, CLOSING_MARKER, comment(status))
        reason = STATE_REASONS[status]
        self.client.settle_issue(
            issue,
            f"closing ({status})",
            lambda now: now.state != "open",
            {"state": "closed", "state_reason": reason},
        )
        self._add(issue.ref, "closed", where, f"{issue.url} ({status})")

    def _withdraw(self, meeting: Meeting, listing: Any) -> None:
        """Close the open issues of actions ``meeting`` no longer holds (its minutes were
        corrected: the action was reworded, moved to another item, or taken out)."""
        from minutesbot.github.policy import GitHubError

        try:
            issues = listing.all()
        except GitHubError as exc:
            self._failed(meeting.repo, meeting.source, exc)
            return
        for issue in issues:
            if (
                marked_source(issue.marker) != meeting.source
                or issue.marker in meeting.markers
                or issue.state != "open"
            ):
                continue
            try:
                self._close(
                    issue,
                    "withdrawn",
                    meeting.source,
                    lambda status: self.text.closing_comment(
                        status, meeting.team, meeting.date, meeting.source, meeting.file_url
                    ),
                )
            except GitHubError as exc:
                self._failed(issue.ref, meeting.source, exc)

    def _twins(self, repo: str, label: str, created: dict[str, Outcome]) -> None:
        """A concurrent run may have opened the same issues: all but the first of each go."""
        from minutesbot.github.policy import GitHubError

        try:
            twins = self.client.issue_duplicates(repo, label, created)
        except GitHubError as exc:
            for outcome in created.values():
                outcome.detail += f" (not checked for a concurrent run's twin: {exc})"
            return
        for marker, (first, extra) in twins.items():
            outcome = created[marker]
            for twin in extra:
                try:
                    self._duplicate(twin, label)
                except GitHubError as exc:
                    outcome.detail += f" (its twin {twin.ref} not closed: {exc})"
                    continue
                if twin.ref == outcome.subject:
                    outcome.detail += f" (closed as a duplicate of {first.ref}, opened first)"
                else:
                    outcome.detail += f" (closed {twin.ref}, a concurrent run's twin)"

    def _duplicate(self, twin: TrackedIssue, label: str) -> None:
        """Close a second issue of one action as a duplicate, and take the label off it so
        that later runs do not list it."""
        kept = [name for name in twin.labels if name != label]
        self.client.settle_issue(
            twin,
            "closing as a duplicate",
            lambda now: now.state != "open" and label not in now.labels,
            {"state": "closed", "state_reason": "duplicate", "labels": kept},
        )

    # -- outcomes ------------------------------------------------------------
    def _add(self, subject: str, outcome: str, source: str, detail: str) -> Outcome:
        return self.report.add(Outcome(subject, outcome, detail, source))

    def _failed(self, subject: str, source: str, exc: Exception) -> None:
        from minutesbot.publish.upsert import explain

        detail = explain(exc, subject, self.home, "issues")
        self.report.add(Outcome(subject, "failed", detail, source))
