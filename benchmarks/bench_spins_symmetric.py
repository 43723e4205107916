"""Benchmark of the permutation-symmetric method.

Run: ``python benchmarks/bench_spins_symmetric.py [--quick]``.

1. ``symmetric_environment_info`` for m = 100, 200, 300 identical mixed spins (chi only, and
   chi + I for m = 100, 200) with the BLAS limited to one thread (qdarwin's default in its
   kernels) and with the BLAS left at its default thread count (ratio).
2. The same chi against a dense brute force at m = 10, 12: rho_F = p A_up^{(x)m} + q A_down^{(x)m}
   diagonalised with ``numpy.linalg.eigvalsh`` (2^m x 2^m), agreement and time ratio.

Reference setting of docs/spins-symmetric.md (a = 0.6, theta = pi/2, phi = 0, g = 1, omega = 0, t = pi/8, p = 1/2).
Prints machine, library versions and thread settings with the table. Not a test.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

import numpy as np
from _common import best_of, machine_info

ARGS = dict(a=0.6, theta=math.pi / 2, phi=0.0, g=1.0, omega=0.0, t=math.pi / 8, p=0.5)


def dense_chi(m: int) -> float:
    """Holevo chi (bits) by brute force on the 2^m-dimensional fragment."""
    from qdarwin.info import entropy_from_eigenvalues
    from qdarwin.spins.model import bloch_state, conditional_unitary

    rho = bloch_state(ARGS["a"], ARGS["theta"], ARGS["phi"])
    cond = []
    for s in (1, -1):
        u = conditional_unitary(s, ARGS["g"], ARGS["omega"], ARGS["t"])
        cond.append(u @ rho @ u.conj().T)
    big = [np.ones((1, 1), dtype=complex), np.ones((1, 1), dtype=complex)]
    for _ in range(m):
        big = [np.kron(b, c) for b, c in zip(big, cond)]
    p = ARGS["p"]
    h_f = entropy_from_eigenvalues(np.linalg.eigvalsh(p * big[0] + (1 - p) * big[1]), cutoff=0.0)
    h_cond = m * entropy_from_eigenvalues(np.linalg.eigvalsh(cond[0]), cutoff=0.0)  # product states
    return float(h_f - h_cond)


def bench_sizes(sizes: list[int], mi_sizes: list[int], repeat: int) -> list[tuple[str, str, str]]:
    from qdarwin._threads import set_blas_threads
    from qdarwin.spins.symmetric import symmetric_environment_info

    rows = []
    for m in sizes:
        for want_mi in [False, True] if m in mi_sizes else [False]:

            def run() -> Any:
                return symmetric_environment_info(m, m, **ARGS, want_mi=want_mi)

            set_blas_threads(1)
            t1 = best_of(run, repeat)
            set_blas_threads(None)
            tn = best_of(run, repeat)
            set_blas_threads(1)
            info = run()
            what = "chi + I" if want_mi else "chi"
            rows.append(
                (
                    f"symmetric m = {m} ({what}), 1 BLAS thread",
                    f"{t1:.3f} s",
                    f"deficit {info.deficit:.3e} bits",
                )
            )
            rows.append(
                (
                    f"symmetric m = {m} ({what}), default BLAS threads",
                    f"{tn:.3f} s",
                    f"ratio default/1-thread {tn / t1:.2f}",
                )
            )
    return rows


def bench_dense(sizes: list[int], repeat: int) -> list[tuple[str, str, str]]:
    from qdarwin._threads import blas_threads
    from qdarwin.spins.symmetric import symmetric_environment_info

    rows = []
    for m in sizes:
        with (
            blas_threads()
        ):  # both routes with one BLAS thread (the faster setting on this machine)
            t_sym = best_of(
                lambda: symmetric_environment_info(m, m, **ARGS, want_mi=False), repeat * 5
            )
            t_dense = best_of(lambda: dense_chi(m), repeat)
            err = abs(symmetric_environment_info(m, m, **ARGS, want_mi=False).chi - dense_chi(m))
        rows.append(
            (
                f"dense brute force m = {m} (2^{m} x 2^{m} eigvalsh, 1 BLAS thread)",
                f"{t_dense:.3f} s",
                f"|chi diff| {err:.1e}",
            )
        )
        rows.append(
            (f"symmetric m = {m}", f"{t_sym * 1e3:.2f} ms", f"speed-up {t_dense / t_sym:.0f}x")
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="m = 100, 200 and dense m = 10 only")
    args = parser.parse_args()
    sizes = [100, 200] if args.quick else [100, 200, 300]
    dense = [10] if args.quick else [10, 12]
    rows = bench_sizes(sizes, [100, 200], repeat=1 if args.quick else 2) + bench_dense(
        dense, repeat=1
    )
    for line in machine_info():
        print(line)
    width = max(len(r[0]) for r in rows)
    print(f"{'case'.ljust(width)}  {'time':>10}  note")
    for name, t, note in rows:
        print(f"{name.ljust(width)}  {t:>10}  {note}")


if __name__ == "__main__":
    main()
