"""Every limit on what a person may store, in one place, and the checks that apply them.

Each refusal names the limit it hit ("the themes field takes at most 10 themes", "a skill is
at most 80 characters"): nothing is cut silently. Text made only of invisible characters
(zero-width spaces, joiners, direction marks, combining marks, whitespace) counts as empty.
Forms on every platform take their field lengths from here too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from bot.errors import InvalidInput

TITLE = 200  # an idea's or event's title (a longer first line moves to the description)
TEXT = 4000  # an idea, its description, a question, feedback, lessons learned
NOTE = 500  # a note on a stage change, an offer, a closed request, a time log, a pulse answer
THEME = 40  # one theme of an idea
THEMES = 10  # themes on one idea
THEME_LABEL = 120  # the description of a theme on the theme list
THEME_LIST = 30  # themes on the organisation's theme list
SEARCH = 200  # the words of one search
TAG = 40  # one tag of a request
TAGS = 10  # tags on one request
SKILL = 80  # one skill
SKILLS = 30  # skills per person
COMMUNITY_NAME = 80  # a community's name (as stored: lowercase words joined by "-")
UNIT_NAME = 120  # a unit's (department, office, region) name
HOURS_PER_LOG = 24.0  # one `log` entry
HOURS_PER_DAY = 24.0  # all of one person's `log` entries on one calendar day (UTC)

# The most characters each form field takes, by (form, field); every platform's form uses it,
# so a field takes the same text on Slack and Teams. Slack's text inputs stop at 3,000
# characters, so a form's long text does too (a typed command takes up to TEXT).
FORM_TEXT = min(3000, TEXT)
FORM_FIELDS: dict[tuple[str, str], int] = {
    ("idea", "title"): TITLE,
    ("idea", "description"): FORM_TEXT,
    ("request", "question"): FORM_TEXT,
    ("request", "tags"): TAGS * (TAG + 2),
    ("feedback", "target"): 40,
    ("feedback", "text"): FORM_TEXT,
    ("event", "title"): TITLE,
}

_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\n\t")
# Format (zero-width, direction marks), control, separators and lone combining marks.
_INVISIBLE = frozenset({"Cf", "Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})


def sanitize(text: str) -> str:
    """Drop control characters (NUL and friends) that no person means to store."""
    return text.translate(_CONTROL)


def visible(text: str) -> bool:
    """Whether ``text`` has at least one character a reader can see."""
    return any(unicodedata.category(ch) not in _INVISIBLE for ch in text)


def _checked(clean: str, *, what: str, limit: int, empty: str, over: str) -> str:
    if not visible(clean):
        raise InvalidInput(empty)
    if len(clean) > limit:
        raise InvalidInput(f"The {what} is {len(clean):,} characters long; {over}.")
    return clean


def text(value: str | None, *, what: str, limit: int) -> str:
    """Required text: sanitised, stripped, visible, at most ``limit`` characters."""
    return _checked(
        sanitize(value or "").strip(),
        what=what,
        limit=limit,
        empty=f"The {what} is empty. Write a few words about it.",
        over=f"the limit is {limit:,} characters",
    )


def optional_text(value: str | None, *, what: str, limit: int) -> str | None:
    """Like :func:`text`, but empty (or invisible) text is simply no text."""
    clean = sanitize(value or "").strip()
    if not visible(clean):
        return None
    return text(clean, what=what, limit=limit)


def words(values: Iterable[str], *, what: str, each: int, most: int) -> tuple[str, ...]:
    """A short list (themes, tags): each entry visible and at most ``each`` characters, at
    most ``most`` distinct entries, in the order given."""
    found: dict[str, None] = {}
    for raw in values:
        clean = " ".join(sanitize(raw).split())
        if not visible(clean):
            continue
        if len(clean) > each:
            raise InvalidInput(
                f'The {what} "{clean[:30]}…" is {len(clean):,} characters long; '
                f"each of the {what}s takes at most {each} characters."
            )
        found[clean] = None
    if len(found) > most:
        raise InvalidInput(f"That is {len(found)} {what}s; the limit is {most} {what}s.")
    return tuple(found)


def name(value: str, *, what: str, limit: int) -> str:
    """A name (skill, community, unit) of at most ``limit`` characters, never cut."""
    return _checked(
        " ".join(sanitize(value).split()),
        what=what,
        limit=limit,
        empty=f"The {what} is empty.",
        over=f"a {what} is at most {limit} characters",
    )
