"""Getting a process ready before the first request needs it."""

from __future__ import annotations

import logging
import threading

from bot.container import Container

log = logging.getLogger("copbot")


def warm_up(container: Container) -> threading.Thread:
    """In the background: load the suggestion detector and the sentence-embedding model, so
    the first message after a start does not wait for them (about two seconds each), compute
    any missing vectors, then load
    every stored vector into the in-memory index (the first similar-idea check or search
    would otherwise read them all: a few seconds on 100,000 items)."""
    from bot.knowledge import index, vectors
    from bot.services import suggest_encoder

    def run() -> None:
        try:
            suggest_encoder.shipped()
            done = index.backfill(container.uow())
            if done:
                log.info("computed %d missing knowledge vectors", done)
            with container.uow() as uow:
                loaded = vectors.load(uow.session)
            log.debug("%d knowledge vectors in memory", loaded)
        except Exception:
            log.exception("warming up the knowledge index failed")

    thread = threading.Thread(target=run, name="knowledge-warm-up", daemon=True)
    thread.start()
    return thread
