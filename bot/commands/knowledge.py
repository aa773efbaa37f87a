"""Knowledge commands: search, themes, supporting a similar idea, notifying experts."""

from __future__ import annotations

from bot.commands.ideas import idea_item
from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.messages import Item, Reply, Section
from bot.services import experts, search, support, themes
from bot.services.context import Context


@handles(c.Search)
def run_search(deps: Deps, cmd: c.Search, ctx: Context) -> Reply:
    found = search.search(
        deps.uow(),
        ctx,
        query=cmd.words,
        kinds=cmd.kinds,
        theme=cmd.theme,
        community=cmd.community,
        period=cmd.period,
    )
    if not found:
        return Reply(f'Nothing found for "{cmd.words}". Try other words, or `ask` the community.')
    items = tuple(Item(f.ref, f.title, f.details, f.link) for f in found)
    return Reply(f'Found for "{cmd.words}":', sections=(Section(items=items),))


@handles(c.Support)
def run_support(deps: Deps, cmd: c.Support, ctx: Context) -> Reply:
    done = support.support(
        deps.uow(),
        ctx,
        number=cmd.ref.number,
        instead_of=cmd.instead_of.number if cmd.instead_of else None,
    )
    view = done.view
    text = (
        f"You support {view.ref}: {view.title} ({view.votes} vote{'s' if view.votes != 1 else ''})."
    )
    if not done.voted:
        text = f"You already voted for {view.ref}; its champion {view.champion} now knows too."
    if done.withdrawn:
        text += f" Your idea {done.withdrawn} was withdrawn."
    return Reply(text, notices=done.notices)


@handles(c.Keep)
def run_keep(deps: Deps, cmd: c.Keep, ctx: Context) -> Reply:
    view = support.keep(deps.uow(), ctx, number=cmd.ref.number)
    where = f" in {view.community}" if view.community else ""
    return Reply(
        f"Idea {view.ref} saved{where}: {view.title}",
        public=True,
        sections=(Section(items=(idea_item(view),)),),
        captured=view.ref,
    )


@handles(c.Notify)
def run_notify(deps: Deps, cmd: c.Notify, ctx: Context) -> Reply:
    people, notices = experts.notify(deps.uow(), ctx, number=cmd.ref.number)
    if not notices:
        return Reply(f"Nobody to notify for {cmd.ref} yet; it stays open for the community.")
    names = ", ".join(e.name for e in people)
    return Reply(f"Asked {names} to look at {cmd.ref}.", notices=notices)


@handles(c.Themes)
def run_themes(deps: Deps, cmd: c.Themes, ctx: Context) -> Reply:
    if cmd.action != "list" and cmd.name:
        name = themes.change(deps.uow(), ctx, action=cmd.action, name=cmd.name, label=cmd.label)
        done = "added" if cmd.action == "add" else "removed"
        return Reply(f'Theme "{name}" {done}.')
    listed = themes.listing(deps.uow(), ctx)
    lines = tuple(f"{name}: {label}" for name, label in listed)
    return Reply("Themes (tag an idea with #name):", sections=(Section(lines=lines),))
