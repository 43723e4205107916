"""Running a sweep: serial in-process, on a qdarwin-started Dask ``LocalCluster``, or on an
existing Dask scheduler given by address.

Who writes results: by default each **worker** writes its finished point straight into the
results directory through :class:`qdarwin.io.store.PointStore` (atomic per-point NetCDF), so a
point is on disk as soon as it is finished, whatever happens to the client afterwards (SIGKILL,
Ctrl-C, lost network): re-running resumes. This needs the results directory on a filesystem
that the workers see (always true for ``LocalCluster``; for a remote cluster use a shared
filesystem, or ``write="client"``, in which workers return the Dataset and the client writes
it on completion; a client killed then loses only the points not yet received).

Failures: a point whose function raises is recorded in ``errors/<key>.json`` (type, message,
traceback) and the others continue. Re-running retries failed points unless
``retry_failed=False``.

BLAS threads: Dask's nanny sets ``OMP/OPENBLAS/MKL_NUM_THREADS=1`` before spawning workers
(made explicit here), and every task runs inside ``threadpoolctl`` limits of one thread, so
workers never oversubscribe the cores.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import threading
import time
import traceback as _tb
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator, Union

from .._typing import Progress

from ..io.results import write_json
from ..io.store import PointStore
from .config import Sweep, validate_sweep
from .registry import to_dataset

SWEEP_FILE = "sweep.json"
#: Seconds :func:`run_sweep` waits for a scheduler address to accept connections before giving up.
PROBE_SECONDS = 5.0
_BLAS_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}



@dataclasses.dataclass(frozen=True)
class Serial:
    """Run every point in this process, in grid order (debugging, tiny sweeps)."""


@dataclasses.dataclass(frozen=True)
class LocalDask:
    """A Dask ``LocalCluster`` started and closed by qdarwin.

    Parameters
    ----------
    n_workers : int, optional
        Worker processes (default: one per CPU core, ``os.cpu_count()``).
    threads_per_worker : int
        Threads per worker (default 1: one task per core).
    """

    n_workers: int | None = None
    threads_per_worker: int = 1

    def __post_init__(self) -> None:
        for name in ("n_workers", "threads_per_worker"):
            v = getattr(self, name)
            if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 1):
                raise ValueError(f"{name} must be a positive integer, got {v!r}")


@dataclasses.dataclass(frozen=True)
class DaskScheduler:
    """An existing Dask scheduler, e.g. ``"tcp://10.0.0.5:8786"`` (workers started separately).

    Parameters
    ----------
    address : str
        Scheduler address.
    timeout : float
        Seconds to wait for the connection and for at least one worker.
    """

    address: str
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if not isinstance(self.address, str) or not self.address.strip():
            raise ValueError("scheduler address must be a non-empty string such as tcp://127.0.0.1:8786")
        _split_address(self.address)
        t = self.timeout
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not (0 < t < 1e6):
            raise ValueError(f"timeout must be a positive number of seconds, got {t!r}")


def _split_address(address: str) -> tuple[str, str, int] | None:
    """``(protocol, host, port)`` of a TCP/TLS scheduler address; None for other protocols."""
    text = address.strip()
    proto, sep, rest = text.partition("://")
    if not sep:
        proto, rest = "tcp", text
    if proto not in ("tcp", "tls"):
        return None
    host, colon, port = rest.rpartition(":")
    host = host.strip("[]")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"scheduler address {address!r}: expected tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786")
    return proto, host, int(port)


def _probe_scheduler(executor: DaskScheduler) -> None:
    """Fail within seconds (not after Dask's connection retries) when nothing listens at the address."""
    import socket

    parts = _split_address(executor.address)
    if parts is None:
        return
    _, host, port = parts
    deadline = time.monotonic() + min(PROBE_SECONDS, executor.timeout)
    while True:
        try:
            with socket.create_connection((host, port), timeout=min(PROBE_SECONDS, executor.timeout)):
                return
        except ConnectionRefusedError as exc:  # maybe a scheduler still starting: retry briefly
            if time.monotonic() >= deadline:
                raise ValueError(f"cannot connect to Dask scheduler {executor.address}: {exc.strerror}") from None
            time.sleep(0.2)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise ValueError(f"cannot connect to Dask scheduler {executor.address}: {reason}") from None


Executor = Union[Serial, LocalDask, DaskScheduler]


@dataclasses.dataclass(frozen=True)
class SweepRun:
    """Outcome of :func:`run_sweep`.

    Attributes
    ----------
    out : Path
        Results directory.
    total : int
        Points in the grid.
    skipped : int
        Points already finished before this run (resumed, not recomputed).
    computed : int
        Points finished by this run.
    failed : int
        Points that raised in this run (recorded in ``errors/``).
    errors : dict
        ``{key: "ErrorType: message"}`` for this run's failures.
    seconds : float
        Wall time of this run.
    """

    out: Path
    total: int
    skipped: int
    computed: int
    failed: int
    errors: dict[str, str]
    seconds: float

    @property
    def complete(self) -> bool:
        """True when every grid point has a finished result."""
        return self.skipped + self.computed == self.total


def run_point(fn: Callable[..., Any], params: dict[str, Any], root: str | None) -> tuple[str, str, Any]:
    """Evaluate one grid point (on a worker or in-process).

    With ``root`` the result (or the error) is written to the store there and
    ``("ok"|"error", key, None|message)`` is returned; with ``root=None`` the Dataset (or
    ``(type, message, traceback)``) is returned for the client to write.
    """
    from .._threads import blas_threads

    key = PointStore.key_for(params)
    try:
        with blas_threads(1):
            ds = to_dataset(fn(**params))
    except Exception as exc:
        if root is not None:
            PointStore(root).put_error(key, params, exc)
            return "error", key, f"{type(exc).__name__}: {exc}"
        return "error", key, (type(exc).__name__, str(exc), "".join(_tb.format_exception(type(exc), exc, exc.__traceback__)))
    if root is not None:
        import dask

        # xarray's NetCDF writer takes a cluster-wide lock when it sees a distributed scheduler;
        # each point is its own file, so a local lock is right (and avoids a scheduler round trip).
        with dask.config.set(scheduler="synchronous"):
            PointStore(root).put(key, ds, params)
        return "ok", key, None
    return "ok", key, ds


def _record(store: PointStore, params: dict[str, Any], status: str, key: str, payload: Any, errors: dict[str, str]) -> bool:
    """Client-side bookkeeping of one finished task; returns True on success."""
    if status == "ok":
        if payload is not None:
            store.put(key, payload, params)
        return True
    if isinstance(payload, tuple):
        etype, msg, tb = payload
        store.put_error(key, params, msg, traceback=tb, error_type=etype)
        payload = f"{etype}: {msg}"
    errors[key] = str(payload)
    return False


def run_sweep(
    sweep: Sweep,
    out: str | os.PathLike[str],
    *,
    executor: Executor = Serial(),
    progress: Progress | None = None,
    retry_failed: bool = True,
    write: str = "worker",
) -> SweepRun:
    """Run (or resume) a sweep, writing one result per point into ``out``.

    The sweep is validated completely before anything is submitted. Finished points already in
    ``out`` are skipped; a changed grid computes only its new points.

    Parameters
    ----------
    sweep : Sweep
    out : path
        Results directory (created).
    executor : Serial, LocalDask or DaskScheduler, keyword-only
    progress : qdarwin._typing.Progress, optional
        Called as ``progress(done, total, failed)`` after every point (``done`` includes
        resumed points; the third argument is the number of failed points).
    retry_failed : bool
        Re-run points recorded as failed by an earlier run (default True).
    write : {"worker", "client"}
        Who writes each point (see the module docstring).

    Returns
    -------
    SweepRun

    Examples
    --------
    >>> import tempfile
    >>> s = Sweep("demo.random_walk", grid={"drift": [0.0, 1.0]}, fixed={"n_steps": 5}, seeds=2)
    >>> d = tempfile.mkdtemp()
    >>> run = run_sweep(s, d)
    >>> (run.total, run.computed, run.skipped), run_sweep(s, d).skipped
    ((4, 4, 0), 4)
    """
    if not isinstance(sweep, Sweep):
        raise ValueError(f"sweep must be a qdarwin.sweep.Sweep, got {type(sweep).__name__}")
    if write not in ("worker", "client"):
        raise ValueError(f"write must be 'worker' or 'client', got {write!r}")
    if not isinstance(executor, (Serial, LocalDask, DaskScheduler)):
        raise ValueError(f"executor must be Serial(), LocalDask(...) or DaskScheduler(address), got {executor!r}")
    sweep, fn = validate_sweep(sweep)
    if isinstance(executor, DaskScheduler):
        _probe_scheduler(executor)
    t0 = time.perf_counter()
    store = PointStore(out, spec=sweep.to_spec())
    write_json(store.root / SWEEP_FILE, sweep.to_spec())
    points = sweep.points()
    done = store.keys()
    failed_before = set(store.errors()) if not retry_failed else set()
    todo = [(PointStore.key_for(p), p) for p in points]
    pending = [(k, p) for k, p in todo if k not in done and k not in failed_before]
    total = len(points)
    skipped = sum(k in done for k, _ in todo)
    state = {"done": skipped, "failed": 0}
    errors: dict[str, str] = {}

    def tick(ok: bool) -> None:
        state["done" if ok else "failed"] += 1
        if progress is not None:
            progress(state["done"], total, state["failed"])

    if progress is not None:
        progress(state["done"], total, 0)
    if pending:
        if isinstance(executor, Serial):
            root = str(store.root) if write == "worker" else None
            for key, params in pending:
                status, key, payload = run_point(fn, params, root)
                tick(_record(store, params, status, key, payload, errors))
        else:
            _run_dask(executor, fn, pending, store, write, errors, tick)
    return SweepRun(out=store.root, total=total, skipped=skipped, computed=state["done"] - skipped, failed=state["failed"], errors=errors, seconds=time.perf_counter() - t0)


def _start_client(executor: LocalDask | DaskScheduler) -> tuple[Any, Any]:
    import dask
    from distributed import Client, LocalCluster

    if isinstance(executor, LocalDask):
        n = executor.n_workers or os.cpu_count() or 1
        environ = {**dask.config.get("distributed.nanny.pre-spawn-environ", {}), **_BLAS_ENV}
        # Worker processes inherit an ignored SIGINT (it survives exec), so Ctrl-C in a terminal,
        # which signals the whole process group, interrupts only the client: it cancels the
        # tasks and closes the cluster cleanly instead of every worker printing a traceback.
        main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main_thread else None
        try:
            with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
                cluster = LocalCluster(
                    n_workers=n,
                    threads_per_worker=executor.threads_per_worker,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=logging.ERROR,
                    env=_BLAS_ENV,
                )
        finally:
            if main_thread:
                signal.signal(signal.SIGINT, previous)
        return cluster, Client(cluster)
    try:
        client = Client(executor.address, timeout=f"{executor.timeout}s")
    except (OSError, TimeoutError) as exc:
        raise ValueError(f"cannot connect to Dask scheduler {executor.address} ({exc})") from None
    try:
        client.wait_for_workers(1, timeout=executor.timeout)
    except (TimeoutError, OSError):
        client.close()
        raise ValueError(f"Dask scheduler {executor.address} has no workers (waited {executor.timeout:g} s)") from None
    return None, client


@contextlib.contextmanager
def _deferred_sigint() -> Iterator[dict[str, bool]]:
    """Turn the first Ctrl-C into a flag checked between tasks; a second one interrupts at once.

    A KeyboardInterrupt raised inside distributed's event-loop synchronisation leaves tornado
    callbacks that log tracebacks; checking a flag lets the client stop between tasks, cancel
    the rest and close the cluster cleanly. Inactive outside the main thread or when SIGINT is
    ignored.
    """
    flag = {"stop": False}
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield flag
        return

    def handler(signum: int, frame: Any) -> None:
        if flag["stop"]:
            raise KeyboardInterrupt
        flag["stop"] = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def _run_dask(
    executor: LocalDask | DaskScheduler,
    fn: Callable[..., Any],
    pending: list[tuple[str, dict[str, Any]]],
    store: PointStore,
    write: str,
    errors: dict[str, str],
    tick: Callable[[bool], None],
) -> None:
    from distributed import as_completed

    with _deferred_sigint() as interrupted:
        cluster, client = _start_client(executor)
        root = str(store.root.resolve()) if write == "worker" else None
        run_id = uuid.uuid4().hex[:8]
        by_key = dict(pending)
        queue: Iterator[tuple[str, dict[str, Any]]] = iter(pending)
        futures: set[Any] = set()
        try:
            nthreads = max(1, sum(client.nthreads().values()))
            window = max(64, 8 * nthreads)

            def submit_next() -> Any | None:
                for key, params in queue:
                    fut = client.submit(run_point, fn, params, root, key=f"qdarwin-point-{key}-{run_id}", pure=False, retries=0)
                    futures.add(fut)
                    return fut
                return None

            ac = as_completed([f for f in (submit_next() for _ in range(window)) if f is not None])
            while not ac.is_empty():
                if interrupted["stop"]:
                    raise KeyboardInterrupt
                batch = ac.next_batch(block=False)
                if not batch:
                    time.sleep(0.02)
                    continue
                for fut in batch:
                    key = fut.key.split("-")[2]
                    params = by_key[key]
                    try:
                        status, key, payload = fut.result()
                    except Exception as exc:  # the task could not run (worker died, unpicklable result, ...)
                        store.put_error(key, params, exc)
                        status, payload = "error", f"{type(exc).__name__}: {exc}"
                    futures.discard(fut)
                    fut.release()
                    tick(_record(store, params, status, key, payload, errors))
                    nxt = submit_next()
                    if nxt is not None:
                        ac.add(nxt)
        finally:
            if futures:
                client.cancel(list(futures))
            client.close()
            if cluster is not None:
                cluster.close()


def load_sweep_spec(out: str | os.PathLike[str]) -> Sweep:
    """The sweep last run into results directory ``out`` (from ``sweep.json``, else the manifest)."""
    root = Path(out)
    if not root.is_dir():
        raise FileNotFoundError(f"no such result directory: {root}")
    path = root / SWEEP_FILE
    import json

    if path.exists():
        spec = json.loads(path.read_text())
    else:
        spec = PointStore(root, create=False).spec
        if spec is None:
            raise ValueError(f"{root} is not a sweep result directory (no {SWEEP_FILE} or manifest.json)")
    return Sweep.from_spec(spec)


__all__ = ["Serial", "LocalDask", "DaskScheduler", "Executor", "SweepRun", "run_sweep", "run_point", "load_sweep_spec", "SWEEP_FILE"]
