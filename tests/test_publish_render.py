"""What a backlink says: escaping, mentions, the size cap, templates, the marker."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from minutesbot.config import Config
from minutesbot.links import Links
from minutesbot.publish.backlinks import CUT_NOTE, MAX_BODY, Renderer, marker_for, plan
from minutesbot.records.parser import parse_text
from minutesbot.records.record import Action, Decision, IssueRef, Item, Record

LINKS = Links(
    server="https://github.example", repository="acme/minutes", sha="abc", prefix="minutes/"
)


def backlinks(text: str, config: Config | None = None):
    config = config or Config(default_owner="acme")
    record = parse_text(
        text, source="container/20240418.md", team="container", default_owner="acme"
    )
    return plan(record, LINKS, Renderer(config))


# What GitHub makes live in the text of a rendered comment (outside code, links and pre):
# its mention filter's pattern, and the GFM autolink extension's URLs and addresses.
GITHUB_MENTION = re.compile(r"(?:^|[^A-Za-z0-9_])@[A-Za-z0-9]", re.M)
GFM_AUTOLINK = re.compile(r"(?:https?|ftp)://|www\.|[\w.+-]+@[\w-]+\.[\w-]", re.I)
# Hostile minutes text: the audit's bypasses of the code-span wrapping, and their kin.
HOSTILE = [
    "``x `x @hank` y``",
    "\\`@carol`",
    "_@bob_",
    "*@erin*",
    "\\!\\[a\\](https://evil)",
    "![a](https://evil/x.png)",
    "[click](https://evil)",
    "<https://evil>",
    "www.evil.example",
    "mail eve@evil.example",
    "&#64;dave &commat;frank",
    "x --> <img src=x onerror=alert(1)> & <!-- y",
    "docs/@types/node",
    "back\\",
    "` @grace `",
    "[x]: https://evil",
    "~~@heidi~~",
]


class _Seen(HTMLParser):
    """Tags, comments and the text outside ``code`` of rendered HTML, and all of the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.comments: list[str] = []
        self.live_text: list[str] = []
        self.all_text: list[str] = []
        self._code = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._code += tag == "code"

    def handle_endtag(self, tag):
        self._code -= tag == "code"

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_data(self, data):
        self.all_text.append(data)
        if not self._code:
            self.live_text.append(data)


def rendered(body: str) -> _Seen:
    """The comment as a CommonMark renderer with raw HTML on (as GitHub's) turns it into HTML."""
    seen = _Seen()
    seen.feed(
        MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(body)
    )
    seen.close()
    return seen


def hostile_record(texts: list[str]) -> Record:
    """Built by hand: whatever the parser strips today, the renderer must not trust it to."""
    items = [
        Item(
            title=f"Topic {t}",
            path=[],
            owners=[],
            timebox=None,
            line=3 + 3 * n,
            end_line=5 + 3 * n,
            issues=["acme/x#1"],
            decisions=[Decision(f"use {t}", "Topic", 4 + 3 * n)],
            actions=[Action(["bob"], f"fix {t}", "open", "Topic", 5 + 3 * n)],
        )
        for n, t in enumerate(texts)
    ]
    return Record(
        source="container/20240418.md",
        team="container",
        date="2024-04-18",
        title=None,
        items=items,
        issues=[IssueRef("acme/x#1", "issue", "", [3])],
    )


@pytest.mark.parametrize("neutralize", [True, False])
def test_minutes_text_makes_no_markup_no_links_and_closes_no_marker(neutralize):
    config = Config(default_owner="acme", neutralize_mentions=neutralize)
    [link] = plan(hostile_record(HOSTILE), LINKS, Renderer(config))
    assert link.body.split("\n", 1)[0] == marker_for("container/20240418.md")
    seen = rendered(link.body)
    assert seen.comments == [" minutesbot:backlink source=container/20240418.md "]
    assert {tag for tag, _ in seen.tags} <= {"p", "strong", "ul", "li", "code", "sub", "a"}
    # The only links are the template's own: permalinks to the minutes.
    assert all(
        attrs["href"].startswith("https://github.example/acme/minutes/blob/abc/")
        for tag, attrs in seen.tags
        if tag == "a"
    )
    live = "".join(seen.live_text)
    assert not GFM_AUTOLINK.search(live), live
    assert bool(GITHUB_MENTION.search(live)) == (not neutralize)
    # And every text reads back as written, character for character.
    text = " ".join("".join(seen.all_text).split())
    for hostile in HOSTILE:
        for line in (f"Topic {hostile}", f"Decision: use {hostile}", "Action item ("):
            assert " ".join(line.split()) in text, line
    assert "fix " + " ".join(HOSTILE[0].split()) in text


def test_marker_names_the_file_and_survives_hostile_file_names():
    assert (
        marker_for("container/20240418.md")
        == "<!-- minutesbot:backlink source=container/20240418.md -->"
    )
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
    assert f"{CUT_NOTE}\n\n<sub>From [container/20240418.md]" in link.body
    assert link.body.rstrip().endswith("kept up to date with the minutes.</sub>")


def test_a_huge_title_is_left_out_whole_and_the_footer_stays():
    config = Config(default_owner="acme")
    [small] = plan(hostile_record(["before"]), LINKS, Renderer(config))
    footer = small.body.rstrip().rsplit("\n", 1)[1]
    assert footer.startswith("<sub>From ")
    huge = "x & `y` @z " * 8000
    [link] = plan(hostile_record(["before", huge, "after"]), LINKS, Renderer(config))
    assert len(link.body) <= MAX_BODY
    assert link.body.startswith(small.body.rsplit("\n\n", 1)[0])  # marker and first item whole
    assert (
        "x &" not in link.body and "after" not in link.body
    )  # no part of the cut line, nor what follows
    assert link.body.endswith(f"\n\n{CUT_NOTE}\n\n{footer}\n")
    assert [tag for tag, _ in rendered(link.body).tags][-2:] == ["sub", "a"]


def test_permalinks_use_the_item_line_range():
    [link] = backlinks("# 2024-04-18\n\n## Topic\nacme/x#1\nmore\n\n## Next\ntext\n")
    assert (
        "https://github.example/acme/minutes/blob/abc/minutes/container/20240418.md?plain=1#L3-L5"
        in link.body
    )
    assert "\n\n\n" not in link.body  # blank runs squeezed


def test_ref_outside_any_item_still_gets_a_backlink():
    [link] = backlinks("# 2024-04-18\n\nRelated: acme/x#9\n")
    assert "Mentioned in the minutes of Team container, 2024-04-18" in link.body
    assert "#L3" in link.body


def test_local_template_overrides_the_packaged_one(tmp_path: Path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "backlink.md.j2").write_text(
        "{{ team }} met on {{ date }} about {{ items | map(attribute='title') | join(', ') }}\n"
    )
    config = Config(default_owner="acme", base_dir=tmp_path)
    [link] = backlinks("# 2024-04-18\n\n## Topic & co\nacme/x#1\n", config)
    assert link.body.split("\n", 1)[1] == "container met on 2024-04-18 about Topic & co\n"


def test_discussions_are_planned_as_skipped():
    [link] = backlinks("# 2024-04-18\n\n## Topic\nhttps://github.com/acme/x/discussions/4\n")
    assert link.skip and "discussion" in link.skip and not link.body
