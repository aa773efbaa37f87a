"""Slack requests as Slack sends them: signed headers and bodies built from real payloads.

The payloads are the bolt-python fixtures in
``<shared>/data/platform-payloads/slack/bolt-python/``, where ``<shared>`` is
``$COPBOT_SHARED_DIR`` when set, else ``../shared`` next to the repository.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import os
import time
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

__all__ = [
    "FORM_CONTENT_TYPE",
    "JSON_CONTENT_TYPE",
    "event_body",
    "interactivity_body",
    "load_payload",
    "payloads_dir",
    "shared_dir",
    "sign",
    "signed_headers",
    "slash_command_body",
]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
JSON_CONTENT_TYPE = "application/json"

_REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    """The shared folder: ``$COPBOT_SHARED_DIR`` or ``<repo>/../shared``."""
    configured = os.environ.get("COPBOT_SHARED_DIR")
    return Path(configured) if configured else _REPO_ROOT.parent / "shared"


def payloads_dir() -> Path:
    """Slack's request bodies: the copy kept in ``tests/fixtures`` unless
    ``$COPBOT_SHARED_DIR`` points at another shared folder."""
    if os.environ.get("COPBOT_SHARED_DIR"):
        return shared_dir() / "data" / "platform-payloads" / "slack" / "bolt-python"
    from tests.fixtures import SLACK_PAYLOADS

    return SLACK_PAYLOADS


def sign(body: bytes | str, secret: str, *, timestamp: int | None = None) -> dict[str, str]:
    """The ``X-Slack-Request-Timestamp`` and ``X-Slack-Signature`` headers for ``body``.

    ``v0=`` + hex HMAC-SHA256 of ``v0:<timestamp>:<body>`` keyed with the signing secret.
    The timestamp defaults to now, since receivers reject requests older than five minutes.
    """
    raw = body.encode() if isinstance(body, str) else body
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + raw, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest.hexdigest()}"}


def signed_headers(
    body: bytes | str,
    secret: str,
    *,
    content_type: str = FORM_CONTENT_TYPE,
    timestamp: int | None = None,
) -> dict[str, str]:
    """``sign`` plus the ``Content-Type`` header, ready for an HTTP client or ``BoltRequest``."""
    return {"Content-Type": content_type, **sign(body, secret, timestamp=timestamp)}


def load_payload(name: str) -> dict[str, Any]:
    """A deep copy of ``<payloads_dir>/<name>.json`` (the ``.json`` suffix is optional)."""
    filename = name if name.endswith(".json") else f"{name}.json"
    return copy.deepcopy(_read_payload(str(payloads_dir() / filename)))


@cache
def _read_payload(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def slash_command_body(
    *,
    text: str = "",
    command: str = "/cop",
    user_id: str | None = None,
    channel_id: str | None = None,
    team_id: str | None = None,
    response_url: str | None = None,
    **fields: str,
) -> str:
    """A slash-command body, form-encoded as Slack posts it, from ``slash_command.parsed.json``.

    Arguments left as None keep the recorded value; ``fields`` override any other field
    (``trigger_id``, ``channel_name``, ``user_name``...).
    """
    form = load_payload("slash_command.parsed")
    overrides = {
        "text": text,
        "command": command,
        "user_id": user_id,
        "channel_id": channel_id,
        "team_id": team_id,
        "response_url": response_url,
        **fields,
    }
    form.update({key: value for key, value in overrides.items() if value is not None})
    return urlencode(form)


def interactivity_body(payload: dict[str, Any]) -> str:
    """An interactivity body (block_actions, view_submission, shortcut...): ``payload=<JSON>``."""
    return urlencode({"payload": json.dumps(payload)})


def event_body(payload: dict[str, Any]) -> str:
    """An Events API body: the envelope as JSON."""
    return json.dumps(payload)
