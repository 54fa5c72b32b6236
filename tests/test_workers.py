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
