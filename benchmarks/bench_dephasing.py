"""Benchmarks for qdarwin.dephasing (run: ``python benchmarks/bench_dephasing.py [--quick]``).

1. Closed-form evolution ``qdarwin.dephasing.evolve`` vs QuTiP ``mesolve`` on 3 qubits (N = 8,
   K = 3 random diagonal Lindblad operators, 100 output times); accuracy and time ratio.
2. Vectorised ``check_constraints_batch`` on many 4-level rate sets vs a Python loop of
   ``check_constraints`` (throughput ratio).

Prints machine, library versions and thread settings with the table. Not a test.
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np
from _common import best_of, machine_info


def bench_evolution(repeat: int) -> list[tuple[str, str, str]]:
    import qutip

    from qdarwin.dephasing import evolve, frequencies, rates_from_operators

    rng = np.random.default_rng(1)
    n, k = 8, 3
    w = rng.standard_normal((n, k)) + 1j * rng.standard_normal((n, k))
    lam = rng.standard_normal(n)
    psi = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    rho0 = np.outer(psi, psi.conj())
    rho0 /= np.trace(rho0).real
    times = np.linspace(0.0, 3.0, 100)

    def ours() -> Any:
        g, _ = rates_from_operators(w)
        return evolve(rho0, times, g, frequencies(lam, w))

    h = qutip.Qobj(np.diag(lam))
    c_ops = [qutip.Qobj(np.diag(w[:, j])) for j in range(k)]
    r0 = qutip.Qobj(rho0)
    opts = {"atol": 1e-10, "rtol": 1e-8}

    def theirs() -> Any:
        return qutip.mesolve(h, r0, times, c_ops=c_ops, options=opts)

    t_ours = best_of(ours, repeat * 5)
    t_theirs = best_of(theirs, repeat)
    ref = theirs()
    err = max(float(np.abs(a - b.full()).max()) for a, b in zip(ours(), ref.states))
    return [
        ("evolve (closed form), 3 qubits, 100 times", f"{t_ours * 1e3:.3f} ms", ""),
        ("qutip.mesolve (atol 1e-10, rtol 1e-8)", f"{t_theirs * 1e3:.3f} ms", ""),
        ("ratio closed form / mesolve (time)", f"{t_ours / t_theirs:.2e}", f"speed-up {t_theirs / t_ours:.0f}x"),
        ("max |rho_ours - rho_mesolve|", f"{err:.1e}", ""),
    ]


def bench_batch(n_sets: int, n_loop: int, repeat: int) -> list[tuple[str, str, str]]:
    from qdarwin.dephasing import check_constraints, check_constraints_batch

    rng = np.random.default_rng(2)
    g = rng.uniform(0.0, 2.0, (n_sets, 4, 4))
    g = np.triu(g, 1) + np.swapaxes(np.triu(g, 1), -1, -2)
    om = rng.standard_normal((n_sets, 4, 4))
    om = om - np.swapaxes(om, -1, -2)
    t_batch = best_of(lambda: check_constraints_batch(g, om), repeat)

    def loop() -> list[Any]:
        return [check_constraints(g[i], om[i]) for i in range(n_loop)]

    t_loop = best_of(loop, 1)
    rep = check_constraints_batch(g[:n_loop], om[:n_loop])
    ok = all(abs(r.margin - m) < 1e-12 for r, m in zip(loop(), rep.margin))
    thr_b = n_sets / t_batch
    thr_l = n_loop / t_loop
    return [
        (f"check_constraints_batch, {n_sets:.0e} 4-level sets", f"{t_batch:.3f} s", f"{thr_b:,.0f} sets/s"),
        (f"loop of check_constraints, {n_loop} sets", f"{t_loop:.3f} s", f"{thr_l:,.0f} sets/s"),
        ("throughput ratio batch / loop", f"{thr_b / thr_l:.0f}x", "margins agree" if ok else "MISMATCH"),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer sets and repeats")
    args = ap.parse_args()
    from qdarwin._threads import blas_threads

    n_sets, n_loop, repeat = (10_000, 500, 2) if args.quick else (100_000, 3000, 3)
    rows: list[tuple[str, str, str]] = []
    with blas_threads():
        rows += bench_evolution(repeat)
        rows += bench_batch(n_sets, n_loop, repeat)
    for line in machine_info(["qutip"]):
        print(line)
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'time/value':>12}  note")
    for name, val, note in rows:
        print(f"{name:<{width}}  {val:>12}  {note}")


if __name__ == "__main__":
    main()
