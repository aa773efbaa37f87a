"""A person's own settings: nudges on or off, working hours and days, time zone.

Nudges and the pulse reach a person only inside their working hours, in their time zone: their
own choice when they made one, else the organisation's hours (COPBOT_WORKING_HOURS/DAYS) and
the time zone their platform reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import InvalidInput
from bot.i18n import _
from bot.services.access import load_caller
from bot.services.context import Context
from storage.models import Person
from storage.uow import UnitOfWork

DEFAULT = "default"
_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_DAY = r"(mon|tue|wed|thu|fri|sat|sun)"
_DAYS = re.compile(rf"{_DAY}(-{_DAY})?(,{_DAY}(-{_DAY})?)*")
_ON = {"on": False, "off": True}  # value -> nudges_opt_out


@dataclass(frozen=True, slots=True)
class SettingsView:
    nudges: bool
    hours: str
    days: str
    timezone: str
    own_hours: bool
    own_days: bool
    own_timezone: bool

    def lines(self) -> tuple[str, ...]:
        def mark(own: bool) -> str:
            return "" if own else " " + _("(default)")

        return (
            _("Nudges: on") if self.nudges else _("Nudges: off"),
            _("Working hours: {hours}").format(hours=self.hours) + mark(self.own_hours),
            _("Working days: {days}").format(days=self.days) + mark(self.own_days),
            _("Time zone: {timezone}").format(timezone=self.timezone) + mark(self.own_timezone),
        )


def view_of(person: Person, ctx: Context) -> SettingsView:
    return SettingsView(
        nudges=not person.nudges_opt_out,
        hours=person.working_hours or ctx.settings.copbot_working_hours,
        days=person.working_days or ctx.settings.copbot_working_days,
        timezone=person.own_timezone or person.timezone or ctx.settings.copbot_timezone,
        own_hours=person.working_hours is not None,
        own_days=person.working_days is not None,
        own_timezone=person.own_timezone is not None,
    )


def show(uow: UnitOfWork, ctx: Context) -> SettingsView:
    with uow:
        caller = load_caller(uow.session, ctx)
        view = view_of(caller.person, ctx)
        uow.commit()
        return view


def _hours(value: str) -> str:
    first, dash, last = value.replace(" ", "").partition("-")
    start, end = _CLOCK.fullmatch(first), _CLOCK.fullmatch(last)
    if not dash or start is None or end is None:
        raise InvalidInput(
            _('Working hours look like 08:00-16:00, not "{value}".').format(value=value),
            usage="settings hours 08:00-16:00",
        )
    begin = (int(start[1]), int(start[2]))
    finish = (int(end[1]), int(end[2]))
    if finish <= begin:
        raise InvalidInput(_("Working hours must end after they start."))
    return f"{begin[0]:02d}:{begin[1]:02d}-{finish[0]:02d}:{finish[1]:02d}"


def _days(value: str) -> str:
    text = value.replace(" ", "").lower()
    if not _DAYS.fullmatch(text):
        raise InvalidInput(
            _('Working days look like mon-fri or mon,wed,fri, not "{value}".').format(value=value),
            usage="settings days mon-fri",
        )
    return text


def _timezone(value: str) -> str:
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            _('Unknown time zone "{name}". Use a name like Europe/Zurich or America/Lima.').format(
                name=name
            ),
            usage="settings timezone Europe/Zurich",
        ) from None
    return name


def change(uow: UnitOfWork, ctx: Context, *, key: str, value: str) -> SettingsView:
    """Change one setting; ``default`` clears hours, days or time zone."""
    reset = value.strip().lower() == DEFAULT
    with uow:
        person = load_caller(uow.session, ctx).person
        if key == "nudges":
            choice = value.strip().lower()
            if choice not in _ON:
                raise InvalidInput(_('Say "on" or "off".'), usage="settings nudges on|off")
            person.nudges_opt_out = _ON[choice]
        elif key == "hours":
            person.working_hours = None if reset else _hours(value)
        elif key == "days":
            person.working_days = None if reset else _days(value)
        elif key == "timezone":
            person.own_timezone = None if reset else _timezone(value)
        else:
            raise InvalidInput(_('Unknown setting "{key}".').format(key=key), usage="settings")
        view = view_of(person, ctx)
        uow.commit()
        return view
