"""The monitoring indicators of SPEC §6: definitions, scopes and their computation."""

from bot.indicators.compute import compute, compute_all
from bot.indicators.definitions import (
    DEFINITIONS,
    SCOPE_KINDS,
    Definition,
    IndicatorValue,
    Scope,
    definition,
)

__all__ = [
    "DEFINITIONS",
    "SCOPE_KINDS",
    "Definition",
    "IndicatorValue",
    "Scope",
    "compute",
    "compute_all",
    "definition",
]
