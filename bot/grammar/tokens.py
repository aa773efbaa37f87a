"""Lexical pieces of the command grammar and the readers the parser builds on.

The scanner reads one token at a time so that free text (an idea, a note) is taken
from the original line exactly as typed, quotes and all, while the structured part
before it understands quoted titles and platform mentions. The readers take one
argument each and raise a ``CopError`` carrying the verb's usage when it is wrong.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeVar

from bot.errors import InvalidInput, UsageError
from bot.grammar.commands import ItemRef, PersonRef
from bot.grammar.help import USAGE
from bot.i18n import LazyText, _, lazy

C = TypeVar("C", bound=str)

ItemKind = Literal["I", "R", "E"]
TokenKind = Literal["word", "quoted", "mention", "angle"]

KIND_NAMES: dict[ItemKind, LazyText] = {
    "I": lazy("an idea"),
    "R": lazy("a request"),
    "E": lazy("an event"),
}
KIND_EXAMPLES: dict[ItemKind, str] = {"I": "I-12", "R": "R-34", "E": "E-5"}

QUOTES = '"“”'
_TRAILING = ".,;:!?)"
_FLAGS = re.IGNORECASE | re.ASCII
_TEAMS_MENTION = re.compile(r"<at>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_ANGLE = re.compile(r"<[^<>\n]*>")
_ITEM = re.compile(r"#?([IRE])-?(\d{1,9})", _FLAGS)
_SLACK_USER = re.compile(r"<@([A-Z0-9]+)(?:\|([^>]*))?>", _FLAGS)
DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", _FLAGS)
_NUMBER = re.compile(r"[+-]?\d{1,12}(?:[.,]\d{1,6})?", _FLAGS)


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # the value: a word as typed, a quoted string without quotes, a mention's name
    raw: str  # the characters of the line it came from
    start: int
    end: int
    kind: TokenKind = "word"


class Scanner:
    """Reads tokens from ``text`` on demand, starting at ``pos``."""

    def __init__(self, text: str, pos: int = 0) -> None:
        self.text = text
        self.pos = pos

    def peek(self) -> Token | None:
        return _scan(self.text, self.pos)

    def next(self) -> Token | None:
        token = _scan(self.text, self.pos)
        if token is not None:
            self.pos = token.end
        return token

    def rest(self) -> str | None:
        """Everything left on the line as typed, stripped; None when nothing is left."""
        rest = self.text[self.pos :].strip()
        self.pos = len(self.text)
        return rest or None

    def tokens(self) -> list[Token]:
        """All tokens left on the line."""
        found: list[Token] = []
        while (token := self.next()) is not None:
            found.append(token)
        return found


def _scan(text: str, pos: int) -> Token | None:
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    if pos >= n:
        return None
    if m := _TEAMS_MENTION.match(text, pos):
        return Token(" ".join(m[1].split()), m[0], pos, m.end(), "mention")
    if m := _ANGLE.match(text, pos):
        return Token(m[0], m[0], pos, m.end(), "angle")
    if text[pos] in QUOTES:
        close = _find_quote(text, pos + 1)
        if close >= 0:
            return Token(text[pos + 1 : close], text[pos : close + 1], pos, close + 1, "quoted")
    end = pos
    while end < n and not text[end].isspace():
        if text[end] in QUOTES and end > pos:
            close = _find_quote(text, end + 1)
            if close >= 0:
                end = close
        end += 1
    return Token(text[pos:end], text[pos:end], pos, end)


def _find_quote(text: str, pos: int) -> int:
    for i in range(pos, len(text)):
        if text[i] in QUOTES:
            return i
    return -1


def unquote(text: str) -> str:
    """``"Data Science"`` → ``Data Science``; whitespace collapsed."""
    text = text.strip()
    if len(text) >= 2 and text[0] in QUOTES and text[-1] in QUOTES:
        text = text[1:-1]
    return " ".join(text.split())


def item_ref(text: str) -> ItemRef | None:
    """``I-12``, ``i12``, ``#I-12`` (trailing punctuation ignored) → ItemRef; otherwise None."""
    m = _ITEM.fullmatch(text.rstrip(_TRAILING))
    if m is None or int(m[2]) == 0:
        return None
    kind: ItemKind = "I"
    letter = m[1].upper()
    if letter == "R":
        kind = "R"
    elif letter == "E":
        kind = "E"
    return ItemRef(kind, int(m[2]))


def person_ref(token: Token) -> PersonRef | None:
    """``@ana``, Slack ``<@U123|ana>`` or a Teams ``<at>Ana Lopez</at>`` → PersonRef; else None."""
    if token.kind == "mention":
        return PersonRef(token.text) if token.text else None
    if token.kind == "angle":
        m = _SLACK_USER.fullmatch(token.text)
        if m is None:
            return None
        label = m[2].strip() if m[2] else ""
        return PersonRef(m[1], label or None)
    if token.kind == "word" and token.text.startswith("@"):
        name = token.text[1:].rstrip(_TRAILING)
        if name and not name.startswith("@"):
            return PersonRef(name)
    return None


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` most likely meant: a unique prefix, else the closest spelling.

    Close spellings come from difflib; among them the fewest edits wins, then the
    nearest length (``ideaz`` → ``ideas`` rather than ``idea``).
    """
    options = list(choices)
    word = word.lower()
    if len(word) >= 2:
        prefixed = [c for c in options if c.startswith(word)]
        if len(prefixed) == 1:
            return prefixed[0]
    close = difflib.get_close_matches(word, options, n=len(options), cutoff=0.6)
    if not close:
        return None
    return min(close, key=lambda c: (_edits(word, c), abs(len(c) - len(word))))


def _edits(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit (optimal string alignment)."""
    previous: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, row = previous, row, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], before[j - 2] + 1)
    return row[len(b)]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` Did you mean "pilot"?`` or an empty string."""
    best = suggest(word, choices)
    return " " + _('Did you mean "{word}"?').format(word=best) if best else ""


def shown(text: str, limit: int = 40) -> str:
    """User text for an error message: one line, at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Readers: each takes one argument from the scanner or a token, or raises with the verb's usage.


def usage_error(verb: str, message: str) -> UsageError:
    return UsageError(message, usage=USAGE[verb])


def invalid(verb: str, message: str) -> InvalidInput:
    return InvalidInput(message, usage=USAGE[verb])


def expect_end(s: Scanner, verb: str) -> None:
    token = s.next()
    if token is not None:
        raise usage_error(
            verb,
            _('Unexpected "{shown}" at the end of {verb}.').format(
                shown=shown(token.raw), verb=verb
            ),
        )


# The kinds of words `pick` chooses among, and their plural heading, as shown.
_WHAT = {
    "action": lazy("action"),
    "filter": lazy("filter"),
    "format": lazy("format"),
    "kind": lazy("kind"),
    "language": lazy("language"),
    "rating": lazy("rating"),
    "source": lazy("source"),
}
_CHOICES = {
    "action": lazy("Actions"),
    "filter": lazy("Filters"),
    "format": lazy("Formats"),
    "kind": lazy("Kinds"),
    "language": lazy("Languages"),
    "rating": lazy("Ratings"),
    "source": lazy("Sources"),
}


def pick(verb: str, word: str, choices: tuple[C, ...], what: str) -> C:
    """The choice equal to ``word`` (any case), or InvalidInput listing them."""
    low = word.lower()
    for choice in choices:
        if choice == low:
            return choice
    hint = did_you_mean(low, choices)
    listed = ", ".join(choices)
    raise invalid(
        verb,
        _('Unknown {what} "{shown}". {choices}: {listed}.{hint}').format(
            what=str(_WHAT.get(what, what)),
            shown=shown(word),
            choices=str(_CHOICES.get(what, what.capitalize() + "s")),
            listed=listed,
            hint=hint,
        ),
    )


def read_option(s: Scanner, verb: str, choices: tuple[C, ...], what: str, default: C) -> C:
    token = s.next()
    value = default if token is None else pick(verb, token.text, choices, what)
    expect_end(s, verb)
    return value


def read_action(s: Scanner, verb: str, choices: tuple[C, ...]) -> C:
    token = s.next()
    if token is None:
        raise usage_error(
            verb,
            _("{verb} needs an action: {listed}.").format(verb=verb, listed=", ".join(choices)),
        )
    return pick(verb, token.text, choices, "action")


def read_ref(s: Scanner, verb: str, kind: ItemKind | None) -> ItemRef:
    token = s.next()
    wanted = str(KIND_NAMES[kind]) if kind else _("an item")
    example = KIND_EXAMPLES[kind] if kind else "I-12"
    if token is None:
        raise usage_error(
            verb,
            _("{verb} needs {wanted}, e.g. {verb} {example}.").format(
                verb=verb, wanted=wanted, example=example
            ),
        )
    ref = item_ref(token.text)
    if ref is None:
        raise usage_error(
            verb,
            _('"{shown}" is not {wanted}; use its id, e.g. {example}.').format(
                shown=shown(token.raw), wanted=wanted, example=example
            ),
        )
    if kind is not None and ref.kind != kind:
        raise usage_error(
            verb,
            _("{verb} needs {wanted} ({example}), not {ref}.").format(
                verb=verb, wanted=wanted, example=example, ref=ref
            ),
        )
    return ref


def to_person(verb: str, token: Token | None) -> PersonRef:
    if token is None:
        raise usage_error(verb, _("{verb} needs a person, e.g. @ana.").format(verb=verb))
    person = person_ref(token)
    if person is None:
        raise usage_error(
            verb,
            _('"{shown}" is not a person; mention them, e.g. @ana.').format(shown=shown(token.raw)),
        )
    return person


def read_people(s: Scanner, verb: str) -> tuple[PersonRef, ...]:
    people: list[PersonRef] = []
    for token in s.tokens():
        if token.text in (",", "and"):
            continue
        person = to_person(verb, token)
        if person not in people:
            people.append(person)
    return tuple(people)


def read_name(s: Scanner) -> str | None:
    rest = s.rest()
    if rest is None:
        return None
    return unquote(rest) or None


def to_date(verb: str, text: str) -> str:
    m = DATE.fullmatch(text)
    try:
        if m is None:
            raise ValueError(text)
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise invalid(
            verb,
            _('Not a date: "{shown}". Use YYYY-MM-DD, e.g. 2026-12-01.').format(shown=shown(text)),
        ) from None


def to_number(verb: str, text: str, what: str) -> float:
    if not _NUMBER.fullmatch(text):
        raise invalid(
            verb,
            _('The {what} must be a number, not "{shown}".').format(what=what, shown=shown(text)),
        )
    return float(text.replace(",", "."))
