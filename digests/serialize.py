"""A :class:`~bot.messages.Reply` as JSON-safe data and back, for the outbox.

pydantic reads and writes the reply's dataclasses; attachment bytes travel as URL-safe
base64. The data is a version envelope, ``{"v": 2, "reply": {...}}``. Rows written before the
envelope (``{"v": 1, "text": ..., ...}``: the reply's fields beside the version, standard
base64) are still read. ``reply_from_dict(reply_to_dict(r)) == r`` for every reply.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import ConfigDict, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from bot.messages import Reply

VERSION: Literal[2] = 2


class PayloadError(ValueError):
    """A stored payload is not a reply this code can read."""


@with_config(ConfigDict(ser_json_bytes="base64", val_json_bytes="base64"))
class Envelope(TypedDict):
    v: Literal[2]
    reply: Reply


_ENVELOPE = TypeAdapter(Envelope)


def reply_to_dict(reply: Reply) -> dict[str, Any]:
    data: dict[str, Any] = _ENVELOPE.dump_python({"v": VERSION, "reply": reply}, mode="json")
    return data


def _current(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` in the current envelope, whichever version wrote it."""
    version = data.get("v")
    if version == VERSION:
        return data
    if version == 1:  # the reply's own fields beside the version
        return {"v": VERSION, "reply": {k: v for k, v in data.items() if k != "v"}}
    raise PayloadError(f"unknown payload version {version!r}")


def reply_from_dict(data: dict[str, Any]) -> Reply:
    """The reply stored by :func:`reply_to_dict` (or by version 1); raises
    :class:`PayloadError` if unreadable."""
    if not isinstance(data, dict):
        raise PayloadError(f"unreadable reply payload: {type(data).__name__}")
    current = _current(data)
    try:
        # JSON mode: that is where attachment bytes are base64, as they are stored
        return _ENVELOPE.validate_json(json.dumps(current))["reply"]
    except (ValidationError, TypeError, ValueError) as error:
        raise PayloadError(f"unreadable reply payload: {error!r}") from error
