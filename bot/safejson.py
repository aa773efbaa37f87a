"""JSON from outside, parsed with limits: strict UTF-8, a nesting limit, no recursion errors."""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 40


class NotJson(ValueError):
    """The bytes are not acceptable JSON; the message says why (never quoting them)."""


def depth(value: Any, *, limit: int = MAX_DEPTH) -> int:
    """How deeply ``value`` nests lists and objects, counted without recursion (stops
    counting once past ``limit``)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def loads(data: bytes | str, *, limit: int = MAX_DEPTH) -> Any:
    """Parse ``data``; raise :class:`NotJson` for bad UTF-8, bad JSON or deep nesting."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise NotJson("body is not UTF-8") from None
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        raise NotJson("body is not JSON") from None
    if depth(value, limit=limit) > limit:
        raise NotJson("body nests too deeply")
    return value
