"""Words the command grammar knows (stages, ratings, statuses, filters) as each language
shows them. People still type the English words (`advance I-12 pilot`)."""

from __future__ import annotations

from bot.i18n import LazyText, _, lazy, ngettext

SHOWN: dict[str, LazyText] = {
    "proposed": lazy("proposed"),
    "development": lazy("development"),
    "pilot": lazy("pilot"),
    "scaled": lazy("scaled"),
    "shelved": lazy("shelved"),
    "low": lazy("low"),
    "medium": lazy("medium"),
    "high": lazy("high"),
    "unrated": lazy("unrated"),
    "open": lazy("open"),
    "answered": lazy("answered"),
    "resolved": lazy("resolved"),
    "closed": lazy("closed"),
    "mine": lazy("mine"),
    "all": lazy("all"),
    "top": lazy("top"),
    "training": lazy("training"),
    "workshop": lazy("workshop"),
    "webinar": lazy("webinar"),
    "meeting": lazy("meeting"),
    "reached": lazy("reached"),
    "on track": lazy("on track"),
    "behind": lazy("behind"),
}


def shown(word: str) -> str:
    """``word`` in the current language (unknown words as they are)."""
    return str(SHOWN.get(word, word))


class Word:
    """A grammar word shown in the language current when it is turned into text."""

    __slots__ = ("word",)

    def __init__(self, word: str) -> None:
        self.word = word

    def __str__(self) -> str:
        return shown(self.word)


def not_shown(items: int, rows: int) -> str:
    """The line that says what a platform's size limits left off a message."""
    if items and rows:
        text = _("… and {items} more items and {rows} more rows not shown")
    elif items:
        text = ngettext(
            "… and {items} more item not shown", "… and {items} more items not shown", items
        )
    elif rows:
        text = ngettext("… and {rows} more row not shown", "… and {rows} more rows not shown", rows)
    else:
        text = _("… and more not shown")
    return text.format(items=items, rows=rows)
