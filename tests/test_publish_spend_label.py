"""Issue 15, part 4: an agenda label is spent once discussed. When published minutes discuss
an issue carrying the team's agenda-label (and the team set spend-agenda-label), the label is
taken off and the backlink says so; the next agenda no longer lists the issue as a topic."""

from __future__ import annotations

from ghfake.fixtures import (  # noqa: F401  (fixtures)
    FILE,
    MEETING,
    REFS,
    TOKEN,
    gh_env,
    ghfake,
    invoke,
    minutes_repo,
    run,
    seed,
)

SPEND = (
    "[tool.minutesbot.teams.container]\n"
    'agenda-label = "container-agenda"\nspend-agenda-label = true\n'
)
NOTE = "The agenda label **container-agenda** was taken off"


def labelled(fake, ref: str, *labels: str) -> None:
    fake.add_issue(ref, labels=labels)


def backlink(fake, ref: str) -> str:
    [body] = fake.comments_on(ref)
    return body


def test_a_discussed_issue_loses_the_label_and_the_backlink_says_so(tmp_path, ghfake, gh_env):
    seed(ghfake)
    labelled(ghfake, "acme/stacks#56", "Container-Agenda", "bug")
    repo = minutes_repo(tmp_path, settings=SPEND)
    result = run(repo, gh_env, FILE)
    assert result.exit_code == 0, result.output
    assert ghfake.repos["acme/stacks"].issues[56].labels == ("bug",)
    assert NOTE in backlink(ghfake, "acme/stacks#56")
    assert "took off the label container-agenda" in result.output
    assert NOTE not in backlink(ghfake, "acme/harbor#62")
    assert ghfake.counts["GRAPHQL"] == 2  # the labels, and the look for a concurrent run
    ghfake.reset_counts()
    again = run(repo, gh_env, FILE)
    assert again.exit_code == 0, again.output
    assert "3 unchanged" in again.output and ghfake.writes == 0
    assert NOTE in backlink(ghfake, "acme/stacks#56")


def test_the_next_agenda_no_longer_lists_it_as_a_topic(tmp_path, ghfake, gh_env):
    seed(ghfake)
    labelled(ghfake, "acme/stacks#56", "container-agenda")
    ghfake.add_issue("acme/docs#3", title="Write the guide", labels=("container-agenda",))
    repo = minutes_repo(tmp_path, settings=SPEND)
    new = ("new", "--team", "container", "--date", "2024-04-25", "--stdout")
    before = invoke(repo, gh_env, *new)
    assert "labelled for the agenda; [acme/docs#3]" in before.stdout
    assert run(repo, gh_env, FILE).exit_code == 0
    after = invoke(repo, gh_env, *new)
    assert after.exit_code == 0, after.output
    assert "Open issues labelled container-agenda, as topics: 1." in after.stdout
    assert "### Write the guide" in after.stdout and "### Issue 56" not in after.stdout
    assert TOKEN not in after.output


def test_a_team_that_keeps_its_labels_keeps_them(tmp_path, ghfake, gh_env):
    seed(ghfake)
    labelled(ghfake, "acme/stacks#56", "container-agenda")
    settings = '[tool.minutesbot.teams.container]\nagenda-label = "container-agenda"\n'
    result = run(minutes_repo(tmp_path, settings=settings), gh_env, FILE)
    assert result.exit_code == 0, result.output
    assert ghfake.repos["acme/stacks"].issues[56].labels == ("container-agenda",)
    assert ghfake.counts["GRAPHQL"] == 1 and NOTE not in backlink(ghfake, "acme/stacks#56")


def test_spending_without_a_label_is_one_line(tmp_path):
    settings = "[tool.minutesbot.teams.container]\nspend-agenda-label = true\n"
    result = run(minutes_repo(tmp_path, settings=settings), {}, FILE)
    assert result.exit_code == 2
    assert result.output.strip().endswith(
        "teams.container: spend-agenda-label = true needs agenda-label, the label to take off"
    )
    assert len(result.output.strip().splitlines()) == 1


def test_a_label_change_in_doubt_is_looked_at_not_repeated(tmp_path, ghfake, gh_env):
    seed(ghfake)
    labelled(ghfake, "acme/stacks#56", "container-agenda", "bug")
    ghfake.inject("store-then-status", method="PATCH", status=502)
    result = run(minutes_repo(tmp_path, settings=SPEND), gh_env, FILE)
    assert result.exit_code == 0, result.output
    assert ghfake.counts["PATCH"] == 1  # the issue read again showed the label gone
    assert ghfake.repos["acme/stacks"].issues[56].labels == ("bug",)
    assert NOTE in backlink(ghfake, "acme/stacks#56")


def test_a_refused_label_change_is_a_failure_and_no_backlink_claims_it(tmp_path, ghfake, gh_env):
    seed(ghfake)
    labelled(ghfake, "acme/stacks#56", "container-agenda")
    ghfake.inject("status", method="PATCH", status=403)
    result = run(minutes_repo(tmp_path, settings=SPEND), gh_env, FILE)
    assert result.exit_code == 1
    assert "failed    acme/stacks#56 <- container/20240418.md: agenda label container-agenda " in (
        result.output
    )
    assert ghfake.repos["acme/stacks"].issues[56].labels == ("container-agenda",)
    assert NOTE not in backlink(ghfake, "acme/stacks#56")
    ghfake.clear_faults()
    rerun = run(minutes_repo(tmp_path, settings=SPEND), gh_env, FILE)
    assert rerun.exit_code == 0 and NOTE in backlink(ghfake, "acme/stacks#56")
    assert ghfake.repos["acme/stacks"].issues[56].labels == ()


def test_a_dry_run_says_the_label_would_go(tmp_path):
    result = run(minutes_repo(tmp_path, settings=SPEND), {}, "--dry-run", FILE)
    assert result.exit_code == 0, result.output
    assert (
        "acme/stacks#56 <- container/20240418.md: would upsert, taking off the label "
        "container-agenda if it is there"
    ) in result.output


def test_the_docs_quote_what_publish_prints_on_the_demo(tmp_path, ghfake, gh_env):
    import re
    import shutil
    from pathlib import Path

    project = Path(__file__).resolve().parent.parent
    doc = (project / "docs" / "publish.md").read_text(encoding="utf-8")
    section = doc[doc.index("## An agenda label is spent") : doc.index("## Tuning")]
    config, command, body = re.findall(r"```\w*\n(.*?)```\n", section, re.S)
    (tmp_path / ".git").mkdir()
    (tmp_path / "minutesbot.toml").write_text('default-owner = "example-org"\n' + config)
    demo = "minutes/lighthouse/20261119.md"
    (tmp_path / demo).parent.mkdir(parents=True)
    shutil.copy(project / demo, tmp_path / demo)
    for ref in ("example-org/foghorn#31", "example-org/lantern#108", "example-org/lantern#121"):
        ghfake.add_issue(ref, labels=("lighthouse-agenda",) if ref.endswith("#31") else ())
    env = {**gh_env, "GITHUB_REPOSITORY": "example-org/minutes", "GITHUB_SHA": "4f1c2e0"}
    env["GITHUB_SERVER_URL"] = "https://github.com"
    line, expected = command.split("\n", 1)
    result = invoke(tmp_path, env, *line.split()[2:])
    assert result.exit_code == 0, result.output
    assert result.stdout.replace(ghfake.origin, "https://github.com") == expected
    assert ghfake.comments_on("example-org/foghorn#31") == [body]
