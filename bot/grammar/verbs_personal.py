"""The verbs about the person's own choices: ``language``, ``settings`` and ``pulse``."""

from __future__ import annotations

from typing import Final

from bot.grammar import commands as cmd
from bot.grammar.tokens import Scanner, expect_end, pick, shown, usage_error
from bot.i18n import _

LANGUAGE_CHOICES = ("en", "fr", "es", "auto")


def language(s: Scanner) -> cmd.Language:
    token = s.next()
    if token is None:
        return cmd.Language()
    code = pick("language", token.text, LANGUAGE_CHOICES, "language")
    expect_end(s, "language")
    return cmd.Language(code)


SETTING_KEYS: Final = ("nudges", "hours", "days", "timezone")


def settings(s: Scanner) -> cmd.PersonalSettings:
    token = s.next()
    if token is None:
        return cmd.PersonalSettings()
    key = token.text.lower()
    if key not in SETTING_KEYS:
        raise usage_error(
            "settings",
            _('Unknown setting "{shown}". Settings: {listed}.').format(
                shown=shown(token.raw), listed=", ".join(SETTING_KEYS)
            ),
        )
    value = s.rest()
    if not value:
        raise usage_error(
            "settings", _("Give a value, e.g. {example}.").format(example=_SETTING_EXAMPLES[key])
        )
    return cmd.PersonalSettings(key, value)  # type: ignore[arg-type]


_SETTING_EXAMPLES: Final = {
    "nudges": "settings nudges off",
    "hours": "settings hours 08:00-16:00",
    "days": "settings days mon-thu",
    "timezone": "settings timezone Europe/Zurich",
}


def pulse(s: Scanner) -> cmd.PulseAnswer:
    token = s.next()
    if token is None:
        return cmd.PulseAnswer(None)
    if not token.text.isdigit() or not 1 <= int(token.text) <= 5:
        raise usage_error(
            "pulse", _('Answer from 1 to 5, not "{shown}".').format(shown=shown(token.raw))
        )
    return cmd.PulseAnswer(int(token.text), s.rest())
