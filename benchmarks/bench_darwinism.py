"""Benchmark of qdarwin.darwinism.partial_information against what a user would write instead.

Run: ``python benchmarks/bench_darwinism.py [--n-env 14] [--quick]``. Sections:

1. pure 1+N qubit state, exact average over all 2^N fragments of I, chi and discord, against
   a loop over every fragment with ``quimb.mutinf_subsys`` (I only) and with quimb entropies of
   the pointer-conditioned kets added (I, chi, discord); quimb is timed on up to
   ``--quimb-per-m`` random fragments per size m and extrapolated with C(N, m) (the values of
   those fragments are checked against qdarwin's);
2. mixed 1+N state, all fragments, against QuTiP ``ptrace`` + ``entropy_vn`` (full loop);
3. the largest N whose exact all-fragment curve of a pure qubit state finishes in 60 s;
4. Monte Carlo over fragments at 1+20 qubits: time and standard errors.
"""

from __future__ import annotations

import argparse
import itertools
import math
import time

import numpy as np
from _common import machine_info

from qdarwin.darwinism import partial_information


def random_ket(n_qubits: int, rng: np.random.Generator) -> np.ndarray:
    v = rng.normal(size=2**n_qubits) + 1j * rng.normal(size=2**n_qubits)
    return v / np.linalg.norm(v)


def quimb_fragment(psi_q, psi_cond, dims, frag, with_chi: bool, p) -> tuple[float, float]:
    """What a user writes with quimb: I via mutinf_subsys, chi from the conditional kets."""
    import quimb as qu

    i_val = qu.mutinf_subsys(psi_q, dims, [0], list(frag), approx_thresh=None)
    if not with_chi:
        return i_val, math.nan
    env_dims = dims[1:]
    s_f = qu.entropy_subsys(psi_q, dims, list(frag), approx_thresh=None)
    cond = sum(pk * qu.entropy_subsys(phi, env_dims, [k - 1 for k in frag], approx_thresh=None)
               for pk, phi in zip(p, psi_cond))
    return i_val, s_f - cond


def bench_pure(n_env: int, per_m: int, rng: np.random.Generator) -> None:
    import quimb as qu

    dims = [2] * (n_env + 1)
    psi = random_ket(n_env + 1, rng)
    print(f"\n[1] pure 1+{n_env} qubits, exact average over all {2**n_env} fragments (I, chi, discord)")
    t0 = time.perf_counter()
    res = partial_information(psi, dims, pointer="computational")
    t_ours = time.perf_counter() - t0
    print(f"  qdarwin partial_information        : {t_ours:8.2f} s (workers=1)", flush=True)
    t0 = time.perf_counter()
    partial_information(psi, dims, pointer="computational", workers=2)
    t_ours2 = time.perf_counter() - t0
    print(f"  qdarwin partial_information        : {t_ours2:8.2f} s (workers=2)", flush=True)
    psi_q = qu.qu(psi, qtype="ket")
    half = psi.reshape(2, -1)
    p = np.sum(np.abs(half) ** 2, axis=1)
    psi_cond = [qu.qu(half[i] / math.sqrt(p[i]), qtype="ket") for i in range(2)]
    est = {False: 0.0, True: 0.0}
    worst = 0.0
    for m in range(1, n_env + 1):
        combs = list(itertools.combinations(range(1, n_env + 1), m))
        pick = [combs[k] for k in rng.choice(len(combs), size=min(per_m, len(combs)), replace=False)]
        for with_chi in (False, True):
            t0 = time.perf_counter()
            vals = [quimb_fragment(psi_q, psi_cond, dims, f, with_chi, p) for f in pick]
            est[with_chi] += (time.perf_counter() - t0) / len(pick) * len(combs)
        # check single fragments against qdarwin on the reduced state rho_SF (small m only:
        # rho_SF has dimension 2^(m+1))
        for f, (i_q, chi_q) in zip(pick[:2] if m <= 6 else [], vals[:2]):
            keep = [0] + list(f)
            rest = [k for k in range(n_env + 1) if k not in keep]
            sub = np.transpose(psi.reshape(dims), keep + rest).reshape(2 ** len(keep), -1)
            one = partial_information(sub @ sub.conj().T, [2] * len(keep), pointer="computational")
            worst = max(worst, abs(one.I[-1] - i_q), abs(one.chi[-1] - chi_q))
    print(f"  quimb mutinf_subsys loop (I only)  : {est[False]:8.1f} s (extrapolated from {per_m}/m fragments)"
          f"  ratio {est[False] / t_ours:6.1f}x  ({est[False] / t_ours2:.1f}x with 2 workers)")
    print(f"  quimb loop for I and chi           : {est[True]:8.1f} s (extrapolated)"
          f"  ratio {est[True] / t_ours:6.1f}x  ({est[True] / t_ours2:.1f}x with 2 workers)")
    print(f"  largest |qdarwin - quimb| on checked fragments: {worst:.2e} bits;  I(N) - 2S(S) = "
          f"{res.I[-1] - 2 * res.H_S:.1e}")


def bench_mixed(n_env: int, rank: int, rng: np.random.Generator) -> None:
    import qutip as qt

    d = 2 ** (n_env + 1)
    a = rng.normal(size=(d, rank)) + 1j * rng.normal(size=(d, rank))
    rho = a @ a.conj().T
    rho /= np.trace(rho).real
    dims = [2] * (n_env + 1)
    t0 = time.perf_counter()
    res = partial_information(rho, dims, pointer="computational")
    t_ours = time.perf_counter() - t0
    q = qt.Qobj(rho, dims=[dims, dims])
    t0 = time.perf_counter()
    h_s = qt.entropy_vn(q.ptrace(0), 2)
    mean_i = np.zeros(n_env + 1)
    mean_chi = np.zeros(n_env + 1)
    for m in range(1, n_env + 1):
        vi, vc = [], []
        for f in itertools.combinations(range(1, n_env + 1), m):
            r_sf = q.ptrace([0, *f])
            r_f = q.ptrace(list(f))
            vi.append(h_s + qt.entropy_vn(r_f, 2) - qt.entropy_vn(r_sf, 2))
            arr = r_sf.full().reshape(2, 2**m, 2, 2**m)
            cond = 0.0
            for i in range(2):
                blk = arr[i, :, i, :]
                pk = np.trace(blk).real
                cond += pk * qt.entropy_vn(qt.Qobj(blk / pk), 2)
            vc.append(qt.entropy_vn(r_f, 2) - cond)
        mean_i[m], mean_chi[m] = np.mean(vi), np.mean(vc)
    t_qt = time.perf_counter() - t0
    err = max(np.max(np.abs(mean_i - res.I)), np.max(np.abs(mean_chi - res.chi)))
    print(f"\n[2] mixed 1+{n_env} qubits (rank {rank}), all {2**n_env} fragments (I, chi, discord)")
    print(f"  qdarwin {t_ours:.3f} s;  QuTiP ptrace + entropy_vn loop {t_qt:.3f} s;  ratio {t_qt / t_ours:.1f}x;"
          f"  max difference {err:.1e} bits")


def bench_largest(limit_s: float, start: int, rng: np.random.Generator) -> None:
    print(f"\n[3] largest N with the exact all-fragment curve of a pure 1+N qubit state under {limit_s:g} s")
    n, best, last = start, None, 0.0
    while True:
        psi = random_ket(n + 1, rng)
        t0 = time.perf_counter()
        partial_information(psi, [2] * (n + 1), workers=2)
        dt = time.perf_counter() - t0
        print(f"  N = {n:2d}: {dt:7.2f} s")
        if dt > limit_s:
            break
        best, last = n, dt
        if last * 4.0 > 3 * limit_s:  # the next N costs about 4x: do not start a hopeless run
            print(f"  (N = {n + 1} would take about {4 * last:.0f} s; not run)")
            break
        n += 1
    print(f"  largest N under {limit_s:g} s: {best}")


def bench_mc(n_env: int, n_samples: int, rng: np.random.Generator) -> None:
    psi = random_ket(n_env + 1, rng)
    t0 = time.perf_counter()
    res = partial_information(psi, [2] * (n_env + 1), fragments="sample", n_samples=n_samples,
                              rng=np.random.default_rng(1), workers=2)
    dt = time.perf_counter() - t0
    print(f"\n[4] Monte Carlo, pure 1+{n_env} qubits, {n_samples} random fragments per m (m <= N/2 drawn, "
          f"complements for m > N/2): {dt:.1f} s")
    for m in range(0, n_env + 1, 2):
        print(f"  m = {m:2d}: I = {res.I[m]:.6f} +- {res.I_sem[m]:.1e}, chi = {res.chi[m]:.6f} +- "
              f"{res.chi_sem[m]:.1e} bits ({res.n_fragments[m]} fragments)")
    print(f"  largest standard error: I {res.I_sem.max():.2e}, chi {res.chi_sem.max():.2e}, "
          f"discord {res.discord_sem.max():.2e} bits")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-env", type=int, default=14)
    ap.add_argument("--quimb-per-m", type=int, default=12)
    ap.add_argument("--mixed-n-env", type=int, default=7)
    ap.add_argument("--mc-n-env", type=int, default=20)
    ap.add_argument("--mc-samples", type=int, default=20)
    ap.add_argument("--limit", type=float, default=60.0)
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    ap.add_argument("--only", default="1234")
    args = ap.parse_args()
    if args.quick:
        args.n_env, args.quimb_per_m, args.mixed_n_env, args.mc_n_env, args.mc_samples, args.limit = 8, 3, 4, 10, 5, 1.0
    for line in machine_info(peers=("quimb", "qutip")):
        print(line)
    rng = np.random.default_rng(2026)
    if "1" in args.only:
        bench_pure(args.n_env, args.quimb_per_m, rng)
    if "2" in args.only:
        bench_mixed(args.mixed_n_env, 4, rng)
    if "3" in args.only:
        bench_largest(args.limit, 10 if not args.quick else 4, rng)
    if "4" in args.only:
        bench_mc(args.mc_n_env, args.mc_samples, rng)


if __name__ == "__main__":
    main()
