"""Polling for tests: wait for a condition instead of sleeping a fixed time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def eventually(pred: Callable[[], Any], timeout: float = 10.0, interval: float = 0.005) -> Any:
    """Polls ``pred`` until it returns something truthy (returned) or ``timeout`` seconds pass
    (then its last value is returned, so ``assert eventually(...)`` fails)."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)
