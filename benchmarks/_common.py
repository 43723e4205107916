"""Shared benchmark helpers: best-of timing and a machine / library / thread report."""

from __future__ import annotations

import importlib
import math
import os
import platform
import time
from typing import Any, Callable, Sequence


def best_of(fn: Callable[[], Any], repeat: int) -> float:
    """Best wall time (s) of ``repeat`` calls of ``fn``."""
    return timed(fn, repeat)[0]


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time (s) of ``repeat`` calls and the last result."""
    best, res = math.inf, None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        res = fn()
        best = min(best, time.perf_counter() - t0)
    return best, res


def machine_info(peers: Sequence[str] = ()) -> list[str]:
    """Machine, load, Python / numpy / scipy / qdarwin / peer versions and BLAS thread settings."""
    import numpy
    import scipy
    from threadpoolctl import threadpool_info

    import qdarwin
    from qdarwin._threads import default_blas_threads

    versions = [f"numpy {numpy.__version__}", f"scipy {scipy.__version__}", f"qdarwin {qdarwin.__version__}"]
    for name in peers:
        mod = importlib.import_module(name)
        versions.append(f"{name} {getattr(mod, '__version__', '?')}")
    blas = ", ".join(f"{d.get('internal_api')} {d.get('version')} ({d.get('num_threads')} threads)" for d in threadpool_info())
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),)
    return [
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, load {load[0]:.1f}",
        f"python {platform.python_version()}, " + ", ".join(versions),
        f"BLAS: {blas}; qdarwin BLAS limit in kernels: {default_blas_threads()}",
    ]
