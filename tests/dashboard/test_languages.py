"""The dashboard speaks its viewer's language, as the bot does: their own choice first; before
the link is checked, the browser's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.conftest import NOW, Say
from tests.dashboard.conftest import link_of
from tests.dashboard.test_pages import page


async def test_a_coordinator_who_chose_french_reads_the_dashboard_in_french(
    client: Any, say: Say, organisation: None
) -> None:
    assert not say("cora", "language fr").error
    link = link_of(say("cora", "dashboard", now=NOW - timedelta(minutes=20)))

    html = await (await client.get(page(link))).text()
    assert '<html lang="fr">' in html
    assert "Indicateurs pour" in html and "Ce lien personnel expire à 10:40 UTC." in html
    pipeline = await (await client.get(page(link, "pipeline"))).text()
    assert "Parcours des idées" in pipeline and "Enseignements des idées mises de côté" in pipeline


async def test_a_spanish_speaker_reads_the_dashboard_in_spanish(
    client: Any, say: Say, organisation: None
) -> None:
    assert not say("dana", "language es").error
    link = link_of(say("dana", "dashboard", now=NOW - timedelta(minutes=20)))

    html = await (await client.get(page(link, "downloads"))).text()
    assert '<html lang="es">' in html and "Descargas" in html


async def test_a_refusal_before_the_link_is_read_follows_the_browser(client: Any) -> None:
    missing = await client.get("/dashboard/", headers={"Accept-Language": "es-419,es;q=0.9"})
    assert missing.status == 401
    text = await missing.text()
    assert "Este enlace no abre el panel" in text


async def test_english_stays_for_everyone_else(client: Any, say: Say, organisation: None) -> None:
    link = link_of(say("fran", "dashboard", now=NOW - timedelta(minutes=20)))
    html = await (await client.get(page(link))).text()
    assert '<html lang="en">' in html and "Indicators for" in html
