"""Help for the command grammar: one usage line per verb, an overview and per-verb help."""

from __future__ import annotations

import difflib

from bot.i18n import LazyText, _, lazy
from bot.text import cut

USAGE: dict[str, str] = {
    "help": "help [command]",
    "idea": "idea [text]",
    "ideas": (
        "ideas [proposed|development|pilot|scaled|shelved|mine|top|all] [theme:<name>] [community]"
    ),
    "show": "show I-12",
    "vote": "vote I-12",
    "advance": "advance I-12 <development|pilot|scaled> [note]",
    "shelve": "shelve I-12 <lessons learned>",
    "reopen": "reopen I-12 [note]",
    "rate": "rate I-12 <low|medium|high>",
    "handover": "handover I-12 @person",
    "ask": "ask [text]",
    "requests": "requests [open|mine|all]",
    "offer": "offer R-34 [note]",
    "resolve": "resolve R-34 [@helper ...]",
    "close": "close R-34 [note]",
    "feedback": (
        "feedback [anon] [source:staff|constituent|partner] "
        "[I-12|R-34|E-5|community|deliverable] [1-5] [text]"
    ),
    "skills": "skills [add|remove] [skill, ...]",
    "experts": "experts <topic>",
    "search": "search <words> [idea|request|lesson|event] [theme:<name>] [in:<community>] [period]",
    "support": "support I-12 [instead of I-15]",
    "keep": "keep I-15",
    "notify": "notify R-34",
    "themes": "themes [add <name> [description] | remove <name>]",
    "event": 'event add "<title>" <YYYY-MM-DD> [training|workshop|webinar|meeting]',
    "attend": "attend E-5 [@person ...]",
    "events": "events [upcoming|past]",
    "log": "log <hours>h [I-12] [note]",
    "stats": (
        "stats [community|unit|all|<community name>|unit:<name>|region:<name>] [period]"
        " | stats chart <indicator> [scope] [period]"
    ),
    "export": "export [csv|xlsx] [period]",
    "digest": "digest [preview|send]",
    "dashboard": "dashboard",
    "snooze": "snooze <days>d",
    "language": "language [en|fr|es|auto]",
    "settings": "settings [nudges on|off | hours HH:MM-HH:MM | days mon-fri | timezone Area/City]",
    "pulse": "pulse <1-5> [comment]",
    "community": (
        "community create|join|leave <name> | community bind [name] | community list"
        " | community settings [key=value ...]"
    ),
    "focal": "focal add|remove @person [community|unit]",
    "coordinator": "coordinator add|remove @person",
    "target": (
        "target set <indicator> <value> [period] [@owner] [baseline=N|baseline=from:PERIOD]"
        " [scope=NAME]"
    ),
    "my-data": "my-data",
    "forget-me": "forget-me [confirm]",
}

# verb → (what it does, an example line)
_DETAILS: dict[str, tuple[LazyText, str]] = {
    "help": (lazy("Show this overview, or the help for one command."), "help advance"),
    "idea": (lazy("Capture an idea. Without text, a form opens."), "idea {text}"),
    "ideas": (
        lazy("List ideas, by stage or yours or the most voted, in this or a named community."),
        "ideas pilot",
    ),
    "show": (lazy("Show an idea, request or event."), "show I-12"),
    "vote": (lazy("Vote for an idea."), "vote I-12"),
    "advance": (
        lazy("Move an idea on: proposed → development → pilot → scaled (champion or focal point)."),
        "advance I-12 pilot {text}",
    ),
    "shelve": (lazy("Shelve an idea, saying what was learned."), "shelve I-12 {text}"),
    "reopen": (lazy("Bring a shelved idea back (coordinators)."), "reopen I-12 {text}"),
    "rate": (lazy("Rate an idea's scaling potential (focal points)."), "rate I-12 high"),
    "handover": (lazy("Make someone else the idea's champion."), "handover I-12 @ana"),
    "ask": (
        lazy("Ask the community for help. Without text, a form opens."),
        "ask {text}",
    ),
    "requests": (lazy("List help requests: open (default), yours, or all."), "requests mine"),
    "offer": (lazy("Offer help on a request."), "offer R-34 {text}"),
    "resolve": (lazy("Mark your request solved and thank who helped."), "resolve R-34 @ana @ben"),
    "close": (lazy("Close a request without a resolution."), "close R-34 {text}"),
    "feedback": (
        lazy(
            "Give feedback on an item, a deliverable or the community; rating 1-5 right after "
            "the target; add anon to leave your name off."
        ),
        "feedback E-5 4 {text}",
    ),
    "skills": (
        lazy("List your skills, or add or remove some (separate them with commas)."),
        "skills add {text}",
    ),
    "experts": (
        lazy("Find people by their skills and the requests they helped resolve, by meaning."),
        "experts {text}",
    ),
    "search": (
        lazy("Search ideas, lessons learned, requests and events, by words and by meaning."),
        "search {text} idea",
    ),
    "support": (
        lazy(
            "Support an existing idea (a vote and a note to its champion), optionally instead "
            "of your own new one, which is withdrawn."
        ),
        "support I-12 instead of I-15",
    ),
    "keep": (lazy("Keep your new idea although similar ones exist."), "keep I-15"),
    "notify": (lazy("Ask the people suggested for a request to help with it."), "notify R-34"),
    "themes": (
        lazy(
            "List the innovation themes; coordinators add or remove them. Tag an idea with #name."
        ),
        "themes add youth {text}",
    ),
    "event": (
        lazy("Record an event (default kind: meeting)."),
        'event add "{text}" 2026-12-01 workshop',
    ),
    "attend": (lazy("Check in to an event, or record others' attendance."), "attend E-5"),
    "events": (lazy("List upcoming (default) or past events."), "events past"),
    "log": (
        lazy("Log time spent on innovation, optionally on an idea."),
        "log 1.5h I-12 {text}",
    ),
    "stats": (
        lazy(
            "Show indicators for a scope and period (default: this quarter) beside the previous "
            "period and the targets; stats chart <indicator> draws one over the last 8 periods."
        ),
        "stats all 2026-Q4",
    ),
    "export": (
        lazy(
            "Export every indicator for every scope you look after, with the definitions, "
            "as CSV or XLSX (focal points and coordinators)."
        ),
        "export xlsx 2026-27",
    ),
    "digest": (lazy("Preview this community's digest, or send it now."), "digest preview"),
    "dashboard": (
        lazy(
            "Get a personal link to the dashboard in your browser: indicators with trends and "
            "targets, the idea pipeline, communities, downloads (focal points and coordinators; "
            "the link expires)."
        ),
        "dashboard",
    ),
    "snooze": (lazy("Pause nudges for 1 to 90 days."), "snooze 7d"),
    "settings": (
        lazy(
            "Your own settings: nudges on or off, working hours and days (when the bot may write "
            "to you), time zone. `default` goes back to the organisation's."
        ),
        "settings hours 08:00-16:00",
    ),
    "pulse": (
        lazy(
            "Answer this month's pulse question, or change your answer, with an optional comment."
        ),
        "pulse 4 {text}",
    ),
    "language": (
        lazy("Choose the language I use with you; auto follows your Slack or Teams setting."),
        "language fr",
    ),
    "community": (
        lazy("Create, join, leave, list or configure communities."),
        "community join Data",
    ),
    "focal": (
        lazy("Name or remove a focal point for a community or unit."),
        "focal add @ana Health",
    ),
    "coordinator": (lazy("Grant or remove the coordinator role."), "coordinator add @ben"),
    "target": (
        lazy(
            "Set an indicator's target, with optional period, owner, baseline and scope "
            "(coordinators; shares in percent, 0-100). The baseline is a number, or the "
            "indicator's value in a past period (baseline=from:2015), imported history included."
        ),
        "target set ideas_scaled 4 2026-27 @ana baseline=1",
    ),
    "my-data": (lazy("See everything stored about you."), "my-data"),
    "forget-me": (lazy("Delete your data and anonymise your contributions."), "forget-me confirm"),
}

# The free text of an example, in the reader's language; the command words stay English.
_EXAMPLE_TEXT: dict[str, LazyText] = {
    "idea": lazy("Pilot a chatbot for FAQs"),
    "advance": lazy("Two offices will test it"),
    "shelve": lazy("Too costly to run"),
    "reopen": lazy("Funding found"),
    "ask": lazy("Who knows Power BI?"),
    "offer": lazy("Happy to pair on it"),
    "close": lazy("No longer needed"),
    "feedback": lazy("Clear and practical"),
    "skills": lazy("python, data analysis"),
    "experts": lazy("survey design"),
    "search": lazy("mentoring newcomers"),
    "themes": lazy("Youth employment"),
    "event": lazy("Design sprint"),
    "log": lazy("user interviews"),
    "pulse": lazy("Good month, fewer meetings"),
}

AREAS: tuple[tuple[LazyText, LazyText, tuple[str, ...]], ...] = (
    (
        lazy("Ideas"),
        lazy("capture, vote, move through the stages"),
        (
            "idea",
            "ideas",
            "show",
            "vote",
            "support",
            "keep",
            "advance",
            "shelve",
            "reopen",
            "rate",
            "handover",
            "themes",
        ),
    ),
    (lazy("Knowledge"), lazy("find past ideas, lessons, answers"), ("search",)),
    (
        lazy("Peer learning"),
        lazy("ask for help, offer it, find experts"),
        ("ask", "requests", "offer", "resolve", "close", "notify", "skills", "experts"),
    ),
    (lazy("Feedback"), lazy("on ideas, requests, events, deliverables"), ("feedback",)),
    (
        lazy("Events & time"),
        lazy("events, attendance, time logs"),
        ("event", "events", "attend", "log"),
    ),
    (
        lazy("Indicators"),
        lazy("numbers, exports, digests, targets"),
        ("stats", "dashboard", "export", "digest", "target"),
    ),
    (
        lazy("Communities & roles"),
        lazy("who belongs, who leads"),
        ("community", "focal", "coordinator"),
    ),
    (
        lazy("You"),
        lazy("your settings, the pulse, your data, your language"),
        ("settings", "pulse", "snooze", "language", "my-data", "forget-me"),
    ),
)

PERIODS_LINE = lazy(
    "Periods: 2026-11, 2026-Q4, 2026-W47, 2026, 2026-27, last-30d (default: this quarter)."
)


def overview() -> str:
    lines = [f"{name} ({gist}): {', '.join(verbs)}" for name, gist, verbs in AREAS]
    lines.append(str(PERIODS_LINE))
    lines.append(_("Type help <command> for details, e.g. help advance."))
    return "\n".join(lines)


def help_text(topic: str | None) -> str:
    """The overview when ``topic`` is None or empty; otherwise the help for that command."""
    if topic is None or not topic.strip():
        return overview()
    verb = topic.strip().lower().lstrip("/")
    if verb not in USAGE:
        close = difflib.get_close_matches(verb, USAGE, n=1, cutoff=0.6)
        hint = _(' Did you mean "help {verb}"?').format(verb=close[0]) if close else ""
        shown = cut(" ".join(topic.split()), 40, "…")
        return _('No help for "{topic}".').format(topic=shown) + f"{hint}\n{overview()}"
    what, example = _DETAILS[verb]
    if verb in _EXAMPLE_TEXT:
        example = example.format(text=_EXAMPLE_TEXT[verb])
    text = f"{USAGE[verb]}\n{what}\n" + _("Example: {example}").format(example=example)
    if verb in ("stats", "export", "target"):
        text += f"\n{PERIODS_LINE}"
    return text
