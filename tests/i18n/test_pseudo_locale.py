"""Every surface in the pseudo-locale (accented, 40% longer): nothing may overflow a platform
limit, so a translation that runs long is caught here, not by Slack refusing a message."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlalchemy import update

from bot.container import Container
from bot.forms import FORMS
from bot.i18n import PSEUDO, _, use_locale
from bot.i18n.pseudo import pseudo
from bot.messages import Form, Reply
from bot.reads import home
from digests import community_digest, focal_digest, nudges
from handlers.console.chat import inbound
from handlers.slack.listeners.home import home_view
from handlers.slack.modals import MAX_MODAL_TITLE, render_modal
from handlers.slack.render import (
    MAX_BUTTON_LABEL,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    render_blocks,
)
from storage.models import Community, Person
from tests.conftest import NOW, Say
from tests.jobs.conftest import MONDAY_9, WEEK, play

SCRIPT = [
    *WEEK,
    ("ana", "ideas"),
    ("ana", "ideas all"),
    ("ana", "show I-1"),
    ("ana", "requests all"),
    ("ana", "events"),
    ("ana", "help"),
    ("ana", "help feedback"),
    ("ana", "skills add facilitation, data analysis"),
    ("ana", "experts facilitation"),
    ("ana", "log 1.5h I-1 interviews"),
    ("ana", "language"),
    ("cora", "community settings"),
]


def _texts(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(kind, text) for every text in ``blocks`` that Slack limits."""
    found: list[tuple[str, str]] = []
    for block in blocks:
        if block["type"] == "section":
            found.append(("section", block["text"]["text"]))
        elif block["type"] == "header":
            found.append(("header", block["text"]["text"]))
        elif block["type"] == "actions":
            found += [("button", e["text"]["text"]) for e in block["elements"]]
    return found


LIMITS = {"section": MAX_SECTION_TEXT, "header": MAX_HEADER_TEXT, "button": MAX_BUTTON_LABEL}


def check_blocks(blocks: list[dict[str, Any]]) -> None:
    for block in blocks:
        Block.parse(block).validate_json()  # type: ignore[union-attr]
    for kind, text in _texts(blocks):
        assert len(text) <= LIMITS[kind], (kind, text)
        if kind in ("button", "header"):
            assert not text.endswith("…"), f"{kind} cut in the pseudo-locale: {text!r}"


def test_the_pseudo_locale_is_longer_accented_and_keeps_placeholders() -> None:
    text = pseudo("Idea {ref} saved: `idea <text>` %(n)s")
    assert "{ref}" in text and "`idea <text>`" in text and "%(n)s" in text
    assert "Îðéå" in text and len(text) >= 1.4 * len("Idea {ref} saved: `idea <text>` %(n)s")
    with use_locale(PSEUDO):
        assert _("Vote") != "Vote" and "{n}" in _("{n} vote")


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_every_slack_form_fits_in_the_pseudo_locale(kind: str) -> None:
    with use_locale(PSEUDO):
        view = render_modal(Form(kind))
    View(**view).validate_json()
    for key in ("title", "submit", "close"):
        text = view[key]["text"]
        assert len(text) <= MAX_MODAL_TITLE and not text.endswith("…"), (key, text)


def test_every_reply_home_and_digest_fits_in_the_pseudo_locale(
    container: Container, say: Say
) -> None:
    replies: list[Reply] = []
    with use_locale(PSEUDO):
        for user, line in SCRIPT:
            reply = say(user, line)
            assert not reply.error, (line, reply.text)
            replies.append(reply)
        with container.uow() as uow:  # scheduled messages follow the recipients' language
            uow.session.execute(update(Person).values(language=PSEUDO))
            uow.session.execute(update(Community).values(language=PSEUDO))
            uow.commit()
        ctx = container.runner.context(inbound("cora", "design-thinking", ""), now=NOW)
        replies.append(home.home(container.uow(), ctx))
        digest = community_digest.preview(container, community_id=1, now=NOW)
        assert digest is not None
        replies.append(digest)
        replies += [m.reply for m in focal_digest.run(container, now=MONDAY_9).outgoing]
        replies += [m.reply for m in nudges.run(container, now=MONDAY_9).outgoing]
        for reply in replies:
            check_blocks(render_blocks(reply)["blocks"])
        check_blocks(home_view(replies[len(SCRIPT)])["blocks"])
    assert any("Ŵééķļý" in r.text for r in replies)  # the digest's title, accented


def test_a_week_plays_in_french_and_spanish(container: Container, say: Say) -> None:
    for language in ("fr", "es"):
        with use_locale(language):
            play(say, [("ana", "ideas")], start=NOW)
