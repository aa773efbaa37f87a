"""Collections are rare while a large run is under way, and usual again after the last one."""

from __future__ import annotations

import gc
import threading

from digests.allocation import RARE, fewer_collections


def test_thresholds_are_raised_inside_and_restored_after() -> None:
    usual = gc.get_threshold()
    assert usual != RARE
    with fewer_collections():
        assert gc.get_threshold() == RARE
    assert gc.get_threshold() == usual


def test_overlapping_runs_restore_the_usual_thresholds_only_when_the_last_ends() -> None:
    usual = gc.get_threshold()
    first_in, second_done, release = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with fewer_collections():
            first_in.set()
            release.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with fewer_collections():  # a second run starts while the first is under way ...
        second_done.set()
    assert gc.get_threshold() == RARE  # ... and ends first: still rare for the first
    release.set()
    thread.join(5)
    assert gc.get_threshold() == usual


def test_an_error_inside_still_restores_them() -> None:
    usual = gc.get_threshold()
    try:
        with fewer_collections():
            raise RuntimeError("the run failed")
    except RuntimeError:
        pass
    assert gc.get_threshold() == usual
