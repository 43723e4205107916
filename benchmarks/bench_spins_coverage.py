"""Coverage of the two intervals of ``qdarwin.spins.estimate_redundancy`` (docs/experiment.md).

Synthetic experiments: a 10-spin NV-like bath (``nv_like_bath``: couplings 1/r^3, Larmor fields,
Bloch length 0.8) at t = 2, single-spin tomography with ``shots`` per basis and conditional state,
simulated from the exact conditional states. For each repetition the intervals are computed with
the same vectorised functions that ``estimate_redundancy`` calls, and compared with the truth:

* THIS bath: truth = exact xi of the measured spins. Two designs: one fixed bath (counts redrawn
  each repetition) and a fresh bath each repetition (coverage averaged over baths).
* POPULATION: a fresh bath each repetition, truth = ``nv_like_population_xi`` (closed form +
  quadrature).

Printed per row: coverage +- binomial s.e., misses below / above the truth, bias of the point
estimate in units of its standard deviation over repetitions, median width; for comparison the
interval the package used before (basic bootstrap) on the same data. R_delta intervals are the xi
intervals scaled by N/ln(1/delta) (monotone, capped at N), so their coverage equals that of xi
unless the cap binds (checked: the column ``R cov``, delta = 1e-3).

Usage: python benchmarks/bench_spins_coverage.py [--reps 600] [--boot 500] [--shots 100,1000,10000]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from qdarwin.spins import _bloch
from qdarwin.spins.intervals import bootstrap_xi, count_standard_errors, population_interval, this_bath_interval
from qdarwin.spins.synthetic import model_bloch_vectors, nv_like_bath, nv_like_population_xi

T = 2.0
N_SPINS = 10
DELTA = 1e-3


def _simulate(r: np.ndarray, shots: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n_plus = rng.binomial(shots, np.clip((1.0 + r) / 2.0, 0.0, 1.0))
    raw = 2.0 * n_plus / shots - 1.0
    return raw, count_standard_errors(raw, shots)


def _basic(raw: np.ndarray, se: np.ndarray, shots: int, boot: int, rng: np.random.Generator, spins: bool) -> tuple[np.ndarray, np.ndarray]:
    xi, reps = bootstrap_xi(raw, se, n_bootstrap=boot, rng=rng, shots=shots, resample_spins=spins)
    lo, hi = np.quantile(reps, [0.025, 0.975], axis=0)
    return np.maximum(0.0, 2 * xi - hi), 2 * xi - lo


def _row(name: str, est: np.ndarray, low: np.ndarray, high: np.ndarray, truth: np.ndarray, old: tuple[np.ndarray, np.ndarray]) -> str:
    reps = est.size
    cov = float(np.mean((low <= truth) & (truth <= high)))
    below = float(np.mean(high < truth))
    above = float(np.mean(low > truth))
    err = est - truth
    bias_sd = float(np.mean(err) / np.std(err, ddof=1))
    scale = N_SPINS / math.log(1 / DELTA)
    r_cov = float(np.mean((np.minimum(low * scale, N_SPINS) <= truth * scale) & (truth * scale <= np.minimum(high * scale, N_SPINS))))
    old_cov = float(np.mean((old[0] <= truth) & (truth <= old[1])))
    return (
        f"| {name} | {reps} | {cov:.3f} ± {math.sqrt(cov * (1 - cov) / reps):.3f} | {below:.3f} / {above:.3f} "
        f"| {bias_sd:+.3f} | {np.median(high - low):.4f} | {r_cov:.3f} | {old_cov:.3f} |"
    )


def run(shots: int, reps: int, boot: int, seed: int, chunk: int = 150) -> list[str]:
    rng = np.random.default_rng(seed)
    fixed = model_bloch_vectors(nv_like_bath(N_SPINS, np.random.default_rng(2016)), T)
    pop_truth = nv_like_population_xi(T)
    out: dict[str, list[np.ndarray]] = {k: [] for k in ("f", "b", "p")}
    for start in range(0, reps, chunk):
        m = min(chunk, reps - start)
        # (1) fixed bath, fresh counts
        r_fix = np.broadcast_to(fixed, (m,) + fixed.shape)
        raw, se = _simulate(r_fix, shots, rng)
        iv = this_bath_interval(raw, se, n_bootstrap=boot, rng=rng, shots=shots)
        truth = np.full(m, _bloch.typical_chernoff_bloch(fixed[:, 0], fixed[:, 1])[0])
        out["f"].append(np.stack([iv.estimate, iv.low, iv.high, truth, *_basic(raw, se, shots, boot, rng, False)]))
        # (2) fresh bath each repetition: this-bath and population targets on the same data
        r_new = model_bloch_vectors(nv_like_bath(N_SPINS * m, rng), T).reshape(m, N_SPINS, 2, 3)
        raw, se = _simulate(r_new, shots, rng)
        iv = this_bath_interval(raw, se, n_bootstrap=boot, rng=rng, shots=shots)
        truth = np.asarray(_bloch.typical_chernoff_bloch(r_new[..., 0, :], r_new[..., 1, :])[0])
        out["b"].append(np.stack([iv.estimate, iv.low, iv.high, truth, *_basic(raw, se, shots, boot, rng, False)]))
        pv = population_interval(raw, se, n_bootstrap=boot, rng=rng, shots=shots, center=iv.estimate)
        out["p"].append(np.stack([pv.estimate, pv.low, pv.high, np.full(m, pop_truth), *_basic(raw, se, shots, boot, rng, True)]))
    names = {"f": "this bath (one fixed bath)", "b": "this bath (fresh bath each rep.)", "p": "population"}
    rows = []
    for key, name in names.items():
        e, lo, hi, tr, olo, ohi = np.concatenate(out[key], axis=1)
        rows.append(_row(f"10^{round(math.log10(shots))} | {name}", e, lo, hi, tr, (olo, ohi)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=600)
    ap.add_argument("--boot", type=int, default=500)
    ap.add_argument("--shots", default="100,1000,10000")
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    print(f"10-spin NV-like bath, t = {T}, nominal 95 %, B = {args.boot}; population xi = {nv_like_population_xi(T):.6f} nats")
    print("| shots | target | reps | coverage | miss below / above | bias / sd | median width [nats] | R cov | old basic cov |")
    print("|---|---|---|---|---|---|---|---|---|")
    for s in (int(x) for x in args.shots.split(",")):
        t0 = time.perf_counter()
        for row in run(s, args.reps, args.boot, args.seed + s):
            print(row, flush=True)
        print(f"<!-- {s} shots: {time.perf_counter() - t0:.0f} s -->", flush=True)


if __name__ == "__main__":
    main()
