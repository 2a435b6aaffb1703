"""What a worker pool raises instead of a reply (the app turns each into a 503)."""

from __future__ import annotations

__all__ = ["PoolBusy", "QueryTimeout", "WorkerDied"]


class QueryTimeout(Exception):
    """A job ran past its time limit (its worker was stopped)."""


class PoolBusy(Exception):
    """No worker became free within the time limit."""


class WorkerDied(Exception):
    """A worker process ended while running a job (crash, out of memory).

    ``out_of_memory`` says whether it ended because it hit its memory allowance.
    """

    def __init__(self, message: str = "", *, out_of_memory: bool = False) -> None:
        super().__init__(message)
        self.out_of_memory = out_of_memory
