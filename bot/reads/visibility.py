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
from sqlalchemy.orm import Session

from bot.messages import Button, Item, Reply
from bot.services import idea_champions, requests
from bot.services.access import Caller, can_steward, is_coordinator
from bot.services.context import Context, Memo
from bot.services.people import find_account
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

    Decided once per reply, whatever the number of items, with the same rules the services
    enforce when a button is clicked. What the request read already (``ctx.memo``: the
    caller's roles, who owns the items it showed) is not read again; the rest takes one
    query for the ideas and one for the requests the buttons name, and the caller's roles.
    """
    restricted = [
        (b, ref) for b in all_buttons(reply) if b.action in RESTRICTED if (ref := _ref(b))
    ]
    if not restricted:
        return reply
    memo = ctx.memo
    idea_ids = {
        n
        for b, (kind, n) in restricted
        if kind == "I" and b.action not in REQUEST_OWNER_ACTIONS and n not in memo.ideas
    }
    request_ids = {
        n
        for b, (kind, n) in restricted
        if kind == "R" and b.action in REQUEST_OWNER_ACTIONS and n not in memo.requests
    }
    if memo.caller is not None and not idea_ids and not request_ids:
        return _filter(reply, _allowed(None, memo.caller, restricted, memo))
    with uow:
        session = uow.session
        caller = memo.caller
        if caller is None:
            person = _person(session, ctx)
            if person is None:
                return for_everyone(reply)
            caller = Caller(person, None, is_coordinator(session, person, ctx.settings))
        known = Memo(
            ideas={**memo.ideas, **_owners(session, Idea, idea_ids)},
            requests={**memo.requests, **_owners(session, HelpRequest, request_ids)},
        )
        return _filter(reply, _allowed(session, caller, restricted, known))


def _allowed(
    session: Session | None,
    caller: Caller,
    restricted: list[tuple[Button, tuple[str, int]]],
    known: Memo,
) -> set[tuple[str, str]]:
    """The (action, value) pairs of ``restricted`` that ``caller`` may use, by the rules of
    :func:`idea_champions.may_move`, :func:`access.can_steward` and :func:`requests.may_close`."""
    keep: set[tuple[str, str]] = set()
    for button, (kind, number) in restricted:
        allowed = False
        if kind == "I" and button.action in IDEA_STEWARD_ACTIONS | IDEA_CHAMPION_ACTIONS:
            idea = known.ideas.get(number)
            if idea is not None and button.action in IDEA_CHAMPION_ACTIONS:
                allowed = idea_champions.may_move_item(
                    session, caller, champion_id=idea[0], community_id=idea[1]
                )
            elif idea is not None:
                allowed = can_steward(session, caller, idea[1])
        elif kind == "R" and button.action in REQUEST_OWNER_ACTIONS:
            request = known.requests.get(number)
            allowed = request is not None and requests.may_close_item(
                session, caller, requester_id=request[0], community_id=request[1]
            )
        if allowed:
            keep.add((button.action, button.value))
    return keep


def _owners(
    session: Session, model: type[Row], ids: set[int]
) -> dict[int, tuple[int | None, int | None]]:
    """Who owns each named row (champion or requester) and its community: only the columns
    the permission rules read."""
    if not ids:
        return {}
    owner = model.champion_id if model is Idea else model.requester_id  # type: ignore[attr-defined]
    rows = session.execute(
        select(model.id, owner, model.community_id).where(  # type: ignore[attr-defined]
            model.id.in_(sorted(ids))  # type: ignore[attr-defined]
        )
    )
    return {row[0]: (row[1], row[2]) for row in rows}
