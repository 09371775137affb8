"""Backlinks sent: each planned comment upserted through the GitHub layer.

:mod:`minutesbot.github` finds an earlier comment by the hidden marker
naming the minutes file, so a run again updates instead of repeating; the
:class:`~minutesbot.report.Report` says what happened to each.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from minutesbot.publish.backlinks import Backlink
from minutesbot.report import OUTCOMES, Outcome, Report


def publish_report() -> Report:
    """An empty report of backlinks, as ``publish`` prints it and the job summary shows it."""
    return Report(
        "minutesbot publish",
        (("outcome", "outcome"), ("issue", "subject"), ("minutes", "source"), ("detail", "detail")),
        OUTCOMES,
    )


def publish(
    backlinks: Iterable[Backlink],
    client: Any,
    report: Report | None = None,
    home: str | None = None,
) -> Report:
    """Upsert every backlink through ``client`` (a :class:`minutesbot.github.client.GitHub`).

    A ref that is out of reach is reported as skipped and the rest go on; a
    failure is reported and the rest go on too. ``home`` is the repository
    the run belongs to (``GITHUB_REPOSITORY``): a ref elsewhere that is
    refused gets the hint about the workflow token.
    """
    from minutesbot.github.policy import GitHubError

    report = report or publish_report()
    created: list[tuple[Outcome, str]] = []  # with the marker of the comment created
    backlinks = list(backlinks)
    labels = _labels(backlinks, client, report)
    for link in backlinks:
        if link.skip:
            report.add(Outcome(link.ref, "skipped", link.skip, link.source))
            continue
        try:
            if link.withdraw:
                gone = client.remove_comments(link.ref, link.marker)
                report.add(
                    Outcome(
                        link.ref,
                        "removed" if gone else "unchanged",
                        "no longer mentioned" + ("" if gone else "; there was no backlink"),
                        link.source,
                    )
                )
                continue
            body, spent = _spend(link, labels.get(link.ref), client, report, home)
            also = [link.spent_body] if spent else []
            done = client.upsert_comment(link.ref, link.marker, body, also, link.legacy)
        except GitHubError as exc:
            outcome = "skipped" if exc.skipped else "failed"
            report.add(Outcome(link.ref, outcome, explain(exc, link.ref, home), link.source))
            continue
        detail = done.url + (f" (removed {done.removed} duplicate(s))" if done.removed else "")
        detail += f" (took off the label {link.label})" if spent == "now" else ""
        result = report.add(Outcome(link.ref, done.action, detail, link.source))
        if done.action == "created":
            created.append((result, link.marker))
    if created:
        # Another run may have created the same comments meanwhile: all but the oldest go.
        try:
            removed = client.remove_duplicates(
                [(result.subject, marker) for result, marker in created]
            )
        except GitHubError as exc:
            # The comments are there; only a concurrent run's copies might be too.
            for result, _marker in created:
                result.detail += f" (not checked for a concurrent run's duplicate: {exc})"
            removed = {}
        for result, marker in created:
            count = removed.get((result.subject, marker))
            if count:
                result.detail += f" (removed {count} duplicate(s) of a concurrent run)"
    report.waited = getattr(client, "waited", 0.0)
    return report


def _labels(backlinks: list[Backlink], client: Any, report: Report) -> dict[str, list[str] | None]:
    """The labels of the issues whose backlink may spend the agenda label, in one GraphQL
    request per hundred; when GitHub does not say, the labels stay unknown (and the
    backlinks are written as they would be without)."""
    from minutesbot.github.policy import GitHubError

    refs = [link.ref for link in backlinks if link.label and not (link.skip or link.withdraw)]
    if not refs:
        return {}
    try:
        return client.issue_labels(refs)
    except GitHubError as exc:
        for ref in dict.fromkeys(refs):
            report.add(Outcome(ref, "failed", f"agenda label not checked: {exc}"))
        return {}


def _spend(
    link: Backlink, labels: list[str] | None, client: Any, report: Report, home: str | None
) -> tuple[str, str]:
    """The body to write, and whether the agenda label is spent: ``now`` (taken off by this
    call), ``maybe`` (not on the issue, or its labels unknown: a comment that says it was
    taken off earlier stays as it is) or ``""``.

    The label goes first, so that no comment says it was taken off when it was
    not; when that fails, the failure is reported and the backlink written plain.
    """
    from minutesbot.github.policy import GitHubError

    if not link.label:
        return link.body, ""
    if labels is None or link.label.lower() not in (name.lower() for name in labels):
        return link.body, "maybe"
    try:
        client.remove_label(link.ref, link.label, labels)
    except GitHubError as exc:
        detail = f"agenda label {link.label} not taken off: {explain(exc, link.ref, home)}"
        report.add(Outcome(link.ref, "failed", detail, link.source))
        return link.body, ""
    return link.spent_body, "now"


def dry_run_totals(backlinks: Iterable[Backlink]) -> str:
    """The last line of a dry run: what a real run would do, as far as it is known unasked.

    Whether a backlink would be created or updated (or found unchanged)
    depends on the comments already there, which a dry run does not read.
    """
    links = list(backlinks)
    skipped = sum(1 for link in links if link.skip)
    remove = sum(1 for link in links if link.withdraw)
    upsert = len(links) - skipped - remove
    return (
        f"backlinks (dry run, nothing sent): {upsert} to create or update, {remove} to remove, "
        f"{skipped} skipped"
    )


def explain(exc: Exception, ref: str, home: str | None, what: str = "backlinks") -> str:
    """The error, with the hint a workflow author needs for a 403/404 in a repository
    other than ``home`` (where the workflow runs); ``ref`` is an issue (``owner/repo#N``)
    or a repository, ``what`` says what was being written."""
    message = str(exc)
    elsewhere = home is None or ref.split("#", 1)[0].lower() != home.lower()
    if getattr(exc, "reason", "") in ("forbidden", "not-found") and elsewhere:
        message += (
            " -- a workflow's GITHUB_TOKEN can only write to its own repository; "
            f"use a GitHub App or fine-grained token for {what} elsewhere (docs/publish.md)"
        )
    return message
