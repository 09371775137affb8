"""Playing action.yml's steps as the Actions runner does, on a throwaway checkout.

The runner, for a composite action, reads ``action.yml``, evaluates each
step's ``if:`` and the ``${{ }}`` of its ``env:`` from the contexts of the
event (``github``, ``inputs``, ``steps``), and runs the ``run:`` script with
bash in the checkout, with the variables Actions sets (``GITHUB_ACTIONS``,
``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``, ...) and the loopback GitHub
behind ``GITHUB_API_URL``. :func:`play_action` does the same.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ghfake.fixtures import TOKEN
from gitrepo import git

PROJECT = Path(__file__).resolve().parent.parent


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
