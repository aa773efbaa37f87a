"""Commands about the caller's own data: my-data, forget-me, snooze."""

from __future__ import annotations

from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.i18n import LANGUAGES, _, current, formats, use_locale
from bot.messages import Attachment, Reply
from bot.reads import language as languages
from bot.services import privacy
from bot.services.context import Context


@handles(c.MyData)
def my_data(deps: Deps, cmd: c.MyData, ctx: Context) -> Reply:
    data = privacy.my_data(deps.uow(), ctx)
    return Reply(
        "Here is everything stored about you.",
        attachments=(
            Attachment("my-data.json", data.encode("utf-8"), "application/json", "Your data"),
        ),
    )


@handles(c.ForgetMe)
def forget_me(deps: Deps, cmd: c.ForgetMe, ctx: Context) -> Reply:
    if not cmd.confirm:
        return Reply(
            "This deletes your accounts, skills, memberships and roles, and wipes your name "
            'and e-mail. Your ideas, requests and feedback stay, credited to "a former '
            'member", so the community keeps them and the counts stay right. '
            "To go ahead: `forget-me confirm`."
        )
    counts = privacy.forget_me(deps.uow(), ctx)
    return Reply(
        f"Done. Your personal data is gone ({counts['accounts']} account(s) removed). "
        "If you talk to me again you start fresh."
    )


@handles(c.Language)
def language(deps: Deps, cmd: c.Language, ctx: Context) -> Reply:
    if cmd.code is None:
        listed = ", ".join(
            f"`language {code}` ({formats.language_name(code)})" for code in LANGUAGES
        )
        return Reply(
            _(
                "I write to you in {language}. To change it: {choices}, or `language auto` to "
                "follow your Slack or Teams setting."
            ).format(language=formats.language_name(current()), choices=listed)
        )
    code = None if cmd.code == "auto" else cmd.code
    privacy.set_language(deps.uow(), ctx, code=code)
    with use_locale(code or languages.for_request(deps.uow(), ctx)):
        return Reply(
            _("From now on I write to you in {language}.").format(
                language=formats.language_name(current())
            )
        )


@handles(c.Snooze)
def snooze(deps: Deps, cmd: c.Snooze, ctx: Context) -> Reply:
    until = privacy.snooze(deps.uow(), ctx, days=cmd.days)
    return Reply(f"Nudges snoozed until {until:%a %d %b %Y}.")
