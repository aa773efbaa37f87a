"""Slack modals: the form specs for each item kind, the ``views.open`` payload, and reading
a ``view_submission`` back into plain values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot import limits
from bot.messages import Form
from handlers.slack.render import MAX_BUTTON_LABEL, MAX_HEADER_TEXT, Block, plain_text


@dataclass(frozen=True, slots=True)
class FormField:
    """One input of a form; ``name`` is both the block id and the action id."""

    name: str
    label: str
    kind: str  # "text" | "multiline" | "select" | "date" | "checkbox"
    optional: bool = False
    options: tuple[tuple[str, str], ...] = ()  # (value, label)
    placeholder: str | None = None
    default: str | None = None


@dataclass(frozen=True, slots=True)
class FormSpec:
    title: str
    submit: str
    fields: tuple[FormField, ...]


_RATINGS = tuple((str(n), str(n)) for n in range(1, 6))
_SOURCES = (("staff", "Staff"), ("constituent", "Constituent"), ("partner", "Partner"))
_EVENT_KINDS = tuple((k, k.capitalize()) for k in ("training", "workshop", "webinar", "meeting"))
CHECKED = "true"

FORMS: dict[str, FormSpec] = {
    "idea": FormSpec(
        "Share an idea",
        "Save",
        (
            FormField("title", "Title", "text"),
            FormField("description", "Description", "multiline", optional=True),
            FormField("themes", "Themes", "text", optional=True, placeholder="e.g. digital, youth"),
        ),
    ),
    "request": FormSpec(
        "Ask the community",
        "Ask",
        (
            FormField("question", "Question", "multiline"),
            FormField("tags", "Tags", "text", optional=True, placeholder="e.g. procurement, data"),
        ),
    ),
    "feedback": FormSpec(
        "Give feedback",
        "Send",
        (
            FormField("target", "About", "text", optional=True, placeholder="I-12, R-3, E-2"),
            FormField("rating", "Rating", "select", optional=True, options=_RATINGS),
            FormField("text", "Feedback", "multiline"),
            FormField(
                "anonymous",
                "Anonymous",
                "checkbox",
                optional=True,
                options=((CHECKED, "Send without my name"),),
            ),
            FormField("source", "From", "select", options=_SOURCES, default="staff"),
        ),
    ),
    "event": FormSpec(
        "Add an event",
        "Add",
        (
            FormField("title", "Title", "text"),
            FormField("date", "Date", "date"),
            FormField("kind", "Kind", "select", optional=True, options=_EVENT_KINDS),
        ),
    ),
}

_TRUTHY = frozenset({"1", "true", "yes", "on", CHECKED})
MAX_INPUT_VALUE = 3000


def form_spec(kind: str) -> FormSpec:
    try:
        return FORMS[kind]
    except KeyError:
        raise ValueError(f"unknown form kind {kind!r}; known: {', '.join(FORMS)}") from None


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _option(value: str, label: str) -> Block:
    return {"text": plain_text(label, MAX_BUTTON_LABEL), "value": value}


def _element(kind: str, spec: FormField, initial: str | None) -> Block:
    element: Block = {"action_id": spec.name}
    if spec.kind in ("text", "multiline"):
        element.update(type="plain_text_input", multiline=spec.kind == "multiline")
        most = limits.FORM_FIELDS.get((kind, spec.name))
        if most is not None:
            element["max_length"] = min(most, MAX_INPUT_VALUE)
        if initial:
            element["initial_value"] = initial[:MAX_INPUT_VALUE]
    elif spec.kind == "select":
        element["type"] = "static_select"
        element["options"] = [_option(v, label) for v, label in spec.options]
        match = [_option(v, label) for v, label in spec.options if v == initial]
        if match:
            element["initial_option"] = match[0]
    elif spec.kind == "date":
        element["type"] = "datepicker"
        if initial and _is_date(initial):
            element["initial_date"] = initial
    elif spec.kind == "checkbox":
        element["type"] = "checkboxes"
        element["options"] = [_option(v, label) for v, label in spec.options]
        if initial and initial.strip().lower() in _TRUTHY:
            element["initial_options"] = element["options"][:1]
    else:
        raise ValueError(f"unknown field kind {spec.kind!r}")
    if spec.placeholder and spec.kind != "checkbox":
        element["placeholder"] = plain_text(spec.placeholder, MAX_HEADER_TEXT)
    return element


def render_modal(form: Form, *, callback_id_prefix: str = "cop") -> dict[str, Any]:
    """A modal view for ``views.open``; each input's block id equals its action id."""
    spec = form_spec(form.kind)
    prefill = dict(form.prefill)
    blocks = [
        {
            "type": "input",
            "block_id": f.name,
            "label": plain_text(f.label, 2000),
            "optional": f.optional,
            "element": _element(form.kind, f, prefill.get(f.name, f.default)),
        }
        for f in spec.fields
    ]
    return {
        "type": "modal",
        "callback_id": f"{callback_id_prefix}:form:{form.kind}",
        "title": plain_text(spec.title, 24),
        "submit": plain_text(spec.submit, 24),
        "close": plain_text("Cancel", 24),
        "blocks": blocks,
    }


_SINGLE_KEYS = {
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "users_select": "selected_user",
    "conversations_select": "selected_conversation",
    "channels_select": "selected_channel",
}
_MULTI_KEYS = {
    "multi_users_select": "selected_users",
    "multi_conversations_select": "selected_conversations",
    "multi_channels_select": "selected_channels",
}


def _state_value(state: Mapping[str, Any]) -> str | list[str] | None:
    kind = state.get("type")
    if "selected_options" in state or kind in ("checkboxes", "multi_static_select"):
        return [str(o["value"]) for o in state.get("selected_options") or []]
    if "selected_option" in state or kind in ("static_select", "radio_buttons"):
        option = state.get("selected_option")
        return None if option is None else str(option["value"])
    if kind in _SINGLE_KEYS:
        single = state.get(_SINGLE_KEYS[kind])
        return None if single is None else str(single)
    if kind in _MULTI_KEYS:
        return [str(v) for v in state.get(_MULTI_KEYS[kind]) or []]
    if kind == "datetimepicker":
        moment = state.get("selected_date_time")
        return None if moment is None else str(moment)
    value = state.get("value")
    return None if value is None else str(value)


def modal_values(view_state_values: Mapping[str, Any]) -> dict[str, str | list[str] | None]:
    """Flatten a ``view_submission``'s ``view.state.values`` to ``{action_id: value}``."""
    values: dict[str, str | list[str] | None] = {}
    for actions in view_state_values.values():
        for action_id, state in actions.items():
            values[action_id] = _state_value(state)
    return values
