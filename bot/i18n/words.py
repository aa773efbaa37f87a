"""Words the command grammar knows (stages, ratings, statuses, filters) as each language
shows them. People still type the English words (`advance I-12 pilot`)."""

from __future__ import annotations

from bot.i18n import LazyText, lazy

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
