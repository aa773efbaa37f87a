"""Whose language a text is written in.

A person's language is, in order: their own choice (``language fr``), the locale their
platform reports (Slack ``users.info``, Teams ``activity.locale``), their community's
default (``community settings language=fr``), then ``COPBOT_LANGUAGE``. Channel posts
(digests) use the community's language, then ``COPBOT_LANGUAGE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import normalise, use_locale
from bot.services.context import Context
from bot.settings import Settings
from storage.models import Account, ChannelBinding, Community, Person
from storage.sql import among
from storage.uow import UnitOfWork


def first(*choices: str | None, default: str) -> str:
    """The first of ``choices`` that names a supported language, else ``default``."""
    for choice in choices:
        found = normalise(choice)
        if found is not None:
            return found
    return default


def of_community(community: Community | None, settings: Settings) -> str:
    """The language of a community's channel posts."""
    return first(community.language if community else None, default=settings.copbot_language)


def of_person(
    person: Person | None, settings: Settings, *, community: Community | None = None
) -> str:
    """The language of a message to ``person`` outside a request (nudges, notices)."""
    if person is None:
        return of_community(community, settings)
    return first(
        person.language,
        person.platform_locale,
        community.language if community else None,
        default=settings.copbot_language,
    )


@contextmanager
def speaking_to(session: Session, person_id: int, settings: Settings) -> Iterator[str]:
    """Write text inside in the language of a message to ``person_id``: a notice to another
    person is in their language, not in that of the person whose command caused it."""
    with use_locale(of_person(session.get(Person, person_id), settings)) as chosen:
        yield chosen


def _bound_community(session: Session, ctx: Context) -> Community | None:
    return session.scalar(
        select(Community)
        .join(ChannelBinding, ChannelBinding.community_id == Community.id)
        .where(
            ChannelBinding.platform == ctx.actor.platform.value,
            ChannelBinding.workspace == ctx.actor.workspace,
            ChannelBinding.channel_id == ctx.channel,
        )
    )


def for_request(uow: UnitOfWork, ctx: Context) -> str:
    """The language to answer the person behind ``ctx`` in (read only; one or two queries)."""
    with uow:
        session = uow.session
        chosen = session.scalar(
            select(Person.language)
            .join(Account, Account.person_id == Person.id)
            .where(
                Account.platform == ctx.actor.platform.value,
                Account.workspace == ctx.actor.workspace,
                Account.user_id == ctx.actor.user_id,
            )
        )
        if normalise(chosen) is not None:
            return first(chosen, default=ctx.settings.copbot_language)
        if normalise(ctx.actor.locale) is not None:
            return first(ctx.actor.locale, default=ctx.settings.copbot_language)
        return of_community(_bound_community(session, ctx), ctx.settings)


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
    pulse questions): their choice, then their platform's locale, then the default."""
    wanted = set(ids)
    if not wanted:
        return {}
    with uow:
        rows = uow.session.execute(
            select(Person.id, Person.language, Person.platform_locale).where(
                among(Person.id, wanted)
            )
        ).all()
    found = {
        pid: first(lang, locale, default=settings.copbot_language) for pid, lang, locale in rows
    }
    return {pid: found.get(pid, settings.copbot_language) for pid in wanted}
