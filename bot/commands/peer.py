"""Peer-learning and feedback commands: ask, requests, offer, resolve, close, feedback,
skills, experts, show."""

from __future__ import annotations

from bot.commands import channels
from bot.commands.ideas import show_idea
from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.i18n import _, ngettext
from bot.i18n.words import shown
from bot.messages import Button, Form, Item, Reply, Section
from bot.reads.views import RequestView
from bot.services import feedback, requests, skills
from bot.services.context import Context
from bot.services.experts import Expert
from bot.services.feedback import FeedbackView
from bot.services.holds import holds_here


def request_item(view: RequestView) -> Item:
    details = [
        _("{status} · asked by {person}").format(status=shown(view.status), person=view.requester)
    ]
    if view.tags:
        details.append(_("tags: {tags}").format(tags=", ".join(view.tags)))
    if view.offers:
        details.append(_("offers: {people}").format(people=", ".join(view.offers)))
    if view.helpers:
        details.append(_("credited: {people}").format(people=", ".join(view.helpers)))
    buttons: tuple[Button, ...] = ()
    if view.status in ("open", "answered"):
        buttons = (
            Button(_("I can help"), "offer", view.ref, "primary"),
            Button(_("Resolve"), "resolve", view.ref),
        )
    return Item(view.ref, view.question, tuple(details), view.permalink, buttons)


def expert_item(e: Expert) -> Item:
    parts = []
    if e.skills:
        parts.append(", ".join(e.skills))
    if e.helped:
        parts.append(
            ngettext(
                "helped with {n} similar request", "helped with {n} similar requests", e.helped
            ).format(n=e.helped)
        )
    return Item(f"#{e.person_id}", e.name, (" · ".join(parts),) if parts else ())


def request_opened(deps: Deps, ctx: Context, *, text: str, tags: tuple[str, ...] = ()) -> Reply:
    """Open a request; the reply shows answered questions that look the same and suggests
    people who could help."""
    asked = requests.ask(deps.uow(), ctx, text=text, tags=tags)
    view = asked.view
    sections = [Section(items=(request_item(view),))]
    if asked.answered:
        sections.append(
            Section(
                heading=_("Answered before"),
                items=tuple(
                    Item(
                        a.ref,
                        a.question,
                        (
                            _("helped by {people}").format(people=", ".join(a.helpers))
                            if a.helpers
                            else shown("resolved"),
                        ),
                        a.link,
                    )
                    for a in asked.answered
                ),
            )
        )
    buttons: tuple[Button, ...] = ()
    if asked.experts:
        sections.append(
            Section(heading=_("People who may know"), items=tuple(map(expert_item, asked.experts)))
        )
        buttons = (Button(_("Notify them"), "notify", view.ref, "primary"),)
    reply = Reply(
        _("Request {ref} is open: who can help?").format(ref=view.ref),
        public=True,
        sections=tuple(sections),
        buttons=buttons,
        notices=asked.notices,
        captured=view.ref,
    )
    if view.community is None and holds_here(ctx):
        return channels.held(reply, view.ref, ctx)
    return reply


@handles(c.Ask, for_the_channel=True)
def ask(deps: Deps, cmd: c.Ask, ctx: Context) -> Reply:
    if not cmd.text:
        return Reply(_("What do you need help with?"), form=Form("request"))
    return request_opened(deps, ctx, text=cmd.text)


@handles(c.ListRequests)
def list_requests(deps: Deps, cmd: c.ListRequests, ctx: Context) -> Reply:
    views, total = requests.listing(deps.uow(), ctx, filter=cmd.filter)
    if not views:
        return Reply(
            _("No requests ({filter}). Ask one with `ask <question>`.").format(
                filter=shown(cmd.filter)
            )
        )
    return Reply(
        _("Requests ({filter}): {total}").format(filter=shown(cmd.filter), total=total),
        sections=(Section(items=tuple(request_item(v) for v in views), more=total - len(views)),),
    )


@handles(c.Offer)
def offer(deps: Deps, cmd: c.Offer, ctx: Context) -> Reply:
    view, notices = requests.offer(deps.uow(), ctx, number=cmd.ref.number, note=cmd.note)
    return Reply(
        _("Thanks! {person} will hear that you can help with {ref}.").format(
            person=view.requester, ref=view.ref
        ),
        notices=notices,
        source_label=_("You offered help ✓"),
    )


@handles(c.Resolve, for_the_channel=True)
def resolve(deps: Deps, cmd: c.Resolve, ctx: Context) -> Reply:
    view, notices = requests.resolve(deps.uow(), ctx, number=cmd.ref.number, helpers=cmd.helpers)
    if view.helpers:
        text = _("{ref} resolved. Kudos to {people}!").format(
            ref=view.ref, people=", ".join(view.helpers)
        )
    else:
        text = _("{ref} resolved.").format(ref=view.ref)
    return Reply(text, public=True, notices=notices, source_label=_("Resolved ✓"))


@handles(c.CloseRequest)
def close(deps: Deps, cmd: c.CloseRequest, ctx: Context) -> Reply:
    view = requests.close(deps.uow(), ctx, number=cmd.ref.number, note=cmd.note)
    return Reply(_("{ref} closed.").format(ref=view.ref))


@handles(c.ShowItem)
def show(deps: Deps, cmd: c.ShowItem, ctx: Context) -> Reply:
    if cmd.ref.kind == "I":
        return show_idea(deps, cmd.ref.number, ctx)
    if cmd.ref.kind == "R":
        view = requests.show(deps.uow(), ctx, number=cmd.ref.number)
        return Reply(
            f"{view.ref} ({shown(view.status)})",
            sections=(Section(items=(request_item(view),)),),
        )
    from bot.commands.events import show_event

    return show_event(deps, cmd.ref.number, ctx)


@handles(c.GiveFeedback)
def give_feedback(deps: Deps, cmd: c.GiveFeedback, ctx: Context) -> Reply:
    if cmd.target is None and cmd.rating is None and not cmd.text:
        return Reply(_("What would you like to give feedback on?"), form=Form("feedback"))
    kind: str
    number: int | None = None
    if isinstance(cmd.target, c.ItemRef):
        kind, number = cmd.target.kind, cmd.target.number
    else:
        kind = cmd.target or "community"
    view = feedback.give(
        deps.uow(),
        ctx,
        target_kind=kind,
        target_number=number,
        rating=cmd.rating,
        text=cmd.text,
        anonymous=cmd.anonymous,
        source=cmd.source,
    )
    return feedback_recorded(view)


def feedback_recorded(view: FeedbackView) -> Reply:
    stars = f" ({view.rating}/5)" if view.rating else ""
    about = view.target
    if view.subject is not None:
        about = _("{person}'s message").format(person=view.subject)
    if view.anonymous:
        text = _("Thanks for your feedback on {target}{rating}, recorded anonymously.")
    else:
        text = _("Thanks for your feedback on {target}{rating}, recorded.")
    text = text.format(target=about, rating=stars)
    if view.subject is not None and view.notices:
        text += " " + _("{person} will be told.").format(person=view.subject)
    return Reply(text, notices=view.notices)


@handles(c.Skills)
def change_skills(deps: Deps, cmd: c.Skills, ctx: Context) -> Reply:
    mine = skills.change(deps.uow(), ctx, action=cmd.action, skills=cmd.skills)
    if not mine:
        return Reply(_("You have no skills listed. Add some: `skills add facilitation, GIS`."))
    return Reply(_("Your skills: {skills}").format(skills=", ".join(mine)))


@handles(c.Experts)
def experts(deps: Deps, cmd: c.Experts, ctx: Context) -> Reply:
    found = skills.experts(deps.uow(), ctx, topic=cmd.topic)
    if not found:
        return Reply(
            _(
                'Nobody has skills or past help matching "{topic}" yet. '
                "Try `ask` to reach the whole community."
            ).format(topic=cmd.topic)
        )
    items = tuple(expert_item(e) for e in found)
    return Reply(
        _('People who know about "{topic}":').format(topic=cmd.topic),
        sections=(Section(items=items),),
    )
