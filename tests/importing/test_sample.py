"""The real sample export: 16 communities, exactly its people's messages per channel and per
day, and a second import (or the same export as a zip) changes nothing."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.container import Container
from storage.models import ChannelBinding, Community, ImportedCount, Participation
from tests.importing.conftest import (
    FIXTURE,
    FULL_SAMPLE,
    Import,
    independent_counts,
    snapshot,
    stored_counts,
)

SAMPLES = [pytest.param(FIXTURE, id="slice")]
if FULL_SAMPLE.is_dir():  # beside the repository on a developer's machine
    SAMPLES.append(pytest.param(FULL_SAMPLE, id="full"))


def _root(path: Path) -> Path:
    return path if (path / "channels.json").exists() else next(path.glob("*/channels.json")).parent


@pytest.mark.parametrize("sample", SAMPLES)
def test_the_sample_gives_16_communities_and_exactly_its_counts(
    run: Import, container: Container, sample: Path
) -> None:
    summary = run(sample)

    expected = independent_counts(_root(sample))
    assert summary.problems == []
    assert summary.communities_created == 16
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count(Community.id))) == 16
        assert uow.session.scalar(select(func.count(ChannelBinding.id))) == 16
    stored = stored_counts(container)
    assert +stored == +expected  # per channel and per day, zero days aside
    per_channel: dict[str, int] = {}
    for (channel, _), n in expected.items():
        per_channel[channel] = per_channel.get(channel, 0) + n
    assert {c.channel: c.counted for c in summary.channels if c.counted} == {
        k: v for k, v in per_channel.items() if v
    }
    assert summary.added == sum(expected.values())


def test_the_full_sample_counts_1025_messages_by_people(run: Import) -> None:
    if not FULL_SAMPLE.is_dir():
        return  # only beside the shared data; the slice above covers the rule
    summary = run(FULL_SAMPLE)
    assert (summary.messages_read, summary.counted) == (1382, 964 + 61)


def test_a_second_import_changes_nothing(run: Import, container: Container) -> None:
    first = run()
    before = snapshot(container)

    again = run()

    assert snapshot(container) == before
    assert again.added == 0 and again.new_candidates == 0
    assert again.communities_created == 0 and again.people_created == 0
    assert again.counted == first.counted


def test_a_zip_imports_like_the_folder_and_overlaps_it(
    run: Import, container: Container, tmp_path: Path
) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in FIXTURE.rglob("*"):
            if path.is_file():
                z.write(path, path.relative_to(FIXTURE).as_posix())

    from_zip = run(archive)
    assert stored_counts(container) == +independent_counts(FIXTURE)
    before = snapshot(container)

    from_folder = run(FIXTURE)

    assert from_zip.added == from_folder.counted and from_folder.added == 0
    assert snapshot(container) == before


def test_an_overlapping_later_export_adds_only_what_is_new(
    run: Import, container: Container, export_copy: Path, tmp_path: Path
) -> None:
    early = tmp_path / "early"
    shutil.copytree(export_copy, early)
    general = early / "general"
    days = sorted(general.glob("*.json"))
    for later in days[2:]:
        later.unlink()  # the earlier export ends before these days
    cut = days[1]
    text = cut.read_text()
    cut.write_text(text[: text.index("},", text.index('"user"')) + 1] + "\n]\n")  # day cut short

    run(early)
    run(export_copy)

    assert stored_counts(container) == +independent_counts(export_copy)
    with container.uow() as uow:
        sources = uow.session.scalars(select(ImportedCount.source).distinct()).all()
        total = uow.session.scalar(select(func.sum(Participation.messages)))
    assert all(s.startswith("slack:T061A2UFL:C") for s in sources)
    assert total == sum(independent_counts(export_copy).values())


def test_reading_in_worker_processes_gives_the_same_result(
    run: Import, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.importing import scan

    monkeypatch.setattr(scan, "CHUNK_FILES", 2)  # several chunks per channel

    summary = run(workers=2)

    assert stored_counts(container) == +independent_counts(FIXTURE)
    assert summary.added == sum(independent_counts(FIXTURE).values())
    # The same review candidates as reading in this process (a dry run over the same files);
    # how many depends on the suggestion detector, so it is not written down here.
    alone = run(workers=0, dry_run=True)
    assert (summary.workers, alone.workers) == (2, 0)
    assert summary.candidates == alone.candidates > 0
