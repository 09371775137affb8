"""``publish --dry-run`` shows each backlink as a real run would send it (issue 12)."""

from __future__ import annotations

from ghfake.fixtures import gh_env, ghfake, minutes_repo, run  # noqa: F401

SOURCE = "sig-standardization/20240613.md"  # ten issues, decisions and actions among them


def _planned_bodies(output: str) -> dict[str, str]:
    """The dry run's output read back: ref -> the body printed (indented) below its line."""
    bodies: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        if " <- " in line and not line.startswith(" "):
            ref = line.split(" <- ")[0]
            current = bodies.setdefault(ref, [])
        elif line.startswith("backlinks (dry run"):
            current = None
        elif current is not None:
            assert line == "" or line.startswith("    "), line
            current.append(line[4:])
    return {ref: "\n".join(lines) + "\n" for ref, lines in bodies.items()}


def test_dry_run_prints_the_whole_body_that_a_real_run_sends(
    tmp_path, ghfake, gh_env, corpus_minutes
):
    text = (corpus_minutes / SOURCE).read_text(encoding="utf-8")
    repo = minutes_repo(tmp_path, {SOURCE: text})
    dry = run(repo, gh_env, "--dry-run", f"minutes/{SOURCE}")
    assert dry.exit_code == 0, dry.output
    planned = _planned_bodies(dry.output)
    assert len(planned) == 10 and ghfake.requests == 0
    for ref in planned:
        ghfake.add_issue(ref)
    sent = run(repo, gh_env, f"minutes/{SOURCE}")
    assert sent.exit_code == 0, sent.output
    for ref, body in planned.items():
        assert ghfake.comments_on(ref) == [body]
    # Whole bodies: decisions, action items and the footer, not the headline alone.
    shown = "\n".join(planned.values())
    assert "- Decision: " in shown and "- Action item (" in shown
    assert shown.count("by minutesbot; this comment is kept up to date") == 10


def _headlines(corpus_minutes, tmp_path, files: list[str], config: str = "") -> set[str]:
    from click.testing import CliRunner

    from minutesbot.cli import main

    (tmp_path / "minutesbot.toml").write_text(config)
    paths = [str(corpus_minutes / name) for name in files]
    result = CliRunner().invoke(
        main,
        ["publish", "--dry-run", "--root", str(corpus_minutes), *paths],
        env={"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": ""},
    )
    assert result.exit_code == 0, result.output
    return {
        line.split(", 20")[0].strip()
        for line in result.output.splitlines()
        if line.strip().startswith("**Discussed in Team")
    }


def test_team_names_are_spelled_as_the_teams_own_titles_spell_them(
    corpus_minutes, tmp_path, monkeypatch
):
    """Not str.title(): "Team IaaS" (a title says "2022-08-17 Team IaaS"), "Team SIG
    standardization" (its first minutes' title), never "Team Iaas" or "Sig-Standardization"."""
    monkeypatch.chdir(tmp_path)
    files = ["iaas/20240110.md", "container/20240111.md", "sig-standardization/20240111.md"]
    assert _headlines(corpus_minutes, tmp_path, files) == {
        "**Discussed in Team IaaS",
        "**Discussed in Team Container",
        "**Discussed in Team SIG standardization",
    }
    configured = (
        '[tool.minutesbot.teams.sig-standardization]\nname = "SIG Standardization/Certification"\n'
    )
    assert _headlines(corpus_minutes, tmp_path, files[2:], configured) == {
        "**Discussed in Team SIG Standardization/Certification"
    }


def test_a_team_whose_titles_never_name_it_is_called_by_its_folder_as_written(tmp_path):
    from minutesbot.config import Config
    from minutesbot.teams import team_title

    folder = tmp_path / "sig-iam"
    folder.mkdir()
    (folder / "20240101.md").write_text("# 2024-01-01\n\n## Topic\n", encoding="utf-8")
    assert team_title(tmp_path, "sig-iam", Config()) == "sig-iam"
    (folder / "20240108.md").write_text("---\nx: 1\n---\n# SIG IAM weekly\n", encoding="utf-8")
    assert team_title(tmp_path, "sig-iam", Config()) == "SIG IAM"


def test_a_teams_title_is_read_from_its_minutes_as_every_command_finds_them(tmp_path):
    """Not from a hidden draft, nor through a link leading out of the root, nor from a
    FIFO (whose read would never end: ``publish`` in CI would hang)."""
    import os
    import signal

    from minutesbot.config import Config
    from minutesbot.teams import team_title

    root = tmp_path / "minutes"
    folder = root / "iaas"
    folder.mkdir(parents=True)
    (folder / "20240101.md").write_text("# 2024-01-01 Team IaaS\n", encoding="utf-8")
    (folder / ".draft.md").write_text("# IAAS draft\n", encoding="utf-8")
    (tmp_path / "zzz.md").write_text("# Notes of the IAAS\n", encoding="utf-8")
    (folder / "zzz.md").symlink_to(tmp_path / "zzz.md")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "zzzz.md")
    if hasattr(signal, "SIGALRM"):  # a read of the FIFO fails the test, not the whole run

        def hung(*_):
            raise TimeoutError("team_title read a FIFO")

        signal.signal(signal.SIGALRM, hung)
        signal.alarm(10)
    try:
        assert team_title(root, "iaas", Config()) == "IaaS"
    finally:
        if hasattr(signal, "SIGALRM"):
            signal.alarm(0)
