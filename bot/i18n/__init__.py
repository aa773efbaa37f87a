"""Every text a person sees, in their language: gettext catalogues built with Babel.

The language of the text being produced lives in a context variable, so each request and
each scheduled message sets it once (:func:`use_locale`) and every ``_()`` below follows.
Worker threads started with :func:`asyncio.to_thread` inherit it.

Catalogues live in ``bot/i18n/locale/<lang>/LC_MESSAGES/copbot.po`` with their compiled
``.mo`` beside them; docs/i18n.md explains how to extract, translate and compile.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from bot.i18n.pseudo import PSEUDO, pseudo

DOMAIN = "copbot"
LOCALE_DIR = Path(__file__).with_name("locale")
DEFAULT = "en"
LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
NAMES = {"en": "English", "fr": "Français", "es": "Español"}

_current: ContextVar[str] = ContextVar("copbot_locale", default=DEFAULT)

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "NAMES",
    "PSEUDO",
    "Deferred",
    "LazyText",
    "Text",
    "_",
    "current",
    "later",
    "lazy",
    "ngettext",
    "nlater",
    "normalise",
    "use_locale",
]


def normalise(tag: str | None) -> str | None:
    """The supported language a locale tag names (``fr-FR``, ``es_419``, ``EN``), or None."""
    if not tag:
        return None
    base = tag.strip().replace("_", "-").split("-")[0].lower()
    if base in LANGUAGES or base == PSEUDO:
        return base
    return None


def current() -> str:
    """The language of the text being produced now."""
    return _current.get()


@contextmanager
def use_locale(language: str | None) -> Iterator[str]:
    """Produce text in ``language`` (a tag; unknown tags fall back to English) inside."""
    chosen = normalise(language) or DEFAULT
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


@cache
def translations(language: str) -> _gettext.NullTranslations:
    if language in (DEFAULT, PSEUDO):
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """``message`` in the current language."""
    language = current()
    text = translations(language).gettext(message)
    return pseudo(text) if language == PSEUDO else text


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` the current language uses for ``n``."""
    language = current()
    text = translations(language).ngettext(singular, plural, n)
    return pseudo(text) if language == PSEUDO else text


class LazyText:
    """A message translated when it is shown, for texts defined at import time."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return _(self.message)

    def __repr__(self) -> str:
        return f"lazy({self.message!r})"

    def format(self, *args: object, **kwargs: object) -> str:
        return str(self).format(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyText):
            return self.message == other.message
        return str(self) == other

    def __hash__(self) -> int:
        return hash(self.message)


class Deferred(LazyText):
    """A message and its values, translated and filled in when shown: for texts a read model
    builds once and several people read, each in their own language."""

    __slots__ = ("n", "plural", "values")

    def __init__(
        self, message: str, values: dict[str, object], *, plural: str | None = None, n: int = 1
    ) -> None:
        super().__init__(message)
        self.plural = plural
        self.n = n
        self.values = values

    def __str__(self) -> str:
        text = ngettext(self.message, self.plural, self.n) if self.plural else _(self.message)
        return text.format(**{k: str(v) for k, v in self.values.items()})

    def __repr__(self) -> str:
        return f"deferred({self.message!r}, {self.values!r})"

    def __hash__(self) -> int:
        return hash((self.message, tuple(sorted(self.values.items(), key=repr))))


def later(message: str, **values: object) -> Deferred:
    """``_(message).format(**values)``, done each time the text is shown."""
    return Deferred(message, values)


def nlater(singular: str, plural: str, n: int, **values: object) -> Deferred:
    """``ngettext(singular, plural, n).format(n=n, **values)``, done when shown."""
    return Deferred(singular, {"n": n, **values}, plural=plural, n=n)


Text = str | LazyText  # a text now, or one translated when shown


def lazy(message: str) -> LazyText:
    """``message`` marked for translation, translated each time it is shown."""
    return LazyText(message)


def N_(message: str) -> str:
    """Marks ``message`` for extraction without translating it (translate later with ``_``)."""
    return message
