"""Outbox payloads: the version 2 envelope, and rows stored in version 1 still delivered."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from sqlalchemy import select

from bot.container import Container
from bot.messages import Attachment, Button, Form, Item, Notice, Reply, Section, Table
from bot.ports import Address, RecordingNotifier
from digests.dispatcher import Dispatcher
from digests.outbox import enqueue
from digests.serialize import PayloadError, reply_from_dict, reply_to_dict
from storage.models import OutboxMessage
from tests.conftest import NOW

REPLY = Reply(
    text="Digest <b>",
    sections=(
        Section(
            heading="Top",
            lines=("one", "two"),
            items=(Item("I-1", "Idea", ("3 votes",), None, (Button("Vote", "vote", "I-1"),)),),
            more=4,
        ),
    ),
    table=Table(columns=("a", "b"), rows=(("1", "2"),)),
    public=True,
    form=Form("idea", prefill=(("title", "x"),)),
    attachments=(Attachment("a.png", b"\x89PNG\x00\xff\xfb\xef\xbe", "image/png", "Chart"),),
    notices=(Notice(3, "hi"),),
)

# The same reply exactly as version 1 stored it (the reply's fields beside the version).
V1: dict[str, Any] = {
    "v": 1,
    "text": "Digest <b>",
    "sections": [
        {
            "heading": "Top",
            "lines": ["one", "two"],
            "items": [
                {
                    "ref": "I-1",
                    "title": "Idea",
                    "details": ["3 votes"],
                    "link": None,
                    "buttons": [{"label": "Vote", "action": "vote", "value": "I-1", "style": None}],
                }
            ],
            "more": 4,
        }
    ],
    "table": {"columns": ["a", "b"], "rows": [["1", "2"]]},
    "buttons": [],
    "public": True,
    "error": False,
    "form": {"kind": "idea", "prefill": [["title", "x"]]},
    "attachments": [
        {"filename": "a.png", "content": "iVBORwD/++++", "mimetype": "image/png", "title": "Chart"}
    ],
    "notices": [{"recipient_person_id": 3, "text": "hi"}],
}


def test_a_reply_is_stored_in_a_version_2_envelope() -> None:
    data = reply_to_dict(REPLY)
    assert data["v"] == 2 and set(data) == {"v", "reply"}
    assert data["reply"]["attachments"][0]["content"] == "iVBORwD_----"  # URL-safe base64
    assert reply_from_dict(json.loads(json.dumps(data))) == REPLY


def test_a_version_1_payload_still_reads() -> None:
    """Version 1 wrote attachments in standard base64 ("+" and "/")."""
    assert reply_from_dict(V1) == REPLY
    minimal = {"v": 1, "text": "Hello"}  # version 1 wrote every field, but none is needed
    assert reply_from_dict(minimal) == Reply("Hello")


@pytest.mark.parametrize(
    "data",
    [
        {"v": 99},
        {"text": "no version"},
        {"v": 2, "reply": {"sections": []}},
        {"v": 1, "text": "x", "attachments": [{"filename": "f"}]},
        {
            "v": 2,
            "reply": {
                "text": "x",
                "attachments": [{"filename": "f", "content": "%%", "mimetype": "a"}],
            },
        },
    ],
)
def test_an_unreadable_payload_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(PayloadError):
        reply_from_dict(data)


def test_a_version_1_row_in_the_outbox_is_delivered(container: Container) -> None:
    notifier = RecordingNotifier()
    container.notifiers.register("slack", notifier)
    enqueue(
        container.uow(),
        key="old",
        address=Address("slack", "T1", channel="C1"),
        reply=REPLY,
        now=NOW,
    )
    with container.uow() as uow:  # the row as an older release left it
        row = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.key == "old")).one()
        row.payload = {**row.payload, "reply": V1}
        uow.commit()

    dispatcher = Dispatcher(
        container.uow, container.notifiers, rng=random.Random(7), sleep=lambda s: None
    )
    assert dispatcher.run_once(now=NOW).sent == 1
    assert [reply for _, reply in notifier.sent] == [REPLY]
