"""With a token, the agenda marks the state of the issues carried items link to."""

from __future__ import annotations

from pathlib import Path

from agenda_fixtures import repo, write  # noqa: F401  (fixtures)
from click.testing import CliRunner
from ghfake.fixtures import TOKEN, gh_env, ghfake  # noqa: F401

from minutesbot.cli import main

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
    # An action whose line links a closed issue is probably done; one linking an open one not.
    harbor = text.split("- AI @alice: upgrade harbor")[1].split("\n- ")[0]
    stacks = text.split("- AI @bob: review acme/stacks#56")[1].split("\n- ")[0]
    assert harbor.rstrip().endswith("(closed); probably done: linked issue closed")
    assert "probably done" not in stacks
    assert (
        "_Issue states checked on GitHub: 4 linked, 2 closed, 1 unknown. "
        "Open issues labelled team-agenda, as topics: 0._" in text
    )
    assert ghfake.counts["GRAPHQL"] == 1
    assert TOKEN not in result.output


def test_open_issues_labelled_for_the_agenda_become_topics(
    repo: Path,
    write,
    ghfake,  # noqa: F811
    gh_env,
) -> None:
    write("minutes/team/20240418.md", HISTORY)
    write("minutesbot.toml", '[teams.team]\nagenda-label = "team-agenda"\n')
    ghfake.add_issue("acme/stacks#56", labels=("team-agenda",))  # carried already
    ghfake.add_issue("acme/docs#3", title="Write the *upgrade* guide", labels=("team-agenda",))
    ghfake.add_issue("acme/docs#4", title="Closed", state="closed", labels=("team-agenda",))
    ghfake.add_issue("acme/docs#5", title="Other label", labels=("iaas-agenda",))
    result = CliRunner().invoke(main, ["new", "--date", "2024-04-25", "--stdout"], env=gh_env)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "### Write the \\*upgrade\\* guide\n\n- labelled for the agenda; [acme/docs#3](" in text
    assert "acme/docs#4" not in text and "acme/docs#5" not in text
    assert text.count("[acme/stacks#56]") == 1
    assert "Open issues labelled team-agenda, as topics: 1._" in text
    # The topic parses back as an item of the agenda.
    from minutesbot.records.parser import parse_text

    record = parse_text(text, source="team/20240425.md", default_owner="acme")
    assert "Write the *upgrade* guide" in [i.title for i in record.items]


def test_labelled_issues_offline_are_said_to_be_missing(repo: Path, write) -> None:  # noqa: F811
    write("minutes/team/20240418.md", HISTORY)
    write("minutesbot.toml", '[teams.team]\nagenda-label = "team-agenda"\n')
    result = CliRunner().invoke(
        main, ["new", "--date", "2024-04-25", "--stdout"], env={"GITHUB_TOKEN": ""}
    )
    assert result.exit_code == 0, result.output
    assert "Issues labelled team-agenda not listed." in result.stdout


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
