"""Dask clients for one large thermal run (the lean route's column blocks as tasks).

:func:`dask_client` starts a ``LocalCluster`` of worker processes (one BLAS thread each) or
connects to an existing scheduler address, yields a ``distributed.Client`` for
:func:`qdarwin.thermal.run.run_mi` (``client=``) and closes what it started.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any, Iterator

from .._checks import check_int

__all__ = ["dask_client"]

_BLAS_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "QDARWIN_BLAS_THREADS": "1"}


@contextlib.contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None, *, timeout: float = 30.0) -> Iterator[Any]:
    """Yield a Dask client: a new LocalCluster of ``workers`` processes, or ``scheduler``.

    Parameters
    ----------
    workers : int, optional
        Worker processes of a LocalCluster started here (closed on exit).
    scheduler : str, optional
        Address of a running scheduler, e.g. ``"tcp://10.0.0.5:8786"`` (exclusive with
        ``workers``); the workers must be able to import qdarwin.
    timeout : float
        Seconds to wait for the scheduler and its first worker.

    Raises
    ------
    ValueError
        Both or neither of ``workers`` and ``scheduler`` given, bad values, or an
        unreachable scheduler.
    """
    if (workers is None) == (scheduler is None):
        raise ValueError("give exactly one of workers (a LocalCluster) and scheduler (an address)")
    from distributed import Client, LocalCluster

    if workers is not None:
        n = check_int(workers, "workers", minimum=1)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR, env=_BLAS_ENV)
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()
        return
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise ValueError("scheduler must be an address such as tcp://127.0.0.1:8786")
    try:
        client = Client(scheduler, timeout=f"{timeout}s")
    except (OSError, TimeoutError) as exc:
        raise ValueError(f"scheduler: cannot connect to {scheduler} ({exc})") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
        yield client
    except TimeoutError:
        raise ValueError(f"scheduler: {scheduler} has no workers (waited {timeout:g} s)") from None
    finally:
        client.close()
