"""BLAS thread control for small dense eigenproblems.

On small shared machines a multi-threaded BLAS made ``eigvalsh`` of small matrices 10-100x
slower (oversubscription). Heavy routines (the permutation-symmetric method, thermal-chain
Gram steps) therefore run inside :func:`blas_threads`, which limits BLAS to one thread by
default. Users override with :func:`set_blas_threads` or the environment variable
``QDARWIN_BLAS_THREADS`` (an integer, or ``"none"`` to leave BLAS untouched).
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from threadpoolctl import ThreadpoolController

_override: int | None | str = "unset"


def set_blas_threads(n: int | None) -> None:
    """Set the BLAS thread count used by qdarwin's heavy kernels (``None``: do not limit)."""
    global _override
    if n is not None and (not isinstance(n, int) or n < 1):
        raise ValueError(f"BLAS thread count must be a positive integer or None, got {n!r}")
    _override = n


def default_blas_threads() -> int | None:
    """The thread limit in force: the override, else ``QDARWIN_BLAS_THREADS``, else 1."""
    if not isinstance(_override, str):  # the only string value is the "unset" sentinel
        return _override
    env = os.environ.get("QDARWIN_BLAS_THREADS", "").strip().lower()
    if env in ("none", "0", "off"):
        return None
    if env.isdigit():
        return int(env)
    return 1


_CONTROLLER: list[ThreadpoolController] = []


def _controller() -> ThreadpoolController:
    """A cached ``threadpoolctl.ThreadpoolController`` (creating one rescans libraries: ~ms)."""
    if not _CONTROLLER:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0]


@contextlib.contextmanager
def blas_threads(n: int | None | str = "default") -> Iterator[None]:
    """Context manager limiting BLAS threads (default: :func:`default_blas_threads`).

    Uses one cached threadpoolctl controller, so entering it costs microseconds, not the
    milliseconds of a fresh ``threadpool_limits`` scan.
    """
    limit = default_blas_threads() if n == "default" else n
    if limit is None:
        yield
        return
    with _controller().limit(limits=int(limit), user_api="blas"):
        yield


__all__ = ["blas_threads", "set_blas_threads", "default_blas_threads"]
