"""The review list: past messages an import found that read like ideas or help requests.

Focal points see the pending ones of their communities (coordinators: of every community)
and decide, one click each: save as an idea, ask the community, or dismiss. Saving keeps
the message's original author, date and permalink; the person who clicked is recorded as
the one who captured it, and the saved item is indexed for search. Permissions are checked
here, on every click.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.errors import Conflict, NotAllowed, NotFound
from bot.i18n import Text, _, formats, lazy
from bot.messages import Button, Item, Notice, Reply, Section
from bot.reads.language import notice_to
from bot.services.access import Caller, can_steward, focal_community_ids, load_caller
from bot.services.capture import clean_text, split_title
from bot.services.context import Context
from bot.services.ideas import add_new, index_idea
from bot.services.requests import index_request, tags_of
from storage.models import Community, HelpRequest, Idea, ImportCandidate, Person
from storage.uow import UnitOfWork

LIMIT = 5
HEADING = lazy("Past messages to review")
KINDS = ("idea", "request")
_READS_LIKE: dict[str, Text] = {
    "idea": lazy("reads like an idea"),
    "request": lazy("reads like a question"),
}


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    community: str
    kind: str
    posted_at: datetime
    author: str
    channel_id: str
    ts: str
    permalink: str | None


@dataclass(frozen=True, slots=True)
class Pending:
    candidates: tuple[Candidate, ...]
    more: int


@dataclass(frozen=True, slots=True)
class Location:
    channel_id: str
    ts: str
    permalink: str | None


def _scope(session: Session, caller: Caller) -> set[int] | None:
    """None: every community (a coordinator); else the communities the caller stewards."""
    return None if caller.coordinator else focal_community_ids(session, caller.person.id)


def pending(uow: UnitOfWork, ctx: Context, *, limit: int = LIMIT) -> Pending | None:
    """The caller's review list on their platform and workspace, newest first; None for
    people who review nothing and when nothing is waiting (no empty section in App Home)."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        scope = _scope(session, caller)
        if scope is not None and not scope:
            uow.commit()
            return None
        where = [
            ImportCandidate.status == "pending",
            ImportCandidate.platform == ctx.actor.platform.value,
            ImportCandidate.workspace == ctx.actor.workspace,
        ]
        if scope is not None:
            where.append(ImportCandidate.community_id.in_(scope))
        total = session.scalar(select(func.count(ImportCandidate.id)).where(*where)) or 0
        if total == 0:
            uow.commit()
            return None
        rows = session.execute(
            select(ImportCandidate, Community.name, Person)
            .join(Community, Community.id == ImportCandidate.community_id)
            .outerjoin(Person, Person.id == ImportCandidate.author_id)
            .where(*where)
            .order_by(ImportCandidate.posted_at.desc(), ImportCandidate.id.desc())
            .limit(limit)
        ).all()
        found = tuple(
            Candidate(
                id=c.id,
                community=name,
                kind=c.kind,
                posted_at=c.posted_at,
                author=person.label if person is not None else "someone",
                channel_id=c.channel_id,
                ts=c.ts,
                permalink=c.permalink,
            )
            for c, name, person in rows
        )
        uow.commit()
        return Pending(found, max(0, total - len(found)))


def item(candidate: Candidate, text: str | None) -> Item:
    """One candidate as a listed item with its three buttons; ``text`` as read from the
    platform (None when it could not be read: only dismissing is offered then)."""
    details = (
        f"{candidate.author} · {formats.medium_day(candidate.posted_at)} · "
        f"{candidate.community} · {_READS_LIKE.get(candidate.kind, candidate.kind)}",
    )
    value = str(candidate.id)
    buttons = [Button(_("Dismiss"), "review_dismiss", value)]
    if text:
        buttons[:0] = [
            Button(
                _("Save as idea"),
                "review_idea",
                value,
                "primary" if candidate.kind == "idea" else None,
            ),
            Button(
                _("Ask the community"),
                "review_request",
                value,
                "primary" if candidate.kind == "request" else None,
            ),
        ]
    title = text or _("(This message can't be read any more: it may have been deleted.)")
    return Item("", title, details, candidate.permalink, tuple(buttons))


def section(items: tuple[Item, ...], more: int) -> Section:
    return Section(str(HEADING), items=items, more=more)


def locate(uow: UnitOfWork, ctx: Context, *, candidate_id: int) -> Location:
    """Where a pending candidate's message is, for someone who may review it (so its text is
    read from the platform only for them)."""
    with uow:
        _caller, found = _open(uow.session, ctx, candidate_id)
        location = Location(found.channel_id, found.ts, found.permalink)
        uow.commit()
        return location


def _open(session: Session, ctx: Context, candidate_id: int) -> tuple[Caller, ImportCandidate]:
    caller = load_caller(session, ctx)
    candidate = session.get(ImportCandidate, candidate_id)
    if candidate is None or candidate.platform != ctx.actor.platform.value:
        raise NotFound(_("That message is no longer on the review list."))
    if not can_steward(session, caller, candidate.community_id):
        raise NotAllowed(
            _("Only a focal point of the message's community or a coordinator can review it.")
        )
    if candidate.status != "pending":
        if candidate.item_ref:
            raise Conflict(
                _("That message was already reviewed (saved as {ref}).").format(
                    ref=candidate.item_ref
                )
            )
        raise Conflict(_("That message was already reviewed (dismissed)."))
    return caller, candidate


def _already_saved(session: Session, candidate: ImportCandidate, kind: str) -> str | None:
    model: type[Idea] | type[HelpRequest] = Idea if kind == "idea" else HelpRequest
    number = session.scalar(
        select(model.id).where(
            model.source_platform == candidate.platform,
            model.source_channel == candidate.channel_id,
            model.source_ts == candidate.ts,
        )
    )
    return None if number is None else f"{'I' if kind == 'idea' else 'R'}-{number}"


def capture(
    uow: UnitOfWork,
    ctx: Context,
    *,
    candidate_id: int,
    kind: str,
    text: str,
    permalink: str | None,
) -> Reply:
    """Save a candidate as an idea or a request, with its author, date and permalink."""
    if kind not in KINDS:
        raise NotFound(_('Unknown kind "{kind}": idea or request.').format(kind=kind))
    body = clean_text(text, what="message")
    with uow:
        session = uow.session
        caller, candidate = _open(session, ctx, candidate_id)
        existing = _already_saved(session, candidate, kind)
        if existing is not None:
            candidate.status, candidate.item_ref = "captured", existing
            candidate.reviewed_by, candidate.reviewed_at = caller.person.id, ctx.now
            uow.commit()
            raise Conflict(_("That message is already saved as {ref}.").format(ref=existing))
        source = {
            "source_platform": candidate.platform,
            "source_channel": candidate.channel_id,
            "source_ts": candidate.ts,
            "permalink": permalink or candidate.permalink,
        }
        at = candidate.posted_at
        if kind == "idea":
            title, description = split_title(body)
            idea = Idea(
                community_id=candidate.community_id,
                title=title,
                description=description,
                themes=[],
                author_id=candidate.author_id,
                champion_id=candidate.author_id,
                captured_by=caller.person.id,
                created_at=at,
                stage_changed_at=at,
                **source,
            )
            add_new(session, idea, actor_id=caller.person.id, note="saved from the review list")
            index_idea(session, idea)
            ref = idea.ref
            what = _("idea {ref}: {title}").format(ref=ref, title=title)
        else:
            request = HelpRequest(
                community_id=candidate.community_id,
                question=body,
                tags=tags_of(body),
                requester_id=candidate.author_id,
                captured_by=caller.person.id,
                created_at=at,
                **source,
            )
            session.add(request)
            session.flush()
            index_request(session, request)
            ref = request.ref
            what = _("request {ref}").format(ref=ref)
        candidate.status, candidate.item_ref = "captured", ref
        candidate.reviewed_by, candidate.reviewed_at = caller.person.id, ctx.now
        notices: tuple[Notice, ...] = ()
        if candidate.author_id is not None and candidate.author_id != caller.person.id:

            def told() -> str:
                if kind == "idea":
                    saved = _("idea {ref}: {title}").format(ref=ref, title=title)
                else:
                    saved = _("request {ref}").format(ref=ref)
                return _("{person} saved your message of {day} as {what}").format(
                    person=caller.person.label, day=formats.day(at), what=saved
                )

            notices = (notice_to(session, candidate.author_id, ctx.settings, told),)
        uow.commit()
    return Reply(_("Saved as {what}, credited to its author.").format(what=what), notices=notices)


def dismiss(uow: UnitOfWork, ctx: Context, *, candidate_id: int) -> Reply:
    with uow:
        session = uow.session
        caller, candidate = _open(session, ctx, candidate_id)
        candidate.status = "dismissed"
        candidate.reviewed_by, candidate.reviewed_at = caller.person.id, ctx.now
        uow.commit()
    return Reply(_("Dismissed; it won't be offered again."))
