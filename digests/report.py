"""What a job run did (or, on a dry run, would do)."""

from __future__ import annotations

from dataclasses import dataclass, field

from digests.outbox import Outgoing


@dataclass(slots=True)
class JobReport:
    job: str
    dry_run: bool = False
    outgoing: list[Outgoing] = field(default_factory=list)
    queued: int = 0  # new outbox rows
    done_before: int = 0  # items skipped because this period's message was queued earlier
    notes: list[str] = field(default_factory=list)
    unbound: int = 0  # communities left out for want of a bound channel
    quiet: int = 0  # communities left out because nothing happened
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
