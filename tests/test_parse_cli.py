"""``minutesbot parse`` on real files, good and bad, through the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from minutesbot.cli import main

GOOD = (
    "# 2024-04-18\n\n## Participants\n\n- @alice\n\n"
    "## Topic (@alice, 5min)\n\n- AI @bob: do πmin things\n"
)


def run(*args: str):
    runner = CliRunner()
    result = runner.invoke(main, list(args), catch_exceptions=False)
    return result


def records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "minutes"
    (root / "widgets").mkdir(parents=True)
    (root / "widgets" / "20240418.md").write_text(GOOD, encoding="utf-8")
    return root


def test_json_record_has_the_spec_fields(tree: Path):
    result = run("parse", "--json", "--root", str(tree), str(tree / "widgets" / "20240418.md"))
    assert result.exit_code == 0
    (record,) = records(result.stdout)
    assert record["schema"] == "minutesbot.record/1"
    assert record["source"] == "widgets/20240418.md"
    assert record["team"] == "widgets"
    assert record["items"][0]["timebox"] == 5
    assert record["actions"][0]["owners"] == ["bob"]


def test_directory_means_every_minutes_file_sorted(tree: Path):
    (tree / "widgets" / "20240411.md").write_text(GOOD.replace("2024-04-18", "2024-04-11"))
    (tree / "gadgets").mkdir()
    (tree / "gadgets" / "20240101.md").write_text(GOOD.replace("2024-04-18", "2024-01-01"))
    (tree / ".minutesbot").mkdir()
    (tree / ".minutesbot" / "cache.md").write_text("not minutes")
    result = run("parse", "--json", "--root", str(tree), str(tree))
    assert [r["source"] for r in records(result.stdout)] == [
        "gadgets/20240101.md",
        "widgets/20240411.md",
        "widgets/20240418.md",
    ]


def test_summary_without_json(tree: Path):
    result = run("parse", "--root", str(tree), str(tree / "widgets"))
    assert result.exit_code == 0
    assert "widgets/20240418.md · 2024-04-18 · team widgets" in result.stdout
    assert "@bob: do πmin things" in result.stdout


def test_summary_shows_handles_and_names_of_absent_people(tree: Path):
    (tree / "widgets" / "20240425.md").write_text(
        "# 2024-04-25\n\n## Housekeeping\n\n- @carol on vacation until May\n"
        "- Frank won't be available next week\n"
    )
    result = run("parse", "--root", str(tree), str(tree / "widgets" / "20240425.md"))
    assert "  away: @carol on vacation until May\n" in result.stdout
    assert "  away: Frank won't be available next week\n" in result.stdout


def test_default_owner_option_and_environment(tree: Path, monkeypatch: pytest.MonkeyPatch):
    path = tree / "widgets" / "20240418.md"
    path.write_text(GOOD + "- see cluster-stacks#56\n")
    monkeypatch.setenv("GITHUB_REPOSITORY", "FromEnv/minutes")
    monkeypatch.chdir(tree)
    refs = records(run("parse", "--json", str(path)).stdout)[0]["issues"]
    assert refs[0]["ref"] == "fromenv/cluster-stacks#56"
    refs = records(run("parse", "--json", "--default-owner", "Opt", str(path)).stdout)[0]["issues"]
    assert refs[0]["ref"] == "opt/cluster-stacks#56"


def write_bytes(tree: Path, name: str, data: bytes) -> Path:
    path = tree / "widgets" / name
    path.write_bytes(data)
    return path


def parse_one(tree: Path, path: Path):
    result = run("parse", "--json", "--root", str(tree), str(path))
    return result, records(result.stdout)


def test_invalid_utf8_is_decoded_with_a_warning_naming_file_and_line(tree: Path):
    path = write_bytes(tree, "20240502.md", GOOD.encode() + b"- caf\xe9 with Ren\xe9\n")
    result, (record,) = parse_one(tree, path)
    assert result.exit_code == 0
    assert "widgets/20240502.md: line 10: byte 0xe9" in result.stderr
    assert record["date"] == "2024-04-18"


def test_mojibake_is_repaired(tree: Path):
    broken = GOOD.replace("πmin", "Ï€min").replace("(@alice, 5min)", "(@alice, Ï€min)")
    path = write_bytes(tree, "20240503.md", broken.encode("utf-8"))
    result, (record,) = parse_one(tree, path)
    assert record["actions"][0]["text"] == "do πmin things"
    assert record["items"][0]["timebox"] is None
    assert "repaired mojibake" in result.stderr


def test_bom_and_crlf(tree: Path):
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    path = write_bytes(tree, "20240504.md", data)
    result, (record,) = parse_one(tree, path)
    assert result.exit_code == 0
    assert record["title"] == "2024-04-18"
    assert record["items"][0]["line"] == 7
    assert record["actions"][0]["text"] == "do πmin things"


def test_utf16_with_bom(tree: Path):
    path = write_bytes(tree, "20240505.md", GOOD.encode("utf-16"))
    _, (record,) = parse_one(tree, path)
    assert record["participants"] == [{"handle": "alice", "name": None}]


def test_empty_file(tree: Path):
    path = write_bytes(tree, "20240506.md", b"")
    result, (record,) = parse_one(tree, path)
    assert result.exit_code == 0
    assert record["date"] == "2024-05-06"
    assert record["items"] == []


def test_binary_file_is_one_line_error_and_others_still_print(tree: Path):
    bad = write_bytes(tree, "20240507.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = run(
        "parse", "--json", "--root", str(tree), str(bad), str(tree / "widgets" / "20240418.md")
    )
    assert result.exit_code == 1
    assert len(records(result.stdout)) == 1
    errors = [ln for ln in result.stderr.splitlines() if "error" in ln]
    assert len(errors) == 1 and "20240507.md: binary file" in errors[0]
    assert "Traceback" not in result.stderr


def test_missing_file(tree: Path):
    result = run("parse", str(tree / "widgets" / "20990101.md"))
    assert result.exit_code == 1
    assert "20990101.md: no such file" in result.stderr
    assert "Traceback" not in result.output


def test_huge_file_is_refused_by_size_not_read(tree: Path):
    path = tree / "widgets" / "20240508.md"
    with path.open("wb") as handle:
        handle.write(GOOD.encode())
        handle.truncate(20 * 1024 * 1024)
    result = run("parse", "--root", str(tree), str(path))
    assert result.exit_code == 1
    assert "20240508.md: 21.0 MB is more than the 10.5 MB" in result.stderr


def test_huge_file_within_a_raised_limit_parses(tree: Path, monkeypatch: pytest.MonkeyPatch):
    (tree.parent / "minutesbot.toml").write_text("max-file-bytes = 30000000\n")
    monkeypatch.chdir(tree.parent)
    body = "".join(f"- line {n} about lantern#{n}\n" for n in range(60_000))
    path = write_bytes(tree, "20240509.md", (GOOD + body).encode())
    assert path.stat().st_size > 1_000_000
    result, (record,) = parse_one(tree, path)
    assert result.exit_code == 0
    assert record["line_count"] > 60_000


def test_no_date_anywhere(tree: Path):
    path = write_bytes(tree, "notes.md", b"# Weekly call\n\n## Topic\n\n- text\n")
    result, (record,) = parse_one(tree, path)
    assert result.exit_code == 0
    assert record["date"] is None
    assert "widgets/notes.md: line 1: no meeting date" in result.stderr


def test_broken_configuration_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "minutesbot.toml").write_text("default-owner = \n")
    monkeypatch.chdir(tmp_path)
    result = run("parse", str(tmp_path))
    assert result.exit_code == 2
    assert "minutesbot.toml: not valid TOML" in result.stderr


def test_module_entry_point_runs():
    done = subprocess.run(
        [sys.executable, "-m", "minutesbot", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "minutesbot" in done.stdout
