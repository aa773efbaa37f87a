"""Commands about the caller's own data and settings: my-data, forget-me, snooze, settings,
pulse."""

from __future__ import annotations

from dataclasses import replace

from bot.commands.registry import Deps, handles
from bot.errors import InvalidInput
from bot.grammar import commands as c
from bot.i18n import LANGUAGES, _, current, formats, ngettext, use_locale
from bot.messages import Attachment, Button, Item, Reply, Section
from bot.reads import language as languages
from bot.reads.home import settings_section
from bot.services import personal, privacy, pulse
from bot.services.context import Context


@handles(c.MyData)
def my_data(deps: Deps, cmd: c.MyData, ctx: Context) -> Reply:
    data = privacy.my_data(deps.uow(), ctx)
    return Reply(
        _("Here is everything stored about you."),
        attachments=(
            Attachment("my-data.json", data.encode("utf-8"), "application/json", _("Your data")),
        ),
    )


@handles(c.ForgetMe)
def forget_me(deps: Deps, cmd: c.ForgetMe, ctx: Context) -> Reply:
    if not cmd.confirm:
        return Reply(
            _(
                "This deletes your accounts, skills, memberships and roles, and wipes your name "
                'and e-mail. Your ideas, requests and feedback stay, credited to "a former '
                'member", so the community keeps them and the counts stay right. '
                "To go ahead: `forget-me confirm`."
            )
        )
    counts = privacy.forget_me(deps.uow(), ctx)
    removed = counts["accounts"]
    return Reply(
        ngettext(
            "Done. Your personal data is gone ({n} account removed). "
            "If you talk to me again you start fresh.",
            "Done. Your personal data is gone ({n} accounts removed). "
            "If you talk to me again you start fresh.",
            removed,
        ).format(n=removed)
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
    return Reply(_("Nudges snoozed until {day}.").format(day=formats.weekday_and_day_year(until)))


@handles(c.PersonalSettings)
def settings(deps: Deps, cmd: c.PersonalSettings, ctx: Context) -> Reply:
    if cmd.key is None or cmd.value is None:
        view = personal.show(deps.uow(), ctx)
        text = _("Your settings.")
    else:
        view = personal.change(deps.uow(), ctx, key=cmd.key, value=cmd.value)
        text = _("Saved: {setting}.").format(setting=f"{cmd.key} {cmd.value.strip()}")
    return Reply(text, sections=(settings_section(view),))


@handles(c.PulseAnswer)
def pulse_answer(deps: Deps, cmd: c.PulseAnswer, ctx: Context) -> Reply:
    if cmd.score is None:
        raise InvalidInput(_("Give your answer from 1 to 5."), usage="pulse <1-5> [comment]")
    question = pulse.latest_question(deps.uow(), ctx)
    answered = pulse.answer(deps.uow(), ctx, question, cmd.score, comment=cmd.comment)
    noted = " " + _("Your comment is kept with it.") if cmd.comment else ""
    return replace(pulse_reply(answered), text=pulse.thanks(answered) + noted)


def pulse_reply(answered: pulse.PulseAnswer) -> Reply:
    """The thanks for a pulse answer; the pulse message then shows the answer given (a mark on
    the chosen number, or the message rebuilt where only a whole message can be replaced), and
    its buttons stay there to change it."""
    chosen = answered.score
    buttons = tuple(
        Button(f"{n}{' ✓' if n == chosen else ''}", "pulse", f"{answered.question_id}:{n}")
        for n in range(1, 6)
    )
    how = _("Your answer: {score}/5").format(score=chosen)
    if answered.comment:
        how += f" · “{answered.comment}”"
    card = Reply(
        _("Monthly pulse"),
        sections=(
            Section(
                items=(
                    Item(
                        "",
                        answered.question,
                        (
                            how,
                            _("Click another number to change it."),
                        ),
                        buttons=buttons,
                    ),
                )
            ),
        ),
    )
    text = (
        pulse.thanks(answered)
        + " "
        + _("Add a comment any time: `pulse {score} <comment>`.").format(score=chosen)
    )
    return Reply(text, source_label=f"{chosen} ✓", replace_source=card)
