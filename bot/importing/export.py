"""Reading Slack's standard workspace export, a folder or the ``.zip`` Slack produces.

Layout: ``channels.json`` and ``users.json`` at the top, and one folder per channel holding
one JSON array per day with activity (``2015-06-05.json``). Nothing here loads the export
whole: the top files are read once, then each day file is read and decoded message by
message when its turn comes, so memory stays bounded by the largest single day file.

Every problem is reported as a :class:`Problem` naming the file and, where there is one,
the line, and reading goes on with the next message or file.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.json$")
_WHITESPACE = re.compile(r"[ \t\n\r]*")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the export that could not be used: ``file:line: what``."""

    file: str
    line: int | None
    what: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.what}"


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    name: str
    archived: bool = False


@dataclass(frozen=True, slots=True)
class User:
    id: str
    name: str
    email: str | None
    timezone: str | None
    is_bot: bool


@dataclass(frozen=True, slots=True)
class DayFile:
    channel: Channel
    day: date
    path: str  # inside the export, for reports: "general/2015-06-05.json"


@dataclass
class Listing:
    """What the top files say, with the day files found for each channel."""

    channels: list[Channel] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    users_known: bool = True  # False when users.json is missing: every user id is accepted
    day_files: list[DayFile] = field(default_factory=list)
    workspace: str | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class DayRead:
    """The messages of one day file as (position in the array, message), and its problems."""

    path: str
    messages: list[tuple[int, dict[str, Any]]]
    problems: list[Problem]
    text: str | None = None
    _lines: list[int] | None = None

    def line(self, index: int) -> int | None:
        """The line where the ``index``-th element of the array starts."""
        if self.text is None:
            return None
        if self._lines is None:
            self._lines = [
                r[0] for r in iter_array(self.text, self.path) if not isinstance(r, Problem)
            ]
        return self._lines[index] if index < len(self._lines) else None


class ExportError(Exception):
    """The path is not a Slack export at all."""


class _Tree:
    """Files of the export, under one root, in a folder or a zip archive."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if path.is_dir():
            self.root = self._folder_root(path)
            self._names = None
        elif zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            names = [n for n in self._zip.namelist() if not n.endswith("/")]
            self._names = names
            self.root = self._zip_root(names)
        elif path.exists():
            raise ExportError(f"{path}: neither a folder nor a zip archive")
        else:
            raise ExportError(f"{path}: no such file or folder")

    @staticmethod
    def _folder_root(path: Path) -> str:
        if (path / "channels.json").exists():
            return ""
        inner = sorted(p.parent for p in path.glob("*/channels.json"))
        return inner[0].name + "/" if len(inner) == 1 else ""

    @staticmethod
    def _zip_root(names: list[str]) -> str:
        tops = sorted(
            (
                str(PurePosixPath(n).parent)
                for n in names
                if PurePosixPath(n).name == "channels.json"
            ),
            key=len,
        )
        if not tops or tops[0] == ".":
            return ""
        return tops[0] + "/"

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def exists(self, name: str) -> bool:
        if self._zip is None:
            return (self.path / self.root / name).is_file()
        return (self.root + name) in set(self._names or ())

    def read(self, name: str) -> bytes:
        if self._zip is None:
            return (self.path / self.root / name).read_bytes()
        return self._zip.read(self.root + name)

    def folders(self) -> dict[str, list[str]]:
        """Top-level folders and the file names in each."""
        found: dict[str, list[str]] = {}
        if self._zip is None:
            base = self.path / self.root
            for child in sorted(base.iterdir()):
                if child.is_dir():
                    found[child.name] = sorted(p.name for p in child.iterdir() if p.is_file())
            return found
        for name in self._names or ():
            if not name.startswith(self.root):
                continue
            parts = name[len(self.root) :].split("/")
            if len(parts) == 2 and parts[1]:
                found.setdefault(parts[0], []).append(parts[1])
        return {k: sorted(v) for k, v in sorted(found.items())}


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def iter_array(text: str, file: str) -> Iterator[tuple[int, Any] | Problem]:
    """The elements of a JSON array one at a time with their line numbers; a syntax error is
    a :class:`Problem` at its line, after the elements before it."""
    decoder = json.JSONDecoder()
    pos = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    if text.startswith("\ufeff", pos):
        pos += 1
    if not text.startswith("[", pos):
        yield Problem(file, _line_of(text, pos), "not a JSON array")
        return
    pos = _WHITESPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", pos):
        return
    line, counted_to = 1, 0
    while True:
        line += text.count("\n", counted_to, pos)
        counted_to = pos
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            yield Problem(file, error.lineno, f"malformed JSON: {error.msg} (column {error.colno})")
            return
        yield line, value
        pos = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith("]", pos):
            return
        if not text.startswith(",", pos):
            yield Problem(file, _line_of(text, pos), "malformed JSON: expected ',' or ']'")
            return
        pos = _WHITESPACE.match(text, pos + 1).end()  # type: ignore[union-attr]


def _load_array(tree: _Tree, name: str, problems: list[Problem]) -> list[tuple[int, Any]] | None:
    if not tree.exists(name):
        problems.append(Problem(name, None, "missing"))
        return None
    try:
        text = tree.read(name).decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(Problem(name, None, f"not UTF-8 text ({error.reason})"))
        return None
    rows: list[tuple[int, Any]] = []
    for row in iter_array(text, name):
        if isinstance(row, Problem):
            problems.append(row)
        else:
            rows.append(row)
    return rows


def _users(tree: _Tree, listing: Listing) -> None:
    rows = _load_array(tree, "users.json", listing.problems)
    if rows is None:
        listing.users_known = False
        return
    teams: dict[str, int] = {}
    for line, raw in rows:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            listing.problems.append(Problem("users.json", line, "a user without an id"))
            continue
        found = raw.get("profile")
        profile: dict[str, Any] = found if isinstance(found, dict) else {}
        email = profile.get("email")
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or raw.get("real_name")
            or raw.get("name")
            or raw["id"]
        )
        listing.users[raw["id"]] = User(
            id=raw["id"],
            name=str(name),
            email=email if isinstance(email, str) and "@" in email else None,
            timezone=raw.get("tz") if isinstance(raw.get("tz"), str) else None,
            is_bot=bool(raw.get("is_bot")) or raw["id"] == "USLACKBOT",
        )
        team = raw.get("team_id")
        if isinstance(team, str) and team:
            teams[team] = teams.get(team, 0) + 1
    if teams:
        listing.workspace = max(teams, key=lambda t: teams[t])


def _channels(tree: _Tree, listing: Listing) -> None:
    rows = _load_array(tree, "channels.json", listing.problems) or []
    for line, raw in rows:
        if not isinstance(raw, dict) or not raw.get("id") or not raw.get("name"):
            listing.problems.append(Problem("channels.json", line, "a channel without id or name"))
            continue
        listing.channels.append(
            Channel(str(raw["id"]), str(raw["name"]), archived=bool(raw.get("is_archived")))
        )


def _day_files(tree: _Tree, listing: Listing) -> None:
    folders = tree.folders()
    known = {c.name for c in listing.channels}
    for channel in listing.channels:
        names = folders.get(channel.name)
        if names is None:
            listing.problems.append(Problem(channel.name + "/", None, "channel folder missing"))
            continue
        for name in names:
            path = f"{channel.name}/{name}"
            match = DAY_FILE.match(name)
            if match is None:
                listing.problems.append(Problem(path, None, "not a day file (YYYY-MM-DD.json)"))
                continue
            try:
                day = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                listing.problems.append(Problem(path, None, "not a real date"))
                continue
            listing.day_files.append(DayFile(channel, day, path))
    for folder in folders:
        if folder not in known:
            listing.problems.append(
                Problem(folder + "/", None, "folder of a channel not in channels.json; skipped")
            )


class SlackExport:
    """An opened export: :meth:`listing` first, then :meth:`messages` for each day file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tree = _Tree(path)

    def __enter__(self) -> SlackExport:
        return self

    def __exit__(self, *exc: object) -> None:
        self._tree.close()

    def listing(self) -> Listing:
        listing = Listing()
        _users(self._tree, listing)
        _channels(self._tree, listing)
        if not listing.channels and not self._tree.exists("channels.json"):
            raise ExportError(
                f"{self._tree.path}: no channels.json; is this a Slack workspace export?"
            )
        _day_files(self._tree, listing)
        return listing

    def read_day(self, day_file: DayFile) -> DayRead:
        """One day file's messages, decoded in one go; lines are worked out only when a
        problem needs one."""
        try:
            text = self._tree.read(day_file.path).decode("utf-8")
        except (OSError, KeyError) as error:
            return DayRead(
                day_file.path, [], [Problem(day_file.path, None, f"cannot be read ({error})")]
            )
        except UnicodeDecodeError as error:
            problem = Problem(day_file.path, None, f"not UTF-8 text ({error.reason})")
            return DayRead(day_file.path, [], [problem])
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        read = DayRead(day_file.path, [], [], text)
        if isinstance(data, list):
            elements: list[Any] = data
        else:  # malformed or not an array: keep what comes before the fault, and report it
            elements = []
            for row in iter_array(text, day_file.path):
                if isinstance(row, Problem):
                    read.problems.append(row)
                else:
                    elements.append(row[1])
        for index, element in enumerate(elements):
            if isinstance(element, dict):
                read.messages.append((index, element))
            else:
                read.problems.append(
                    Problem(day_file.path, read.line(index), "not a message object")
                )
        return read

    def messages(self, day_file: DayFile) -> Iterator[tuple[int, dict[str, Any]] | Problem]:
        """Each message of one day file with its line, or the problems found in it."""
        read = self.read_day(day_file)
        yield from read.problems
        for index, message in read.messages:
            yield read.line(index) or 0, message
