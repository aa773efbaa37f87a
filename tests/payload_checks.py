"""Checks that every payload the bot builds is one the platform accepts.

- Block Kit: each block parsed with ``slack_sdk.models`` (``Block.parse`` / ``View``) and
  serialised back; an unknown block type, an ignored key or a broken limit raises. On top of
  the model's own checks: at most 50 blocks in a message and 100 in a modal or App Home, section
  text at most 3000 characters, one table block at most, ``action_id`` unique within a message
  or view.
- Adaptive Cards: validated against the official Adaptive Cards 1.5 JSON schema
  (``tests/fixtures/schemas/adaptive-cards/``), plus Teams' payload size limit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

__all__ = [
    "InvalidPayload",
    "assert_valid_blocks",
    "assert_valid_card",
    "assert_valid_slack_message",
    "assert_valid_view",
    "cards_in",
]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_PRIVATE_METADATA = 3000
MAX_CARD_BYTES = 28_000
SCHEMA_DIR = Path(__file__).parent / "fixtures" / "schemas" / "adaptive-cards"


class InvalidPayload(AssertionError):
    """A payload the platform would reject."""


def _lost(sent: Any, parsed: Any, path: str) -> Iterator[str]:
    """Paths of keys in ``sent`` that did not survive parsing (ignored or unknown keys)."""
    if isinstance(sent, Mapping):
        if not isinstance(parsed, Mapping):
            yield path
            return
        for key, value in sent.items():
            if key not in parsed:
                yield f"{path}.{key}"
            else:
                yield from _lost(value, parsed[key], f"{path}.{key}")
    elif isinstance(sent, list):
        if not isinstance(parsed, list) or len(parsed) != len(sent):
            yield path
            return
        for index, (a, b) in enumerate(zip(sent, parsed, strict=True)):
            yield from _lost(a, b, f"{path}[{index}]")
    elif sent != parsed:
        yield path


def _action_ids(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        if "action_id" in node and isinstance(node["action_id"], str):
            yield node["action_id"]
        for value in node.values():
            yield from _action_ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from _action_ids(value)


def _check_block(block: Any, index: int) -> None:
    if not isinstance(block, Mapping):
        raise InvalidPayload(f"block {index} is not an object: {block!r}")
    try:
        parsed = Block.parse(dict(block))
        if parsed is None:
            raise InvalidPayload(f"block {index}: unknown block type {block.get('type')!r}")
        back = parsed.to_dict()
    except SlackObjectFormationError as exc:
        raise InvalidPayload(f"block {index} ({block.get('type')}): {exc}") from exc
    lost = list(_lost(block, back, f"blocks[{index}]"))
    if lost:
        raise InvalidPayload(f"block {index} ({block.get('type')}): not accepted: {lost}")
    if block.get("type") == "section":
        text = (block.get("text") or {}).get("text", "")
        if len(text) > MAX_SECTION_TEXT:
            raise InvalidPayload(f"block {index}: section text has {len(text)} characters")


def assert_valid_blocks(blocks: Sequence[Any], *, limit: int = MAX_MESSAGE_BLOCKS) -> None:
    """Every block parses and round-trips; at most ``limit`` blocks; unique action ids."""
    if not isinstance(blocks, list):
        raise InvalidPayload(f"blocks must be a list, not {type(blocks).__name__}")
    if len(blocks) > limit:
        raise InvalidPayload(f"{len(blocks)} blocks (at most {limit})")
    for index, block in enumerate(blocks):
        _check_block(block, index)
    if sum(1 for b in blocks if b.get("type") == "table") > 1:
        raise InvalidPayload("only one table block is allowed in a message")
    ids = list(_action_ids(blocks))
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InvalidPayload(f"action_id used more than once: {repeated}")


def assert_valid_slack_message(payload: Mapping[str, Any]) -> None:
    """A ``chat.postMessage`` / ``chat.update`` / response-URL body."""
    blocks = payload.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if blocks is None:
        if not payload.get("text") and not payload.get("attachments"):
            raise InvalidPayload("a message needs text, blocks or attachments")
        return
    assert_valid_blocks(blocks)


def assert_valid_view(view: Mapping[str, Any]) -> None:
    """A modal or App Home view (``views.open`` / ``update`` / ``push`` / ``publish``)."""
    if isinstance(view, str):
        view = json.loads(view)
    blocks = view.get("blocks") or []
    assert_valid_blocks(blocks, limit=MAX_VIEW_BLOCKS)
    fields = {k: v for k, v in view.items() if k not in ("blocks",)}
    try:
        parsed = View(**fields, blocks=[Block.parse(b) for b in blocks])
        parsed.validate_json()
        back = parsed.to_dict()
    except SlackObjectFormationError as exc:
        raise InvalidPayload(f"view: {exc}") from exc
    lost = [p for p in _lost(fields, back, "view")]
    if lost:
        raise InvalidPayload(f"view: not accepted: {lost}")
    metadata = view.get("private_metadata") or ""
    if len(metadata) > MAX_PRIVATE_METADATA:
        raise InvalidPayload(f"view: private_metadata has {len(metadata)} characters")


@cache
def _card_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMA_DIR / "adaptive-card-1.5.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)  # type: ignore[no-any-return]


def assert_valid_card(card: Mapping[str, Any]) -> None:
    """An Adaptive Card that the 1.5 schema accepts and that fits Teams' size limit."""
    errors = sorted(_card_validator().iter_errors(card), key=lambda e: list(e.absolute_path))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        where = "/".join(str(p) for p in best.absolute_path)
        raise InvalidPayload(f"Adaptive Card invalid at /{where}: {best.message}")
    size = len(json.dumps(card, ensure_ascii=False).encode())
    if size > MAX_CARD_BYTES:
        raise InvalidPayload(f"Adaptive Card is {size} bytes (Teams takes about {MAX_CARD_BYTES})")


def cards_in(node: Any) -> list[Mapping[str, Any]]:
    """Every Adaptive Card in an activity, invoke response or task module (any depth)."""
    found: list[Mapping[str, Any]] = []
    if isinstance(node, Mapping):
        if node.get("type") == "AdaptiveCard":
            found.append(node)
            return found
        for value in node.values():
            found += cards_in(value)
    elif isinstance(node, list):
        for value in node:
            found += cards_in(value)
    return found
