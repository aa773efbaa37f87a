"""What a job run did (or, on a dry run, would do), and how to show it as text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TextIO

from bot.ports import Address
from digests.outbox import Outgoing
from handlers.console.render import render_text


@dataclass(slots=True)
class JobReport:
    job: str
    dry_run: bool = False
    outgoing: list[Outgoing] = field(default_factory=list)
    queued: int = 0  # new outbox rows
    done_before: int = 0  # items skipped because this period's message was queued earlier
    notes: list[str] = field(default_factory=list)
    sends: bool = True  # False for jobs that send nothing (tally, retention)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def summary(self) -> str:
        if not self.sends:
            head = f"{self.job}: dry run" if self.dry_run else f"{self.job}: done"
        elif self.dry_run:
            head = f"{self.job}: dry run, {len(self.outgoing)} message(s) would be queued"
        else:
            already = len(self.outgoing) - self.queued
            head = f"{self.job}: queued {self.queued} message(s)"
            if already:
                head += f", {already} already queued earlier"
        return head + "".join(f"\n  {n}" for n in self.notes)


def describe(address: Address) -> str:
    where = f"channel {address.channel}" if address.channel else f"user {address.user}"
    return f"{address.platform} {where} (workspace {address.workspace})"


def write(report: JobReport, out: TextIO, *, command: str = "/cop") -> None:
    """The report as text; a dry run shows every message as the console would render it."""
    if report.dry_run:
        for message in report.outgoing:
            when = (
                f", not before {message.not_before:%Y-%m-%d %H:%M} UTC"
                if message.not_before
                else ""
            )
            out.write(f"=== To {describe(message.address)}{when}\n")
            out.write(f"    key {message.key}\n")
            out.write(render_text(message.reply, command=command) + "\n\n")
    out.write(report.summary() + "\n")
