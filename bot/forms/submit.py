"""Submitting a form: the values as typed, checked, then one service call.

``check`` answers what can be told from the values alone (a missing title, a date that is not
one). ``submit`` calls the service; a refusal (not allowed, unknown I-12, a closed item) comes
back as an error on the field it is about, so each platform can show it inside the form while
the person's text is still there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from bot import limits
from bot.commands import Runner
from bot.commands.events import event_added
from bot.commands.ideas import idea_saved
from bot.commands.peer import feedback_recorded, request_opened
from bot.commands.registry import Deps
from bot.errors import CopError, InvalidInput
from bot.forms.choices import ready
from bot.forms.definitions import CHECKED, FORMS, FormDefinition
from bot.i18n import _
from bot.messages import Form, Inbound, Reply
from bot.services import events, feedback
from bot.services.context import Context

Values = Mapping[str, str | list[str] | None]

_TARGET = re.compile(r"^([IRE])-(\d{1,9})$", re.IGNORECASE)
_LIST = re.compile(r"[,;\n]+")
_TRUE = frozenset({"1", "true", "yes", "on", CHECKED})


@dataclass(frozen=True, slots=True)
class Submitted:
    """What a submission did: a reply to deliver, or errors by field id (nothing saved)."""

    reply: Reply | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.reply is not None and not self.errors


def text(values: Values, name: str) -> str:
    value = values.get(name)
    if isinstance(value, list):
        return ",".join(value).strip()
    return value.strip() if isinstance(value, str) else ""


def _words(values: Values, name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _LIST.split(text(values, name)) if part.strip())


def _checked(values: Values, name: str) -> bool:
    value = values.get(name)
    if isinstance(value, list):
        return any(v.strip().lower() in _TRUE for v in value)
    return isinstance(value, str) and value.strip().lower() in _TRUE


def is_date(raw: str) -> bool:
    """A date as the forms take it: ``YYYY-MM-DD``."""
    try:
        date.fromisoformat(raw)
    except ValueError:
        return False
    return len(raw) == 10


def check(kind: str, values: Values, *, form: Form | None = None) -> dict[str, str]:
    """Errors that need no service, by field id (empty when the form can be submitted).
    ``form`` carries the choices read at run time; without it they are not checked here."""
    spec = FORMS[kind]
    errors: dict[str, str] = {}
    for name, (each, count) in _LISTS.get(kind, {}).items():
        try:
            limits.words(_words(values, name), what=name.rstrip("s"), each=each, most=count)
        except InvalidInput as error:
            errors[name] = error.message
    for f in spec.fields:
        value = text(values, f.name)
        choices = form.options(f.name, f.choices) if form else f.choices
        if f.name in errors:
            continue
        if not f.optional and not value:
            errors[f.name] = _("{label} is required.").format(label=f.label)
        elif f.max_length is not None and len(value) > f.max_length:
            errors[f.name] = _("{label} is {length} characters long; keep it under {most}.").format(
                label=f.label, length=len(value), most=f.max_length
            )
        elif choices and value and f.kind == "select":
            if value not in {v for v, _label in choices}:
                errors[f.name] = _("Pick one of: {choices}.").format(
                    choices=", ".join(str(label) for _value, label in choices)
                )
        elif f.kind == "date" and value and not is_date(value):
            errors[f.name] = _("Pick a date (like 2026-12-03).")
    if kind == "feedback":
        target = text(values, "target")
        if target and not _TARGET.match(target) and target.lower() not in _PLAIN_TARGETS:
            errors["target"] = _("Use an item id like I-12, R-3 or E-2, or leave it empty.")
        if not text(values, "text") and not text(values, "rating"):
            errors.setdefault("text", _("Write your feedback, or pick a rating."))
    return errors


_PLAIN_TARGETS = ("community", "deliverable")
# Lists whose entries have their own limits (each entry's length, how many).
_LISTS: dict[str, dict[str, tuple[int, int]]] = {
    "request": {"tags": (limits.TAG, limits.TAGS)},
}


def _idea(deps: Deps, values: Values, ctx: Context) -> Reply:
    return idea_saved(
        deps,
        ctx,
        text=text(values, "title"),
        description=text(values, "description") or None,
        themes=_words(values, "theme"),
    )


def _request(deps: Deps, values: Values, ctx: Context) -> Reply:
    return request_opened(deps, ctx, text=text(values, "question"), tags=_words(values, "tags"))


def _feedback(deps: Deps, values: Values, ctx: Context) -> Reply:
    raw = text(values, "target")
    kind, number = "community", None
    if match := _TARGET.match(raw):
        kind, number = match.group(1).upper(), int(match.group(2))
    elif raw.lower() in _PLAIN_TARGETS:
        kind = raw.lower()
    rating = text(values, "rating")
    view = feedback.give(
        deps.uow(),
        ctx,
        target_kind=kind,
        target_number=number,
        rating=int(rating) if rating.isdigit() else None,
        text=text(values, "text") or None,
        anonymous=_checked(values, "anonymous"),
        source=text(values, "source").lower() or "staff",
    )
    return feedback_recorded(view)


def _event(deps: Deps, values: Values, ctx: Context) -> Reply:
    view = events.add(
        deps.uow(),
        ctx,
        title=text(values, "title"),
        day=date.fromisoformat(text(values, "date")),
        kind=text(values, "kind").lower() or "meeting",
    )
    return event_added(view, ctx)


_SUBMIT: dict[str, Callable[[Deps, Values, Context], Reply]] = {
    "idea": _idea,
    "request": _request,
    "feedback": _feedback,
    "event": _event,
}


def _refused_field(form: FormDefinition, error: CopError) -> str:
    if error.field is not None and form.field(error.field) is not None:
        return error.field
    return form.refusal_field


def run(runner: Runner, kind: str, values: Values, ctx: Context) -> Submitted:
    """Check and save one submitted form in ``ctx``; nothing is changed when it is refused."""
    form = FORMS.get(kind)
    if form is None:
        return Submitted(
            errors={
                "": _('There is no "{kind}" form. Forms: {forms}.').format(
                    kind=kind, forms=", ".join(FORMS)
                )
            }
        )
    errors = check(kind, values, form=ready(runner.deps.uow(), Form(kind)))
    if errors:
        return Submitted(errors=errors)
    try:
        return Submitted(reply=_SUBMIT[kind](runner.deps, values, ctx))
    except CopError as error:
        return Submitted(errors={_refused_field(form, error): error.reply_text()})


def submit(
    runner: Runner, kind: str, values: Values, inbound: Inbound, *, now: datetime
) -> Submitted:
    """:func:`run` for one person's inbound form."""
    return run(runner, kind, values, runner.context(inbound, now=now))
