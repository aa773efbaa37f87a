"""Choices a form reads at run time: the idea form's theme select offers the organisation's
theme list as it is now (coordinators change it in chat with ``themes add|remove``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.orm import Session

from bot.forms.definitions import definition
from bot.messages import Form
from bot.services import themes
from storage.uow import UnitOfWork

Choices = tuple[tuple[str, str], ...]

_SOURCES: dict[str, Callable[[Session], Choices]] = {
    "themes": lambda session: tuple((t.name, themes.shown_label(t)) for t in themes.known(session)),
}


def ready(uow: UnitOfWork, form: Form) -> Form:
    """``form`` with the choices its fields read at run time (unchanged when it has none)."""
    wanted = [f for f in definition(form.kind).fields if f.choices_from]
    if not wanted:
        return form
    with uow:
        found = tuple((f.name, _SOURCES[str(f.choices_from)](uow.session)) for f in wanted)
    return replace(form, choices=found)
