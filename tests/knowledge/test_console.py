"""Search, similar ideas, answered questions, experts and themes through the console."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.container import Container
from bot.messages import Reply
from bot.reads.nudge_data import due_nudges
from storage.models import KnowledgeDoc, Person
from tests.conftest import NOW, Say


def _text(reply: Reply) -> str:
    parts = [reply.text]
    for section in reply.sections:
        if section.heading:
            parts.append(section.heading)
        parts += list(section.lines)
        for item in section.items:
            parts.append(f"{item.ref} {item.title} {' '.join(item.details)}")
            parts += [f"[{b.label}|{b.action}|{b.value}]" for b in item.buttons]
    parts += [f"[{b.label}|{b.action}|{b.value}]" for b in reply.buttons]
    return "\n".join(parts)


def test_search_finds_word_forms_typos_and_other_languages(say: Say) -> None:
    say("ana", "idea Mentoring circles for new staff")
    say("bo", "idea Paperless travel claims")
    say("bo", "ask How do we run a good retrospective? #facilitation")
    say("cora", 'event add "Design sprint workshop" 2026-11-20 workshop')
    found = _text(say("cora", "search mentor"))
    assert "I-1 Mentoring circles" in found
    assert "Paperless" not in found
    assert "I-1" in _text(say("cora", "search mentorng"))
    assert "I-1" in _text(say("cora", "search mentorat pour les nouveaux employés"))
    assert "I-1" in _text(say("cora", "search mentoría para personal nuevo"))
    assert "R-1" in _text(say("cora", "search retrospective request"))
    assert "I-1" not in _text(say("cora", "search retrospective request"))
    assert "E-1" in _text(say("cora", "search sprint event"))
    assert "Nothing found" in say("cora", "search zzzyyqx").text


def test_lessons_are_searchable(say: Say) -> None:
    say("cora", "community create design-thinking")
    say("ana", "idea Chatbot for constituents' FAQs")
    say("cora", "shelve I-1 The FAQ data was too scattered; curate the FAQs first")
    found = _text(say("bo", "search scattered faq lesson"))
    assert "I-1" in found and "lessons:" in found


def test_a_paraphrased_idea_offers_to_support_the_existing_one(say: Say) -> None:
    say("ana", "idea Mentoring circles for new staff")
    reply = say("bo", "idea Peer coaching groups for newcomers", now=NOW + timedelta(minutes=1))
    text = _text(reply)
    assert "Similar ideas already exist" in text
    assert "I-1 Mentoring circles for new staff proposed · champion ana" in text
    assert "[Support I-1 instead|support|I-1 I-2]" in text
    assert "[Keep mine|keep|I-2]" in text
    assert not reply.public
    done = say("bo", "support I-1 instead of I-2")
    assert "You support I-1" in done.text and "I-2 was withdrawn" in done.text
    assert done.notices and "supports your idea I-1" in done.notices[0].text
    assert "no idea I-2" in say("bo", "show I-2").text
    assert "Similar" not in _text(say("cy", "idea Plant trees around the office"))


def test_keep_mine_announces_the_idea(say: Say) -> None:
    say("ana", "idea Mentoring circles for new staff")
    say("bo", "idea Peer coaching groups for newcomers")
    kept = say("bo", "keep I-2")
    assert kept.public and "Idea I-2 saved" in kept.text


def test_asking_shows_answered_questions_and_experts(say: Say) -> None:
    say("bo", "skills add agile retrospectives")
    say("dan", "skills add email campaigns")
    say("ana", "ask How do we run a good retrospective?")
    say("bo", "offer R-1")
    say("ana", "resolve R-1 @bo")
    reply = say("cy", "ask How should we run a retrospective with a remote team?")
    text = _text(reply)
    assert "Answered before" in text and "R-1" in text and "helped by bo" in text
    assert "People who may know" in text and "bo" in text
    assert "dan" not in text
    notified = say("cy", "notify R-2")
    assert "Asked bo" in notified.text
    assert notified.notices and "R-2" in notified.notices[0].text


def test_experts_match_by_meaning_and_whole_words(say: Say) -> None:
    say("dan", "skills add email campaigns")
    say("eve", "skills add machine learning, data science")
    say("fay", "skills add design sprints")
    ai = _text(say("cora", "experts AI"))
    assert "dan" not in ai
    assert "eve" in ai
    sprint = _text(say("cora", "experts how to run a design sprint"))
    assert "fay" in sprint and "dan" not in sprint


def test_themes_from_tags_filters_and_coordinator_edits(say: Say) -> None:
    listed = say("ana", "themes").text + _text(say("ana", "themes"))
    assert "climate" in listed and "skills" in listed
    say("ana", "idea Solar panels on the roof #climate")
    say("ana", "idea Apprenticeship programme for young workers")
    show = _text(say("ana", "show I-1"))
    assert "Themes: climate" in show and "#climate" not in show
    assert "Themes: skills" in _text(say("ana", "show I-2"))
    only = _text(say("ana", "ideas theme:climate"))
    assert "I-1" in only and "I-2" not in only
    assert "Only a coordinator" in say("ana", "themes add youth Youth employment").text
    assert 'Theme "youth" added' in say("cora", "themes add youth Youth employment").text
    say("ana", "idea Job fair for school leavers #youth")
    assert "I-3" in _text(say("ana", "ideas theme:youth"))
    assert "I-1" in _text(say("ana", "search solar theme:climate"))


def test_the_24_hour_nudge_uses_the_same_matcher(say: Say, container: Container) -> None:
    say("fay", "skills add design sprints")
    say("dan", "skills add email campaigns")
    say("ana", "ask Has anyone facilitated a design sprint with a ministry?")
    due = due_nudges(container.uow(), now=NOW + timedelta(hours=25), settings=container.settings)
    with container.uow() as uow:
        names = {uow.session.get(Person, pid).display_name for pid in due}  # type: ignore[union-attr]
    assert "fay" in names and "dan" not in names


def test_exports_break_ideas_down_by_theme(say: Say) -> None:
    say("ana", "idea Solar panels on the roof #climate")
    say("ana", "idea Apprenticeships in green jobs #climate #skills")
    say("ana", "idea Weekly team lunch")
    exported = say("cora", "export csv 2026-Q4")
    [attachment] = exported.attachments
    text = attachment.content.decode("utf-8-sig")
    row = next(line for line in text.splitlines() if "ideas_submitted" in line and ",org," in line)
    assert "theme:climate=2" in row and "theme:skills=1" in row and "theme:none=1" in row


def test_forget_me_takes_a_helper_s_name_out_of_the_search_documents(
    say: Say, container: Container
) -> None:
    say("ana", "ask How do we run a good retrospective?")
    say("bo", "offer R-1")
    say("ana", "resolve R-1 @bo")

    def document() -> str:
        with container.uow() as uow:
            text = uow.session.scalar(
                select(KnowledgeDoc.text).where(KnowledgeDoc.kind == "request")
            )
        return str(text)

    assert "Helped by bo" in document()
    say("bo", "forget-me confirm")
    assert "bo" not in document().split() and "Helped by a former member" in document()
    assert "R-1" in _text(say("cora", "search retrospective request"))
