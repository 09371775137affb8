"""Branches, files and pull requests: what the agenda pull request needs.

Every write looks first and is done in rounds
(:meth:`~minutesbot.github.transport.Transport.rounds`): a branch, file or
pull request that a failed request (or a concurrent run) made already is
found, not made twice.
"""

from __future__ import annotations

from minutesbot.github.model import Pull, RemoteFile, Upsert, blob_sha, same_body
from minutesbot.github.policy import GitHubError, Transient
from minutesbot.github.transport import Transport


def default_branch(transport: Transport, full_name: str) -> str:
    repo = transport.repository(full_name)
    return transport.read(f"{full_name}: reading the repository", lambda: repo.default_branch)


def branch_head(transport: Transport, full_name: str, branch: str) -> str | None:
    """The commit sha the branch points at; None when there is no such branch."""
    ref = transport.repository(full_name).get_git_ref(f"heads/{branch}")  # lazy
    return transport.read_or_none(f"{full_name}: reading branch {branch}", lambda: ref.object.sha)


def file_on(transport: Transport, full_name: str, branch: str, path: str) -> RemoteFile | None:
    """The file as it is on ``branch``; None when it is not there."""
    repo = transport.repository(full_name)

    def fetch() -> RemoteFile:
        found = repo.get_contents(path, ref=branch)
        if isinstance(found, list):
            raise GitHubError(f"{full_name}: {path} on {branch} is a folder", reason="invalid")
        return RemoteFile(found.sha, found.decoded_content.decode("utf-8", errors="replace"))

    return transport.read_or_none(f"{full_name}: reading {path} on {branch}", fetch)


def ensure_branch(transport: Transport, full_name: str, branch: str, sha: str) -> bool:
    """Make ``branch`` exist, starting at ``sha`` if it has to be made; True when made here.

    A branch that exists is left where it is: it may carry commits of people
    who edited the pull request.
    """
    repo = transport.repository(full_name)
    what = f"{full_name}: creating branch {branch}"
    attempted = False

    def step() -> bool:
        nonlocal attempted
        if branch_head(transport, full_name, branch) is not None:
            return attempted
        attempted = True
        try:
            transport.write(what, lambda: repo.create_git_ref(f"refs/heads/{branch}", sha))
        except GitHubError as exc:
            # 422 "Reference already exists": a concurrent run made it; look again.
            if exc.status == 422 and branch_head(transport, full_name, branch) is not None:
                return True
            raise
        return True

    return transport.rounds(what, step)


def put_file(
    transport: Transport,
    full_name: str,
    branch: str,
    path: str,
    text: str | bytes,
    message: str,
    expected: str | None,
) -> str:
    """Make ``path`` on ``branch`` hold ``text``: ``created``, ``updated`` or ``unchanged``.

    ``expected`` is the blob sha the caller decided to replace (None: the
    file should not exist yet). A file found in any other state was changed
    by someone else meanwhile and is not overwritten. Bytes (an image) are
    the same when their blob sha is; text when it reads the same.
    """
    repo = transport.repository(full_name)
    what = f"{full_name}: writing {path} on {branch}"
    attempted = ""

    def step() -> str:
        nonlocal attempted
        current = file_on(transport, full_name, branch, path)
        if current is not None and (
            current.sha == blob_sha(text)
            if isinstance(text, bytes)
            else same_body(current.text, text)
        ):
            return attempted or "unchanged"
        if (current.sha if current else None) != expected:
            raise transport.error(
                what, "the file changed on the branch meanwhile; not overwritten", "conflict"
            )
        if current is None:
            attempted = "created"
            transport.write(what, lambda: repo.create_file(path, message, text, branch=branch))
        else:
            attempted = "updated"
            transport.write(
                what, lambda: repo.update_file(path, message, text, current.sha, branch=branch)
            )
        return attempted

    return transport.rounds(what, step)


def pulls_from(transport: Transport, full_name: str, branch: str) -> list[Pull]:
    """Pull requests (open and closed) from ``branch`` of this repository, newest first."""
    repo = transport.repository(full_name)
    owner = full_name.split("/")[0]

    def fetch() -> list[Pull]:
        found = repo.get_pulls(state="all", head=f"{owner}:{branch}")
        return sorted(
            (Pull(p.number, p.state, p.title, p.body or "", p.html_url, p) for p in found),
            key=lambda p: -p.number,
        )

    return transport.read(f"{full_name}: listing pull requests from {branch}", fetch)


def upsert_pull(
    transport: Transport, full_name: str, head: str, base: str, title: str, body: str
) -> Upsert:
    """Make the one open pull request from ``head`` into ``base`` carry ``title``, ``body``."""
    repo = transport.repository(full_name)
    what = f"{full_name}: pull request from {head}"
    attempted = ""

    def open_pull() -> Pull | None:
        return next((p for p in pulls_from(transport, full_name, head) if p.state == "open"), None)

    def step() -> Upsert:
        nonlocal attempted
        pull = open_pull()
        if pull is None:
            attempted = "created"
            try:
                made = transport.write(
                    what, lambda: repo.create_pull(base=base, head=head, title=title, body=body)
                )
            except GitHubError as exc:
                # 422 "A pull request already exists": a concurrent run opened it; look again.
                if exc.status == 422 and open_pull() is not None:
                    raise Transient(str(exc), "conflict", 0.0) from None
                raise
            return Upsert("created", made.html_url, number=made.number)
        if pull.title == title and same_body(pull.body, body):
            return Upsert(attempted or "unchanged", pull.url, number=pull.number)
        attempted = attempted or "updated"
        transport.write(
            f"{what}: updating #{pull.number}", lambda: pull.handle.edit(title=title, body=body)
        )
        return Upsert(attempted, pull.url, number=pull.number)

    return transport.rounds(what, step)
