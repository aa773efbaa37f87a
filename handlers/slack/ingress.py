"""What comes in at ``POST /slack/events`` before anything trusts it.

The signature is checked on the raw bytes first (HMAC-SHA256 of ``v0:<timestamp>:<body>``,
timestamp within five minutes); only a signed body is decoded and parsed, with a depth
limit, and its shape is checked before any listener sees it. Each refusal is one log line
that never includes the body.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from bot import safejson

log = logging.getLogger(__name__)

MAX_AGE_SECONDS = 5 * 60
FORM = "application/x-www-form-urlencoded"

# Interactivity fields that Bolt and the listeners read as objects.
_OBJECTS = ("user", "team", "channel", "container", "message", "view", "enterprise", "state")


class Refused(Exception):
    """The request is answered ``status`` and goes no further; ``reason`` is logged."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Verified:
    """A signed request: its text and its parsed body."""

    text: str
    body: dict[str, Any]
    content_type: str


def verify(
    raw: bytes, *, timestamp: str | None, signature: str | None, secret: str, now: float | None
) -> None:
    """Raise :class:`Refused` (401) unless ``raw`` carries Slack's signature."""
    if not secret:
        raise Refused(401, "no signing secret is configured")
    if not timestamp or not signature:
        raise Refused(401, "missing signature headers")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise Refused(401, "timestamp is not a number")
    moment = time.time() if now is None else now
    if abs(moment - int(timestamp)) > MAX_AGE_SECONDS:
        raise Refused(401, "stale timestamp")
    base = b"v0:" + timestamp.encode() + b":" + raw
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise Refused(401, "bad signature")


def _json(text: str) -> Any:
    try:
        return safejson.loads(text)
    except safejson.NotJson as error:
        raise Refused(400, str(error)) from None


def parse(raw: bytes, content_type: str) -> Verified:
    """Decode and parse a signed body; raise :class:`Refused` (400) for anything odd."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "body is not UTF-8") from None
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == FORM:
        fields = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" in fields:
            payload = _json(fields["payload"])
            if not isinstance(payload, dict):
                raise Refused(400, "payload is not an object")
            check_interaction(payload)
            return Verified(text, payload, kind)
        return Verified(text, fields, kind)
    body = _json(text)
    if not isinstance(body, dict):
        raise Refused(400, "body is not an object")
    check_event(body)
    return Verified(text, body, "application/json")


def _is(value: Any, kind: type | tuple[type, ...], field: str) -> None:
    if not isinstance(value, kind):
        raise Refused(400, f"{field} has the wrong shape")


def check_interaction(payload: dict[str, Any]) -> None:
    """Shortcuts, buttons, forms and options: the fields the listeners read have the
    shapes Slack documents."""
    _is(payload.get("type"), str, "type")
    for name in _OBJECTS:
        if name in payload and payload[name] is not None:
            _is(payload[name], dict, name)
    if "actions" in payload or payload["type"] == "block_actions":
        actions = payload.get("actions")
        _is(actions, list, "actions")
        if not actions or not all(isinstance(action, dict) for action in actions):
            raise Refused(400, "actions has the wrong shape")
    if payload["type"] in ("view_submission", "view_closed"):
        _is(payload.get("view"), dict, "view")
        _check_view(payload["view"])
    for name in ("callback_id", "trigger_id", "response_url", "action_id", "block_id", "value"):
        if name in payload and payload[name] is not None:
            _is(payload[name], str, name)


def _check_view(view: dict[str, Any]) -> None:
    for name in ("callback_id", "private_metadata", "type"):
        if view.get(name) is not None:
            _is(view[name], str, f"view.{name}")
    state = view.get("state")
    if state is None:
        return
    _is(state, dict, "view.state")
    values = state.get("values", {})
    _is(values, dict, "view.state.values")
    for block in values.values():
        _is(block, dict, "view.state.values")
        for element in block.values():
            _is(element, dict, "view.state.values")


def check_event(body: dict[str, Any]) -> None:
    """Events API envelopes: ``event`` an object with a string ``type``, ids as strings."""
    _is(body.get("type"), str, "type")
    for name in ("token", "team_id", "api_app_id", "event_id", "challenge"):
        if name in body and body[name] is not None:
            _is(body[name], str, name)
    if "authorizations" in body and body["authorizations"] is not None:
        _is(body["authorizations"], list, "authorizations")
    if body["type"] == "event_callback" or "event" in body:
        event: dict[str, Any] = body.get("event")  # type: ignore[assignment]
        _is(event, dict, "event")
        _is(event.get("type"), str, "event.type")
        if event.get("channel") is not None:
            _is(event["channel"], (str, dict), "event.channel")
        for name in ("ts", "thread_ts", "text", "subtype", "channel_type", "bot_id"):
            if name in event and event[name] is not None:
                _is(event[name], str, f"event.{name}")


def refusal_line(error: Refused, *, size: int, retry: str | None) -> str:
    """The one log line for a refused request (never its body)."""
    again = f", retry {retry}" if retry else ""
    return f"Slack request refused ({error.status}): {error.reason} ({size} bytes{again})"
