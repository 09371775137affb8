"""Git refs, file contents and pull requests for the imitation.

These endpoints serve the GitHub Action that opens a pull request with the
next meeting's minutes: read a branch, create one, put a file on it, open
or update a pull request. The state is deliberately plain: a branch is a
name and a commit sha, a file is bytes on a branch, and a commit is made up
by hashing what changed. Mixed into :class:`ghfake.server.FakeGitHub`.
"""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any

Answer = tuple[int, Any, dict[str, str]]


def _blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class GitData:
    """Handlers ``h_*`` for refs, contents and pulls; state lives on each ``_Repo``."""

    def _fail(self, status: int, message: str) -> Any:
        from ghfake.server import _Reply

        raise _Reply(status, message)

    def _invalid(
        self, resource: str, code: str, field: str | None = None, message: str | None = None
    ) -> Any:
        from ghfake.server import invalid

        raise invalid(resource, code, field, message)

    def add_branch(
        self, full_name: str, branch: str = "main", files: dict[str, str] | None = None
    ) -> str:
        """A branch with ``files`` on it; returns its commit sha."""
        repo = self._repo(full_name, for_write=False)
        with self._lock:
            for path, text in (files or {}).items():
                repo.files[(branch, path)] = text.encode()
            sha = self._commit_sha(full_name, branch)
            repo.refs[f"heads/{branch}"] = sha
        return sha

    def file_on(self, full_name: str, branch: str, path: str) -> str | None:
        repo = self._repo(full_name, for_write=False)
        data = repo.files.get((branch, path))
        return None if data is None else data.decode()

    def _commit_sha(self, *parts: str) -> str:
        self._next_id += 1
        return hashlib.sha1(f"{self._next_id}:{':'.join(parts)}".encode()).hexdigest()

    def _ref_json(self, repo: Any, ref: str) -> dict[str, Any]:
        api = f"{self.base_url}/repos/{repo.owner}/{repo.name}"
        sha = repo.refs[ref]
        return {
            "ref": f"refs/{ref}",
            "node_id": base64.b64encode(ref.encode()).decode(),
            "url": f"{api}/git/refs/{ref}",
            "object": {"type": "commit", "sha": sha, "url": f"{api}/git/commits/{sha}"},
        }

    def _writable(self, p: dict[str, str]) -> Any:
        return self._repo(f"{p['owner']}/{p['repo']}", for_write=True)

    # -- refs -------------------------------------------------------------
    def h_get_ref(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo = self._repo(f"{p['owner']}/{p['repo']}", for_write=False)
        if p["ref"] not in repo.refs:
            self._fail(404, "Not Found")
        return 200, self._ref_json(repo, p["ref"]), {}

    def h_create_ref(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo = self._writable(p)
        ref, sha = str((body or {}).get("ref", "")), str((body or {}).get("sha", ""))
        if not ref.startswith("refs/") or ref.count("/") < 2 or not sha:
            self._invalid("Ref", "invalid", "ref" if sha else "sha")
        name = ref[len("refs/") :]
        if name in repo.refs:
            self._fail(422, "Reference already exists")
        source = next((r for r, s in repo.refs.items() if s == sha), None)
        if source is None:
            self._fail(422, "Object does not exist")
        if name.startswith("heads/") and source.startswith("heads/"):
            old, new = source[len("heads/") :], name[len("heads/") :]
            for (branch, path), data in list(repo.files.items()):
                if branch == old:
                    repo.files[(new, path)] = data
        repo.refs[name] = sha
        return 201, self._ref_json(repo, name), {"Location": self._ref_json(repo, name)["url"]}

    def h_update_ref(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo = self._writable(p)
        if p["ref"] not in repo.refs or not (body or {}).get("sha"):
            self._fail(422, "Reference does not exist")
        repo.refs[p["ref"]] = str(body["sha"])
        return 200, self._ref_json(repo, p["ref"]), {}

    def h_delete_ref(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo = self._writable(p)
        if repo.refs.pop(p["ref"], None) is None:
            self._fail(422, "Reference does not exist")
        return 204, None, {}

    # -- contents ---------------------------------------------------------
    def _content_json(self, repo: Any, branch: str, path: str) -> dict[str, Any]:
        data = repo.files[(branch, path)]
        sha = _blob_sha(data)
        api = f"{self.base_url}/repos/{repo.owner}/{repo.name}"
        url = f"{api}/contents/{path}?ref={branch}"
        html = f"{self.origin}/{repo.owner}/{repo.name}/blob/{branch}/{path}"
        git = f"{api}/git/blobs/{sha}"
        return {
            "type": "file",
            "encoding": "base64",
            "size": len(data),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "content": base64.b64encode(data).decode(),
            "sha": sha,
            "url": url,
            "git_url": git,
            "html_url": html,
            "download_url": f"{self.origin}/raw/{repo.owner}/{repo.name}/{branch}/{path}",
            "_links": {"self": url, "git": git, "html": html},
        }

    def _branch(self, repo: Any, q: dict[str, str], body: Any) -> str:
        branch = (body or {}).get("branch") or q.get("ref") or "main"
        if f"heads/{branch}" not in repo.refs:
            self._fail(404, f"No commit found for the ref {branch}")
        return str(branch)

    def h_get_content(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo = self._repo(f"{p['owner']}/{p['repo']}", for_write=False)
        branch = self._branch(repo, q, None)
        if (branch, p["path"]) not in repo.files:
            self._fail(404, "Not Found")
        return 200, self._content_json(repo, branch, p["path"]), {}

    def _file_commit(self, repo: Any, branch: str, path: str, message: str) -> dict[str, Any]:
        sha = self._commit_sha(repo.name, branch, path)
        repo.refs[f"heads/{branch}"] = sha
        api = f"{self.base_url}/repos/{repo.owner}/{repo.name}"
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        person = {"name": self.login, "email": "bot@example.invalid", "date": stamp}
        content = self._content_json(repo, branch, path) if (branch, path) in repo.files else None
        return {
            "content": content,
            "commit": {
                "sha": sha,
                "node_id": base64.b64encode(sha.encode()).decode(),
                "message": message,
                "url": f"{api}/git/commits/{sha}",
                "html_url": f"{self.origin}/{repo.owner}/{repo.name}/commit/{sha}",
                "author": person,
                "committer": person,
                "parents": [],
                "tree": {"sha": sha, "url": f"{api}/git/trees/{sha}"},
                "verification": {
                    "verified": False,
                    "reason": "unsigned",
                    "signature": None,
                    "payload": None,
                },
            },
        }

    def h_put_content(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo = self._writable(p)
        body = body or {}
        branch = self._branch(repo, q, body)
        try:
            data = base64.b64decode(str(body.get("content", "")), validate=True)
        except ValueError:
            self._fail(422, "content is not valid Base64")
        existing = repo.files.get((branch, p["path"]))
        if existing is not None and body.get("sha") != _blob_sha(existing):
            self._fail(
                409 if body.get("sha") else 422,
                f"{p['path']} does not match {body.get('sha')}"
                if body.get("sha")
                else 'Invalid request.\n\n"sha" wasn\'t supplied.',
            )
        repo.files[(branch, p["path"])] = data
        self.commits.append((branch, p["path"], str(body.get("message", ""))))
        answer = self._file_commit(repo, branch, p["path"], str(body.get("message", "")))
        return (201 if existing is None else 200), answer, {}

    def h_delete_content(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo = self._writable(p)
        branch = self._branch(repo, q, body)
        existing = repo.files.get((branch, p["path"]))
        if existing is None:
            self._fail(404, "Not Found")
        if (body or {}).get("sha") != _blob_sha(existing):
            self._fail(409, f"{p['path']} does not match")
        del repo.files[(branch, p["path"])]
        return 200, self._file_commit(repo, branch, p["path"], str(body.get("message", ""))), {}

    # -- pulls ------------------------------------------------------------
    def _pull_json(self, repo: Any, number: int, full: bool) -> dict[str, Any]:
        pr = repo.pulls[number]
        api = f"{self.base_url}/repos/{repo.owner}/{repo.name}"
        html = f"{self.origin}/{repo.owner}/{repo.name}/pull/{number}"
        repo_json = self._repo_json(repo)

        def side(branch: str) -> dict[str, Any]:
            sha = repo.refs.get(f"heads/{branch}", "0" * 40)
            return {
                "label": f"{repo.owner}:{branch}",
                "ref": branch,
                "sha": sha,
                "repo": repo_json,
                "user": self._user(repo.owner),
            }

        links = {
            k: {"href": v}
            for k, v in {
                "self": f"{api}/pulls/{number}",
                "html": html,
                "issue": f"{api}/issues/{number}",
                "comments": f"{api}/issues/{number}/comments",
                "review_comments": f"{api}/pulls/{number}/comments",
                "review_comment": f"{api}/pulls/comments{{/number}}",
                "commits": f"{api}/pulls/{number}/commits",
                "statuses": f"{api}/statuses/{side(pr['head'])['sha']}",
            }.items()
        }
        data: dict[str, Any] = {
            "url": f"{api}/pulls/{number}",
            "id": repo.id * 1_000_000 + number,
            "node_id": base64.b64encode(f"PR{number}".encode()).decode(),
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": f"{api}/issues/{number}",
            "commits_url": links["commits"]["href"],
            "review_comments_url": links["review_comments"]["href"],
            "review_comment_url": links["review_comment"]["href"],
            "comments_url": links["comments"]["href"],
            "statuses_url": links["statuses"]["href"],
            "number": number,
            "state": pr["state"],
            "locked": False,
            "title": pr["title"],
            "user": self._user(self.login),
            "body": pr["body"],
            "labels": [],
            "milestone": None,
            "created_at": pr["created"],
            "updated_at": pr["updated"],
            "closed_at": None if pr["state"] == "open" else pr["updated"],
            "merged_at": None,
            "merge_commit_sha": None,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": side(pr["head"]),
            "base": side(pr["base"]),
            "_links": links,
            "author_association": "NONE",
            "auto_merge": None,
            "draft": False,
        }
        if full:
            data.update(
                {
                    "merged": False,
                    "mergeable": True,
                    "rebaseable": True,
                    "mergeable_state": "clean",
                    "merged_by": None,
                    "comments": 0,
                    "review_comments": 0,
                    "maintainer_can_modify": False,
                    "commits": 1,
                    "additions": 1,
                    "deletions": 0,
                    "changed_files": 1,
                }
            )
        return data

    def h_list_pulls(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo = self._repo(f"{p['owner']}/{p['repo']}", for_write=False)
        state, head, base = q.get("state", "open"), q.get("head"), q.get("base")
        found = [
            self._pull_json(repo, n, full=False)
            for n, pr in sorted(repo.pulls.items())
            if state in ("all", pr["state"])
            and (head is None or head in (pr["head"], f"{repo.owner}:{pr['head']}"))
            and (base is None or base == pr["base"])
        ]
        return 200, found, {}

    def h_create_pull(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo = self._writable(p)
        body = body or {}
        head, base = str(body.get("head", "")).split(":")[-1], str(body.get("base", ""))
        for field, ok in (
            ("head", f"heads/{head}" in repo.refs),
            ("base", f"heads/{base}" in repo.refs),
            ("title", bool(body.get("title"))),
        ):
            if not ok:
                self._invalid(
                    "PullRequest", "invalid" if field != "title" else "missing_field", field
                )
        if any(pr["head"] == head and pr["state"] == "open" for pr in repo.pulls.values()):
            self._invalid(
                "PullRequest",
                "custom",
                message=f"A pull request already exists for {repo.owner}:{head}.",
            )
        number = max([*repo.issues, *repo.pulls, 0]) + 1
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        repo.pulls[number] = {
            "head": head,
            "base": base,
            "title": str(body["title"]),
            "body": body.get("body"),
            "state": "open",
            "created": stamp,
            "updated": stamp,
        }
        data = self._pull_json(repo, number, full=True)
        return 201, data, {"Location": data["url"]}

    def h_get_pull(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo = self._repo(f"{p['owner']}/{p['repo']}", for_write=False)
        if int(p["pull_number"]) not in repo.pulls:
            self._fail(404, "Not Found")
        return 200, self._pull_json(repo, int(p["pull_number"]), full=True), {}

    def h_update_pull(self, p: dict[str, str], q: dict[str, str], body: Any) -> Answer:
        repo = self._writable(p)
        pr = repo.pulls.get(int(p["pull_number"]))
        if pr is None:
            self._fail(404, "Not Found")
        for key in ("title", "body", "state", "base"):
            if key in (body or {}):
                pr[key] = body[key]
        pr["updated"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        return 200, self._pull_json(repo, int(p["pull_number"]), full=True), {}
