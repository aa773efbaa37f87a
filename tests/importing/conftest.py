"""Importing Slack exports: the sample slice, an independent count of it, a runner."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.container import Container
from bot.importing.export import SlackExport
from bot.importing.run import Options, Summary, run_import
from storage.models import (
    Account,
    ChannelBinding,
    Community,
    ImportCandidate,
    ImportedCount,
    Membership,
    Participation,
    Person,
)
from tests.conftest import NOW

FIXTURE = Path(__file__).parents[1] / "fixtures" / "slack-export-sample" / "houstondatavis-2016"
FULL_SAMPLE = Path(__file__).parents[2] / ".." / "shared" / "data" / "slack-export-sample"
WORKSPACE = "T061A2UFL"

Import = Callable[..., Summary]


def independent_counts(root: Path) -> Counter[tuple[str, date]]:
    """People's messages per (channel name, day file), counted straight from the JSON with
    the rule the issue states, without any of the importer's code."""
    counts: Counter[tuple[str, date]] = Counter()
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for day_file in sorted(folder.glob("*.json")):
            for message in json.loads(day_file.read_text()):
                human = message.get("user") and not message.get("bot_id")
                subtype = message.get("subtype")
                if human and subtype in (None, "file_share", "thread_broadcast", "me_message"):
                    counts[(folder.name, date.fromisoformat(day_file.stem))] += 1
    return counts


def stored_counts(container: Container) -> Counter[tuple[str, date]]:
    """Participation per (bound channel name, day), read back from the store."""
    with container.uow() as uow:
        rows = uow.session.execute(
            select(ChannelBinding.channel_name, Participation.day, Participation.messages).join(
                Participation, Participation.community_id == ChannelBinding.community_id
            )
        ).all()
    counts: Counter[tuple[str, date]] = Counter()
    for channel, day, messages in rows:
        counts[(channel, day)] += messages
    return counts


def snapshot(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the import may touch, to prove a second run changes none of them."""
    tables: dict[str, tuple[Any, ...]] = {
        "people": (Person.id, Person.display_name, Person.email),
        "accounts": (Account.id, Account.person_id, Account.user_id),
        "communities": (Community.id, Community.name),
        "bindings": (ChannelBinding.id, ChannelBinding.community_id, ChannelBinding.channel_id),
        "memberships": (Membership.id,),
        "participation": (
            Participation.id,
            Participation.community_id,
            Participation.person_id,
            Participation.day,
            Participation.messages,
        ),
        "ledger": (ImportedCount.id, ImportedCount.messages, ImportedCount.day),
        "candidates": (ImportCandidate.id, ImportCandidate.ts, ImportCandidate.status),
    }
    with container.uow() as uow:
        return {
            name: [tuple(r) for r in uow.session.execute(select(*cols).order_by(cols[0])).all()]
            for name, cols in tables.items()
        }


@pytest.fixture
def run(container: Container) -> Import:
    def go(path: Path = FIXTURE, **options: Any) -> Summary:
        with SlackExport(path) as export:
            return run_import(
                container.uow, container.settings, export, Options(**options), now=NOW
            )

    return go


@pytest.fixture
def export_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample slice, to break or trim."""
    target = tmp_path / "export"
    shutil.copytree(FIXTURE, target)
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target
