"""Peer-learning requests: ask, offer help, resolve crediting helpers, close."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import limits
from bot.errors import Conflict, NotAllowed, NotFound
from bot.grammar.commands import PersonRef
from bot.i18n import _
from bot.messages import Notice
from bot.reads.views import RequestView, person_label, request_view
from bot.services.access import Caller, can_steward, find_person, load_caller
from bot.services.capture import already_captured, clean_text, origin
from bot.services.context import Context
from storage.models import CreditedHelper, HelpOffer, HelpRequest
from storage.uow import UnitOfWork

_TAG = re.compile(r"#([\w-]{2,40})")


def tags_of(text: str) -> list[str]:
    return sorted({t.lower() for t in _TAG.findall(text)})


def _get(session: Session, number: int) -> HelpRequest:
    request = session.get(HelpRequest, number)
    if request is None:
        raise NotFound(
            _("There is no request R-{number}. Try `requests` to list them.").format(number=number)
        )
    return request


def _full_view(session: Session, request: HelpRequest) -> RequestView:
    offers = session.scalars(
        select(HelpOffer.person_id).where(HelpOffer.request_id == request.id).order_by(HelpOffer.at)
    ).all()
    helpers = session.scalars(
        select(CreditedHelper.person_id).where(CreditedHelper.request_id == request.id)
    ).all()
    return request_view(
        session,
        request,
        offers=tuple(person_label(session, p) for p in offers),
        helpers=tuple(person_label(session, p) for p in helpers),
    )


def ask(
    uow: UnitOfWork, ctx: Context, *, text: str, tags: tuple[str, ...] = ()
) -> tuple[RequestView, tuple[Notice, ...]]:
    question = clean_text(text, what="question")
    tags = limits.words(tags, what="tag", each=limits.TAG, most=limits.TAGS)
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        came_from = origin(session, ctx, caller)
        already_captured(session, HelpRequest, came_from)
        all_tags = sorted(
            {*(t.strip().lower().lstrip("#") for t in tags if t.strip()), *tags_of(question)}
        )
        request = HelpRequest(
            community_id=caller.community.id if caller.community else None,
            question=question,
            tags=all_tags,
            requester_id=came_from.author.id,
            captured_by=caller.person.id,
            created_at=ctx.now,
            **came_from.source_columns(),
        )
        session.add(request)
        session.flush()
        notices = came_from.tell_author(
            caller,
            f"{caller.person.label} asked the community for help with your question "
            f"({request.ref}). You'll hear when someone offers.",
        )
        view = _full_view(session, request)
        uow.commit()
        return view, notices


def listing(
    uow: UnitOfWork, ctx: Context, *, filter: str = "open", limit: int = 20
) -> tuple[list[RequestView], int]:
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        query = select(HelpRequest)
        if caller.community is not None and filter != "mine":
            query = query.where(HelpRequest.community_id == caller.community.id)
        if filter == "open":
            query = query.where(HelpRequest.status.in_(("open", "answered")))
        elif filter == "mine":
            query = query.where(HelpRequest.requester_id == caller.person.id)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        order = HelpRequest.id.asc() if filter == "open" else HelpRequest.id.desc()
        rows = session.scalars(query.order_by(order).limit(limit)).all()
        views = [_full_view(session, r) for r in rows]
        uow.commit()
        return views, total


def show(uow: UnitOfWork, ctx: Context, *, number: int) -> RequestView:
    with uow:
        session = uow.session
        load_caller(session, ctx)
        view = _full_view(session, _get(session, number))
        uow.commit()
        return view


def offer(
    uow: UnitOfWork, ctx: Context, *, number: int, note: str | None = None
) -> tuple[RequestView, tuple[Notice, ...]]:
    note = limits.optional_text(note, what="note", limit=limits.NOTE)
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        request = _get(session, number)
        if request.status in ("resolved", "closed"):
            raise Conflict(
                _("{ref} is already {status}. Thanks all the same!").format(
                    ref=request.ref, status=request.status
                )
            )
        if request.requester_id == caller.person.id:
            raise Conflict(
                _("{ref} is your own request; others can offer help on it.").format(ref=request.ref)
            )
        already = session.scalar(
            select(HelpOffer.id).where(
                HelpOffer.request_id == request.id, HelpOffer.person_id == caller.person.id
            )
        )
        if already is not None:
            raise Conflict(_("You already offered help on {ref}.").format(ref=request.ref))
        session.add(
            HelpOffer(request_id=request.id, person_id=caller.person.id, at=ctx.now, note=note)
        )
        if request.first_response_at is None:
            request.first_response_at = ctx.now
        if request.status == "open":
            request.status = "answered"
        session.flush()
        notices: tuple[Notice, ...] = ()
        if request.requester_id is not None:
            notices = (
                Notice(
                    recipient_person_id=request.requester_id,
                    text=f"{caller.person.label} offered to help with {request.ref}: "
                    f"{request.question[:120]}",
                ),
            )
        view = _full_view(session, request)
        uow.commit()
        return view, notices


def may_close(session: Session, caller: Caller, request: HelpRequest) -> bool:
    """The person who asked, a focal point of its community, or a coordinator."""
    return request.requester_id == caller.person.id or can_steward(
        session, caller, request.community_id
    )


def _require_closer(session: Session, caller: Caller, request: HelpRequest, doing: str) -> None:
    if not may_close(session, caller, request):
        raise NotAllowed(
            _(
                "Only the person who asked {ref}, a focal point or a coordinator can {doing}."
            ).format(ref=request.ref, doing=doing)
        )


def resolve(
    uow: UnitOfWork, ctx: Context, *, number: int, helpers: tuple[PersonRef, ...] = ()
) -> tuple[RequestView, tuple[Notice, ...]]:
    """Resolve a request. Named helpers are credited; with none named, everyone who offered."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        request = _get(session, number)
        _require_closer(session, caller, request, "resolve it")
        if request.status in ("resolved", "closed"):
            raise Conflict(
                _("{ref} is already {status}.").format(ref=request.ref, status=request.status)
            )
        if helpers:
            people = [find_person(session, h, actor=ctx.actor, now=ctx.now) for h in helpers]
            credited = sorted({p.id for p in people})
        else:
            credited = sorted(
                set(
                    session.scalars(
                        select(HelpOffer.person_id).where(HelpOffer.request_id == request.id)
                    )
                )
            )
        for person_id in credited:
            session.add(CreditedHelper(request_id=request.id, person_id=person_id))
        request.status = "resolved"
        request.resolved_at = ctx.now
        request.resolved_by = caller.person.id
        session.flush()
        notices = tuple(
            Notice(
                recipient_person_id=p,
                text=f"Thank you! You were credited for helping with {request.ref}.",
            )
            for p in credited
            if p != caller.person.id
        )
        view = _full_view(session, request)
        uow.commit()
        return view, notices


def close(uow: UnitOfWork, ctx: Context, *, number: int, note: str | None = None) -> RequestView:
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        request = _get(session, number)
        _require_closer(session, caller, request, "close it")
        if request.status in ("resolved", "closed"):
            raise Conflict(
                _("{ref} is already {status}.").format(ref=request.ref, status=request.status)
            )
        request.status = "closed"
        request.resolved_at = ctx.now
        request.resolved_by = caller.person.id
        view = _full_view(session, request)
        uow.commit()
        return view
