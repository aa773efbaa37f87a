"""Peer-learning requests: ask, offer help, resolve crediting helpers, close."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import limits
from bot.errors import Conflict, NotAllowed, NotFound
from bot.grammar.commands import PersonRef
from bot.i18n import _
from bot.i18n.words import shown
from bot.knowledge import index as knowledge
from bot.knowledge.embedder import Vector
from bot.messages import Notice
from bot.reads.language import notice_to
from bot.reads.views import RequestView, full_request_views, person_label
from bot.services import experts, similar
from bot.services.access import Caller, can_steward, load_caller
from bot.services.capture import already_captured, clean_text, origin
from bot.services.context import Context
from bot.services.experts import Expert
from bot.services.holds import hold, holds_here
from bot.services.people import find_person
from bot.services.similar import AnsweredQuestion
from bot.text import cut
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
    return full_request_views(session, [request])[0]


@dataclass(frozen=True, slots=True)
class Asked:
    view: RequestView
    notices: tuple[Notice, ...]
    answered: tuple[AnsweredQuestion, ...] = ()
    experts: tuple[Expert, ...] = ()


def index_request(session: Session, request: HelpRequest, *, vector: Vector | None = None) -> None:
    """The request's search document: question, tags, and who helped once resolved (the
    vector stays the question's)."""
    helpers = session.scalars(
        select(CreditedHelper.person_id).where(CreditedHelper.request_id == request.id)
    ).all()
    notes = session.scalars(
        select(HelpOffer.note).where(
            HelpOffer.request_id == request.id, HelpOffer.note.is_not(None)
        )
    ).all()
    parts = [request.question, " ".join(f"#{t}" for t in request.tags or ())]
    if helpers:
        parts.append("Helped by " + ", ".join(person_label(session, p) for p in helpers) + ".")
    parts += [n for n in notes if n]
    knowledge.upsert(
        session,
        kind="request",
        item_id=request.id,
        community_id=request.community_id,
        text=" ".join(p for p in parts if p),
        created_at=request.created_at,
        vector=vector,
        reembed=False,
    )


def ask(uow: UnitOfWork, ctx: Context, *, text: str, tags: tuple[str, ...] = ()) -> Asked:
    """Open a request; with it come resolved requests that look like the same question and
    people whose skills or past help match it."""
    question = clean_text(text, what="question")
    tags = limits.words(tags, what="tag", each=limits.TAG, most=limits.TAGS)
    vector = similar.vector_for(question)
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
        if caller.community is None and holds_here(ctx):
            hold(session, ctx, kind="request", item_id=request.id)
        notices = came_from.tell_author(
            ctx,
            caller,
            lambda: _(
                "{person} asked the community for help with your question ({ref}). "
                "You'll hear when someone offers."
            ).format(person=caller.person.label, ref=request.ref),
        )
        answered = similar.answered_like(session, vector, exclude=request.id)
        people = experts.for_request(session, request, vector=vector)
        index_request(session, request, vector=vector)
        view = _full_view(session, request)
        uow.commit()
        return Asked(view, notices, tuple(answered), tuple(people))


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
        views = full_request_views(session, rows)
        uow.commit()
        ctx.memo.requests.update({v.id: (v.requester_id, v.community_id) for v in views})
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
                    ref=request.ref, status=shown(request.status)
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
                notice_to(
                    session,
                    request.requester_id,
                    ctx.settings,
                    lambda: _("{person} offered to help with {ref}: {question}").format(
                        person=caller.person.label,
                        ref=request.ref,
                        question=cut(request.question, 120, "…"),
                    ),
                ),
            )
        view = _full_view(session, request)
        uow.commit()
        return view, notices


def may_close(session: Session, caller: Caller, request: HelpRequest) -> bool:
    """The person who asked, a focal point of its community, or a coordinator."""
    return may_close_item(
        session, caller, requester_id=request.requester_id, community_id=request.community_id
    )


def may_close_item(
    session: Session | None, caller: Caller, *, requester_id: int | None, community_id: int | None
) -> bool:
    """:func:`may_close` for a request known by who asked and its community."""
    return requester_id == caller.person.id or can_steward(session, caller, community_id)


def _require_closer(session: Session, caller: Caller, request: HelpRequest, action: str) -> None:
    """Refuse unless the caller may ``action`` ("resolve" or "close") ``request``."""
    if may_close(session, caller, request):
        return
    if action == "resolve":
        text = _("Only the person who asked {ref}, a focal point or a coordinator can resolve it.")
    else:
        text = _("Only the person who asked {ref}, a focal point or a coordinator can close it.")
    raise NotAllowed(text.format(ref=request.ref))


def resolve(
    uow: UnitOfWork, ctx: Context, *, number: int, helpers: tuple[PersonRef, ...] = ()
) -> tuple[RequestView, tuple[Notice, ...]]:
    """Resolve a request. Named helpers are credited; with none named, everyone who offered."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        request = _get(session, number)
        _require_closer(session, caller, request, "resolve")
        if request.status in ("resolved", "closed"):
            raise Conflict(
                _("{ref} is already {status}.").format(
                    ref=request.ref, status=shown(request.status)
                )
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
        index_request(session, request)
        notices = tuple(
            notice_to(
                session,
                p,
                ctx.settings,
                lambda: _("Thank you! You were credited for helping with {ref}.").format(
                    ref=request.ref
                ),
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
        _require_closer(session, caller, request, "close")
        if request.status in ("resolved", "closed"):
            raise Conflict(
                _("{ref} is already {status}.").format(
                    ref=request.ref, status=shown(request.status)
                )
            )
        request.status = "closed"
        request.resolved_at = ctx.now
        request.resolved_by = caller.person.id
        view = _full_view(session, request)
        uow.commit()
        return view
