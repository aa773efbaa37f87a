"""The verbs that find and reuse knowledge: ``search``, ``support`` and ``themes``."""

from __future__ import annotations

from typing import Final, Literal

from bot.grammar import commands as cmd
from bot.grammar.tokens import Scanner, expect_end, invalid, pick, read_ref, unquote, usage_error
from bot.i18n import _
from bot.periods import looks_like_period

THEME_ACTIONS: Final[tuple[Literal["list", "add", "remove"], ...]] = ("list", "add", "remove")

SEARCH_KINDS: Final[dict[str, cmd.SearchKind]] = {
    "idea": "idea", "ideas": "idea", "request": "request", "requests": "request",
    "lesson": "lesson", "lessons": "lesson", "event": "event", "events": "event",
}  # fmt: skip


def search(s: Scanner) -> cmd.Search:
    words: list[str] = []
    kinds: list[cmd.SearchKind] = []
    theme = community = period = None
    for token in s.tokens():
        low = token.text.lower()
        if token.kind == "word" and low in SEARCH_KINDS and words:
            kinds.append(SEARCH_KINDS[low])
        elif token.kind == "word" and low.startswith("theme:") and len(low) > 6:
            theme = low.removeprefix("theme:")
        elif token.kind == "word" and low.startswith("in:") and len(low) > 3:
            community = token.text[3:]
        elif token.kind == "word" and looks_like_period(low) and words:
            period = low
        else:
            words.append(token.text)
    if not words:
        raise usage_error("search", _("Say what to look for, e.g. search mentoring newcomers."))
    return cmd.Search(" ".join(words), tuple(dict.fromkeys(kinds)), theme, community, period)


def support(s: Scanner) -> cmd.Support:
    ref = read_ref(s, "support", "I")
    token = s.peek()
    if token is not None and token.text.lower() in ("instead", "instead-of"):
        s.next()
        following = s.peek()
        if following is not None and following.text.lower() == "of":
            s.next()
    if s.peek() is None:
        return cmd.Support(ref)
    other = read_ref(s, "support", "I")
    expect_end(s, "support")
    if other == ref:
        raise invalid("support", _("{ref} cannot replace itself.").format(ref=ref))
    return cmd.Support(ref, other)


def themes(s: Scanner) -> cmd.Themes:
    token = s.next()
    if token is None:
        return cmd.Themes()
    action = pick("themes", token.text, THEME_ACTIONS, "action")
    if action == "list":
        expect_end(s, "themes")
        return cmd.Themes()
    name = s.next()
    if name is None:
        raise usage_error(
            "themes", _("Name the theme, e.g. themes {action} youth.").format(action=action)
        )
    label = s.rest() if action == "add" else None
    if action == "remove":
        expect_end(s, "themes")
    return cmd.Themes(action, name.text, unquote(label) if label else None)
