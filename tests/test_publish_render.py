"""What a backlink says: escaping, mentions, the size cap, templates, the marker."""
from __future__ import annotations

from pathlib import Path

from minutesbot.config import Config
from minutesbot.parser import parse_text
from minutesbot.record import Action, Decision, IssueRef, Item, Record
from minutesbot.publish import MAX_BODY, Links, Renderer, marker_for, plan

LINKS = Links(server="https://github.example", repository="acme/minutes", sha="abc", prefix="minutes/")


def backlinks(text: str, config: Config | None = None):
    config = config or Config(default_owner="acme")
    record = parse_text(text, source="container/20240418.md", team="container", default_owner="acme")
    return plan(record, config, LINKS, Renderer(config))


def test_minutes_text_cannot_close_the_marker_or_inject_html():
    # Built by hand: whatever the parser strips today, the renderer must not trust it to.
    evil = "x --> <img src=x onerror=alert(1)> & <!-- y"
    record = Record(source="container/20240418.md", team="container", date="2024-04-18", title=None,
                    items=[Item(title=f"Evil {evil}", path=[], owners=[], timebox=None, line=3,
                                end_line=5, issues=["acme/x#1"],
                                decisions=[Decision(f"use {evil}", "Evil", 4)],
                                actions=[Action(["bob"], f"fix {evil}", "open", "Evil", 5)])],
                    issues=[IssueRef("acme/x#1", "issue", "", [3])])
    config = Config(default_owner="acme")
    [link] = plan(record, config, LINKS, Renderer(config))
    first, rest = link.body.split("\n", 1)
    assert first == marker_for("container/20240418.md")
    rest = rest.replace("<sub>", "").replace("</sub>", "")  # the template's own markup
    assert "<" not in rest and ">" not in rest.replace("&gt;", "")
    safe = "x --&gt; &lt;img src=x onerror=alert(1)&gt; &amp; &lt;!-- y"
    for line in (f"Evil {safe}**", f"Decision: use {safe}", f"Action item (`@bob`): fix {safe}"):
        assert line in rest


def test_marker_names_the_file_and_survives_hostile_file_names():
    assert marker_for("container/20240418.md") == \
        "<!-- minutesbot:backlink source=container/20240418.md -->"
    odd = marker_for("team/a --><b>.md")
    assert odd.count("-->") == 1 and odd.endswith(" -->") and "<b>" not in odd


def test_mentions_are_neutralised_unless_configured_otherwise():
    text = "# 2024-04-18\n\n## Topic (@alice)\nacme/x#1\n- AI @bob: ask @carol and @acme/team\n"
    [link] = backlinks(text)
    assert "Action item (`@bob`): ask `@carol` and `@acme/team`" in link.body
    assert " @carol" not in link.body
    [loud] = backlinks(text, Config(default_owner="acme", neutralize_mentions=False))
    assert "Action item (@bob): ask @carol and @acme/team" in loud.body


def test_body_capped_at_githubs_limit():
    decisions = "".join(f"- Decision: {'word ' * 40}{n}\n" for n in range(600))
    [link] = backlinks(f"# 2024-04-18\n\n## Big\nacme/x#1\n{decisions}")
    assert len(link.body) <= MAX_BODY
    assert link.body.startswith(marker_for("container/20240418.md") + "\n")
    assert link.body.rstrip().endswith("the minutes have the rest)")


def test_permalinks_use_the_item_line_range():
    [link] = backlinks("# 2024-04-18\n\n## Topic\nacme/x#1\nmore\n\n## Next\ntext\n")
    assert "https://github.example/acme/minutes/blob/abc/minutes/container/20240418.md#L3-L5" in link.body
    assert "\n\n\n" not in link.body  # blank runs squeezed


def test_ref_outside_any_item_still_gets_a_backlink():
    [link] = backlinks("# 2024-04-18\n\nRelated: acme/x#9\n")
    assert "Mentioned in the minutes of Team Container, 2024-04-18" in link.body
    assert "#L3" in link.body


def test_local_template_overrides_the_packaged_one(tmp_path: Path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "backlink.md.j2").write_text(
        "{{ team }} met on {{ date }} about {{ items | map(attribute='title') | join(', ') }}\n")
    config = Config(default_owner="acme", base_dir=tmp_path)
    [link] = backlinks("# 2024-04-18\n\n## Topic & co\nacme/x#1\n", config)
    assert link.body.split("\n", 1)[1] == "Container met on 2024-04-18 about Topic &amp; co\n"


def test_discussions_are_planned_as_skipped():
    [link] = backlinks("# 2024-04-18\n\n## Topic\nhttps://github.com/acme/x/discussions/4\n")
    assert link.skip and "discussion" in link.skip and not link.body
