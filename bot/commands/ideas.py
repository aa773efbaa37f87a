"""Idea commands: capture, list, show, vote, advance, shelve, reopen, rate, hand over."""

from __future__ import annotations

from bot.commands import channels
from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.i18n import _, formats, ngettext
from bot.i18n.words import shown
from bot.messages import Button, Form, Item, Reply, Section
from bot.reads.views import IdeaView
from bot.services import idea_champions, idea_stages, ideas
from bot.services.context import Context
from bot.services.holds import holds_here

NEXT = {"proposed": "development", "development": "pilot", "pilot": "scaled"}


def idea_item(view: IdeaView, *, buttons: bool = True) -> Item:
    details = [
        ngettext(
            "{stage} · {n} vote · champion {champion}",
            "{stage} · {n} votes · champion {champion}",
            view.votes,
        ).format(stage=shown(view.stage), n=view.votes, champion=view.champion)
    ]
    if view.scaling != "unrated":
        details.append(_("scaling potential: {rating}").format(rating=shown(view.scaling)))
    if view.stage == "shelved" and view.lessons:
        details.append(_("lessons: {lessons}").format(lessons=view.lessons))
    actions: tuple[Button, ...] = ()
    if buttons and view.stage != "shelved":
        actions = (Button(_("Vote"), "vote", view.ref, "primary"),)
        if view.stage in NEXT:
            label = _("Move to {stage}").format(stage=shown(NEXT[view.stage]))
            actions += (Button(label, "advance", f"{view.ref} {NEXT[view.stage]}"),)
    return Item(view.ref, view.title, tuple(details), view.permalink, actions)


def idea_saved(
    deps: Deps,
    ctx: Context,
    *,
    text: str,
    description: str | None = None,
    themes: tuple[str, ...] = (),
) -> Reply:
    """Capture an idea; the reply names up to three existing ideas that look the same."""
    saved = ideas.create(deps.uow(), ctx, text=text, description=description, themes=themes)
    view = saved.view
    sections = [Section(items=(idea_item(view),))]
    if saved.similar:
        sections.append(
            Section(
                heading=_("Similar ideas already exist"),
                items=tuple(
                    Item(
                        s.ref,
                        s.title,
                        (
                            _("{stage} · champion {champion}").format(
                                stage=shown(s.stage), champion=s.champion
                            ),
                        ),
                        None,
                        (
                            Button(
                                _("Support {ref} instead").format(ref=s.ref),
                                "support",
                                f"{s.ref} {view.ref}",
                            ),
                        ),
                    )
                    for s in saved.similar
                ),
            )
        )
    buttons = (Button(_("Keep mine"), "keep", view.ref),) if saved.similar else ()
    # With look-alikes, only the author sees the reply first and decides; "Keep mine"
    # then announces the idea to the channel.
    if view.community:
        said = _("Idea {ref} saved in {community}: {title}").format(
            ref=view.ref, community=view.community, title=view.title
        )
    else:
        said = _("Idea {ref} saved: {title}").format(ref=view.ref, title=view.title)
    reply = Reply(
        said,
        public=not saved.similar,
        sections=tuple(sections),
        buttons=buttons,
        notices=saved.notices,
        captured=None if saved.similar else view.ref,
    )
    if view.community is None and holds_here(ctx):
        return channels.held(reply, view.ref, ctx)
    return reply


@handles(c.NewIdea)
def new_idea(deps: Deps, cmd: c.NewIdea, ctx: Context) -> Reply:
    if not cmd.text:
        return Reply(
            _("Tell me your idea: a title on the first line, details after."), form=Form("idea")
        )
    return idea_saved(deps, ctx, text=cmd.text)


@handles(c.ListIdeas)
def list_ideas(deps: Deps, cmd: c.ListIdeas, ctx: Context) -> Reply:
    views, total = ideas.listing(
        deps.uow(), ctx, filter=cmd.filter, community=cmd.community, theme=cmd.theme
    )
    label = "" if cmd.filter == "all" else f" ({shown(cmd.filter)})"
    if cmd.theme:
        label += " " + _("on {theme}").format(theme=cmd.theme)
    if not views:
        return Reply(
            _("No ideas{filter} yet. Capture one with `idea <text>`.").format(filter=label)
        )
    return Reply(
        _("Ideas{filter}: {total}").format(filter=label, total=total),
        sections=(Section(items=tuple(idea_item(v) for v in views), more=total - len(views)),),
    )


@handles(c.Vote)
def vote(deps: Deps, cmd: c.Vote, ctx: Context) -> Reply:
    view = ideas.vote(deps.uow(), ctx, number=cmd.ref.number)
    return Reply(
        _("Thanks, your vote for {ref} is counted ({n} in all).").format(
            ref=view.ref, n=view.votes
        ),
        source_label=ngettext("Voted ✓ {n} vote", "Voted ✓ {n} votes", view.votes).format(
            n=view.votes
        ),
    )


@handles(c.Advance, for_the_channel=True)
def advance(deps: Deps, cmd: c.Advance, ctx: Context) -> Reply:
    before = ideas.stage_of(deps.uow(), number=cmd.ref.number)
    view = idea_stages.advance(
        deps.uow(), ctx, number=cmd.ref.number, stage=cmd.stage, note=cmd.note
    )
    return Reply(
        _("{ref} moved to {stage}: {title}").format(
            ref=view.ref,
            stage=shown(view.stage) + _skipped(before, view.stage),
            title=view.title,
        ),
        source_label=_("Moved to {stage} ✓").format(stage=shown(view.stage)),
        public=True,
        sections=(Section(items=(idea_item(view),)),),
    )


@handles(c.Shelve, for_the_channel=True)
def shelve(deps: Deps, cmd: c.Shelve, ctx: Context) -> Reply:
    view = idea_stages.shelve(deps.uow(), ctx, number=cmd.ref.number, lessons=cmd.lessons)
    return Reply(
        _("{ref} shelved. Lessons kept: {lessons}").format(ref=view.ref, lessons=view.lessons),
        public=True,
    )


@handles(c.Reopen, for_the_channel=True)
def reopen(deps: Deps, cmd: c.Reopen, ctx: Context) -> Reply:
    view = idea_stages.reopen(deps.uow(), ctx, number=cmd.ref.number, note=cmd.note)
    return Reply(
        _("{ref} reopened in {stage}.").format(ref=view.ref, stage=shown(view.stage)), public=True
    )


@handles(c.RateIdea)
def rate(deps: Deps, cmd: c.RateIdea, ctx: Context) -> Reply:
    view = idea_stages.rate(deps.uow(), ctx, number=cmd.ref.number, rating=cmd.rating)
    return Reply(
        _("{ref} scaling potential: {rating}.").format(ref=view.ref, rating=shown(view.scaling)),
        source_label=_("Rated {rating} ✓").format(rating=shown(view.scaling)),
    )


@handles(c.HandOver, for_the_channel=True)
def hand_over(deps: Deps, cmd: c.HandOver, ctx: Context) -> Reply:
    view, notices = idea_champions.hand_over(deps.uow(), ctx, number=cmd.ref.number, to=cmd.to)
    return Reply(
        _("{person} is now the champion of {ref}.").format(person=view.champion, ref=view.ref),
        public=True,
        notices=notices,
    )


def _skipped(from_stage: str | None, to_stage: str) -> str:
    skipped = idea_stages.skipped_stages(from_stage, to_stage)
    if not skipped:
        return ""
    return " " + _("(skipped {stages})").format(stages=", ".join(shown(s) for s in skipped))


def show_idea(deps: Deps, number: int, ctx: Context) -> Reply:
    view = ideas.show(deps.uow(), ctx, number=number)
    lines = [view.description] if view.description else []
    lines.append(
        _("Author: {person} · community: {community}").format(
            person=view.author, community=view.community or _("none")
        )
    )
    if view.themes:
        lines.append(_("Themes: {themes}").format(themes=", ".join(view.themes)))
    history = tuple(
        _("{day} {before} → {after} by {person}").format(
            day=formats.medium_day(step.at),
            before=shown(step.from_stage) if step.from_stage else _("new"),
            after=shown(step.to_stage) + _skipped(step.from_stage, step.to_stage),
            person=step.actor,
        )
        + (f": {step.note}" if step.note else "")
        for step in view.history
    )
    return Reply(
        f"{view.ref} {view.title}",
        sections=(
            Section(items=(idea_item(view),), lines=tuple(lines)),
            Section(heading=_("Stage history"), lines=history),
        ),
    )
