"""Validators for what the bot sends: Block Kit through ``slack_sdk.models`` and Adaptive Cards
against the official Adaptive Cards 1.5 JSON schema (``tests/fixtures/schemas/``), so a
malformed payload fails the test that produced it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft6Validator
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

SCHEMAS = Path(__file__).parent / "fixtures" / "schemas"
SCHEMA = SCHEMAS / "adaptive-cards" / "adaptive-card-1.5.json"


def _same(built: Any, sent: Any, where: str) -> None:
    """Every key the bot sent survives the SDK's model: none was unknown or misspelt."""
    if isinstance(sent, dict):
        assert isinstance(built, dict), f"{where}: {built!r} is not an object"
        for key, value in sent.items():
            assert key in built, f"{where}: Slack does not know {key!r}"
            _same(built[key], value, f"{where}.{key}")
    elif isinstance(sent, list):
        assert isinstance(built, list) and len(built) == len(sent), where
        for i, (b, s) in enumerate(zip(built, sent, strict=True)):
            _same(b, s, f"{where}[{i}]")


def check_blocks(blocks: list[dict[str, Any]]) -> None:
    """Each block parses into its slack_sdk model, validates, and keeps every key."""
    assert len(blocks) <= 100, f"{len(blocks)} blocks"
    for i, raw in enumerate(blocks):
        block = Block.parse(raw)
        assert block is not None, f"block {i} has an unknown type: {raw.get('type')}"
        block.validate_json()
        _same(block.to_dict(), {k: v for k, v in raw.items() if k != "block_id"}, f"block {i}")


def check_view(view: dict[str, Any]) -> None:
    """A modal or Home view: the View model validates it (title and button lengths, block
    count, input blocks only in modals) and its blocks are valid."""
    model = View(**{k: v for k, v in view.items() if k in _VIEW_KEYS})
    model.validate_json()
    check_blocks(list(view.get("blocks") or []))
    assert len(json.dumps(view.get("private_metadata") or "")) <= 3002


_VIEW_KEYS = frozenset(
    {
        "type",
        "id",
        "callback_id",
        "external_id",
        "team_id",
        "bot_id",
        "app_id",
        "root_view_id",
        "previous_view_id",
        "title",
        "submit",
        "close",
        "blocks",
        "private_metadata",
        "state",
        "hash",
        "clear_on_close",
        "notify_on_close",
    }
)


def check_message(body: dict[str, Any]) -> None:
    """A chat.postMessage / postEphemeral / chat.update body: text, and valid blocks."""
    assert body.get("text"), "a message needs a text fallback"
    blocks = body.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    check_blocks(list(blocks or []))


@cache
def _validator() -> Draft6Validator:
    schema = json.loads(SCHEMA.read_text())
    return Draft6Validator(schema)


def check_card(card: dict[str, Any]) -> None:
    """An Adaptive Card: valid against the 1.5 schema, and within Teams' size limit."""
    errors = sorted(_validator().iter_errors(card), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message[:200]}" for e in errors[:5])
    assert card.get("type") == "AdaptiveCard"
    assert len(json.dumps(card)) <= 28 * 1024
