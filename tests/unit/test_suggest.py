"""The shipped suggestion detector: its weights load, it was trained on shippable data only,
and it classifies obvious cases in English, French and Spanish. (Its measurement on public
labelled data is ``benchmarks/detector_eval.py``; the README gives the figures.)"""

from __future__ import annotations

import json

import pytest

from bot.services import suggest
from bot.services.suggest import MODEL_FILE, classify


def test_the_shipped_model_loads_and_names_its_training_data() -> None:
    model = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert MODEL_FILE.stat().st_size < 64 * 1024
    width = suggest.embedder.DIM + len(suggest.cues("x"))
    for head in suggest.HEADS:
        assert len(model[head]["w"]) == width
        assert 0.0 < model[head]["threshold"] < 1.0
    sources = " ".join(model["trained_on"]).lower()
    assert "email-intent" in sources and "semeval" not in sources


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Could someone help me set up the survey for the partners meeting?", "request"),
        ("Does anybody know where the templates for the annual report are?", "request"),
        ("Quelqu'un peut-il m'aider à préparer le budget du projet ?", "request"),
        ("¿Alguien sabe dónde está la plantilla del informe anual?", "request"),
        ("It would be great if we recorded every training for colleagues in the field", "idea"),
        ("We should set up a buddy programme for new colleagues in every office", "idea"),
        ("On pourrait organiser un atelier mensuel pour partager nos expériences", "idea"),
        ("Podríamos crear un boletín mensual con las lecciones aprendidas", "idea"),
        ("Thanks a lot, see you all at the meetup on Thursday", None),
        ("The slides from yesterday are in the shared folder now", None),
        ("Merci à tous, la réunion s'est très bien passée", None),
        ("hi", None),
        ("/cop idea a slash command is never a suggestion", None),
    ],
)
def test_obvious_cases(text: str, kind: str | None) -> None:
    found = classify(text)
    assert (found.kind if found else None) == kind, found


def test_many_at_once_agrees_with_one_at_a_time() -> None:
    texts = ["We could pilot a chatbot for frequently asked questions", "ok", "Lunch was great"]
    assert suggest.classify_many(texts) == [classify(t) for t in texts]
