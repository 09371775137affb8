"""With a token, the agenda marks the state of the issues carried items link to."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ghfake.fixtures import TOKEN, gh_env, ghfake  # noqa: F401
from minutesbot.cli import main
from agenda_fixtures import repo, write  # noqa: F401  (fixtures)

HISTORY = """
# 2024-04-18

## Agenda

### Harbor (@alice)
- AI @alice: upgrade harbor, see https://github.com/acme/harbor/issues/62
- AI @bob: review acme/stacks#56
- AI @bob: answer in acme/gone#1
- put off: the registry topic is postponed

### Registry mirror (@carol)
- postponed, see acme/stacks#57
"""


def test_issue_states_marked_with_a_token(repo: Path, write, ghfake, gh_env) -> None:  # noqa: F811
    write("minutes/team/20240418.md", HISTORY)
    write("minutesbot.toml", '[teams.team]\nagenda-label = "team-agenda"\n')
    ghfake.add_issue("acme/harbor#62", state="closed")
    ghfake.add_issue("acme/stacks#56")
    ghfake.add_issue("acme/stacks#57", state="closed")
    result = CliRunner().invoke(main, ["new", "--date", "2024-04-25", "--stdout"], env=gh_env)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "[acme/harbor#62](https://github.com/acme/harbor/issues/62) (closed)" in text
    assert "[acme/stacks#56](https://github.com/acme/stacks/issues/56) (open)" in text
    assert "[acme/stacks#57](https://github.com/acme/stacks/issues/57) (closed)" in text
    assert "[acme/gone#1](https://github.com/acme/gone/issues/1);" not in text
    assert "_Issue states checked on GitHub: 4 linked, 2 closed, 1 unknown._" in text
    assert ghfake.counts["GRAPHQL"] == 1
    assert "listing issues labelled for the agenda is not available yet" in result.stderr
    assert TOKEN not in result.output


def test_github_failure_costs_only_the_states(repo: Path, write, ghfake, gh_env) -> None:  # noqa: F811
    write("minutes/team/20240418.md", HISTORY)
    ghfake.inject("status", path="graphql", status=401)
    result = CliRunner().invoke(main, ["new", "--date", "2024-04-25", "--stdout"], env=gh_env)
    assert result.exit_code == 0, result.output
    assert "issue states not checked" in result.stderr
    assert "_Issue states not checked: GitHub did not answer._" in result.stdout
    assert "- AI @alice: upgrade harbor" in result.stdout
    assert TOKEN not in result.output


def test_bad_github_settings_cost_only_the_states(repo: Path, write, gh_env) -> None:
    write("minutes/team/20240418.md", HISTORY)
    env = {**gh_env, "MINUTESBOT_GITHUB_TIMEOUT": "soon"}
    result = CliRunner().invoke(main, ["new", "--date", "2024-04-25", "--stdout"], env=env)
    assert result.exit_code == 0, result.output
    assert "MINUTESBOT_GITHUB_TIMEOUT='soon' is not a number" in result.stderr
