"""Benchmark: the memory-lean I(S:F) route vs the dense route, and 1 vs 2 Dask workers.

Workload: the late-time window t = 20, 25, 30, 35, 40 (1/J) of the `redundant` preset on the
default chaotic Ising ring, I(S:F_m) for every m < N/2, evolution included
(:func:`qdarwin.thermal.run.run_mi`). Routes: ``dense`` (2^N branch vectors lifted from the
sector and reshaped per fraction) and ``lean`` (sector coefficients, column blocks lifted on
the fly, reflection split). Each configuration runs in a fresh process; the table gives wall
and CPU seconds of that process and its peak RSS (``ru_maxrss``; Dask worker processes are
listed separately as the largest worker RSS). The curves of all configurations are compared
(max |difference| in bits).

Run: ``python benchmarks/bench_thermal_lean.py [N ...]`` (default 20 22 24), optionally
``--workers`` to add the 1- and 2-worker LocalCluster rows. One BLAS thread per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from _common import machine_info

TIMES = "20,25,30,35,40"

_CHILD = r"""
import json, resource, sys, time
import numpy as np
from qdarwin.thermal.models import ChaoticIsing, preset
from qdarwin.thermal.run import Evolution, run_mi
n, route, workers = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
times = [float(t) for t in sys.argv[4].split(",")]
if __name__ == "__main__":
    w0, c0 = time.perf_counter(), time.process_time()
    worker_rss = 0
    if workers:
        from qdarwin.thermal.cluster import dask_client
        with dask_client(workers) as client:
            ds = run_mi(ChaoticIsing(n), preset("redundant"), times, method=Evolution(route=route), client=client)
            rss = client.run(lambda: __import__("resource").getrusage(__import__("resource").RUSAGE_SELF).ru_maxrss)
            worker_rss = max(rss.values()) * 1024
    else:
        ds = run_mi(ChaoticIsing(n), preset("redundant"), times, method=Evolution(route=route))
    out = {"wall": time.perf_counter() - w0, "cpu": time.process_time() - c0,
           "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "worker_rss": worker_rss,
           "I": ds["I"].values.tolist()}
    print(json.dumps(out))
"""


def run(n: int, route: str, workers: int) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "QDARWIN_BLAS_THREADS": "1"}
    res = subprocess.run([sys.executable, "-c", _CHILD, str(n), route, str(workers), TIMES], capture_output=True,
                         text=True, env=env, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    import numpy as np

    with_workers = "--workers" in argv
    sizes = [int(a) for a in argv if a.isdigit()] or [20, 22, 24]
    print("\n".join(machine_info()))
    print(f"late window t = {TIMES}, redundant preset, all m < N/2")
    head = f"{'N':>3} {'config':<16} {'wall s':>8} {'cpu s':>8} {'peak RSS GiB':>13} {'worker RSS GiB':>15} {'max|dI| bit':>12}"
    print(head)
    for n in sizes:
        configs = [("dense", 0), ("lean", 0)] + ([("lean", 1), ("lean", 2)] if with_workers else [])
        ref = None
        rows = {}
        for route, workers in configs:
            r = run(n, route, workers)
            cur = np.array(r["I"])
            ref = cur if ref is None else ref
            rows[(route, workers)] = r
            name = route if not workers else f"lean, {workers} worker{'s' if workers > 1 else ''}"
            print(f"{n:>3} {name:<16} {r['wall']:8.1f} {r['cpu']:8.1f} {r['rss'] / 2**30:13.2f} "
                  f"{r['worker_rss'] / 2**30:15.2f} {float(np.max(np.abs(cur - ref))):12.1e}", flush=True)
        d, lean = rows[("dense", 0)], rows[("lean", 0)]
        line = f"N = {n}: dense/lean wall {d['wall'] / lean['wall']:.2f}x, peak RSS {d['rss'] / lean['rss']:.2f}x"
        if with_workers:
            line += f"; 1/2 workers wall {rows[('lean', 1)]['wall'] / rows[('lean', 2)]['wall']:.2f}x"
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
