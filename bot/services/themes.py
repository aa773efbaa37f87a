"""The theme list (SPEC §1): configurable, four policy innovation themes by default.

Ideas carry theme names. A theme comes from the idea form, from ``#name`` words in
``idea <text>``, or, when none is given, from the theme whose description is closest in
meaning to the idea (when one is close enough).
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot import limits
from bot.errors import Conflict, InvalidInput, NotFound
from bot.i18n import N_, _
from bot.knowledge import embedder
from bot.services.access import load_caller, require_coordinator
from bot.services.context import Context
from bot.services.places import slugify
from storage.models import Theme
from storage.uow import UnitOfWork

DEFAULT_THEMES: tuple[tuple[str, str], ...] = (
    ("skills", N_("Skills and lifelong learning")),
    ("enterprises", N_("Productive and sustainable enterprises")),
    ("climate", N_("Climate action and a just transition")),
    ("technology", N_("Transformative technologies")),
)
MAX_THEMES = limits.THEME_LIST
SUGGEST_AT = 0.35  # cosine between an idea and the closest phrase describing a theme
_HASHTAG = re.compile(rf"(?<![\w#])#([\w-]{{2,{limits.THEME}}})", re.UNICODE)
_DESCRIBE = {
    "skills": "skills, training, learning, mentoring, education, apprenticeships, careers",
    "enterprises": "enterprises, business, productivity, jobs, small companies, cooperatives",
    "climate": "climate change, environment, green jobs, renewable energy, solar power, "
    "sustainability, emissions, trees",
    "technology": "digital technology, artificial intelligence, data, automation, software, "
    "chatbots, online tools",
}
_PHRASES: dict[tuple[str, str], npt.NDArray[np.float32]] = {}


_KNOWN = "copbot.themes"  # the list, kept in the session for one transaction


def themes(session: Session, *, now: datetime) -> list[Theme]:
    """The list, made from the defaults the first time it is read."""
    rows = list(session.scalars(select(Theme).order_by(Theme.id)))
    if rows:
        return rows
    for name, label in DEFAULT_THEMES:
        session.add(Theme(name=name, label=label, created_at=now))
    session.flush()
    session.info.pop(_KNOWN, None)
    return list(session.scalars(select(Theme).order_by(Theme.id)))


def known(session: Session) -> list[Theme]:
    """The list as stored, or the defaults; read once per transaction (a capture asks for
    it for ``#theme`` words, for a theme typed in the form and for the closest theme)."""
    cached: list[Theme] | None = session.info.get(_KNOWN)
    if cached is not None:
        return cached
    rows = list(session.scalars(select(Theme).order_by(Theme.id)))
    listed = rows or [Theme(name=n, label=label) for n, label in DEFAULT_THEMES]
    session.info[_KNOWN] = listed
    return listed


def shown_label(theme: Theme) -> str:
    """A theme's description in the reader's language: the default themes' own words are
    translated; a description a coordinator wrote is shown as written."""
    if (theme.name, theme.label) in DEFAULT_THEMES:
        return _(theme.label)
    return theme.label


def _labels(theme: Theme) -> set[str]:
    """The theme's description as stored and as the reader reads it, for matching."""
    return {slugify(theme.label), slugify(shown_label(theme))}


def find_theme(session: Session, name: str) -> Theme:
    wanted = slugify(name.lstrip("#"))
    listed = known(session)
    for theme in listed:
        if theme.name == wanted or any(label.startswith(wanted) for label in _labels(theme)):
            return theme
    names = ", ".join(t.name for t in listed)
    raise NotFound(_('No theme called "{name}". Themes: {names}.').format(name=name, names=names))


def match(session: Session, given: str) -> str:
    """A theme typed in a form: the list's name when it names one, else the words as given."""
    wanted = slugify(given.lstrip("#"))
    for theme in known(session):
        if wanted == theme.name or (len(wanted) > 3 and any(wanted in x for x in _labels(theme))):
            return theme.name
    return wanted


def tagged(session: Session, text: str) -> tuple[str, list[str]]:
    """``#theme`` words of ``text`` that name a theme: the text without them, and the names."""
    names = {t.name for t in known(session)}
    found: list[str] = []

    def take(m: re.Match[str]) -> str:
        word = slugify(m.group(1))
        if word in names:
            found.append(word)
            return ""
        return m.group(0)

    rest = " ".join(_HASHTAG.sub(take, text).split(" "))
    return re.sub(r"[ \t]{2,}", " ", rest).strip(), list(dict.fromkeys(found))


def suggest(session: Session, vector: embedder.Vector | None) -> str | None:
    """The theme closest in meaning to an idea's vector, if close enough."""
    if vector is None or not embedder.available():
        return None
    best, best_score = None, SUGGEST_AT
    for theme in known(session):
        key = (theme.name, theme.label)
        if key not in _PHRASES:
            words = [theme.label, *_DESCRIBE.get(theme.name, "").split(", ")]
            _PHRASES[key] = embedder.embed([w for w in words if w])
        score = float(np.max(_PHRASES[key] @ vector))
        if score >= best_score:
            best, best_score = theme.name, score
    return best


def listing(uow: UnitOfWork, ctx: Context) -> list[tuple[str, str]]:
    with uow:
        load_caller(uow.session, ctx)
        out = [(t.name, shown_label(t)) for t in themes(uow.session, now=ctx.now)]
        uow.commit()
        return out


def change(uow: UnitOfWork, ctx: Context, *, action: str, name: str, label: str | None) -> str:
    """Add or remove a theme (coordinators). Returns the theme's name."""
    slug = slugify(name.lstrip("#"))
    if not slug:
        raise InvalidInput(_("Name the theme."), usage="themes add <name> [description]")
    slug = limits.name(slug, what="theme", limit=limits.THEME)
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        require_coordinator(caller, _("change the theme list"))
        rows = themes(session, now=ctx.now)
        existing = next((t for t in rows if t.name == slug), None)
        if action == "add":
            if existing is not None:
                raise Conflict(_('The theme "{name}" is already on the list.').format(name=slug))
            if len(rows) >= MAX_THEMES:
                raise InvalidInput(
                    _("Keep it to {most} themes; remove one first.").format(most=MAX_THEMES)
                )
            session.add(
                Theme(
                    name=slug,
                    label=limits.text(
                        label or name, what="theme description", limit=limits.THEME_LABEL
                    ),
                    created_at=ctx.now,
                )
            )
        else:
            if existing is None:
                raise NotFound(_('No theme called "{name}".').format(name=name))
            session.execute(delete(Theme).where(Theme.id == existing.id))
        session.info.pop(_KNOWN, None)
        uow.commit()
        return slug
