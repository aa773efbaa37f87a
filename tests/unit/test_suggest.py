"""The shipped suggestion detector: its weights load from the package, it was trained on
shippable data only, and it classifies a fixed set of sentences written for these tests (in
English, French and Spanish, none of them in its training data) as a person would. Its
measurement on public labelled data is ``benchmarks/detector_eval.py``; the README gives the
figures."""

from __future__ import annotations

import pytest

from bot.services import suggest, suggest_encoder
from bot.services.suggest import classify
from bot.services.suggest_encoder import MODEL_FILE, Encoder
from tests.unit.suggest_cases import CASES, MISSES_ALLOWED

TRAINING_FILES = ("benchmarks/data/detector", "benchmarks/data/detector_sentences.tsv")


def test_the_shipped_model_loads_from_the_package_and_names_its_training_data() -> None:
    model = Encoder(MODEL_FILE)
    assert MODEL_FILE.stat().st_size < 30 * 1024 * 1024
    assert len(model.layers) == 6 and model.words_q.dtype.name == "int8"
    for value in model.meta["thresholds"].values():
        assert 0.0 < value < 1.0
    sources = " ".join(model.meta["trained_on"]).lower()
    assert "email-intent" in sources and "semeval" not in sources
    assert "semeval" not in " ".join(model.meta["thresholds_chosen_on"]).lower()


def test_the_test_sentences_are_not_training_sentences() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    written = set()
    for name in TRAINING_FILES:
        path = root / name
        for file in sorted(path.glob("*.tsv")) if path.is_dir() else [path]:
            written |= {line.partition("\t")[2].strip() for line in file.read_text().splitlines()}
    assert not {text for text, _ in CASES} & written


def test_a_fixed_set_of_sentences_is_classified_right() -> None:
    wrong = []
    for text, kind in CASES:
        found = classify(text)
        if (found.kind if found else None) != kind:
            wrong.append((text, kind, found))
    assert len(wrong) <= MISSES_ALLOWED, "\n".join(map(str, wrong))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Could someone help me set up the survey for the partners meeting?", "request"),
        ("Quelqu'un peut-il m'aider à préparer le budget du projet ?", "request"),
        ("¿Alguien sabe dónde está la plantilla del informe anual?", "request"),
        ("We should set up a buddy programme for new colleagues in every office", "idea"),
        ("On pourrait organiser un atelier mensuel pour partager nos expériences", "idea"),
        ("Podríamos crear un boletín mensual con las lecciones aprendidas", "idea"),
        ("Thanks a lot, see you all at the meetup on Thursday", None),
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
    texts += [
        f"Could someone share the notes from meeting number {i} with the team?" for i in range(40)
    ]
    texts.append("A much longer message " * 30 + "so that its batch is padded far more.")
    together, alone = suggest.classify_many(texts), [classify(t) for t in texts]
    assert [s and s.kind for s in together] == [s and s.kind for s in alone]
    assert [s and s.score for s in together] == pytest.approx([s and s.score for s in alone])
    assert any(s and s.kind == "request" for s in alone) and any(s is None for s in alone)


def test_hostile_and_foreign_text_gets_an_answer_not_an_error() -> None:
    for text in (
        "我们应该为新同事建立一个导师计划，每个办公室都有",
        "\u202eplease add a dark mode\u202c to the app \u200b\u200b\u200b",
        "word " * 5000,
        "🎉🎉🎉 we should celebrate the pilot launch with the whole team 🎉🎉🎉",
        "<script>alert(1)</script> please add an export button to the report",
        "\x00\x01 could someone help me \x7f with the budget template",
    ):
        found = classify(text)
        assert found is None or found.kind in ("idea", "request")
    assert suggest_encoder.shipped() is suggest_encoder.shipped()
