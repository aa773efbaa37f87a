"""Dates and numbers as the current language writes them (Babel's CLDR data):
``1 December 2026`` / ``1 décembre 2026`` / ``1 de diciembre de 2026``, ``1.5 h`` / ``1,5 h``."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache, lru_cache

from babel import Locale, dates, numbers

from bot.clock import WEEKDAYS
from bot.i18n import DEFAULT, LANGUAGES, PSEUDO, current

# English as the organisation writes it: day before month, 24-hour clock.
_CLDR = {DEFAULT: "en_GB", PSEUDO: "en_GB"}


def _locale() -> Locale:
    language = current()
    return _parsed(_CLDR.get(language, language))


@cache
def _parsed(tag: str) -> Locale:
    """Babel's locale for ``tag``, parsed once (a digest run formats thousands of dates)."""
    return Locale.parse(tag)


@lru_cache(maxsize=4096)
def _date_in(kind: str, value: date, locale: Locale) -> str:
    """The calendar day ``value`` written as ``kind`` says: a Babel format or a skeleton."""
    if kind in ("long", "medium"):
        return str(dates.format_date(value, format=kind, locale=locale))
    return str(dates.format_skeleton(kind, value, locale=locale))


def _day_of(value: date | datetime) -> date:
    """The calendar day of ``value`` as it reads (an aware datetime's own local day)."""
    return value.date() if isinstance(value, datetime) else value


def day(value: date | datetime) -> str:
    """A date in words: ``1 December 2026``."""
    return _date_in("long", _day_of(value), _locale())


def medium_day(value: date | datetime) -> str:
    """A short date with the year: ``18 Nov 2026`` / ``18 nov. 2026``."""
    return _date_in("medium", _day_of(value), _locale())


def short_day(value: date | datetime) -> str:
    """A date without the year: ``1 Dec`` / ``1 déc.``."""
    return _date_in("MMMd", _day_of(value), _locale())


def weekday_and_day(value: date | datetime) -> str:
    """``Tuesday 1 December`` / ``mardi 1 décembre``."""
    return _date_in("MMMMEEEEd", _day_of(value), _locale())


def weekday_and_day_year(value: date | datetime) -> str:
    """``Thu 26 Nov 2026`` / ``jeu. 26 nov. 2026``."""
    return _date_in("yMMMEd", _day_of(value), _locale())


def time_of_day(value: datetime) -> str:
    """``09:30`` / ``9:30``, the way the language writes a time."""
    return str(dates.format_time(value, format="short", locale=_locale()))


def number(value: float, *, digits: int = 1, fixed: bool = False) -> str:
    """``1.5`` / ``1,5``; ``1,234`` / ``1 234``; trailing zeros dropped unless ``fixed``
    (``4.0`` / ``4,0``)."""
    pattern = "#,##0" + ("." + ("0" if fixed else "#") * digits if digits else "")
    return str(numbers.format_decimal(value, format=pattern, locale=_locale()))


def hours(value: float) -> str:
    """``1.5 h`` / ``1,5 h``."""
    return f"{number(value)}\u00a0h"


def percent(value: float) -> str:
    """A share of one (0.25) as ``25%`` / ``25 %``."""
    return str(numbers.format_percent(value, locale=_locale()))


def weekday(code: str) -> str:
    """The weekday a setting's code names (``mon``) in words: ``Monday`` / ``lundi``."""
    if code not in WEEKDAYS:
        return code
    return str(_locale().days["format"]["wide"][WEEKDAYS.index(code)])


def language_name(code: str) -> str:
    """The name of language ``code`` in the current language: ``French`` / ``français``."""
    if code not in LANGUAGES:
        return code
    return str(Locale.parse(code).get_display_name(_locale()) or code)


class ShortDay:
    """A day shown as :func:`short_day` in the language current when it becomes text."""

    __slots__ = ("value",)

    def __init__(self, value: date | datetime) -> None:
        self.value = value

    def __str__(self) -> str:
        return short_day(self.value)
