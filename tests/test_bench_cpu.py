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


def test_a_process_that_ended_or_started_never_makes_a_negative_share():
    before = cpu.Cpu(portal={1: 5.0}, postgres={7: 9.0, 8: 1.0}, client=0, busy=10, idle=10)
    # postgres 7 (an autovacuum worker, say) ended; 9 started; 8 spent 0.5 s more
    after = cpu.Cpu(portal={1: 6.0}, postgres={8: 1.5, 9: 0.25}, client=0, busy=20, idle=10)
    spent = cpu.spent(before, after, requests=10)
    assert spent is not None
    assert spent["portal_ms_per_request"] == 100.0
    assert spent["postgres_ms_per_request"] == 75.0
    assert spent["machine_busy_percent"] == 100.0


def test_nothing_is_said_without_requests_or_counters():
    now = cpu.Cpu(portal={1: 1.0}, postgres={}, client=1, busy=1, idle=1)
    assert cpu.spent(now, now, requests=0) is None
    assert cpu.spent(None, now, requests=5) is None
