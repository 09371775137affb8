"""No part of the token in any output, however an answer echoes it (issue 16, point 3:
``publish``, ``new`` and ``agenda-pr`` printed it after a letter or digit, percent-encoded
in a 401 ``Bad credentials: token%20...``, or with its last 6 characters cut off)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from ghfake.fixtures import (  # noqa: F401
    FILE,
    MEETING,
    TOKEN,
    gh_env,
    ghfake,
    invoke,
    minutes_repo,
    seed,
)

from minutesbot.secrets import FRAGMENT, scrub_token


def leaks(text: str) -> list[str]:
    """Every run of FRAGMENT characters of the token (or its encoded form) found in ``text``."""
    forms = (TOKEN, quote(TOKEN, safe=""))
    return [
        form[i : i + FRAGMENT]
        for form in forms
        for i in range(len(form) - FRAGMENT + 1)
        if form[i : i + FRAGMENT] in text
    ]


@pytest.mark.parametrize("echo", ["whole", "encoded", "cut", "glued"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_publish_prints_no_part_of_the_token(tmp_path, ghfake, gh_env, echo, method):
    seed(ghfake)
    ghfake.inject("echo-token", method=method, times=None, echo=echo)
    result = invoke(minutes_repo(tmp_path), gh_env, "publish", FILE)
    assert result.exit_code != 0 or "failed" in result.output
    assert not leaks(result.output), result.output
    assert "***" in result.output


# An action linking an issue: ``new`` asks GitHub for its state.
LINKED = MEETING + "\n### Budget\n- AI @dave: follow acme/harbor#62\n"
COMMANDS = {
    "new": (None, ("new", "--team", "container", "--date", "2024-04-25", "--stdout")),
    "agenda-pr": (None, ("agenda-pr", "--team", "container")),
    "agenda-pr writing": ("POST", ("agenda-pr", "--team", "container")),
}


@pytest.mark.parametrize("echo", ["whole", "encoded", "cut", "glued"])
@pytest.mark.parametrize(("method", "command"), COMMANDS.values(), ids=COMMANDS.keys())
def test_new_and_agenda_pr_print_no_part_of_the_token(
    tmp_path, ghfake, gh_env, echo, method, command
):
    seed(ghfake)
    ghfake.add_repo("acme/minutes")
    ghfake.add_branch("acme/minutes", "main", {"README.md": "minutes\n"})
    ghfake.inject("echo-token", method=method, times=None, echo=echo)
    result = invoke(minutes_repo(tmp_path, {"container/20240418.md": LINKED}), gh_env, *command)
    assert not leaks(result.output), result.output
    assert "***" in result.output  # the echo was shown, scrubbed


@pytest.mark.parametrize(
    "text",
    [
        f"Bad credentials: token%20{TOKEN}",
        f"token {TOKEN[:-6]} refused",
        f"x{TOKEN}y",
        f"Bearer {quote(TOKEN, safe='')}",
        f"echo {TOKEN[3:14]}",
    ],
)
def test_scrub_blanks_fragments_and_encoded_forms(text):
    scrubbed = scrub_token(text, TOKEN)
    assert not leaks(scrubbed) and "***" in scrubbed
