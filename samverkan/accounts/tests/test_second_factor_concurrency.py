"""One code, used by several requests at the same moment, lets in exactly one (PostgreSQL: real parallelism)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from samverkan.accounts import otp
from samverkan.common.factories import UserFactory

from .second_factor_helpers import enrolled, fresh_code

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database with real concurrency"),
]


def _race(user, code: str, count: int = 8) -> list[otp.Outcome]:
    barrier = threading.Barrier(count)
    outcomes: list[otp.Outcome] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            outcome = otp.code_check(user, code).outcome
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_one_app_code_used_concurrently_lets_in_exactly_one() -> None:
    user = UserFactory()
    device, _codes = enrolled(user)
    outcomes = _race(user, fresh_code(device))
    assert outcomes.count(otp.Outcome.OK) == 1, outcomes


def test_one_recovery_code_used_concurrently_lets_in_exactly_one() -> None:
    user = UserFactory()
    _device, recovery = enrolled(user)
    outcomes = _race(user, recovery[0])
    assert outcomes.count(otp.Outcome.OK) == 1, outcomes
    assert otp.recovery_codes_left(user) == 9
