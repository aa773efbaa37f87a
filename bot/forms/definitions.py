"""The four forms (idea, request, feedback, event): every field once, with its kind, limit,
choices, placeholder and default. Platform renderers read these and nothing else; the limits
come from :data:`bot.limits.FORM_FIELDS`, like the services' own checks."""

from __future__ import annotations

from dataclasses import dataclass

from bot import limits
from bot.i18n import Text, lazy
from bot.services.events import KINDS as EVENT_KINDS
from bot.services.feedback import SOURCES

CHECKED = "true"
UNCHECKED = "false"


def most(kind: str, name: str) -> int:
    """The most characters the field ``name`` of form ``kind`` takes."""
    return limits.FORM_FIELDS[(kind, name)]


@dataclass(frozen=True, slots=True)
class Field:
    """One input. ``name`` is the field's id on every platform (Slack block and action id,
    Adaptive Card input id)."""

    name: str
    label: Text
    kind: str  # "text" | "multiline" | "select" | "date" | "checkbox"
    optional: bool = False
    max_length: int | None = None
    choices: tuple[tuple[str, Text], ...] = ()  # (value, label)
    placeholder: Text | None = None
    default: str | None = None
    choices_from: str | None = None  # choices read at run time (bot.forms.choices)


@dataclass(frozen=True, slots=True)
class FormDefinition:
    kind: str
    title: Text
    submit: Text
    fields: tuple[Field, ...]
    refusal_field: str  # where a service's refusal is shown when no other field is named

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


_RATINGS: tuple[tuple[str, Text], ...] = tuple((str(n), str(n)) for n in range(1, 6))
_SOURCES: dict[str, Text] = {
    "staff": lazy("Staff"),
    "constituent": lazy("Constituent"),
    "partner": lazy("Partner"),
}
_EVENT_KINDS: dict[str, Text] = {
    "training": lazy("Training"),
    "workshop": lazy("Workshop"),
    "webinar": lazy("Webinar"),
    "meeting": lazy("Meeting"),
}

FORMS: dict[str, FormDefinition] = {
    "idea": FormDefinition(
        "idea",
        lazy("Share an idea"),
        lazy("Save"),
        (
            Field("title", lazy("Title"), "text", max_length=most("idea", "title")),
            Field(
                "description",
                lazy("Description"),
                "multiline",
                optional=True,
                max_length=most("idea", "description"),
            ),
            Field("theme", lazy("Theme"), "select", optional=True, choices_from="themes"),
        ),
        refusal_field="title",
    ),
    "request": FormDefinition(
        "request",
        lazy("Ask the community"),
        lazy("Ask"),
        (
            Field(
                "question",
                lazy("Question"),
                "multiline",
                max_length=most("request", "question"),
            ),
            Field(
                "tags",
                lazy("Tags"),
                "text",
                optional=True,
                max_length=most("request", "tags"),
                placeholder=lazy("e.g. procurement, data"),
            ),
        ),
        refusal_field="question",
    ),
    "feedback": FormDefinition(
        "feedback",
        lazy("Give feedback"),
        lazy("Send"),
        (
            Field(
                "target",
                lazy("About"),
                "text",
                optional=True,
                max_length=most("feedback", "target"),
                placeholder="I-12, R-3, E-2",
            ),
            Field("rating", lazy("Rating"), "select", optional=True, choices=_RATINGS),
            Field(
                "text",
                lazy("Feedback"),
                "multiline",
                optional=True,
                max_length=most("feedback", "text"),
            ),
            Field(
                "anonymous",
                lazy("Anonymous"),
                "checkbox",
                optional=True,
                choices=((CHECKED, lazy("Send without my name")),),
            ),
            Field(
                "source",
                lazy("From"),
                "select",
                choices=tuple((s, _SOURCES.get(s, s.capitalize())) for s in SOURCES),
                default="staff",
            ),
        ),
        refusal_field="target",
    ),
    "event": FormDefinition(
        "event",
        lazy("Add an event"),
        lazy("Add"),
        (
            Field("title", lazy("Title"), "text", max_length=most("event", "title")),
            Field("date", lazy("Date"), "date"),
            Field(
                "kind",
                lazy("Kind"),
                "select",
                optional=True,
                choices=tuple((k, _EVENT_KINDS.get(k, k.capitalize())) for k in EVENT_KINDS),
            ),
        ),
        refusal_field="title",
    ),
}


def definition(kind: str) -> FormDefinition:
    try:
        return FORMS[kind]
    except KeyError:
        raise ValueError(f"unknown form kind {kind!r}; known: {', '.join(FORMS)}") from None


def prefill(kind: str, text: str) -> tuple[tuple[str, str], ...]:
    """A form's initial values from the plain text of a message someone wants to save.

    For an idea the first line is the title; a first line longer than the title limit is cut
    on a word and the whole message kept as the description."""
    text = text.strip()
    if not text:
        return ()
    if kind == "idea":
        first, _, rest = text.partition("\n")
        title = first.strip()
        if len(title) > limits.TITLE:
            title, rest = title[: limits.TITLE - 1].rsplit(" ", 1)[0] + "…", text
        return (("title", title), ("description", rest.strip()))
    if kind == "request":
        return (("question", text),)
    if kind == "feedback":
        return (("text", text), ("source", "staff"))
    return ()
