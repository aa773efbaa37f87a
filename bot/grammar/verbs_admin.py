"""Parsers for the indicator and administration verbs: stats, export, community, focal,
coordinator, target."""

from __future__ import annotations

import re
from typing import Final, Literal

from bot.errors import InvalidPeriod
from bot.grammar import commands as cmd
from bot.grammar.help import USAGE
from bot.grammar.tokens import (
    Scanner,
    Token,
    expect_end,
    invalid,
    person_ref,
    pick,
    read_action,
    read_name,
    shown,
    to_number,
    to_person,
    unquote,
    usage_error,
)
from bot.i18n import _
from bot.periods import FORMS, looks_like_period

_FLAGS = re.IGNORECASE | re.ASCII
EXPORT_FORMATS: Final[tuple[Literal["csv", "xlsx"], ...]] = ("csv", "xlsx")
ADD_REMOVE: Final[tuple[Literal["add", "remove"], ...]] = ("add", "remove")
COMMUNITY_ACTIONS: Final[
    tuple[Literal["create", "join", "leave", "bind", "list", "settings"], ...]
] = ("create", "join", "leave", "bind", "list", "settings")
SCOPES: Final = ("community", "unit", "all")
_KEY = re.compile(r"[a-z][a-z0-9_.-]{0,63}", _FLAGS)
_INDICATOR = re.compile(r"[a-z][a-z0-9_]{0,63}", _FLAGS)


def stats(s: Scanner) -> cmd.Stats:
    tokens = s.tokens()
    chart = None
    if tokens and tokens[0].kind == "word" and tokens[0].text.lower() == "chart":
        tokens.pop(0)
        if not tokens or looks_like_period(tokens[0].text):
            raise usage_error(
                "stats",
                _("Name the indicator to chart, e.g. stats chart ideas_submitted all 2026-Q4."),
            )
        key = tokens.pop(0)
        if not _INDICATOR.fullmatch(key.text):
            raise invalid(
                "stats", _('"{shown}" is not an indicator key.').format(shown=shown(key.text))
            )
        chart = key.text.lower()
    period = None
    if tokens and looks_like_period(tokens[-1].text):
        period = tokens.pop().text
    elif tokens and looks_like_period(tokens[0].text):
        period = tokens.pop(0).text
    if any(looks_like_period(t.text) for t in tokens):
        raise usage_error("stats", _("Give one period, e.g. stats all 2026-Q4."))
    scope = unquote(s.text[tokens[0].start : tokens[-1].end]) if tokens else None
    if scope and scope.lower() in SCOPES:
        scope = scope.lower()
    return cmd.Stats(scope or None, period, chart)


def export(s: Scanner) -> cmd.Export:
    fmt: Literal["csv", "xlsx"] | None = None
    period: str | None = None
    for token in s.tokens():
        if period is None and looks_like_period(token.text):
            period = token.text
        elif fmt is None:
            fmt = pick("export", token.text, EXPORT_FORMATS, "format")
        elif period is None:
            message = _('Unknown period "{shown}".{detail} Periods: {FORMS}.').format(
                shown=shown(token.text), detail="", FORMS=FORMS
            )
            raise InvalidPeriod(message, usage=USAGE["export"])
        else:
            raise usage_error(
                "export",
                _('Unexpected "{shown}" at the end of export.').format(shown=shown(token.raw)),
            )
    return cmd.Export(fmt or "csv", period)


def community(s: Scanner) -> cmd.Community:
    action = read_action(s, "community", COMMUNITY_ACTIONS)
    if action in ("create", "join", "leave"):
        name = read_name(s)
        if name is None:
            raise usage_error(
                "community",
                _("Name the community, e.g. community {action} Data.").format(action=action),
            )
        return cmd.Community(action, name)
    if action == "bind":
        return cmd.Community("bind", read_name(s))
    if action == "list":
        expect_end(s, "community")
        return cmd.Community("list")
    pairs: list[tuple[str, str]] = []
    for token in s.tokens():
        key, sep, value = token.text.partition("=")
        if not sep or not _KEY.fullmatch(key):
            raise usage_error(
                "community",
                _('Settings are key=value, not "{shown}".').format(shown=shown(token.raw)),
            )
        pairs.append((key.lower(), unquote(value)))
    return cmd.Community("settings", settings=tuple(pairs))


def focal(s: Scanner) -> cmd.FocalPoint:
    action = read_action(s, "focal", ADD_REMOVE)
    return cmd.FocalPoint(action, to_person("focal", s.next()), read_name(s))


def coordinator(s: Scanner) -> cmd.Coordinator:
    action = read_action(s, "coordinator", ADD_REMOVE)
    person = to_person("coordinator", s.next())
    expect_end(s, "coordinator")
    return cmd.Coordinator(action, person)


def target(s: Scanner) -> cmd.SetTarget:
    read_action(s, "target", ("set",))
    indicator, value = s.next(), s.next()
    if indicator is None or value is None:
        raise usage_error("target", _("Name the indicator and the target value."))
    if not _INDICATOR.fullmatch(indicator.text):
        raise invalid(
            "target", _('"{shown}" is not an indicator key.').format(shown=shown(indicator.text))
        )
    period: str | None = None
    owner: cmd.PersonRef | None = None
    baseline: float | None = None
    baseline_from: str | None = None
    scope: str | None = None
    for token in s.tokens():
        low = token.text.lower()
        person = person_ref(token)
        if low.startswith("baseline=from:"):
            _once(token, baseline if baseline is not None else baseline_from)
            baseline_from = token.text[len("baseline=from:") :]
            if not looks_like_period(baseline_from):
                raise usage_error(
                    "target",
                    f'"{shown(baseline_from)}" is not a period. '
                    "Take the baseline from one, e.g. baseline=from:2015 or baseline=from:2025-Q4.",
                )
        elif low.startswith("baseline="):
            _once(token, baseline if baseline is not None else baseline_from)
            baseline = to_number("target", token.text[len("baseline=") :], "baseline")
        elif low.startswith("scope="):
            _once(token, scope)
            scope = unquote(token.text[len("scope=") :])
            if not scope:
                raise usage_error("target", _("Name the scope, e.g. scope=Health."))
        elif person is not None:
            _once(token, owner)
            owner = person
        elif looks_like_period(token.text):
            _once(token, period)
            period = token.text
        else:
            raise usage_error(
                "target", _('Unexpected "{shown}" in target set.').format(shown=shown(token.raw))
            )
    value_number = to_number("target", value.text, "target value")
    return cmd.SetTarget(
        indicator.text.lower(), value_number, period, owner, baseline, scope, baseline_from
    )


def _once(token: Token, current: object) -> None:
    if current is not None:
        raise usage_error(
            "target", _('"{shown}" repeats a part already given.').format(shown=shown(token.raw))
        )
