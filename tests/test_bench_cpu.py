"""The benchmark's CPU accounting (`bench/cpu.py`): read from /proc on this machine."""

from __future__ import annotations

import sys

import pytest

from bench import cpu


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_clients_own_work_is_counted_and_shared_over_the_requests():
    before = cpu.sample()
    total = 0
    for i in range(2_000_000):
        total += i * i
    after = cpu.sample()
    assert before is not None and after is not None and total > 0
    spent = cpu.spent(before, after, requests=4)
    assert spent is not None
    # The loop above is this process's work: its CPU, a quarter per request.
    assert spent["client_ms_per_request"] * 4 == pytest.approx(
        (after.client - before.client) * 1000, abs=0.5
    )
    assert spent["client_ms_per_request"] > 0
    assert 0 < spent["machine_busy_percent"] <= 100


def test_nothing_is_said_without_requests_or_counters():
    now = cpu.Cpu(portal=1, postgres=1, client=1, busy=1, idle=1)
    assert cpu.spent(now, now, requests=0) is None
    assert cpu.spent(None, now, requests=5) is None
