"""Domain errors.

Services raise these; each platform maps them to a friendly reply in one place.
Every message is written for the person who typed the command: it says what was
wrong and, where it helps, shows the right form.
"""

from __future__ import annotations

from bot.i18n import _


class CopError(Exception):
    """Base for errors whose message can be shown to the person as it is."""

    def __init__(self, message: str, *, usage: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage
        self.field = field  # the value it is about, for a form to show the error beside it

    def reply_text(self) -> str:
        if self.usage:
            return self.message + "\n" + _("Usage: {usage}").format(usage=self.usage)
        return self.message


class UsageError(CopError):
    """The command line could not be understood."""


class InvalidInput(CopError):
    """A value in an otherwise well-formed command is not acceptable."""


class UnknownStage(InvalidInput):
    """A stage name that is not one of the idea stages."""


class InvalidPeriod(InvalidInput):
    """A period that cannot be parsed."""


class NotFound(CopError):
    """The item, person or community named does not exist."""


class NotAllowed(CopError):
    """The caller lacks the role this action needs."""


class Conflict(CopError):
    """The action contradicts the item's current state (already voted, already resolved…)."""
