"""Forms described once, platform-neutrally: their fields, limits and choices
(:mod:`bot.forms.definitions`), their initial values from a message (:func:`prefill`) and
what submitting them does (:mod:`bot.forms.submit`). Slack renders them as modals, Teams as
Adaptive Cards, the console as a hint to type the command."""

from bot.forms.choices import ready
from bot.forms.definitions import (
    CHECKED,
    FORMS,
    UNCHECKED,
    Field,
    FormDefinition,
    definition,
    prefill,
)
from bot.forms.submit import Submitted, Values, check, is_date, run, submit

__all__ = [
    "CHECKED",
    "FORMS",
    "UNCHECKED",
    "Field",
    "FormDefinition",
    "Submitted",
    "Values",
    "check",
    "definition",
    "is_date",
    "prefill",
    "ready",
    "run",
    "submit",
]
