"""Worker processes for `--jobs N` (import reading, rule suggestions).

Workers are forked where the system can fork, so they share what the parent loaded
(modules, lemma tables); elsewhere they are spawned, and the initializer and its arguments
must pickle (module-level functions, plain data). They ask the kernel to end them when the
parent dies (Linux `PR_SET_PDEATHSIG`): a parent killed with SIGKILL, or by the out-of-memory
killer, leaves no worker waiting forever on an empty queue.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1
MAX_AUTO_JOBS = 4  # beyond this the parent, which stores alone, is the limit


def cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def auto_jobs(jobs: int | None, tasks: int, worth_from: int) -> int:
    """`jobs` when given; else one process per core (at most MAX_AUTO_JOBS) when there are
    at least `worth_from` tasks, which pay for starting workers, and 1 below that."""
    if jobs is not None:
        return jobs
    return min(cores(), MAX_AUTO_JOBS) if tasks >= worth_from else 1


def pool(jobs: int, initializer: Callable[..., None], *initargs) -> ProcessPoolExecutor:
    """`jobs` workers (forked, else spawned), each running `initializer(*initargs)` first."""
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method),
                               initializer=_start,
                               initargs=(os.getpid(), initializer, initargs))


def _start(parent: int, initializer: Callable[..., None], initargs: tuple) -> None:
    _die_with(parent)
    initializer(*initargs)


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(1)
