"""Slack modals: the neutral forms (:mod:`bot.forms`) as ``views.open`` payloads, the loading view
that holds a trigger id while a form is prepared, field errors, and reading
a ``view_submission`` back into plain values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.forms import CHECKED, Field, definition, is_date
from bot.i18n import Text, _
from bot.messages import Form
from handlers.slack.render import MAX_BUTTON_LABEL, MAX_HEADER_TEXT, Block, plain_text

MAX_MODAL_TITLE = 24  # Slack's limit for a modal's title, submit and close texts
_TRUTHY = frozenset({"1", "true", "yes", "on", CHECKED})
MAX_INPUT_VALUE = 3000  # Slack's limit on a plain-text input's value and max_length
MAX_ERROR = 300
MAX_OPTIONS = 100  # Slack's limit on a static select's options
LOADING_CALLBACK = "cop:loading"


def _option(value: str, label: Text) -> Block:
    return {"text": plain_text(str(label), MAX_BUTTON_LABEL), "value": value}


def _element(spec: Field, initial: str | None, choices: tuple[tuple[str, Text], ...]) -> Block:
    element: Block = {"action_id": spec.name}
    if spec.kind in ("text", "multiline"):
        element.update(type="plain_text_input", multiline=spec.kind == "multiline")
        limit = min(spec.max_length or MAX_INPUT_VALUE, MAX_INPUT_VALUE)
        element["max_length"] = limit
        if initial:
            element["initial_value"] = initial[:limit]
    elif spec.kind == "select":
        element["type"] = "static_select"
        element["options"] = [_option(v, label) for v, label in choices[:MAX_OPTIONS]]
        match = [_option(v, label) for v, label in choices if v == initial]
        if match:
            element["initial_option"] = match[0]
    elif spec.kind == "date":
        element["type"] = "datepicker"
        if initial and is_date(initial):
            element["initial_date"] = initial
    elif spec.kind == "checkbox":
        element["type"] = "checkboxes"
        element["options"] = [_option(v, label) for v, label in spec.choices]
        if initial and initial.strip().lower() in _TRUTHY:
            element["initial_options"] = element["options"][:1]
    else:
        raise ValueError(f"unknown field kind {spec.kind!r}")
    if spec.placeholder and spec.kind != "checkbox":
        element["placeholder"] = plain_text(str(spec.placeholder), MAX_HEADER_TEXT)
    return element


def render_modal(form: Form, *, callback_id_prefix: str = "cop") -> dict[str, Any]:
    """A modal view for ``views.open``; each input's block id equals its action id. Fields,
    limits and choices come from the one form definition in :mod:`bot.forms`."""
    spec = definition(form.kind)
    prefill = dict(form.prefill)
    blocks = [
        {
            "type": "input",
            "block_id": f.name,
            "label": plain_text(str(f.label), 2000),
            "optional": f.optional,
            "element": _element(f, prefill.get(f.name, f.default), form.options(f.name, f.choices)),
        }
        for f in spec.fields
        if f.kind != "select" or form.options(f.name, f.choices)  # a select needs choices
    ]
    return {
        "type": "modal",
        "callback_id": f"{callback_id_prefix}:form:{form.kind}",
        "title": plain_text(str(spec.title), MAX_MODAL_TITLE),
        "submit": plain_text(str(spec.submit), MAX_MODAL_TITLE),
        "close": plain_text(_("Cancel"), MAX_MODAL_TITLE),
        "blocks": blocks,
    }


def loading_view(title: str = "cop-bot") -> dict[str, Any]:
    """The view opened at once with a trigger id (valid for 3 seconds); the form replaces it
    through ``views.update`` when it is ready."""
    return {
        "type": "modal",
        "callback_id": LOADING_CALLBACK,
        "title": plain_text(title, MAX_MODAL_TITLE),
        "close": plain_text(_("Cancel"), MAX_MODAL_TITLE),
        "blocks": [{"type": "section", "text": plain_text(_("Opening the form…"), 3000)}],
    }


def message_view(title: Text, text: str) -> dict[str, Any]:
    """A modal that only says something (a form that was saved, or could not open)."""
    return {
        "type": "modal",
        "callback_id": "cop:message",
        "title": plain_text(str(title), MAX_MODAL_TITLE),
        "close": plain_text(_("Close"), MAX_MODAL_TITLE),
        "blocks": [{"type": "section", "text": plain_text(text, 3000)}],
    }


def field_errors(errors: dict[str, str], kind: str) -> dict[str, str]:
    """Errors keyed by the modal's block ids; an error about no field goes on the first."""
    spec = definition(kind)
    names = {f.name for f in spec.fields}
    out: dict[str, str] = {}
    for name, message in errors.items():
        block = name if name in names else spec.refusal_field
        out[block] = " ".join(message.split())[:MAX_ERROR]
    return out


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
