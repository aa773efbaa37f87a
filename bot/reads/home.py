"""A person's home page (Slack App Home, a Teams personal tab): their own ideas, requests and
events, open requests they could help with, and, for focal points and coordinators, the
action items in their scope.

Action items (the same ones the focal-point digest lists):

- requests with no offer of help for more than 48 hours;
- ideas waiting for a stage decision: proposed ideas with at least 3 votes, or proposed for
  more than 14 days;
- ideas waiting for a scaling-potential rating: in pilot or scaled, still unrated.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.clock import local_date
from bot.i18n import LANGUAGES, NAMES, _, current, formats, ngettext
from bot.i18n.words import shown
from bot.messages import Button, Item, Reply, Section
from bot.reads.focal_data import DECISION_AFTER, unanswered
from bot.services import personal
from bot.services.access import Caller, focal_community_ids, load_caller
from bot.services.context import Context
from bot.services.personal import SettingsView
from bot.services.skills import normalise
from storage.models import (
    Attendance,
    Event,
    HelpOffer,
    HelpRequest,
    Idea,
    Membership,
    Skill,
)
from storage.uow import UnitOfWork

LIMIT = 8
DECISION_VOTES = 3
NEXT = {"proposed": "development", "development": "pilot", "pilot": "scaled"}


def _idea(idea: Idea, *, buttons: tuple[Button, ...] = (), note: str | None = None) -> Item:
    details = [
        ngettext("{stage} · {n} vote", "{stage} · {n} votes", idea.votes).format(
            stage=shown(idea.stage), n=idea.votes
        )
    ]
    if idea.scaling != "unrated":
        details[0] += _(" · scaling potential {rating}").format(rating=shown(idea.scaling))
    if note:
        details.append(note)
    return Item(idea.ref, idea.title, tuple(details), idea.permalink, buttons)


def _request(request: HelpRequest, *, buttons: tuple[Button, ...] = (), note: str = "") -> Item:
    details = [shown(request.status) + (f" · {note}" if note else "")]
    if request.tags:
        details.append(_("tags: {tags}").format(tags=", ".join(request.tags)))
    return Item(request.ref, request.question, tuple(details), request.permalink, buttons)


def _advance(idea: Idea) -> tuple[Button, ...]:
    if idea.stage not in NEXT:
        return ()
    nxt = NEXT[idea.stage]
    return (Button(_("Move to {stage}").format(stage=shown(nxt)), "advance", f"{idea.ref} {nxt}"),)


def _mine(session: Session, caller: Caller) -> list[Section]:
    me = caller.person.id
    ideas = session.scalars(
        select(Idea)
        .where(or_(Idea.author_id == me, Idea.champion_id == me), Idea.stage != "shelved")
        .order_by(Idea.id.desc())
        .limit(LIMIT)
    ).all()
    requests = session.scalars(
        select(HelpRequest)
        .where(HelpRequest.requester_id == me, HelpRequest.status.in_(("open", "answered")))
        .order_by(HelpRequest.id.desc())
        .limit(LIMIT)
    ).all()
    idea_items = tuple(_idea(i, buttons=_advance(i) if i.champion_id == me else ()) for i in ideas)
    request_items = tuple(
        _request(r, buttons=(Button(_("Resolve"), "resolve", r.ref),)) for r in requests
    )
    return [
        Section(_("Your ideas"), items=idea_items)
        if idea_items
        else Section(_("Your ideas"), lines=(_("None yet. Share one with the button above."),)),
        Section(_("Your open requests"), items=request_items)
        if request_items
        else Section(_("Your open requests"), lines=(_("None open."),)),
    ]


def _matching(session: Session, caller: Caller) -> Section | None:
    skills = [
        normalise(s)
        for s in session.scalars(select(Skill.name).where(Skill.person_id == caller.person.id))
    ]
    if not skills:
        return Section(
            _("Requests you could help with"),
            lines=(
                _("List your skills (`skills add facilitation, GIS`) to see matching requests."),
            ),
        )
    offered = select(HelpOffer.request_id).where(HelpOffer.person_id == caller.person.id)
    candidates = session.scalars(
        select(HelpRequest)
        .where(
            HelpRequest.status.in_(("open", "answered")),
            or_(HelpRequest.requester_id.is_(None), HelpRequest.requester_id != caller.person.id),
            HelpRequest.id.not_in(offered),
        )
        .order_by(HelpRequest.created_at.asc())
        .limit(200)
    ).all()
    found = []
    for request in candidates:
        text = " ".join([request.question.lower(), *(t.lower() for t in request.tags or ())])
        hits = [s for s in skills if s and s in text]
        if hits:
            found.append(
                _request(
                    request,
                    buttons=(Button(_("I can help"), "offer", request.ref, "primary"),),
                    note=_("matches {skills}").format(skills=", ".join(hits[:3])),
                )
            )
    if not found:
        return Section(
            _("Requests you could help with"), lines=(_("Nothing matches your skills now."),)
        )
    return Section(
        _("Requests you could help with"),
        items=tuple(found[:LIMIT]),
        more=max(0, len(found) - LIMIT),
    )


def _events(session: Session, caller: Caller, ctx: Context) -> Section:
    today = local_date(ctx.now, ctx.timezone)
    me = caller.person.id
    attending = set(session.scalars(select(Attendance.event_id).where(Attendance.person_id == me)))
    communities = select(Membership.community_id).where(Membership.person_id == me)
    events = session.scalars(
        select(Event)
        .where(
            Event.day >= today, or_(Event.id.in_(attending), Event.community_id.in_(communities))
        )
        .order_by(Event.day, Event.id)
        .limit(LIMIT)
    ).all()
    if not events:
        return Section(_("Your upcoming events"), lines=(_("No upcoming events."),))
    items = []
    for event in events:
        going = event.id in attending
        buttons = () if going else (Button(_("Attend"), "attend", event.ref, "primary"),)
        status = (
            _("you're registered")
            if going and event.day > today
            else (_("you're attending") if going else _("in your community"))
        )
        items.append(
            Item(
                event.ref,
                event.title,
                (f"{formats.weekday_and_day_year(event.day)} · {shown(event.kind)} · {status}",),
                None,
                buttons,
            )
        )
    return Section(_("Your upcoming events"), items=tuple(items))


def _action_items(session: Session, caller: Caller, ctx: Context) -> Section | None:
    if caller.coordinator:
        scope = None
    else:
        scope = focal_community_ids(session, caller.person.id)
        if not scope:
            return None
    requests_q = select(HelpRequest).where(unanswered(ctx.now))
    decision_q = select(Idea).where(
        Idea.stage == "proposed",
        or_(Idea.votes >= DECISION_VOTES, Idea.created_at <= ctx.now - DECISION_AFTER),
    )
    rating_q = select(Idea).where(Idea.stage.in_(("pilot", "scaled")), Idea.scaling == "unrated")
    if scope is not None:
        requests_q = requests_q.where(HelpRequest.community_id.in_(scope))
        decision_q = decision_q.where(Idea.community_id.in_(scope))
        rating_q = rating_q.where(Idea.community_id.in_(scope))
    items: list[Item] = []
    for request in session.scalars(requests_q.order_by(HelpRequest.created_at).limit(LIMIT)):
        hours = int((ctx.now - request.created_at) / timedelta(hours=1))
        items.append(
            _request(
                request,
                buttons=(Button(_("I can help"), "offer", request.ref, "primary"),),
                note=_("no offer of help for {hours} h").format(hours=hours),
            )
        )
    for idea in session.scalars(decision_q.order_by(Idea.votes.desc(), Idea.id).limit(LIMIT)):
        items.append(_idea(idea, buttons=_advance(idea), note=_("waiting for a stage decision")))
    for idea in session.scalars(rating_q.order_by(Idea.id).limit(LIMIT)):
        rate = tuple(
            Button(_("Scaling: {rating}").format(rating=shown(r)), "rate", f"{idea.ref} {r}")
            for r in ("low", "medium", "high")
        )
        items.append(_idea(idea, buttons=rate, note=_("waiting for a scaling-potential rating")))
    heading = _("Action items (all communities)") if scope is None else _("Action items")
    if not items:
        return Section(heading, lines=(_("Nothing waiting for you. Well done!"),))
    return Section(heading, items=tuple(items))


def settings_section(view: SettingsView) -> Section:
    """The person's settings, with a button to turn nudges on or off (chat and App Home)."""
    toggle = "off" if view.nudges else "on"
    label = _("Turn nudges off") if view.nudges else _("Turn nudges on")
    nudges, *rest = view.lines()
    return Section(
        heading=_("Your settings"),
        lines=(
            *rest,
            _(
                "Change them with `settings hours 08:00-16:00`, `settings days mon-thu` or "
                "`settings timezone Europe/Zurich` (`default` to go back)."
            ),
        ),
        items=(Item("", nudges, buttons=(Button(label, "settings", f"nudges {toggle}"),)),),
    )


def _with_languages(section: Section) -> Section:
    """The settings section with the language buttons (one per other language)."""
    languages = Item(
        "",
        _("I write to you in {language}.").format(language=formats.language_name(current())),
        buttons=tuple(
            Button(NAMES[code], "language", code) for code in LANGUAGES if code != current()
        ),
    )
    return replace(section, items=(*section.items, languages))


def home(uow: UnitOfWork, ctx: Context) -> Reply:
    """The caller's home page as a neutral reply (buttons open forms and act on items)."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        sections = _mine(session, caller)
        matching = _matching(session, caller)
        if matching is not None:
            sections.append(matching)
        sections.append(_events(session, caller, ctx))
        actions = _action_items(session, caller, ctx)
        if actions is not None:
            sections.insert(0, actions)
        sections.append(_with_languages(settings_section(personal.view_of(caller.person, ctx))))
        ideas_total = session.scalar(
            select(func.count(Idea.id)).where(
                or_(Idea.author_id == caller.person.id, Idea.champion_id == caller.person.id)
            )
        )
        name = caller.person.label
        uow.commit()
    return Reply(
        ngettext(
            "Hello {name}! You have shared {n} idea.",
            "Hello {name}! You have shared {n} ideas.",
            ideas_total or 0,
        ).format(name=name, n=ideas_total or 0),
        sections=tuple(sections),
        buttons=(
            Button(_("New idea"), "form", "idea", "primary"),
            Button(_("Ask the community"), "form", "request"),
            Button(_("Give feedback"), "form", "feedback"),
        ),
    )
