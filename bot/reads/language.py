"""Whose language a text is written in.

A person's language is, in order: their own choice (``language fr``), the locale their
platform reports (Slack ``users.info``, Teams ``activity.locale``), their community's
default (``community settings language=fr``), then ``COPBOT_LANGUAGE``. Channel posts
(digests) use the community's language, then ``COPBOT_LANGUAGE``.

"Their community" is the one the request came from when it came from a community's channel;
otherwise (a direct message, App Home, a note or nudge sent to them) the community with a
language set that they joined last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.i18n import current, normalise, use_locale
from bot.messages import Notice
from bot.services.context import Context
from bot.services.places import THIS_CHANNEL, channel_keys
from bot.settings import Settings
from storage.models import Account, ChannelBinding, Community, Membership, Person
from storage.sql import among
from storage.uow import UnitOfWork


def first(*choices: str | None, default: str) -> str:
    """The first of ``choices`` that names a supported language, else ``default``."""
    for choice in choices:
        found = normalise(choice)
        if found is not None:
            return found
    return default


def notice_to(
    session: Session, person_id: int, settings: Settings, write: Callable[[], str]
) -> Notice:
    """A note for ``person_id`` whose text ``write`` writes in their language, not in that of
    the person whose command caused it."""
    with use_locale(_of_people(session, {person_id}, settings)[person_id]):
        return Notice(recipient_person_id=person_id, text=write())


@contextmanager
def in_channel(uow: UnitOfWork, ctx: Context) -> Iterator[str]:
    """Write text inside in the language of the channel the request came from: its
    community's language when one is set, else the current one (the caller's). For replies
    posted in the channel for everyone ("R-2 resolved. Kudos to Ana!")."""
    with uow:
        community = _bound_community(uow.session, ctx)
        spoken = community.language if community is not None else None
    with use_locale(first(spoken, default=current())) as chosen:
        yield chosen


def communities_spoken(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """For each of the people ``ids`` who is in a community with a language set, that
    language (of the community they joined last): one query."""
    rows = session.execute(
        select(Membership.person_id, Community.language)
        .join(Community, Community.id == Membership.community_id)
        .where(among(Membership.person_id, set(ids)), Community.language.is_not(None))
        .order_by(Membership.joined_at, Membership.id)
    ).all()
    return {pid: lang for pid, lang in rows if lang and normalise(lang) is not None}  # last wins


def _bound_community(session: Session, ctx: Context) -> Community | None:
    return session.scalar(
        select(Community)
        .join(ChannelBinding, ChannelBinding.community_id == Community.id)
        .where(THIS_CHANNEL),
        channel_keys(ctx),
    )


def _asked_column(column: Any, *, of: str) -> Any:
    """``column`` of the requester's person (``of="person"``) or of the community bound to
    the request's channel (``of="channel"``), as a scalar subquery: each is at most one row
    (the accounts' and the bindings' unique keys)."""
    if of == "person":
        return (
            select(column)
            .join(Account, Account.person_id == Person.id)
            .where(
                Account.platform == bindparam("platform"),
                Account.workspace == bindparam("workspace"),
                Account.user_id == bindparam("user_id"),
            )
            .scalar_subquery()
        )
    return (
        select(column)
        .join(ChannelBinding, ChannelBinding.community_id == Community.id)
        .where(THIS_CHANNEL)
        .scalar_subquery()
    )


# What :func:`for_request` needs in one statement, built once (every request runs it): the
# person's id, chosen language and stored locale, and the bound community's id and language.
_ASKED = select(
    _asked_column(Person.id, of="person"),
    _asked_column(Person.language, of="person"),
    _asked_column(Person.platform_locale, of="person"),
    _asked_column(Community.id, of="channel"),
    _asked_column(Community.language, of="channel"),
)


def for_request(uow: UnitOfWork, ctx: Context) -> str:
    """The language to answer the person behind ``ctx`` in (read only; one query, two when
    only the communities they joined can tell)."""
    with uow:
        session = uow.session
        params = {**channel_keys(ctx), "user_id": ctx.actor.user_id}
        person_id, chosen, stored_locale, community_id, community_language = (
            session.connection().execute(_ASKED, params).one()
        )
        # The locale the platform sent with this request, else the one stored with the person
        # (a Slack request carries none until users.info has been asked again).
        for choice in (chosen, ctx.actor.locale, stored_locale):
            if normalise(choice) is not None:
                return first(choice, default=ctx.settings.copbot_language)
        if community_id is not None or person_id is None:
            return first(community_language, default=ctx.settings.copbot_language)
        joined = communities_spoken(session, [person_id]).get(person_id)
        return first(joined, default=ctx.settings.copbot_language)


def of_communities(uow: UnitOfWork, ids: Iterable[int], settings: Settings) -> dict[int, str]:
    """The language of each community's channel posts, by community id."""
    wanted = set(ids)
    if not wanted:
        return {}
    with uow:
        rows = uow.session.execute(
            select(Community.id, Community.language).where(among(Community.id, wanted))
        ).all()
    found = {cid: first(lang, default=settings.copbot_language) for cid, lang in rows}
    return {cid: found.get(cid, settings.copbot_language) for cid in wanted}


def of_people(uow: UnitOfWork, ids: Iterable[int], settings: Settings) -> dict[int, str]:
    """The language of a message to each person outside a request (nudges, focal digests,
    pulse questions): their choice, their platform's locale, the language of their
    community, then the default."""
    wanted = set(ids)
    if not wanted:
        return {}
    with uow:
        return _of_people(uow.session, wanted, settings)


def _of_people(session: Session, wanted: set[int], settings: Settings) -> dict[int, str]:
    rows = session.execute(
        select(Person.id, Person.language, Person.platform_locale).where(among(Person.id, wanted))
    ).all()
    own = {pid: (lang, locale) for pid, lang, locale in rows}
    unsure = [
        pid for pid, (lang, locale) in own.items() if not (normalise(lang) or normalise(locale))
    ]
    joined = communities_spoken(session, unsure) if unsure else {}
    default = settings.copbot_language
    return {
        pid: first(*own.get(pid, (None, None)), joined.get(pid), default=default) for pid in wanted
    }
