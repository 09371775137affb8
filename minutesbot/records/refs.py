"""GitHub issue, pull request and discussion references in text.

A ref is written ``owner/repo#N`` in lower case (``orgs/ORG#N`` for an
organisation discussion). The same rules serve the parser (refs in minutes)
and the command line (``minutesbot history cluster-stacks#56``). The
vocabulary (whose patterns take 9 ms to compile) is imported where a text
has a ``#``, not for reading a REF from the command line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GITHUB_URL = re.compile(
    r"https?://(?:www\.)?github\.com/"
    r"(?:orgs/(?P<org>[A-Za-z0-9][\w.-]*)/discussions/(?P<onum>\d+)"
    r"|(?P<owner>[A-Za-z0-9][\w.-]*)/(?P<repo>[\w.-]+)/(?P<kind>issues|pull|discussions)/(?P<num>\d+))"
    r"(?![\w-])",
    re.I,
)
ANY_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.I)
SHORT_REF = re.compile(
    r"(?<![\w/.#@-])(?:(?P<owner>[A-Za-z0-9][\w.-]*)/)?(?P<repo>[A-Za-z0-9_.-]*[A-Za-z][\w.-]*?)/?#(?P<num>\d+)\b"
)
BARE_REF = re.compile(r"(?<![\w/&#-])#(?P<num>\d+)\b")

KINDS = {"issues": "issue", "pull": "pull", "discussions": "discussion"}


@dataclass(frozen=True)
class Ref:
    ref: str
    kind: str
    url: str


def _url(owner: str, repo: str, num: str, kind: str) -> str:
    path = {"issue": "issues", "pull": "pull", "discussion": "discussions"}[kind]
    return f"https://github.com/{owner}/{repo}/{path}/{num}"


def refs_in(text: str, default_owner: str | None, default_repo: str | None = None) -> list[Ref]:
    """Every ref in a piece of searchable text, in order of appearance.

    ``default_owner`` completes ``repo#N``; ``default_repo`` (``owner/repo``)
    makes a bare ``#N`` a ref, which it otherwise is not.
    """
    found: list[tuple[int, Ref]] = []
    if "github.com" in text:
        for m in GITHUB_URL.finditer(text):
            if m.group("org"):
                org, num = m.group("org"), m.group("onum")
                found.append(
                    (
                        m.start(),
                        Ref(
                            f"orgs/{org.lower()}#{num}",
                            "discussion",
                            f"https://github.com/orgs/{org}/discussions/{num}",
                        ),
                    )
                )
            else:
                owner, repo, kind, num = m.group("owner", "repo", "kind", "num")
                if owner.lower() == "orgs":
                    continue
                found.append(
                    (
                        m.start(),
                        Ref(
                            f"{owner.lower()}/{repo.lower()}#{num}",
                            KINDS[kind.lower()],
                            _url(owner, repo, num, KINDS[kind.lower()]),
                        ),
                    )
                )
    if "#" in text:
        from minutesbot.records.vocabulary import EVERYDAY_WORDS

        prose = _prose(text)
        for m in SHORT_REF.finditer(prose):
            owner, repo, num = m.group("owner"), m.group("repo"), m.group("num")
            if repo.lower() in EVERYDAY_WORDS and owner is None:
                continue
            owner = owner or default_owner
            if not owner:
                continue
            found.append(
                (
                    m.start(),
                    Ref(
                        f"{owner.lower()}/{repo.lower()}#{num}",
                        "issue",
                        _url(owner, repo, num, "issue"),
                    ),
                )
            )
        if default_repo:
            owner, _, repo = default_repo.partition("/")
            for m in BARE_REF.finditer(prose):
                num = m.group("num")
                found.append(
                    (
                        m.start(),
                        Ref(
                            f"{default_repo.lower()}#{num}",
                            "issue",
                            _url(owner, repo, num, "issue"),
                        ),
                    )
                )
    found.sort(key=lambda pair: pair[0])
    return [ref for _, ref in found]


def _prose(text: str) -> str:
    """``text`` with its URLs blanked (same length): a URL's ``#fragment`` is no ref."""
    return ANY_URL.sub(lambda m: " " * len(m.group(0)), text) if "://" in text else text


def refs_without_owner(text: str) -> list[str]:
    """The ``repo#N`` of ``text`` as written, where no owner is known to complete them:
    :func:`refs_in` leaves them out, so they name no issue until one is configured."""
    if "#" not in text:
        return []
    from minutesbot.records.vocabulary import EVERYDAY_WORDS

    return [
        m.group(0)
        for m in SHORT_REF.finditer(_prose(text))
        if m.group("owner") is None and m.group("repo").lower() not in EVERYDAY_WORDS
    ]


class RefError(ValueError):
    """A reference given on the command line that names no issue."""


_GITHUB_PAGE = re.compile(r"https?://(?:www\.)?github\.com/", re.I)
# What may follow the number of an issue, pull request or discussion URL: a
# pull request's tab (with a commit or a range on it), a slash, a query, a
# fragment. Anything else ("/../../pull/9") is another page than the issue.
_URL_TAIL = re.compile(
    r"(?:/(?:files|commits|checks)(?:/[0-9a-f]+(?:\.{2,3}[0-9a-f]+)?)?)?/?"
    r"(?:[?#]\S*)?"
)
# Possessive: neither name can give back characters the other could take ('/' and '#'
# are in neither), so a long name is scanned once.
_REPO_OPTION = re.compile(r"(?:(?P<owner>[\w.-]++)/)?(?P<repo>[\w.-]++)")
# ``repo/#N`` too, as minutes write it and the parser reads it (SHORT_REF).
_SHORT_FORM = re.compile(r"(?<![\w.-])" + _REPO_OPTION.pattern + r"/?#(?P<num>\d++)")
# Names GitHub refuses that the patterns above let through.
_NOT_NAMES = frozenset({".", ".."})


def parse_ref(text: str, default_owner: str | None = None, repo: str | None = None) -> str:
    """Normalise a user's REF: URL, ``owner/repo#N``, ``repo#N``, or ``#N`` with ``repo``.

    Strict, unlike :func:`refs_in` on minutes: what a user typed that is not
    exactly a ref (a URL to another page, a ``repo`` for a REF that names
    its repository already) is a :class:`RefError`, not a guess.
    """
    text = text.strip()
    if _GITHUB_PAGE.match(text):
        m = GITHUB_URL.match(text)
        if not m or not _URL_TAIL.fullmatch(text, m.end()) or m.group("repo") in _NOT_NAMES:
            raise RefError(f"{text}: not the URL of an issue, pull request or discussion")
        _no_repo_option(text, repo)
        if m.group("org"):
            return f"orgs/{m.group('org').lower()}#{m.group('onum')}"
        return f"{m.group('owner').lower()}/{m.group('repo').lower()}#{m.group('num')}"
    m = _SHORT_FORM.fullmatch(text)
    if m:
        _no_repo_option(text, repo)
        return f"{_full_repo(m, default_owner, text)}#{m.group('num')}"
    m = re.fullmatch(r"#?(\d+)", text)
    if m:
        if not repo:
            raise RefError(f"{text}: a bare number needs --repo OWNER/REPO")
        option = _REPO_OPTION.fullmatch(repo)
        if not option:
            raise RefError(f"--repo {repo}: write OWNER/REPO, or REPO with a default owner")
        return f"{_full_repo(option, default_owner, f'--repo {repo}')}#{m.group(1)}"
    raise RefError(
        f"{text}: not an issue reference (OWNER/REPO#N, REPO#N, #N with --repo, or a URL)"
    )


def _no_repo_option(text: str, repo: str | None) -> None:
    """A REF that names its repository leaves no place for ``--repo``: which would count?"""
    if repo is not None:
        raise RefError(f"{text} names its repository: --repo {repo} is only for a bare #N")


def _full_repo(m: re.Match[str], default_owner: str | None, where: str) -> str:
    """``owner/repo`` in lower case from a match with ``owner`` (maybe absent) and ``repo``."""
    owner = m.group("owner") or default_owner
    if not owner:
        raise RefError(f"{where}: no owner; write OWNER/REPO or configure default-owner")
    if owner in _NOT_NAMES or m.group("repo") in _NOT_NAMES:
        raise RefError(f"{where}: {owner}/{m.group('repo')} is no repository name")
    return f"{owner.lower()}/{m.group('repo').lower()}"
