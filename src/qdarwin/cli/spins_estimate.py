"""``qdarwin spins estimate``: redundancy with intervals from single-spin tomography files."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy as np
import typer

from ._common import console, print_json, print_table


def estimate(
    data: Path = typer.Argument(..., help="Tomography file: CSV (counts or Bloch vectors) or JSON; see docs/experiment.md."),
    delta: Optional[list[float]] = typer.Option(None, "--delta", "-d", metavar="<float>", help="Information deficit delta in (0, 1); repeatable (default 1e-3)."),
    bootstrap: int = typer.Option(2000, "--bootstrap", "-b", help="Bootstrap replicates (0: no intervals)."),
    confidence: float = typer.Option(0.95, "--confidence", help="Confidence level of the intervals."),
    n_env: Optional[int] = typer.Option(None, "--n-env", help="Environment size N for R (default: measured spins or the file's n_env)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap generator."),
    json_out: bool = typer.Option(False, "--json", help="Machine-readable JSON on stdout."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Save the overlap / R_delta plot (PNG+PDF next to this path)."),
) -> None:
    """Typical Chernoff information (nats) and redundancy R_delta, with intervals for this bath and for the bath population."""
    from ..io.tomography import read_tomography
    from ..spins.experiment import estimate_redundancy

    parsed = read_tomography(data)
    deltas = list(delta) if delta else [1e-3]
    est = estimate_redundancy(
        parsed.data,
        deltas,
        n_env=n_env if n_env is not None else parsed.n_env,
        n_bootstrap=bootstrap,
        confidence=confidence,
        rng=np.random.default_rng(seed),
        system_p=parsed.system_p,
        system_c=parsed.system_c,
    )
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from ..figures.spins_experiment import plot_estimate
        from ..io import save_figure

        fig = plot_estimate(est)
        save_figure(fig, plot.with_suffix(""))
        plt.close(fig)
    if json_out:
        print_json(
            {
                "units": {"xi": "nats", "R": "dimensionless"},
                "n_env": est.n_env,
                "c_opt": est.c_opt,
                "xi_plugin": est.xi_plugin,
                "xi": est.xi.__dict__,
                "xi_population": est.xi_population.__dict__,
                "redundancy": [{"delta": float(d), **iv.__dict__} for d, iv in zip(est.deltas, est.redundancy)],
                "redundancy_population": [
                    {"delta": float(d), **iv.__dict__} for d, iv in zip(est.deltas, est.redundancy_population)
                ],
                "decoherence_bound": est.decoherence_bound,
                "spins": [
                    {
                        "label": lab,
                        "overlap": float(q),
                        "overlap_se": float(se),
                        "chernoff_nats": float(x),
                        "contribution": float(cn),
                        "projected": bool(pj),
                        "flagged": bool(fl),
                        "bloch_up": est.bloch_up[k],
                        "bloch_down": est.bloch_down[k],
                    }
                    for k, (lab, q, se, x, cn, pj, fl) in enumerate(
                        zip(est.labels, est.overlaps, est.overlap_se, est.spin_chernoff, est.contributions, est.projected, est.flagged)
                    )
                ],
                "notes": est.notes,
            }
        )
        return
    rows = [
        [lab, f"{q:.5f}", f"{se:.2g}", f"{x:.4g}", f"{cn:.3f}", "FLAG" if fl else ("projected" if pj else "")]
        for lab, q, se, x, cn, pj, fl in zip(est.labels, est.overlaps, est.overlap_se, est.spin_chernoff, est.contributions, est.projected, est.flagged)
    ]
    print_table("per-spin estimates", rows, ["spin", "overlap Q_k(c*)", "s.e.", "xi_k (nats)", "share of 1-<Q>", "status"])
    pct = f"{100 * confidence:g}%"
    summary = [
        ("measured spins / N used for R", f"{len(est.labels)} / {est.n_env}"),
        ("xi_QCB (log of mean), bias-corrected (nats)", f"{est.xi.estimate:.6g}"),
        ("  plug-in estimate (nats)", f"{est.xi_plugin:.6g}"),
        (f"  {pct} interval, THIS bath (shot noise) (nats)", f"[{est.xi.low:.4g}, {est.xi.high:.4g}]"),
        (f"  {pct} interval, bath POPULATION (nats)", f"[{est.xi_population.low:.4g}, {est.xi_population.high:.4g}]"),
    ]
    for d, iv, ivp in zip(est.deltas, est.redundancy, est.redundancy_population):
        summary.append((f"R_delta, delta = {d:g}", f"{iv.estimate:.4g}"))
        summary.append((f"  {pct} interval, THIS bath / POPULATION", f"[{iv.low:.4g}, {iv.high:.4g}] / [{ivp.low:.4g}, {ivp.high:.4g}]"))
    if est.decoherence_bound is not None:
        summary.append(("|rho_S^{up,down}| bound (exact for pure spins)", f"{est.decoherence_bound:.4g}"))
    print_table("redundancy estimate", summary)
    console.print(
        f"THIS bath: {est.xi.target}; {est.xi.method}.\n"
        f"POPULATION: {est.xi_population.target}; {est.xi_population.method}.\n"
        "When to use which, and measured coverage: docs/experiment.md."
    )
    for note in est.notes:
        console.print(f"[yellow]note:[/yellow] {note}")
