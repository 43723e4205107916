"""Worked example: a simulated NV-like bath of 20 nuclear spins, from counts to R_delta with intervals.

Run from the repository root:  .venv/bin/python examples/experiment/nv_bath.py [OUTDIR]

1. Draw a 20-spin bath (random hyperfine couplings ~ 1/r^3, Larmor fields, partially polarised
   spins, a = 0.8) with a fixed seed.
2. Simulate single-spin tomography conditioned on the NV (system) pointer state at t = 2:
   1000 shots per basis (x, y, z) and conditional state (up, down).
3. Write the counts file (the format an experiment would provide), read it back, estimate
   xi_QCB and R_delta (delta = 1e-3, 1e-6) with the intervals for this bath and for the bath
   population, and save the plot.
4. Compare with the exact model values (this bath) and the population value.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from qdarwin.io.tomography import read_tomography, write_counts_csv
from qdarwin.spins.chernoff import typical_chernoff
from qdarwin.spins.experiment import estimate_redundancy, nv_like_bath, synthetic_counts
from qdarwin.spins.synthetic import nv_like_population_xi
from qdarwin.spins.redundancy import redundancy_qcb


def main(outdir: Path) -> None:
    rng = np.random.default_rng(2016)
    env = nv_like_bath(20, rng)
    t = 2.0
    counts = synthetic_counts(env, t, 1000, rng, labels=[f"C{k + 1}" for k in range(20)])
    path = write_counts_csv(outdir / "nv_bath_counts.csv", counts)
    data = read_tomography(path).data
    est = estimate_redundancy(data, [1e-3, 1e-6], n_bootstrap=2000, rng=np.random.default_rng(0))
    truth = typical_chernoff(env, t)
    print(f"counts written to {path}")
    pop = est.xi_population
    print(f"xi_QCB: estimate {est.xi.estimate:.5f} nats (plug-in {est.xi_plugin:.5f}), 95% interval for this bath"
          f" [{est.xi.low:.5f}, {est.xi.high:.5f}], for the bath population [{pop.low:.5f}, {pop.high:.5f}];"
          f" exact model value {truth:.5f}, population value {nv_like_population_xi(2.0):.5f}")
    for d, iv, ivp in zip(est.deltas, est.redundancy, est.redundancy_population):
        exact = redundancy_qcb(20, truth, d)
        print(f"R_delta(delta={d:g}): {iv.estimate:.4f}, this bath [{iv.low:.4f}, {iv.high:.4f}],"
              f" population [{ivp.low:.4f}, {ivp.high:.4f}]; exact model {exact:.4f}")
    import matplotlib

    matplotlib.use("Agg")
    from qdarwin.figures.spins_experiment import plot_estimate
    from qdarwin.io import save_figure

    files = save_figure(plot_estimate(est), outdir / "nv_bath_estimate")
    print("plot:", ", ".join(str(f) for f in files))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("results/experiment"))
