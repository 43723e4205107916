"""Sweep benchmark: 64-point sweep with 1 vs 2 Dask workers, and per-task overhead vs serial.

Run: ``python benchmarks/bench_sweep.py [--quick]``. Prints a table of wall times and ratios
(all measured in this run) plus machine, load and thread information. Workloads:

* ``physics``: 64 points of ``thermal.near_degeneracy`` (chaotic Ising ring, N = 14, three
  times, I(S:F_m) for all m), sin(phi) on a 64-value grid: CPU-bound, ~0.1-0.2 s per point.
* ``trivial``: 64 points of ``info.binary_entropy`` (microseconds of compute): the time per
  point is the executor's overhead (task round trip, NetCDF write with fsync, bookkeeping).

"cold" runs are what a user sees with ``LocalDask``: cluster start-up, the first import of
qdarwin/xarray/h5py in every worker (about 2 s on a loaded 2-core machine), the run and the
close. "warm" runs go to an already running, warmed-up LocalCluster by address, which isolates
the per-task cost (the scaling ratio and the per-point overhead are taken from these).
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time

REPEAT = 3  # warm and serial timings: best of REPEAT (the machine may be shared)


def _timed_run(sweep, executor) -> float:
    from qdarwin.sweep import run_sweep

    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        run = run_sweep(sweep, out, executor=executor)
        dt = time.perf_counter() - t0
    assert run.computed == run.total, run
    return dt


def _compute_only(sweep) -> float:
    from qdarwin.sweep import validate_sweep

    from qdarwin._threads import blas_threads

    sweep, fn = validate_sweep(sweep)
    t0 = time.perf_counter()
    with blas_threads(1):  # same BLAS setting as inside sweep tasks
        for p in sweep.points():
            fn(**p)
    return time.perf_counter() - t0


def _warm_cluster(n: int):
    """A LocalCluster with n workers, already warmed up (imports done); returns (cluster, client, executor)."""
    from qdarwin.sweep import DaskScheduler, Sweep
    from qdarwin.sweep.execute import LocalDask, _start_client

    cluster, client = _start_client(LocalDask(n_workers=n))
    executor = DaskScheduler(cluster.scheduler_address)
    _timed_run(Sweep("info.binary_entropy", grid={"p": [0.1 * k for k in range(4 * n)]}), executor)
    return cluster, client, executor


def main(argv: list[str]) -> None:
    import dask
    import distributed
    import numpy as np
    import xarray
    from threadpoolctl import threadpool_info

    from qdarwin.sweep import LocalDask, Serial, Sweep

    n_points = 16 if "--quick" in argv else 64
    physics = Sweep("thermal.near_degeneracy", grid={"sin_phi": [float(x) for x in np.linspace(0.0, 1.0, n_points)]}, fixed={"n_sites": 14})
    trivial = Sweep("info.binary_entropy", grid={"p": [float(x) for x in np.linspace(0.0, 1.0, n_points)]})

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, python {platform.python_version()}")
    print(f"load average before: {tuple(round(x, 2) for x in os.getloadavg())}")
    print(f"dask {dask.__version__}, distributed {distributed.__version__}, xarray {xarray.__version__}, numpy {np.__version__}")
    print("BLAS in this process:", [(p.get("internal_api"), p.get("num_threads")) for p in threadpool_info() if p.get("user_api") == "blas"])
    print("workers: 1 thread each, OMP/OPENBLAS/MKL_NUM_THREADS=1, threadpoolctl limit 1 inside each task")

    rows: list[tuple[str, float]] = []
    t_compute = min(_compute_only(physics) for _ in range(REPEAT))
    rows.append((f"physics: compute only, in-process loop ({n_points} points), best of {REPEAT}", t_compute))
    t_serial = min(_timed_run(physics, Serial()) for _ in range(REPEAT))
    rows.append((f"physics: serial executor (store + bookkeeping), best of {REPEAT}", t_serial))
    cold1 = _timed_run(physics, LocalDask(n_workers=1))
    rows.append(("physics: cold LocalDask 1 worker (start-up, imports, run, close)", cold1))
    cold2 = _timed_run(physics, LocalDask(n_workers=2))
    rows.append(("physics: cold LocalDask 2 workers (start-up, imports, run, close)", cold2))
    triv_serial = min(_timed_run(trivial, Serial()) for _ in range(REPEAT))
    rows.append((f"trivial: serial executor ({n_points} points), best of {REPEAT}", triv_serial))
    warm: dict[int, tuple[float, float]] = {}
    for n in (1, 2):
        cluster, client, executor = _warm_cluster(n)
        try:
            warm[n] = (min(_timed_run(physics, executor) for _ in range(REPEAT)), min(_timed_run(trivial, executor) for _ in range(REPEAT)))
        finally:
            client.close()
            cluster.close()
        rows.append((f"physics: warm cluster, {n} worker(s), best of {REPEAT}", warm[n][0]))
        rows.append((f"trivial: warm cluster, {n} worker(s), best of {REPEAT}", warm[n][1]))

    width = max(len(r[0]) for r in rows) + 2
    print()
    print(f"{'measurement':<{width}}  wall [s]")
    for name, t in rows:
        print(f"{name:<{width}}  {t:8.2f}")
    print()
    derived = [
        ("scaling ratio t(1 worker) / t(2 workers), warm", warm[1][0] / warm[2][0]),
        ("scaling ratio t(1 worker) / t(2 workers), cold", cold1 / cold2),
        ("speed-up serial / warm 2 workers (physics)", t_serial / warm[2][0]),
        ("serial executor / compute-only loop (physics)", t_serial / t_compute),
        ("per-point overhead, serial executor [ms]", 1e3 * triv_serial / n_points),
        ("per-point overhead, Dask warm 1 worker [ms]", 1e3 * warm[1][1] / n_points),
        ("per-point overhead, Dask warm 2 workers [ms]", 1e3 * warm[2][1] / n_points),
        ("per-point overhead ratio Dask(1 worker) / serial", warm[1][1] / triv_serial),
    ]
    for name, v in derived:
        print(f"{name:<{width}}  {v:8.2f}")
    print(f"load average after: {tuple(round(x, 2) for x in os.getloadavg())}")


if __name__ == "__main__":
    main(sys.argv[1:])
