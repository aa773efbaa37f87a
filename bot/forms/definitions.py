"""The four forms (idea, request, feedback, event): every field once, with its kind, limit,
choices, placeholder and default. Platform renderers read these and nothing else; the limits
come from :data:`bot.limits.FORM_FIELDS`, like the services' own checks."""

from __future__ import annotations

from dataclasses import dataclass

from bot import limits
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
    label: str
    kind: str  # "text" | "multiline" | "select" | "date" | "checkbox"
    optional: bool = False
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    placeholder: str | None = None
    default: str | None = None
    choices_from: str | None = None  # choices read at run time (bot.forms.choices)


@dataclass(frozen=True, slots=True)
class FormDefinition:
    kind: str
    title: str
    submit: str
    fields: tuple[Field, ...]
    refusal_field: str  # where a service's refusal is shown when no other field is named

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


_RATINGS = tuple((str(n), str(n)) for n in range(1, 6))

FORMS: dict[str, FormDefinition] = {
    "idea": FormDefinition(
        "idea",
        "Share an idea",
        "Save",
        (
            Field("title", "Title", "text", max_length=most("idea", "title")),
            Field(
                "description",
                "Description",
                "multiline",
                optional=True,
                max_length=most("idea", "description"),
            ),
            Field("theme", "Theme", "select", optional=True, choices_from="themes"),
        ),
        refusal_field="title",
    ),
    "request": FormDefinition(
        "request",
        "Ask the community",
        "Ask",
        (
            Field("question", "Question", "multiline", max_length=most("request", "question")),
            Field(
                "tags",
                "Tags",
                "text",
                optional=True,
                max_length=most("request", "tags"),
                placeholder="e.g. procurement, data",
            ),
        ),
        refusal_field="question",
    ),
    "feedback": FormDefinition(
        "feedback",
        "Give feedback",
        "Send",
        (
            Field(
                "target",
                "About",
                "text",
                optional=True,
                max_length=most("feedback", "target"),
                placeholder="I-12, R-3, E-2",
            ),
            Field("rating", "Rating", "select", optional=True, choices=_RATINGS),
            Field(
                "text", "Feedback", "multiline", optional=True, max_length=most("feedback", "text")
            ),
            Field(
                "anonymous",
                "Anonymous",
                "checkbox",
                optional=True,
                choices=((CHECKED, "Send without my name"),),
            ),
            Field(
                "source",
                "From",
                "select",
                choices=tuple((s, s.capitalize()) for s in SOURCES),
                default="staff",
            ),
        ),
        refusal_field="target",
    ),
    "event": FormDefinition(
        "event",
        "Add an event",
        "Add",
        (
            Field("title", "Title", "text", max_length=most("event", "title")),
            Field("date", "Date", "date"),
            Field(
                "kind",
                "Kind",
                "select",
                optional=True,
                choices=tuple((k, k.capitalize()) for k in EVENT_KINDS),
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
