"""Issue 16, points 7 and 8: whose comments publish edits, and what a marker names.

- ``publish`` matched comments by marker alone, so anyone's comment starting
  with the marker was taken over (edited, or deleted as a duplicate). Now only
  comments by the token's own login (or app bot) count.
- ``publish notes/container/20240418.md notes/iaas/20240418.md`` (outside the
  default root) gave both files the marker ``source=20240418.md``: the second
  overwrote the first. Now the marker names the way from the minutes root;
  a backlink under the old marker is taken over once, and rewritten.
"""

from __future__ import annotations

from ghfake.fixtures import FILE, MEETING, REFS, gh_env, ghfake, minutes_repo, run, seed  # noqa: F401

from minutesbot.publish.backlinks import marker_for

MARKER = marker_for("container/20240418.md")


def marked(fake, ref: str, marker: str = MARKER) -> list[str]:
    return [b for b in fake.comments_on(ref) if b.startswith(marker)]


def test_a_comment_by_someone_else_with_the_marker_is_left_alone(tmp_path, ghfake, gh_env):
    seed(ghfake)
    ghfake.add_comment("acme/stacks#56", MARKER + "\nmallory's words", login="mallory")
    repo = minutes_repo(tmp_path)
    first = run(repo, gh_env, FILE)
    assert first.exit_code == 0, first.output
    assert "3 created" in first.output
    ours = marked(ghfake, "acme/stacks#56")
    assert len(ours) == 2 and ours[0] == MARKER + "\nmallory's words"
    again = run(repo, gh_env, FILE)
    assert "3 unchanged" in again.output
    assert marked(ghfake, "acme/stacks#56")[0] == MARKER + "\nmallory's words"


def test_a_withdrawal_deletes_no_one_elses_comment(tmp_path, ghfake, gh_env):
    seed(ghfake)
    ghfake.add_comment("acme/harbor#62", MARKER + "\nmallory's words", login="mallory")
    ghfake.add_comment("acme/harbor#62", MARKER + "\nours")
    from gitrepo import commit, git

    repo = minutes_repo(tmp_path)
    git(repo, "init", "-q")
    base = commit(repo, {"minutes/container/20240418.md": MEETING}, "meeting")
    commit(
        repo,
        {"minutes/container/20240418.md": MEETING.replace("acme/harbor#62", "the harbor")},
        "correction",
    )
    result = run(repo, gh_env, "--changed", f"{base}..HEAD")
    assert result.exit_code == 0, result.output
    assert marked(ghfake, "acme/harbor#62") == [MARKER + "\nmallory's words"]


def test_an_app_token_knows_its_bot_comments(tmp_path, ghfake, gh_env):
    """GraphQL names a bot without its [bot]; REST with it: the same author."""
    seed(ghfake)
    ghfake.login = "minutes-app[bot]"
    ghfake.add_comment("acme/stacks#56", MARKER + "\nold", login="minutes-app[bot]")
    ghfake.add_comment("acme/harbor#62", MARKER + "\nold", login="minutes-app")  # a user
    result = run(minutes_repo(tmp_path), gh_env, FILE)
    assert "1 updated" in result.output and "2 created" in result.output
    assert len(marked(ghfake, "acme/stacks#56")) == 1
    assert len(marked(ghfake, "acme/harbor#62")) == 2


OUTSIDE = {
    "notes/container/20240418.md": "# 2024-04-18\n\n## Harbor\nacme/harbor#62 in container\n",
    "notes/iaas/20240418.md": "# 2024-04-18\n\n## Harbor\nacme/harbor#62 in iaas\n",
}


def outside_repo(tmp_path):
    repo = minutes_repo(tmp_path)
    for name, text in OUTSIDE.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    return repo


def test_two_files_of_one_name_outside_the_root_keep_a_backlink_each(tmp_path, ghfake, gh_env):
    seed(ghfake, ["acme/harbor#62"])
    repo = outside_repo(tmp_path)
    result = run(repo, gh_env, *OUTSIDE)
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    bodies = ghfake.comments_on("acme/harbor#62")
    assert [b.split("\n", 1)[0] for b in bodies] == [
        marker_for("../notes/container/20240418.md"),
        marker_for("../notes/iaas/20240418.md"),
    ]
    assert "2 unchanged" in run(repo, gh_env, *OUTSIDE).output


def test_a_backlink_under_the_old_marker_is_taken_over_once(tmp_path, ghfake, gh_env):
    seed(ghfake, ["acme/harbor#62"])
    old = marker_for("20240418.md")
    ghfake.add_comment("acme/harbor#62", old + "\nwritten by an older minutesbot")
    ghfake.add_comment("acme/harbor#62", old + "\nnot ours", login="mallory")
    repo = outside_repo(tmp_path)
    result = run(repo, gh_env, *OUTSIDE)
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output and "1 created" in result.output
    bodies = ghfake.comments_on("acme/harbor#62")
    assert [b.split("\n", 1)[0] for b in bodies] == [
        marker_for("../notes/container/20240418.md"),
        old,
        marker_for("../notes/iaas/20240418.md"),
    ]
    assert bodies[1] == old + "\nnot ours"
    assert "2 unchanged" in run(repo, gh_env, *OUTSIDE).output
