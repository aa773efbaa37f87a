"""Which buttons a reply may show, and to whom.

Buttons for actions that only some people may take (moving an idea along, rating it,
resolving a request) are left off messages that everyone in a channel sees, and kept on a
person's own (ephemeral) replies only when that person may take the action. The click is
still checked by the service on the server; this only avoids offering what would be refused.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from bot.messages import Button, Item, Reply
from bot.services import ideas, requests
from bot.services.access import Caller, can_steward, find_account, is_coordinator
from bot.services.context import Context
from storage.models import HelpRequest, Idea, Person
from storage.uow import UnitOfWork

IDEA_STEWARD_ACTIONS = frozenset({"rate"})
IDEA_CHAMPION_ACTIONS = frozenset({"advance", "shelve"})
REQUEST_OWNER_ACTIONS = frozenset({"resolve", "close"})
RESTRICTED = IDEA_STEWARD_ACTIONS | IDEA_CHAMPION_ACTIONS | REQUEST_OWNER_ACTIONS

Row = TypeVar("Row", Idea, HelpRequest)

_REF = re.compile(r"^\s*([IR])-(\d{1,9})\b")


def _ref(button: Button) -> tuple[str, int] | None:
    match = _REF.match(button.value)
    return (match.group(1), int(match.group(2))) if match else None


def _filter(reply: Reply, keep: set[tuple[str, str]] | None) -> Reply:
    """Drop restricted buttons except those in ``keep`` ((action, value) pairs)."""

    def allowed(button: Button) -> bool:
        if button.action not in RESTRICTED:
            return True
        return keep is not None and (button.action, button.value) in keep

    def item(it: Item) -> Item:
        return replace(it, buttons=tuple(b for b in it.buttons if allowed(b)))

    sections = tuple(replace(s, items=tuple(item(i) for i in s.items)) for s in reply.sections)
    buttons = tuple(b for b in reply.buttons if allowed(b))
    return replace(reply, sections=sections, buttons=buttons)


def all_buttons(reply: Reply) -> list[Button]:
    found = list(reply.buttons)
    for section in reply.sections:
        for it in section.items:
            found += it.buttons
    return found


def for_everyone(reply: Reply) -> Reply:
    """The reply as a channel may see it: no buttons that only some people could use."""
    return _filter(reply, None)


def _person(session: Session, ctx: Context) -> Person | None:
    account = find_account(session, ctx.actor)
    return account.person if account is not None else None


def for_viewer(uow: UnitOfWork, ctx: Context, reply: Reply) -> Reply:
    """The reply as ``ctx.actor`` may see it: restricted buttons kept only where allowed.

    Decided once per reply, whatever the number of items: one query for the ideas and one for
    the requests the buttons name, and the caller's roles read once.
    """
    restricted = [
        (b, ref) for b in all_buttons(reply) if b.action in RESTRICTED if (ref := _ref(b))
    ]
    if not restricted:
        return reply
    idea_ids = {
        n for b, (kind, n) in restricted if kind == "I" and b.action not in REQUEST_OWNER_ACTIONS
    }
    request_ids = {
        n for b, (kind, n) in restricted if kind == "R" and b.action in REQUEST_OWNER_ACTIONS
    }
    keep: set[tuple[str, str]] = set()
    with uow:
        session = uow.session
        person = _person(session, ctx)
        if person is None:
            return for_everyone(reply)
        # The same rules the services enforce when the button is clicked.
        caller = Caller(person, None, is_coordinator(session, person, ctx.settings))
        found_ideas = _by_id(session, Idea, idea_ids)
        found_requests = _by_id(session, HelpRequest, request_ids)
        for button, (kind, number) in restricted:
            allowed = False
            if kind == "I" and button.action in IDEA_STEWARD_ACTIONS | IDEA_CHAMPION_ACTIONS:
                idea = found_ideas.get(number)
                if idea is not None and button.action in IDEA_CHAMPION_ACTIONS:
                    allowed = ideas.may_move(session, caller, idea)
                elif idea is not None:
                    allowed = can_steward(session, caller, idea.community_id)
            elif kind == "R" and button.action in REQUEST_OWNER_ACTIONS:
                request = found_requests.get(number)
                allowed = request is not None and requests.may_close(session, caller, request)
            if allowed:
                keep.add((button.action, button.value))
    return _filter(reply, keep)


def _by_id(session: Session, model: type[Row], ids: set[int]) -> dict[int, Row]:
    """The rows named, with only the columns the permission rules read (who owns the item
    and where it lives)."""
    if not ids:
        return {}
    owner = model.champion_id if model is Idea else model.requester_id  # type: ignore[attr-defined]
    rows = session.scalars(
        select(model)
        .where(model.id.in_(sorted(ids)))  # type: ignore[attr-defined]
        .options(load_only(model.id, model.community_id, owner))  # type: ignore[attr-defined]
    )
    return {row.id: row for row in rows}  # type: ignore[attr-defined]
