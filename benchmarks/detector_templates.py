"""Sentences generated from templates written for this project, to teach the detector that the
frame, not the topic, makes a suggestion: each action of ``benchmarks/data/detector_actions.tsv``
is framed as a proposal or advice ("We should …", "Make sure to …"), as an ask ("Does anyone
know how to …?") and as a plain statement, a hindsight or one's own plan ("We … last year",
"We should have …", "I'm going to …"). Training only (never in the development split)."""

from __future__ import annotations

import random
from pathlib import Path

ACTIONS = Path(__file__).resolve().parent / "data" / "detector_actions.tsv"

# {b}: base form, {p}: past, {pp}: past participle, {i}: infinitive (French, Spanish).
_EN = {
    "idea": (
        "We should {b}.",
        "We could {b}.",
        "I think we should {b}.",
        "Maybe we could {b}?",
        "What if we {b}?",
        "How about we {b}?",
        "Why don't we {b}?",
        "Why not {b}?",
        "Let's {b}.",
        "Please {b}.",
        "{B}, please.",
        "{B}.",
        "I'd suggest we {b}.",
        "I propose that we {b}.",
        "My suggestion: {b}.",
        "It would be great to {b}.",
        "It would be nice if you could {b}.",
        "It might be worth it to {b}.",
        "Would be nice to {b}.",
        "You should {b}.",
        "They should {b}.",
        "The team should {b}.",
        "Someone should {b}.",
        "We need to {b}.",
        "It's time to {b}.",
        "I'd love it if you could {b}.",
        "I wish you would {b}.",
        "Consider trying to {b}.",
        "Make sure to {b}.",
        "Don't forget to {b}.",
        "My advice: {b}.",
        "I strongly recommend that you {b}.",
        "If possible, {b}.",
        "For next time: {b}.",
        "One idea would be to {b}.",
        "Another option is to {b}.",
        "It'd be awesome to {b}.",
        "honestly we should just {b}",
        "maybe {b}?",
        "idea: {b}",
        "Best to {b}.",
        "You may want to {b}.",
        "I would recommend that they {b}.",
        "We ought to {b}.",
    ),
    "request": (
        "Can anyone help me {b}?",
        "Does anyone know how to {b}?",
        "Has anyone managed to {b}?",
        "What's the best way to {b}?",
        "Any tips on how to {b}?",
        "I need some help to {b}.",
        "Is there a way to {b}?",
        "Could someone show me how to {b}?",
        "I'm trying to {b}, any advice?",
        "Who knows how to {b}?",
        "Can you help us {b}?",
        "I'm looking for someone who can help {b}.",
        "anyone know how to {b}?",
    ),
    "none": (
        "We {p} last year.",
        "They {p} in the end.",
        "Last month the team {p}.",
        "I heard they {p}.",
        "Someone {p} yesterday.",
        "We already {p}.",
        "We should have {pp}.",
        "They should have {pp} long ago.",
        "It would have been better to {b}.",
        "We tried to {b}, but it didn't work.",
        "I wanted to {b}, but there was no time.",
        "It was a mistake to {b}.",
        "They decided not to {b}.",
        "Maria suggested that we {b}, and we did.",
        "The plan is to {b} next month.",
        "It took us a week to {b}.",
        "Did they {b} in the end?",
        "Why did they {b}?",
        "Do you remember when we {p}?",
        "I'm glad we {p}.",
        "Nobody wanted to {b}.",
        "We were able to {b} thanks to the new budget.",
        "Since they {p}, everything is better.",
        "After we {p}, the complaints stopped.",
        "We have {pp} twice already.",
        "Have they {pp} yet?",
        "I'm going to {b} this weekend.",
        "I'll {b} tomorrow.",
        "She is planning to {b}.",
        "They could {b} if they wanted, but they won't.",
        "we {p} and it went fine",
        "lol we tried to {b} once",
        "Apparently they {p}.",
    ),
}
_FR = {
    "idea": (
        "On devrait {i}.",
        "Il faudrait {i}.",
        "Ce serait bien de {i}.",
        "Je propose de {i}.",
        "Pourquoi ne pas {i} ?",
        "Pensez à {i}.",
        "N'oubliez pas de {i}.",
        "Il serait utile de {i}.",
        "Je vous conseille de {i}.",
        "Et si on essayait de {i} ?",
    ),
    "request": (
        "Quelqu'un sait comment {i} ?",
        "J'ai besoin d'aide pour {i}.",
        "Quelqu'un pourrait m'aider à {i} ?",
        "Comment faire pour {i} ?",
        "Des conseils pour {i} ?",
    ),
    "none": (
        "Nous avons décidé de {i} l'an dernier.",
        "Ils ont refusé de {i}.",
        "On a essayé de {i}, sans succès.",
        "J'aurais dû {i}.",
        "Il nous a fallu un mois pour {i}.",
        "Je vais {i} ce week-end.",
        "Elle a proposé de {i} et c'est fait.",
        "Nous venons de {i}.",
    ),
}
_ES = {
    "idea": (
        "Deberíamos {i}.", "Habría que {i}.", "Sería bueno {i}.", "Propongo {i}.",
        "¿Por qué no {i}?", "No olviden {i}.", "Les recomiendo {i}.", "Estaría bien {i}.",
        "Convendría {i}.", "¿Y si intentamos {i}?",
    ),
    "request": (
        "¿Alguien sabe cómo {i}?", "Necesito ayuda para {i}.",
        "¿Alguien me puede ayudar a {i}?", "¿Cómo se hace para {i}?", "¿Algún consejo para {i}?",
    ),
    "none": (
        "Decidimos {i} el año pasado.", "Se negaron a {i}.", "Intentamos {i}, sin éxito.",
        "Tardamos un mes en {i}.", "Voy a {i} este fin de semana.",
        "Ella propuso {i} y ya está hecho.", "Acabamos de {i}.",
    ),
}  # fmt: skip
_FRAMES = {"en": _EN, "fr": _FR, "es": _ES}
_PER_ACTION = {"idea": 4, "request": 2, "none": 6}


def actions() -> list[list[str]]:
    rows = []
    for line in ACTIONS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _fill(frame: str, fields: list[str]) -> str:
    lang, base, *forms = fields
    if lang != "en":
        return frame.format(i=base)
    past, participle = forms
    return frame.format(b=base, B=base[:1].upper() + base[1:], p=past, pp=participle)


def generated(rng: random.Random) -> list[tuple[str, str]]:
    """(label, sentence) pairs: every action in a few frames of each kind."""
    out = []
    for fields in actions():
        frames = _FRAMES[fields[0]]
        for label, many in _PER_ACTION.items():
            for frame in rng.sample(frames[label], min(many, len(frames[label]))):
                out.append((label, _fill(frame, fields)))
    return out
