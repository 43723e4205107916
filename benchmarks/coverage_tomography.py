"""Coverage of the tomography bootstrap intervals, measured on synthetic data.

For ``--reps`` independent synthetic data sets of a 1+4 qubit branching state (partial records
theta = 1.2, depolarizing noise 0.05, all 243 settings) at each shot number, run
:func:`qdarwin.tomography.analyze` with ``--boot`` bootstrap replicas and count how often the
95 % intervals of I(S:F_m) and chi(S:F_m) contain the true values, per fragment size m, per
interval type (percentile, basic, bc) and per resampling scheme. Prints a Markdown table
(the one recorded in docs/tomography.md).

Usage::

    python benchmarks/coverage_tomography.py --reps 200 --boot 200 --shots 1000 100000
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from qdarwin.darwinism import partial_information
from qdarwin.tomography import all_settings, analyze, bootstrap_interval, branching_state, noisy_density_matrix, synthetic_counts

N_ENV, THETA, DEP = 4, 1.2, 0.05


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--boot", type=int, default=200)
    ap.add_argument("--shots", type=int, nargs="+", default=[1000, 100000])
    ap.add_argument("--resample", nargs="+", default=["parametric", "nonparametric"])
    ap.add_argument("--method", default="pls")
    ap.add_argument("--mode", default="joint", help="joint or marginal (fragment-wise) reconstruction")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    psi = branching_state(N_ENV, theta=THETA)
    rho = noisy_density_matrix(psi, depolarizing=DEP)
    truth = partial_information(rho, [2] * (N_ENV + 1), pointer="computational")
    settings = all_settings(N_ENV + 1)
    kinds = ("percentile", "basic", "bc")
    print(f"truth I = {np.round(truth.I, 4).tolist()}, chi = {np.round(truth.chi, 4).tolist()} (bits)")
    rows = []
    for shots in args.shots:
        for resample in args.resample:
            rng = np.random.default_rng(args.seed)
            hits = {(q, k): np.zeros(N_ENV + 1) for q in ("I", "chi") for k in kinds}
            t0 = time.perf_counter()
            for _ in range(args.reps):
                data = synthetic_counts(psi, settings, shots, rng=rng, depolarizing=DEP)
                a = analyze(data, method=args.method, n_bootstrap=args.boot, resample=resample, mode=args.mode,
                            witnesses=False, rng=rng)
                for q, est, true in (("I", a.I, truth.I), ("chi", a.chi, truth.chi)):
                    for k in kinds:
                        lo, hi = bootstrap_interval(est, a.replicas[q], confidence=0.95, kind=k,
                                                    centre=a.replica_centre.get(q))  # type: ignore[arg-type]
                        hits[q, k] += (lo - 1e-12 <= true) & (true <= hi + 1e-12)
            dt = time.perf_counter() - t0
            for (q, k), h in hits.items():
                cov = 100 * h[1:] / args.reps
                rows.append((shots, f"{resample}, {args.mode}", q, k, cov))
            print(f"# shots {shots}, {resample}, {args.mode}: {args.reps} reps x {args.boot} replicas in {dt:.0f} s", flush=True)
            for (q, k), h in hits.items():
                print(f"#   {q:4s} {k:10s} " + " ".join(f"{c:5.1f}" for c in 100 * h[1:] / args.reps), flush=True)
    print()
    head = " | ".join(f"m={m}" for m in range(1, N_ENV + 1))
    print(f"| shots/setting | resampling | quantity | interval | {head} |")
    print("|---|---|---|---|" + "---|" * N_ENV)
    for shots, resample, q, k, cov in rows:
        print(f"| {shots:g} | {resample} | {q} | {k} | " + " | ".join(f"{c:.1f}" for c in cov) + " |")


if __name__ == "__main__":
    main()
