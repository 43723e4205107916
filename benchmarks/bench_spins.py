"""Benchmark: exact partial-information curve I(S:F_m) of a spin environment vs brute force.

Run: ``python benchmarks/bench_spins.py [--quick]``

One random instance per size (pure environment spins with random theta, phi, g, omega; a pure
system with p = 0.3), nested fragments F_m = first m spins, m = 0..N, at one time t.

* qdarwin: ``decoherence_factors`` + ``information_curve`` (closed form, O(N)).
* QuTiP brute force (N = 8, 10, 12): build the (N+1)-qubit state vector from the conditional
  unitaries (``Qobj.expm``, ``tensor``), then I = S(S) + S(F_m) - S(SF_m) with ``ptrace`` and
  ``entropy_vn(base=2)``; S(SF_m) is taken from the smaller side (the global state is pure).
* quimb (N = 14, 16, 18): the same state vector, ``quimb.mutinf_subsys`` (exact, no Lanczos).
* the qdarwin curve alone for N = 10^6 spins.

Prints a table of timings, ratios (peer / qdarwin) and the max |difference| of I (bits), plus
machine, BLAS-thread and library-version information.
"""

from __future__ import annotations

import argparse
import math
import sys
from functools import reduce


import numpy as np
from _common import machine_info, timed


def instance(n: int, rng: np.random.Generator) -> dict[str, np.ndarray | float]:
    """A random pure-spin environment (docs/spins-api.md) and time."""
    return {
        "theta": rng.uniform(0, math.pi, n),
        "phi": rng.uniform(0, 2 * math.pi, n),
        "g": rng.uniform(0.1, 1.0, n) / math.sqrt(max(n, 1) / 8),
        "omega": rng.uniform(0.0, 0.6, n),
        "p": 0.3,
        "t": 0.9,
    }


def qdarwin_gammas(par: dict) -> np.ndarray:
    from qdarwin.spins.model import SpinEnvironment, decoherence_factors

    env = SpinEnvironment(a=1.0, theta=par["theta"], phi=par["phi"], g=par["g"], omega=par["omega"], p=par["p"])
    return np.abs(decoherence_factors(env, par["t"]))


def qdarwin_curve(par: dict) -> np.ndarray:
    from qdarwin.spins.exact import information_curve

    return np.asarray(information_curve(par["p"], None, qdarwin_gammas(par)).I)


def _kets_numpy(par: dict) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Conditional single-spin kets U_{k,s}|n_k> (scipy expm), s = up, down."""
    from scipy.linalg import expm

    sx = np.array([[0, 1], [1, 0]], dtype=complex)
    sz = np.diag([1.0, -1.0]).astype(complex)
    up, dn = [], []
    for th, ph, g, w in zip(par["theta"], par["phi"], par["g"], par["omega"]):
        ket = np.array([math.cos(th / 2), np.exp(1j * ph) * math.sin(th / 2)])
        up.append(expm(-1j * par["t"] * (g * sz + w * sx)) @ ket)
        dn.append(expm(-1j * par["t"] * (-g * sz + w * sx)) @ ket)
    return up, dn


def numpy_state(par: dict) -> np.ndarray:
    """|psi> = sqrt(p)|up>|E_up> + sqrt(q)|down>|E_down>, system = most significant qubit."""
    up, dn = _kets_numpy(par)
    e_up = reduce(np.kron, up)
    e_dn = reduce(np.kron, dn)
    p = par["p"]
    return np.concatenate([math.sqrt(p) * e_up, math.sqrt(1 - p) * e_dn])


def qutip_curve(par: dict) -> np.ndarray:
    import qutip

    n = len(par["g"])
    sx, sz = qutip.sigmax(), qutip.sigmaz()
    up, dn = [], []
    for th, ph, g, w in zip(par["theta"], par["phi"], par["g"], par["omega"]):
        ket = math.cos(th / 2) * qutip.basis(2, 0) + np.exp(1j * ph) * math.sin(th / 2) * qutip.basis(2, 1)
        up.append((-1j * par["t"] * (g * sz + w * sx)).expm() * ket)
        dn.append((-1j * par["t"] * (-g * sz + w * sx)).expm() * ket)
    p = par["p"]
    psi = math.sqrt(p) * qutip.tensor([qutip.basis(2, 0), *up]) + math.sqrt(1 - p) * qutip.tensor(
        [qutip.basis(2, 1), *dn]
    )
    ent = qutip.entropy_vn
    s_s = ent(psi.ptrace([0]), base=2)
    out = [0.0]
    for m in range(1, n + 1):
        f = list(range(1, m + 1))
        rest = list(range(m + 1, n + 1))
        s_f = ent(psi.ptrace(f), base=2) if m <= n + 1 - m else ent(psi.ptrace([0, *rest]), base=2)
        s_sf = ent(psi.ptrace([0, *f]), base=2) if m + 1 <= n - m else (ent(psi.ptrace(rest), base=2) if rest else 0.0)
        out.append(s_s + s_f - s_sf)
    return np.array(out)


def quimb_curve(par: dict) -> np.ndarray:
    import quimb

    n = len(par["g"])
    psi = numpy_state(par).reshape(-1, 1)
    dims = [2] * (n + 1)
    out = [0.0]
    for m in range(1, n + 1):
        out.append(float(quimb.mutinf_subsys(psi, dims, [0], list(range(1, m + 1)), approx_thresh=None)))
    return np.array(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes (8, 10 / 14) for a fast check")
    args = ap.parse_args(argv)
    from qdarwin._threads import blas_threads

    rng = np.random.default_rng(2016)
    q_sizes = (8, 10) if args.quick else (8, 10, 12)
    m_sizes = (14,) if args.quick else (14, 16, 18)
    rows = []
    with blas_threads():
        for peer, sizes, fn in (("QuTiP ptrace+entropy_vn", q_sizes, qutip_curve), ("quimb mutinf_subsys", m_sizes, quimb_curve)):
            for n in sizes:
                par = instance(n, rng)
                t_q, ours = timed(lambda: qdarwin_curve(par), repeat=20)
                fn(instance(n, np.random.default_rng(0)))  # warm-up (imports, caches)
                t_p, theirs = timed(lambda: fn(par), repeat=2 if n <= 14 else 1)
                rows.append((n, peer, t_q, t_p, t_p / t_q, float(np.max(np.abs(ours - theirs)))))
        big = instance(10**6, rng)
        t_big, curve = timed(lambda: qdarwin_curve(big), repeat=3)
        from qdarwin.spins.exact import information_curve

        g_big = qdarwin_gammas(big)
        t_curve, _ = timed(lambda: np.asarray(information_curve(big["p"], None, g_big).I), repeat=3)
        info = machine_info(["qutip", "quimb"])
    print("Exact partial-information curve I(S:F_m), m = 0..N (nested fragments), one random instance per N")
    for line in info:
        print("  " + line)
    print()
    print(f"{'N':>8} | {'peer':<24} | {'qdarwin (s)':>11} | {'peer (s)':>10} | {'ratio peer/qdarwin':>18} | {'max |dI| (bits)':>15}")
    print("-" * 102)
    for n, peer, t_q, t_p, ratio, diff in rows:
        print(f"{n:>8} | {peer:<24} | {t_q:>11.3e} | {t_p:>10.3e} | {ratio:>18.3g} | {diff:>15.2e}")
    print(f"{10**6:>8} | {'(qdarwin only, total)':<24} | {t_big:>11.3e} | {'-':>10} | {'-':>18} | {'-':>15}")
    print(f"{10**6:>8} | {'(information_curve only)':<24} | {t_curve:>11.3e} | {'-':>10} | {'-':>18} | {'-':>15}")
    print(f"\nN = 10^6: I(S:E) = {curve[-1]:.6f} bits, I(S:F_N/2) = {curve[len(curve) // 2]:.6f} bits")
    ok = all(r[5] < 1e-8 for r in rows)
    print("routes agree (max |dI| < 1e-8 bits):", ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
