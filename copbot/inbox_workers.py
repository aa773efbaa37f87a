"""The inbox workers: ``copbot inbox-worker`` processes that work through what the web
process stored and acknowledged, started and kept running by ``copbot serve`` / ``run``
(``COPBOT_INBOX_WORKERS``, default 2; 0 works through the inbox inside the web process).

They run at a lower CPU priority than the web process, so on a busy machine the
acknowledgements go first and the work waits in the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading

from bot.container import Container
from bot.settings import Settings
from copbot.warm import warm_up

log = logging.getLogger("copbot")

NICENESS = 10
RESTART_PAUSE = 1.0


def run_worker(settings: Settings) -> int:
    """``copbot inbox-worker``: one worker process, until SIGTERM or Ctrl-C."""
    from copbot.bootstrap import bootstrap, connect_platforms
    from handlers.slack.mount import work_inbox

    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    container = bootstrap(settings, migrate=False)
    connect_platforms(container)
    warm_up(container)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await work_inbox(container, stop)

    try:
        asyncio.run(main())
    finally:
        container.close()
    return 0


class Workers:
    """Starts ``count`` inbox worker processes and restarts any that dies."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._procs: list[subprocess.Popen[bytes]] = []
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="inbox-workers", daemon=True)

    def _spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "copbot", "inbox-worker"])

    def start(self) -> None:
        self._procs = [self._spawn() for _ in range(self.count)]
        self._watcher.start()

    def _watch(self) -> None:
        while not self._stopping.wait(RESTART_PAUSE):
            for index, proc in enumerate(self._procs):
                code = proc.poll()
                if code is not None and not self._stopping.is_set():
                    log.warning("Inbox worker %s exited (%s); starting another.", proc.pid, code)
                    self._procs[index] = self._spawn()

    def stop(self) -> None:
        self._stopping.set()
        for proc in self._procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self._procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def start_workers(container: Container) -> Workers | None:
    """Start the inbox workers the settings ask for (none for Socket Mode or 0)."""
    settings = container.settings
    count = settings.copbot_inbox_workers
    if count == 0 or not settings.slack_enabled or settings.slack_socket_mode:
        return None
    if container.inbox is not None and settings.is_sqlite:
        # One machine: no worker of this inbox can be running yet, so every claim is stale.
        container.inbox.release_claims()
    container.inbox_workers_elsewhere = True
    workers = Workers(count)
    workers.start()
    log.info("Inbox: %d worker processes work through acknowledged Slack requests.", count)
    return workers
