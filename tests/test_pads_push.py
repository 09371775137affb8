"""push_agenda over real HTTP: where the agenda goes, and what is never overwritten."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from padfake.server import FakePad

from minutesbot.pads.push import push_agenda
from minutesbot.pads.sections import cut_meeting, meetings
from minutesbot.pads.servers import locate, open_pad
from minutesbot.pads.transport import PadError, PadPolicy, Transport

TOKEN = "pad-token-123"
FAST = PadPolicy(connect_timeout=1, read_timeout=1, deadline=10, attempts=2, backoff=0.01)
NEXT = date(2024, 5, 23)
AGENDA = "# 2024-05-23\n\n## Participants\n\n- (add yourself)\n\n## Agenda\n\n- R7\n"
HELD = "# 2024-05-16\n\n## Participants\n- @a\n\n## Agenda\n- discussed\n"
OLDER = "# 2024-05-09\n- older\n"


def push(fake: FakePad, tmp_path: Path, agenda: str = AGENDA, day: date = NEXT):
    with Transport(FAST, TOKEN if fake.kind != "hedgedoc1" else None) as transport:
        server = open_pad(locate(f"{fake.origin}/team", fake.kind), transport)
        return push_agenda(server, agenda, day, tmp_path / "20240523.md")


@pytest.mark.parametrize("kind", ["hedgedoc2", "hackmd"])
def test_the_agenda_goes_on_top_of_a_newest_first_pad(kind, tmp_path):
    with FakePad(kind) as fake:
        fake.add_note("team", f"# Team 2024\n\n{HELD}\n{OLDER}", token=TOKEN)
        done = push(fake, tmp_path)
        assert (done.outcome, done.url) == ("inserted", f"{fake.origin}/team")
        text = fake.text("team")
        assert text.startswith("# Team 2024\n\n# 2024-05-23\n<!-- minutesbot: agenda of 2024-05-23")
        assert [m.day for m in meetings(text)] == [NEXT, date(2024, 5, 16), date(2024, 5, 9)]
        assert HELD in text and OLDER in text


def test_the_agenda_goes_below_in_a_newest_last_pad(tmp_path):
    with FakePad("hedgedoc2") as fake:
        fake.add_note(
            "team",
            "# Team\n## 2024-05-09\n- a\n## 2024-05-16\n- b\n# Appendix\n- links\n",
            token=TOKEN,
        )
        push(fake, tmp_path, AGENDA.replace("# ", "## ", 1))
        text = fake.text("team")
        assert [m.day for m in meetings(text)] == [date(2024, 5, 9), date(2024, 5, 16), NEXT]
        assert text.endswith("- R7\n\n# Appendix\n- links\n")


def test_pushing_the_same_agenda_again_changes_nothing(tmp_path):
    with FakePad("hackmd") as fake:
        fake.add_note("team", HELD, token=TOKEN)
        push(fake, tmp_path)
        first = fake.text("team")
        assert push(fake, tmp_path).outcome == "unchanged"
        assert fake.text("team") == first and fake.counts["PATCH"] == 1


def test_an_agenda_nobody_touched_is_replaced_by_a_newer_one(tmp_path):
    with FakePad("hackmd") as fake:
        fake.add_note("team", HELD, token=TOKEN)
        push(fake, tmp_path)
        done = push(fake, tmp_path, AGENDA.replace("- R7", "- R7\n- R8"))
        assert done.outcome == "replaced"
        assert cut_meeting(fake.text("team"), NEXT).count("- R8") == 1
        assert len(meetings(fake.text("team"))) == 2


def typed_into_the_agenda(fake: FakePad, tmp_path: Path, handles: str) -> str:
    """The agenda pushed, then ``handles`` typed into it in the pad: the pad's text."""
    fake.add_note("team", HELD, token=TOKEN)
    push(fake, tmp_path)
    fake.notes["team"].text = fake.text("team").replace("- (add yourself)", handles)
    return fake.text("team")


def test_minutes_in_the_pad_that_the_repository_lacks_are_never_overwritten(tmp_path):
    with FakePad("hedgedoc2") as fake:
        typed = typed_into_the_agenda(fake, tmp_path, "- @b\n- @c")
        with pytest.raises(PadError) as raised:
            push(fake, tmp_path, AGENDA.replace("- R7", "- R8"))
        assert raised.value.reason == "would-lose"
        message = str(raised.value)
        assert "the pad's meeting of 2024-05-23 (line 1) has 3 line(s) that are not in" in message
        assert "'- @b'" in message and fake.text("team") == typed


def test_minutes_already_in_the_repository_may_be_replaced(tmp_path):
    with FakePad("hedgedoc2") as fake:
        typed_into_the_agenda(fake, tmp_path, "- @b")
        (tmp_path / "20240523.md").write_text(AGENDA.replace("- (add yourself)", "- @b"))
        assert push(fake, tmp_path, AGENDA.replace("- R7", "- R8")).outcome == "replaced"


def test_hedgedoc1_gets_a_new_note_with_the_agenda(tmp_path):
    with FakePad() as fake:
        fake.add_note("team", HELD)
        done = push(fake, tmp_path)
        assert (done.outcome, done.url) == ("created", f"{fake.origin}/created-1")
        assert cut_meeting(fake.text("created-1"), NEXT).startswith("# 2024-05-23\n<!-- minutesbot")
        assert fake.text("team") == HELD


def test_a_pad_edited_while_pushing_gets_the_agenda_into_its_new_text(tmp_path):
    with FakePad("hackmd") as fake:
        fake.add_note("team", HELD, token=TOKEN)

        class Typing:
            """Someone adds a line each time the pad is read, twice."""

            reads = 0

        original = fake.app.get_note

        def typing_reader(**kw):
            reply = original(**kw)
            if Typing.reads < 2:
                Typing.reads += 1
                fake.notes["team"].text += f"- typed {Typing.reads}\n"
            return reply

        fake.app.get_note = typing_reader
        push(fake, tmp_path)
        text = fake.text("team")
        assert (
            "- typed 1" in text and "- typed 2" in text and NEXT in [m.day for m in meetings(text)]
        )
