"""Idea commands: capture, list, show, vote, advance, shelve, reopen, rate, hand over."""

from __future__ import annotations

from bot.commands import channels
from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.messages import Button, Form, Item, Reply, Section
from bot.reads.views import IdeaView
from bot.services import ideas
from bot.services.context import Context
from bot.services.holds import holds_here

NEXT = {"proposed": "development", "development": "pilot", "pilot": "scaled"}


def idea_item(view: IdeaView, *, buttons: bool = True) -> Item:
    details = [
        f"{view.stage} · {view.votes} vote{'s' if view.votes != 1 else ''} · "
        f"champion {view.champion}"
    ]
    if view.scaling != "unrated":
        details.append(f"scaling potential: {view.scaling}")
    if view.stage == "shelved" and view.lessons:
        details.append(f"lessons: {view.lessons}")
    actions: tuple[Button, ...] = ()
    if buttons and view.stage != "shelved":
        actions = (Button("Vote", "vote", view.ref, "primary"),)
        if view.stage in NEXT:
            actions += (
                Button(f"Move to {NEXT[view.stage]}", "advance", f"{view.ref} {NEXT[view.stage]}"),
            )
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
    where = f" in {view.community}" if view.community else ""
    sections = [Section(items=(idea_item(view),))]
    if saved.similar:
        sections.append(
            Section(
                heading="Similar ideas already exist",
                items=tuple(
                    Item(
                        s.ref,
                        s.title,
                        (f"{s.stage} · champion {s.champion}",),
                        None,
                        (Button(f"Support {s.ref} instead", "support", f"{s.ref} {view.ref}"),),
                    )
                    for s in saved.similar
                ),
            )
        )
    buttons = (Button("Keep mine", "keep", view.ref),) if saved.similar else ()
    # With look-alikes, only the author sees the reply first and decides; "Keep mine"
    # then announces the idea to the channel.
    reply = Reply(
        f"Idea {view.ref} saved{where}: {view.title}",
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
            "Tell me your idea: a title on the first line, details after.", form=Form("idea")
        )
    return idea_saved(deps, ctx, text=cmd.text)


@handles(c.ListIdeas)
def list_ideas(deps: Deps, cmd: c.ListIdeas, ctx: Context) -> Reply:
    views, total = ideas.listing(
        deps.uow(), ctx, filter=cmd.filter, community=cmd.community, theme=cmd.theme
    )
    label = "" if cmd.filter == "all" else f" ({cmd.filter})"
    if cmd.theme:
        label += f" on {cmd.theme}"
    if not views:
        return Reply(f"No ideas{label} yet. Capture one with `idea <text>`.")
    return Reply(
        f"Ideas{label}: {total}",
        sections=(Section(items=tuple(idea_item(v) for v in views), more=total - len(views)),),
    )


@handles(c.Vote)
def vote(deps: Deps, cmd: c.Vote, ctx: Context) -> Reply:
    view = ideas.vote(deps.uow(), ctx, number=cmd.ref.number)
    votes = f"{view.votes} vote{'s' if view.votes != 1 else ''}"
    return Reply(
        f"Thanks, your vote for {view.ref} is counted ({view.votes} in all).",
        source_label=f"Voted ✓ {votes}",
    )


@handles(c.Advance)
def advance(deps: Deps, cmd: c.Advance, ctx: Context) -> Reply:
    before = ideas.stage_of(deps.uow(), number=cmd.ref.number)
    view = ideas.advance(deps.uow(), ctx, number=cmd.ref.number, stage=cmd.stage, note=cmd.note)
    return Reply(
        f"{view.ref} moved to {view.stage}{_skipped(before, view.stage)}: {view.title}",
        source_label=f"Moved to {view.stage} ✓",
        public=True,
        sections=(Section(items=(idea_item(view),)),),
    )


@handles(c.Shelve)
def shelve(deps: Deps, cmd: c.Shelve, ctx: Context) -> Reply:
    view = ideas.shelve(deps.uow(), ctx, number=cmd.ref.number, lessons=cmd.lessons)
    return Reply(f"{view.ref} shelved. Lessons kept: {view.lessons}", public=True)


@handles(c.Reopen)
def reopen(deps: Deps, cmd: c.Reopen, ctx: Context) -> Reply:
    view = ideas.reopen(deps.uow(), ctx, number=cmd.ref.number, note=cmd.note)
    return Reply(f"{view.ref} reopened in {view.stage}.", public=True)


@handles(c.RateIdea)
def rate(deps: Deps, cmd: c.RateIdea, ctx: Context) -> Reply:
    view = ideas.rate(deps.uow(), ctx, number=cmd.ref.number, rating=cmd.rating)
    return Reply(
        f"{view.ref} scaling potential: {view.scaling}.", source_label=f"Rated {view.scaling} ✓"
    )


@handles(c.HandOver)
def hand_over(deps: Deps, cmd: c.HandOver, ctx: Context) -> Reply:
    view, notices = ideas.hand_over(deps.uow(), ctx, number=cmd.ref.number, to=cmd.to)
    return Reply(
        f"{view.champion} is now the champion of {view.ref}.", public=True, notices=notices
    )


def _skipped(from_stage: str | None, to_stage: str) -> str:
    skipped = ideas.skipped_stages(from_stage, to_stage)
    return f" (skipped {', '.join(skipped)})" if skipped else ""


def show_idea(deps: Deps, number: int, ctx: Context) -> Reply:
    view = ideas.show(deps.uow(), ctx, number=number)
    lines = [view.description] if view.description else []
    lines.append(f"Author: {view.author} · community: {view.community or 'none'}")
    if view.themes:
        lines.append("Themes: " + ", ".join(view.themes))
    history = tuple(
        f"{step.at:%Y-%m-%d} {step.from_stage or 'new'} → {step.to_stage}"
        + _skipped(step.from_stage, step.to_stage)
        + f" by {step.actor}"
        + (f": {step.note}" if step.note else "")
        for step in view.history
    )
    return Reply(
        f"{view.ref} {view.title}",
        sections=(
            Section(items=(idea_item(view),), lines=tuple(lines)),
            Section(heading="Stage history", lines=history),
        ),
    )
