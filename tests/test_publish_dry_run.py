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
