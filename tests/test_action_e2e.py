"""The Action end to end: action.yml's steps played on a throwaway repository.

The test does what the Actions runner does for a composite action: it reads
``action.yml``, evaluates each step's ``if:`` and the ``${{ }}`` of its
``env:`` from the contexts of a push (``github``, ``inputs``, ``steps``),
and runs the ``run:`` script with bash in the checkout, with the variables
Actions sets (``GITHUB_ACTIONS``, ``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``,
...) and the loopback GitHub behind ``GITHUB_API_URL``. Then it pushes a
correction and runs the steps again.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ghfake.fixtures import MEETING, REFS, TOKEN, ghfake, seed  # noqa: F401
from gitrepo import commit, git

from minutesbot.github.model import blob_sha
from minutesbot.publish.backlinks import marker_for

PROJECT = Path(__file__).resolve().parent.parent
ZERO = "0" * 40
CORRECTED = MEETING.replace("we keep one main stack", "we keep two stacks").replace(
    "write the proposal with @carol", "write the proposal with @carol and @dave"
)


# -- a minimal evaluator for the expressions action.yml uses ----------------
_COMPARISON = re.compile(r"^([\w.-]+)\s*==\s*'([^']*)'$")


def lookup(contexts: dict[str, Any], path: str) -> Any:
    value: Any = contexts
    for part in path.split("."):
        value = value.get(part, "") if isinstance(value, dict) else ""
    return value


def evaluate(expression: str, contexts: dict[str, Any]) -> Any:
    """``a.b.c``, ``a.b == 'x'`` and ``&&`` of those; anything else fails the test (so a
    change of action.yml cannot be evaluated wrongly in silence)."""
    terms = [t.strip() for t in expression.split("&&")]
    if len(terms) == 1 and "==" not in terms[0]:
        assert re.fullmatch(r"[\w.-]+", terms[0]), f"unsupported expression {expression!r}"
        return lookup(contexts, terms[0])
    for term in terms:
        match = _COMPARISON.match(term)
        assert match, f"unsupported expression {expression!r}"
        if str(lookup(contexts, match[1])) != match[2]:
            return False
    return True


def substitute(text: str, contexts: dict[str, Any]) -> str:
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: str(evaluate(m[1], contexts)), str(text))


def read_outputs(path: Path) -> dict[str, str]:
    """``name=value`` lines and ``name<<DELIMITER`` blocks, as the runner reads $GITHUB_OUTPUT."""
    outputs: dict[str, str] = {}
    lines = iter(path.read_text().splitlines())
    for line in lines:
        if "<<" in line and "=" not in line.split("<<")[0]:
            name, delimiter = line.split("<<", 1)
            outputs[name] = "\n".join(iter(lambda: next(lines), delimiter))
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


# -- the checkout and the runner --------------------------------------------
@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    repo = tmp_path / "minutes-repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    return repo


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """``minutesbot`` first on PATH, running this checkout with this interpreter.

    The Action's install step (pip install of the action path) is not played:
    the package is installed already (pip install -e); the shim only makes
    sure the scripts run the code under test, whatever else PATH holds.
    """
    folder = tmp_path / "bin"
    folder.mkdir()
    shim = folder / "minutesbot"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m minutesbot "$@"\n')
    shim.chmod(0o755)
    return folder


def play_action(
    repo: Path,
    runner_temp: Path,
    fake,
    bin_dir: Path,
    *,
    before: str,
    sha: str,
    inputs: dict[str, str] | None = None,
    event: str = "push",
    failing: str | None = None,
) -> list[subprocess.CompletedProcess[str]]:
    """Run action.yml's steps for a push of ``before..sha`` (or a pull request with that
    base); returns each script's result. Every step must succeed but the one named
    ``failing``, which must fail and ends the run, as it would on the runner."""
    import yaml

    action = yaml.safe_load((PROJECT / "action.yml").read_text(encoding="utf-8"))
    runner_temp.mkdir(exist_ok=True)
    summary = runner_temp / "step_summary.md"
    github = {
        "event_name": event,
        "event": {"before": before, "after": sha},
        "sha": sha,
        "token": TOKEN,
        "action_path": str(PROJECT),
        "repository": "acme/minutes",
        "ref": "refs/heads/main",
    }
    if event == "pull_request":
        github["event"] = {"pull_request": {"base": {"sha": before}, "head": {"sha": sha}}}
    contexts: dict[str, Any] = {"github": github, "steps": {}, "inputs": {}}
    for name, spec in action["inputs"].items():
        contexts["inputs"][name] = substitute(spec.get("default", ""), contexts)
    contexts["inputs"].update(inputs or {})
    base_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "RUNNER_", "MINUTESBOT_", "CI"))
    }
    base_env.update(
        {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONPATH": os.pathsep.join([str(PROJECT), os.environ.get("PYTHONPATH", "")]).rstrip(
                os.pathsep
            ),
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": event,
            "GITHUB_REPOSITORY": "acme/minutes",
            "GITHUB_REPOSITORY_OWNER": "acme",
            "GITHUB_SHA": sha,
            "GITHUB_REF": "refs/heads/main",
            "GITHUB_REF_NAME": "main",
            "GITHUB_WORKSPACE": str(repo),
            "GITHUB_API_URL": fake.base_url,
            "GITHUB_SERVER_URL": "https://github.example",
            "GITHUB_GRAPHQL_URL": fake.base_url + "/graphql",
            "GITHUB_STEP_SUMMARY": str(summary),
            "RUNNER_TEMP": str(runner_temp),
            # Waits shrunk so that the test costs no sleeping.
            "MINUTESBOT_GITHUB_REQUEST_INTERVAL": "0",
            "MINUTESBOT_GITHUB_WRITE_INTERVAL": "0",
            "MINUTESBOT_GITHUB_BACKOFF": "0.01",
            "MINUTESBOT_GITHUB_TIMEOUT": "2",
        }
    )
    results = []
    for index, step in enumerate(action["runs"]["steps"]):
        if "pip install" in step.get("run", ""):
            # The install step: minutesbot is installed already (see bin_dir).
            contexts["steps"][step["id"]] = {"outputs": {"minutesbot": str(bin_dir / "minutesbot")}}
            continue
        condition = step.get("if")
        if condition is not None and not evaluate(str(condition), contexts):
            continue
        assert step.get("shell") == "bash" and "run" in step, step
        output = runner_temp / f"output_{index}"
        output.write_text("")
        script = runner_temp / f"step_{index}.sh"
        script.write_text(step["run"])
        env = {
            **base_env,
            "GITHUB_OUTPUT": str(output),
            **{k: substitute(v, contexts) for k, v in (step.get("env") or {}).items()},
        }
        # shell: bash runs as `bash --noprofile --norc -eo pipefail {0}` on the runner.
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert TOKEN not in done.stdout + done.stderr
        results.append(done)
        if step.get("name") == failing:
            assert done.returncode != 0, f"step {failing!r} passed:\n{done.stdout}\n{done.stderr}"
            return results
        assert done.returncode == 0, (
            f"step {step.get('name')!r} failed:\n{done.stdout}\n{done.stderr}"
        )
        if "id" in step:
            contexts["steps"][step["id"]] = {"outputs": read_outputs(output)}
    return results


def first_push(repo: Path, tmp_path: Path, fake, bin_dir: Path, sha: str, **options: Any):
    """The steps for a branch's first push: ``github.event.before`` is all zeros."""
    return play_action(repo, tmp_path / "run", fake, bin_dir, before=ZERO, sha=sha, **options)


def comments_by_ref(fake) -> dict[str, list[tuple[int, str]]]:
    return {
        ref: [
            (c.id, c.body)
            for c in sorted(fake.comments.values(), key=lambda c: c.id)
            if f"{c.repo}#{c.number}" == ref
        ]
        for ref in REFS
    }


def test_push_then_correction_edits_the_backlinks_and_updates_the_agenda_pull_request(
    checkout, tmp_path, ghfake, bin_dir
):
    seed(ghfake)
    ghfake.add_repo("acme/minutes")
    ghfake.add_branch("acme/minutes", "main", {"README.md": "our minutes\n"})
    base = commit(
        checkout, {"pyproject.toml": '[tool.minutesbot]\ndefault-owner = "acme"\n'}, "setup"
    )
    first = commit(checkout, {"minutes/container/20240418.md": MEETING}, "minutes of 2024-04-18")

    # The minutes of a meeting pushed.
    results = play_action(checkout, tmp_path / "run1", ghfake, bin_dir, before=base, sha=first)
    names = [r.args[-1] for r in results]
    assert len(names) == 4, names  # range, lint, publish, agenda (install skipped)
    marker = marker_for("container/20240418.md")
    comments = comments_by_ref(ghfake)
    for ref in REFS:
        [(_id, body)] = comments[ref]
        assert body.startswith(marker) and f"/blob/{first}/minutes/container/20240418.md" in body
    assert "Decision: we keep one main stack" in comments["acme/stacks#56"][0][1]
    remote = ghfake.repos["acme/minutes"]
    [(number, pull)] = remote.pulls.items()
    assert pull["state"] == "open" and pull["head"].startswith("minutesbot/agenda/container/")
    agenda_path = f"minutes/container/{pull['head'].rsplit('/', 1)[1]}.md"
    agenda = ghfake.file_on("acme/minutes", pull["head"], agenda_path)
    assert "write the proposal with @carol" in agenda and "@dave" not in agenda
    summary = (tmp_path / "run1" / "step_summary.md").read_text()
    assert "## minutesbot publish" in summary and "## minutesbot agenda-pr" in summary
    assert f"| container | created | {ghfake.origin}/acme/minutes/pull/{number} |" in summary

    # A correction of the minutes, pushed as a new commit.
    second = commit(checkout, {"minutes/container/20240418.md": CORRECTED}, "fix the decision")
    ghfake.reset_counts()
    play_action(checkout, tmp_path / "run2", ghfake, bin_dir, before=first, sha=second)
    corrected = comments_by_ref(ghfake)
    for ref in REFS:
        [(comment_id, body)] = corrected[ref]
        assert comment_id == comments[ref][0][0]  # the same comment, edited
        assert f"/blob/{second}/" in body
    assert "Decision: we keep two stacks" in corrected["acme/stacks#56"][0][1]
    assert ghfake.counts["POST"] == 0 and ghfake.counts["DELETE"] == 0
    assert ghfake.counts["PATCH"] == len(REFS) + 1  # three comments, one pull request
    [(same_number, same_pull)] = remote.pulls.items()  # the same pull request, updated
    assert same_number == number and same_pull["head"] == pull["head"]
    updated = ghfake.file_on("acme/minutes", pull["head"], agenda_path)
    assert "write the proposal with @carol and @dave" in updated
    assert f"blob={blob_sha(updated)}" in same_pull["body"]
    assert ghfake.counts["PUT"] == 1


def test_lint_annotates_and_a_dry_run_writes_nothing(checkout, tmp_path, ghfake, bin_dir):
    seed(ghfake)
    ghfake.add_repo("acme/minutes")
    ghfake.add_branch("acme/minutes", "main", {})
    untaken = MEETING.replace("- AI @bob: write", "- AI: write")  # an action item without owner
    sha = commit(
        checkout,
        {
            "pyproject.toml": '[tool.minutesbot]\ndefault-owner = "acme"\n',
            "minutes/container/20240418.md": untaken,
        },
        "minutes",
    )
    results = first_push(checkout, tmp_path, ghfake, bin_dir, sha, inputs={"dry-run": "true"})
    lint = results[1]
    assert "::warning file=minutes/container/20240418.md,line=" in lint.stdout + lint.stderr
    assert "would upsert" in results[2].stdout and "container: planned:" in results[3].stdout
    assert ghfake.writes == 0 and not ghfake.repos["acme/minutes"].pulls


UNDATED = "# Weekly call\n\n## Topic\n\n- notes without a date\n"


def test_pull_request_with_broken_minutes_fails_the_lint_step(checkout, tmp_path, ghfake, bin_dir):
    seed(ghfake)
    base = commit(
        checkout,
        {
            "pyproject.toml": '[tool.minutesbot]\ndefault-owner = "acme"\n',
            "minutes/container/20240418.md": MEETING,
        },
        "minutes",
    )
    head = commit(checkout, {"minutes/container/notes.md": UNDATED}, "notes without a date")
    results = play_action(
        checkout,
        tmp_path / "run",
        ghfake,
        bin_dir,
        before=base,
        sha=head,
        event="pull_request",
        failing="Lint the changed minutes",
    )
    assert "::error file=minutes/container/notes.md,line=1::no meeting date" in results[-1].stdout
    assert ghfake.writes == 0


def test_pushed_minutes_with_an_error_still_get_their_backlinks(
    checkout, tmp_path, ghfake, bin_dir
):
    seed(ghfake)
    ghfake.add_repo("acme/minutes")
    ghfake.add_branch("acme/minutes", "main", {})
    base = commit(
        checkout, {"pyproject.toml": '[tool.minutesbot]\ndefault-owner = "acme"\n'}, "setup"
    )
    sha = commit(
        checkout,
        {"minutes/container/20240418.md": MEETING, "minutes/container/notes.md": UNDATED},
        "minutes and notes",
    )
    results = play_action(checkout, tmp_path / "run", ghfake, bin_dir, before=base, sha=sha)
    assert "::error file=minutes/container/notes.md" in results[1].stdout
    comments = comments_by_ref(ghfake)
    assert all(len(comments[ref]) == 1 for ref in REFS)


def test_a_branchs_first_push_is_linted_but_writes_nothing_without_all(
    checkout, tmp_path, ghfake, bin_dir
):
    """github.event.before is all zeros: every file of the archive counts as changed.
    The publish step refuses (nothing written, the step fails and says how to go on)."""
    seed(ghfake)
    ghfake.add_repo("acme/minutes")
    ghfake.add_branch("acme/minutes", "main", {})
    sha = commit(
        checkout,
        {
            "pyproject.toml": '[tool.minutesbot]\ndefault-owner = "acme"\n',
            "minutes/container/20240418.md": MEETING,
        },
        "the archive, imported",
    )
    results = first_push(checkout, tmp_path, ghfake, bin_dir, sha, failing="Publish backlinks")
    assert "1 file(s) checked" in results[1].stderr
    refused = results[-1]
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == (
        f"minutesbot: error: --changed {ZERO}..{sha}: the range starts before the first commit "
        "(a branch's first push, or a clone without the history): every minutes file counts as "
        "changed: 1 file(s) of 1 team(s), "
        "a whole archive at once; nothing was written (pass --all to write for all of them, "
        "--dry-run to see what that would be)\n"
    )
    assert ghfake.requests == 0
