"""pull_meeting over real HTTP: the file, its images, and nothing written when anything fails."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from padfake.server import PNG, FakePad

from minutesbot.config import Config, TeamConfig
from minutesbot.pads.pull import pull_meeting
from minutesbot.pads.servers import locate, open_pad
from minutesbot.pads.transport import PadError, PadPolicy, Transport
from minutesbot.teams import TeamSetting

FAST = PadPolicy(connect_timeout=1, read_timeout=1, deadline=10, attempts=2, backoff=0.01)
D = date(2024, 5, 16)


def meeting(origin: str) -> str:
    return (
        f"# 2024-05-16\n<!-- template: one meeting per heading -->\n\n## Participants\n- @a \n\n"
        f"## Minutes taking\n- @a\n\n## Agenda\n- the board: ![board]({origin}/uploads/u-1.png)\n"
        f'- again: <img src="{origin}/uploads/u-1.png"> and [the plan](/uploads/plan.jpg)\n'
        f"- not the pad's: ![x](https://elsewhere.example/uploads/x.png)\n"
    )


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def fake():
    with FakePad() as pad:
        pad.add_upload("/uploads/u-1.png")
        pad.add_upload("/uploads/plan.jpg", PNG[:20], "image/jpeg")
        pad.add_note(
            "team-2024", "# Team 2024\n\n" + meeting(pad.origin) + "\n# 2024-05-09\n- older\n"
        )
        yield pad


def pull(fake: FakePad, root: Path, day: date | None = D, note: str = "team-2024", **kw):
    with Transport(FAST) as transport:
        server = open_pad(locate(f"{fake.origin}/{note}"), transport)
        return pull_meeting(server, TeamSetting(root, "container", Config()), day, **kw)


def test_the_meeting_its_images_and_local_links(fake, tmp_path):
    done = pull(fake, tmp_path)
    assert done.outcome == "created" and sorted(done.images) == ["plan.jpg", "u-1.png"]
    text = (tmp_path / "container" / "20240516.md").read_text()
    assert "<!--" not in text and "- @a\n" in text and "older" not in text
    assert "![board](u-1.png)" in text and '<img src="u-1.png">' in text
    assert "[the plan](plan.jpg)" in text and "https://elsewhere.example/uploads/x.png" in text
    assert (tmp_path / "container" / "u-1.png").read_bytes() == PNG
    assert [p.message for p in done.problems] == []


def test_running_again_changes_nothing_and_fetches_no_image(fake, tmp_path):
    pull(fake, tmp_path)
    before = files(tmp_path)
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    gets = fake.counts["GET"]
    again = pull(fake, tmp_path)
    assert again.outcome == "unchanged" and again.images == {}
    assert (
        files(tmp_path) == before
        and {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == stamps
    )
    assert fake.counts["GET"] == gets + 1  # the pad only


def test_a_changed_pad_updates_the_file(fake, tmp_path):
    pull(fake, tmp_path)
    fake.notes["team-2024"].text = fake.text("team-2024").replace(
        "- @a\n\n## Agenda", "- @a\n- @b\n\n## Agenda"
    )
    assert pull(fake, tmp_path).outcome == "updated"
    assert "- @b" in (tmp_path / "container" / "20240516.md").read_text()


def test_without_a_date_the_latest_meeting_held_is_pulled(fake, tmp_path):
    fake.notes["team-2024"].text = "# 2099-01-01\n- agenda to come\n\n" + fake.text("team-2024")
    assert pull(fake, tmp_path, day=None, today=date(2024, 5, 20)).day == D


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda pad: None, "no-meeting"),
        (
            lambda pad: pad.notes.__setitem__(
                "team-2024", pad.notes["team-2024"].__class__("x", private=True)
            ),
            "private",
        ),
        (lambda pad: pad.inject("html", times=None), "private"),
        (lambda pad: pad.uploads.pop("/uploads/plan.jpg"), "not-found"),
        (
            lambda pad: pad.inject("status", status=500, path="/uploads/u-1.png", times=None),
            "failed",
        ),
    ],
)
def test_any_failure_writes_nothing(fake, tmp_path, change, reason):
    change(fake)
    day = date(2024, 5, 23) if reason == "no-meeting" else D
    with pytest.raises(PadError) as raised:
        pull(fake, tmp_path, day=day)
    assert raised.value.reason == reason and "\n" not in str(raised.value)
    assert files(tmp_path) == {}


def test_an_image_that_is_no_image_is_refused(fake, tmp_path):
    fake.add_upload("/uploads/u-1.png", b"<html>", "text/html")
    with pytest.raises(PadError, match="not an image"):
        pull(fake, tmp_path)
    assert files(tmp_path) == {}


def test_lint_problems_come_back(fake, tmp_path):
    fake.notes["team-2024"].text = "# 2024-05-16\n\n## Agenda\n- AI: someone should do it\n"
    messages = [p.message for p in pull(fake, tmp_path).problems]
    assert any("no minutes taker" in m for m in messages)
    assert any("action item without an owner" in m for m in messages)


@pytest.mark.parametrize("to", ["outside", "hidden", "root"])
def test_nothing_is_written_through_a_link_a_walk_does_not_follow(fake, tmp_path, to):
    """The team's folder holds a link on the way to the file (a year folder, as a
    ``filename`` pattern may name one): leading out of the root, into a hidden folder of
    it, or back to the root, nothing is written there, nor any image fetched."""
    root = tmp_path / "minutes"
    target = {"outside": tmp_path / "outside", "hidden": root / ".hid", "root": root}[to]
    (root / "container").mkdir(parents=True)
    target.mkdir(parents=True, exist_ok=True)
    (root / "container/2024").symlink_to(target, target_is_directory=True)
    config = Config(teams={"container": TeamConfig(filename="{date:%Y}/{date:%Y%m%d}.md")})
    with Transport(FAST) as transport:
        server = open_pad(locate(f"{fake.origin}/team-2024"), transport)
        with pytest.raises(PadError, match="nothing is written there") as raised:
            pull_meeting(server, TeamSetting(root, "container", config), D)
    assert raised.value.reason == "invalid"
    assert files(tmp_path) == {}
    assert not [e for e in fake.exchanges if e.path.startswith("/uploads/")]


def test_images_go_beside_the_file_where_its_pattern_names_a_folder(fake, tmp_path):
    """``filename = "{date:%Y}/..."``: the images the file links are looked for, and
    written, in its own folder: one of the same name in the team's folder is another."""
    (tmp_path / "container").mkdir()
    (tmp_path / "container/u-1.png").write_bytes(b"another image")
    config = Config(teams={"container": TeamConfig(filename="{date:%Y}/{date:%Y%m%d}.md")})
    with Transport(FAST) as transport:
        server = open_pad(locate(f"{fake.origin}/team-2024"), transport)
        done = pull_meeting(server, TeamSetting(tmp_path, "container", config), D)
    assert done.outcome == "created" and sorted(done.images) == ["plan.jpg", "u-1.png"]
    assert (tmp_path / "container/2024/u-1.png").read_bytes() == PNG
    assert (tmp_path / "container/u-1.png").read_bytes() == b"another image"
