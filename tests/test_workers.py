"""Worker processes (`--jobs`) end when their parent is killed, instead of waiting forever."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT

PARENT = """
import sys, time
from qcode.workers import pool
workers = pool(2, lambda: None)
futures = [workers.submit(time.sleep, 60) for _ in range(2)]
time.sleep(0.5)
print(" ".join(str(pid) for pid in workers._processes), flush=True)
time.sleep(60)
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_when_the_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True)
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(workers) == 2 and all(alive(pid) for pid in workers)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers)


def test_jobs_given_are_kept_and_none_means_one_per_core_for_enough_tasks(monkeypatch):
    from qcode import workers

    monkeypatch.setattr(workers, "cores", lambda: 8)
    assert workers.auto_jobs(3, 1, worth_from=100) == 3  # given: kept, however few tasks
    assert workers.auto_jobs(None, 99, worth_from=100) == 1  # too few to pay for workers
    assert workers.auto_jobs(None, 100, worth_from=100) == workers.MAX_AUTO_JOBS == 4
    monkeypatch.setattr(workers, "cores", lambda: 2)
    assert workers.auto_jobs(None, 5000, worth_from=100) == 2


def test_cores_are_those_this_process_may_run_on():
    from qcode import workers

    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else os.cpu_count()
    assert workers.cores() == expected >= 1
