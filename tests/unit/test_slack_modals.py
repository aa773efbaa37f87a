"""Forms as Slack modals: block and action ids named after the fields, titles per kind,
prefill (and prefill Slack would reject left out), unknown kinds refused, and the values
read back from a view submission, the recorded one and a round trip through the modal."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from bot.forms import FORMS
from bot.messages import Form
from handlers.slack.modals import modal_values
from tests.fixtures import SLACK_PAYLOADS
from tests.unit.slack_rendered import render_modal

VIEW_SUBMISSION = SLACK_PAYLOADS / "interactivity.view_submission.json"  # kept in the repository


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_modal_inputs_use_their_name_as_block_and_action_id(kind: str) -> None:
    themes = (("climate", "Climate action"),)
    choices = tuple((f.name, themes) for f in FORMS[kind].fields if f.choices_from)
    view = render_modal(Form(kind, choices=choices))

    assert view["type"] == "modal"
    assert view["callback_id"] == f"cop:form:{kind}"
    assert len(view["title"]["text"]) <= 24
    for block in view["blocks"]:
        assert block["type"] == "input"
        assert block["block_id"] == block["element"]["action_id"]
    names = [b["block_id"] for b in view["blocks"]]
    assert names == [f.name for f in FORMS[kind].fields]


def test_modal_names_per_kind() -> None:
    names = {kind: [f.name for f in spec.fields] for kind, spec in FORMS.items()}

    assert names == {
        "idea": ["title", "description", "theme"],
        "request": ["question", "tags"],
        "feedback": ["target", "rating", "text", "anonymous", "source"],
        "event": ["title", "date", "kind"],
    }


def test_modal_prefill() -> None:
    form = Form(
        "feedback",
        prefill=(
            ("target", "I-12"),
            ("rating", "4"),
            ("anonymous", "yes"),
            ("text", "Great <!here>"),
        ),
    )

    view = render_modal(form, callback_id_prefix="x")

    elements = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert view["callback_id"] == "x:form:feedback"
    assert elements["target"]["initial_value"] == "I-12"
    assert elements["text"]["initial_value"] == "Great <!here>"
    assert elements["text"]["multiline"] is True
    assert elements["rating"]["initial_option"]["value"] == "4"
    assert elements["anonymous"]["initial_options"][0]["value"] == "true"
    assert elements["source"]["initial_option"]["value"] == "staff"


def test_modal_ignores_prefill_that_slack_would_reject() -> None:
    view = render_modal(Form("event", prefill=(("date", "next week"), ("kind", "party"))))

    elements = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert elements["date"]["type"] == "datepicker" and "initial_date" not in elements["date"]
    assert "initial_option" not in elements["kind"]
    assert (
        "initial_date"
        in render_modal(Form("event", (("date", "2026-11-20"),)))["blocks"][1]["element"]
    )


def test_unknown_form_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown form kind"):
        render_modal(Form("party"))


def _payload() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(VIEW_SUBMISSION.read_text())
    return loaded


def test_modal_values_reads_the_recorded_payload() -> None:
    payload = _payload()

    assert modal_values(payload["view"]["state"]["values"]) == {"maBWU": "test"}


def test_modal_values_round_trip_through_a_view_submission() -> None:
    payload = copy.deepcopy(_payload())
    view = render_modal(Form("feedback"))
    payload["view"].update(blocks=view["blocks"], callback_id=view["callback_id"])
    options = {b["block_id"]: b["element"].get("options", []) for b in view["blocks"]}
    payload["view"]["state"]["values"] = {
        "target": {"target": {"type": "plain_text_input", "value": "R-3"}},
        "rating": {"rating": {"type": "static_select", "selected_option": options["rating"][4]}},
        "text": {"text": {"type": "plain_text_input", "value": "Very helpful\nThanks"}},
        "anonymous": {
            "anonymous": {"type": "checkboxes", "selected_options": options["anonymous"]}
        },
        "source": {"source": {"type": "static_select", "selected_option": None}},
    }
    body = json.loads(json.dumps(payload))

    values = modal_values(body["view"]["state"]["values"])

    assert values == {
        "target": "R-3",
        "rating": "5",
        "text": "Very helpful\nThanks",
        "anonymous": ["true"],
        "source": None,
    }


def test_modal_values_reads_dates_and_empty_inputs() -> None:
    state = {
        "title": {"title": {"type": "plain_text_input", "value": None}},
        "date": {"date": {"type": "datepicker", "selected_date": "2026-11-20"}},
        "kind": {"kind": {"type": "static_select", "selected_option": {"value": "webinar"}}},
        "anonymous": {"anonymous": {"type": "checkboxes", "selected_options": []}},
    }

    assert modal_values(state) == {
        "title": None,
        "date": "2026-11-20",
        "kind": "webinar",
        "anonymous": [],
    }
