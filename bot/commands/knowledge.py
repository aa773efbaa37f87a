"""Knowledge commands: search, themes, supporting a similar idea, notifying experts."""

from __future__ import annotations

from bot.commands.ideas import idea_item
from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.i18n import _, ngettext
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
        return Reply(
            _('Nothing found for "{words}". Try other words, or `ask` the community.').format(
                words=cmd.words
            )
        )
    items = tuple(Item(f.ref, f.title, f.details, f.link) for f in found)
    return Reply(
        _('Found for "{words}":').format(words=cmd.words), sections=(Section(items=items),)
    )


@handles(c.Support)
def run_support(deps: Deps, cmd: c.Support, ctx: Context) -> Reply:
    done = support.support(
        deps.uow(),
        ctx,
        number=cmd.ref.number,
        instead_of=cmd.instead_of.number if cmd.instead_of else None,
    )
    view = done.view
    text = ngettext(
        "You support {ref}: {title} ({n} vote).",
        "You support {ref}: {title} ({n} votes).",
        view.votes,
    ).format(ref=view.ref, title=view.title, n=view.votes)
    if not done.voted:
        text = _("You already voted for {ref}; its champion {person} now knows too.").format(
            ref=view.ref, person=view.champion
        )
    if done.withdrawn:
        text += " " + _("Your idea {ref} was withdrawn.").format(ref=done.withdrawn)
    return Reply(text, notices=done.notices)


@handles(c.Keep, for_the_channel=True)
def run_keep(deps: Deps, cmd: c.Keep, ctx: Context) -> Reply:
    view = support.keep(deps.uow(), ctx, number=cmd.ref.number)
    if view.community:
        text = _("Idea {ref} saved in {community}: {title}").format(
            ref=view.ref, community=view.community, title=view.title
        )
    else:
        text = _("Idea {ref} saved: {title}").format(ref=view.ref, title=view.title)
    return Reply(
        text,
        public=True,
        sections=(Section(items=(idea_item(view),)),),
        captured=view.ref,
    )


@handles(c.Notify)
def run_notify(deps: Deps, cmd: c.Notify, ctx: Context) -> Reply:
    people, notices = experts.notify(deps.uow(), ctx, number=cmd.ref.number)
    if not notices:
        return Reply(
            _("Nobody to notify for {ref} yet; it stays open for the community.").format(
                ref=cmd.ref
            )
        )
    names = ", ".join(e.name for e in people)
    return Reply(
        _("Asked {people} to look at {ref}.").format(people=names, ref=cmd.ref), notices=notices
    )


@handles(c.Themes)
def run_themes(deps: Deps, cmd: c.Themes, ctx: Context) -> Reply:
    if cmd.action != "list" and cmd.name:
        name = themes.change(deps.uow(), ctx, action=cmd.action, name=cmd.name, label=cmd.label)
        if cmd.action == "add":
            return Reply(_('Theme "{name}" added.').format(name=name))
        return Reply(_('Theme "{name}" removed.').format(name=name))
    listed = themes.listing(deps.uow(), ctx)
    lines = tuple(f"{name}: {label}" for name, label in listed)
    return Reply(_("Themes (tag an idea with #name):"), sections=(Section(lines=lines),))
