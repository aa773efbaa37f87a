"""Where the console puts what a terminal cannot show: files the bot sends (charts, exports,
``my-data``) and the messages it sends to console people through the outbox (digests, nudges,
pulse questions), both in one folder, ``./copbot-files/`` by default."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.messages import Attachment

FILES_DIR = Path("copbot-files")
MAILBOX = "messages.jsonl"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _safe_name(filename: str) -> str:
    name = _UNSAFE.sub("-", Path(filename).name).strip(".-")
    return name or "file"


def save(folder: Path, attachments: Iterable[Attachment]) -> list[Path]:
    """Write each attachment into ``folder`` under its own name (``-2``, ``-3``… when the name
    is taken); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for attachment in attachments:
        path = folder / _safe_name(attachment.filename)
        n = 1
        while path.exists():
            n += 1
            stem, suffix = Path(_safe_name(attachment.filename)).stem, path.suffix
            path = folder / f"{stem}-{n}{suffix}"
        path.write_bytes(attachment.content)
        written.append(path)
    return written


@dataclass(frozen=True, slots=True)
class Delivered:
    """One message the bot sent to a console person or channel."""

    to: str  # "@ana" or "#design-thinking"
    text: str


class Mailbox:
    """The messages the outbox delivered to console addresses, one JSON line each; any
    process appends (``copbot run``, ``copbot outbox flush``), the console shows new ones."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MAILBOX
        self._offset = self.path.stat().st_size if self.path.exists() else 0

    def append(self, message: Delivered) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"to": message.to, "text": message.text}, ensure_ascii=False)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    def new(self) -> list[Delivered]:
        """Messages appended since this mailbox was opened or last read."""
        if not self.path.exists():
            return []
        with self.path.open("rb") as handle:
            handle.seek(self._offset)
            data = handle.read()
        complete = data[: data.rfind(b"\n") + 1]
        self._offset += len(complete)
        found: list[Delivered] = []
        for raw in complete.decode("utf-8", errors="replace").splitlines():
            try:
                item = json.loads(raw)
            except ValueError:
                continue
            if isinstance(item, dict):
                found.append(Delivered(str(item.get("to") or "?"), str(item.get("text") or "")))
        return found
