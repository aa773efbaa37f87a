"""The neutral forms (:mod:`bot.forms`) as Adaptive Card forms for task modules.

Inputs carry the definition's limits (``maxLength``), choices and required flags, so Teams
checks the simple things in the client; a refusal from the service is shown in red right
under the input it is about, with everything the person typed still in place.
"""

from __future__ import annotations

from typing import Any

from bot.forms import CHECKED, UNCHECKED, Field, definition, is_date
from bot.i18n import _
from bot.messages import Form, Reply
from handlers.teams.render import MAX_TEXT, escape_teams, render_card

Element = dict[str, Any]
_TRUTHY = frozenset({"1", "true", "yes", "on"})


def _input(spec: Field, initial: str | None, choices: tuple[tuple[str, Any], ...]) -> Element:
    label = str(spec.label)
    element: Element = {"id": spec.name, "label": label, "isRequired": not spec.optional}
    if not spec.optional:
        element["errorMessage"] = _("{label} is required").format(label=label)
    if spec.kind in ("text", "multiline"):
        element.update(type="Input.Text", isMultiline=spec.kind == "multiline")
        if spec.max_length is not None:
            element["maxLength"] = spec.max_length
        if initial:
            element["value"] = initial[: spec.max_length or MAX_TEXT]
    elif spec.kind == "select":
        element.update(type="Input.ChoiceSet", style="compact")
        element["choices"] = [{"title": str(t), "value": v} for v, t in choices]
        if initial in {v for v, _title in choices}:
            element["value"] = initial
    elif spec.kind == "date":
        element["type"] = "Input.Date"
        if initial and is_date(initial):
            element["value"] = initial
    elif spec.kind == "checkbox":
        caption = str(spec.choices[0][1]) if spec.choices else label
        element.update(type="Input.Toggle", title=caption, valueOn=CHECKED, valueOff=UNCHECKED)
        checked = bool(initial) and str(initial).strip().lower() in _TRUTHY
        element["value"] = CHECKED if checked else UNCHECKED
    else:
        raise ValueError(f"unknown input kind {spec.kind!r}")
    if spec.placeholder:
        element["placeholder"] = str(spec.placeholder)
    return element


def _error(message: str) -> Element:
    text = escape_teams(" ".join(message.split()))
    return {"type": "TextBlock", "text": text, "wrap": True, "color": "Attention", "size": "Small"}


def render_task_form(form: Form, *, errors: dict[str, str] | None = None) -> dict[str, Any]:
    """An Adaptive Card form; submitting it sends ``{"cop_form": kind, <name>: value, …}``.
    ``errors`` (by field id) are shown under their inputs; one for no known field on top."""
    spec = definition(form.kind)
    prefill = dict(form.prefill)
    errors = dict(errors or {})
    body: list[Element] = [
        {
            "type": "TextBlock",
            "text": escape_teams(str(spec.title)),
            "weight": "Bolder",
            "size": "Medium",
        }
    ]
    names = {f.name for f in spec.fields}
    stray = [m for name, m in errors.items() if name not in names]
    body += [_error(m) for m in stray]
    for f in spec.fields:
        choices = form.options(f.name, f.choices)
        if f.kind == "select" and not choices:  # a select needs choices
            continue
        body.append(_input(f, prefill.get(f.name, f.default), choices))
        if f.name in errors:
            body.append(_error(errors[f.name]))
    card = render_card(Reply(""))
    card["body"] = body
    card["actions"] = [
        {"type": "Action.Submit", "title": str(spec.submit), "data": {"cop_form": form.kind}}
    ]
    return card
