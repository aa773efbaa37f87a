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
from bot.i18n import LazyText, _, formats, lazy
from bot.text import cut

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

# What each checked value is called in a refusal, in the reader's language.
_WHAT: dict[str, LazyText] = {
    "comment": lazy("comment"),
    "community name": lazy("community name"),
    "description": lazy("description"),
    "event title": lazy("event title"),
    "feedback": lazy("feedback"),
    "idea": lazy("idea"),
    "lessons learned": lazy("lessons learned"),
    "message": lazy("message"),
    "note": lazy("note"),
    "question": lazy("question"),
    "skill": lazy("skill"),
    "tag": lazy("tag"),
    "theme": lazy("theme"),
    "theme description": lazy("theme description"),
    "unit name": lazy("unit name"),
}
_WHATS: dict[str, LazyText] = {
    "skill": lazy("skills"),
    "tag": lazy("tags"),
    "theme": lazy("themes"),
}


def _noun(what: str) -> str:
    return str(_WHAT.get(what, what))


def _nouns(what: str) -> str:
    return str(_WHATS[what]) if what in _WHATS else f"{_noun(what)}s"


def _count(n: int) -> str:
    return formats.number(n, digits=0)


_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\n\t")
# Format (zero-width, direction marks), control, separators and lone combining marks.
_INVISIBLE = frozenset({"Cf", "Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})


def sanitize(text: str) -> str:
    """Drop control characters (NUL and friends) that no person means to store."""
    return text.translate(_CONTROL)


def visible(text: str) -> bool:
    """Whether ``text`` has at least one character a reader can see."""
    return any(unicodedata.category(ch) not in _INVISIBLE for ch in text)


def text(value: str | None, *, what: str, limit: int) -> str:
    """Required text: sanitised, stripped, visible, at most ``limit`` characters."""
    clean = sanitize(value or "").strip()
    if not visible(clean):
        raise InvalidInput(
            _("The {what} is empty. Write a few words about it.").format(what=_noun(what))
        )
    if len(clean) > limit:
        raise InvalidInput(
            _("The {what} is {length} characters long; the limit is {most} characters.").format(
                what=_noun(what), length=_count(len(clean)), most=_count(limit)
            )
        )
    return clean


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
                _(
                    'The {what} "{start}…" is {length} characters long; '
                    "each of the {whats} takes at most {most} characters."
                ).format(
                    what=_noun(what),
                    start=cut(clean, 30, ""),
                    length=_count(len(clean)),
                    whats=_nouns(what),
                    most=_count(each),
                )
            )
        found[clean] = None
    if len(found) > most:
        raise InvalidInput(
            _("That is {n} {whats}; the limit is {most} {whats}.").format(
                n=_count(len(found)), whats=_nouns(what), most=_count(most)
            )
        )
    return tuple(found)


def name(value: str, *, what: str, limit: int) -> str:
    """A name (skill, community, unit) of at most ``limit`` characters, never cut."""
    clean = " ".join(sanitize(value).split())
    if not visible(clean):
        raise InvalidInput(_("The {what} is empty.").format(what=_noun(what)))
    if len(clean) > limit:
        raise InvalidInput(
            _(
                "The {what} is {length} characters long; a {what} is at most {most} characters."
            ).format(what=_noun(what), length=_count(len(clean)), most=_count(limit))
        )
    return clean
