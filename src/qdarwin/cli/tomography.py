"""``qdarwin tomography``: product-Pauli counts -> partial information, R_delta and objectivity
with bootstrap confidence intervals. Format and method: docs/tomography.md.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Optional

import numpy as np
import typer

from ._common import CLIError, console, err_console, print_json, print_table, LazyProgress


def _fmt(v: Any, nd: int = 4) -> str:
    v = float(v)
    return "nan" if not math.isfinite(v) else f"{round(v, nd) + 0.0:.{nd}f}"


def tomography(
    counts: Path = typer.Argument(..., metavar="COUNTS", help="Counts file: JSON or CSV (setting,outcome,count); see docs/tomography.md."),
    bootstrap: int = typer.Option(200, "--bootstrap", "-b", help="Bootstrap replicas (0: no intervals)."),
    confidence: float = typer.Option(0.95, "--confidence", help="Confidence level of the intervals, in (0, 1)."),
    delta: float = typer.Option(0.1, "--delta", help="Information deficit of R_delta, in (0, 1)."),
    method: str = typer.Option("pls", "--method", help="Reconstruction: pls (projected least squares) | mle | linear."),
    resample: str = typer.Option("nonparametric", "--resample", help="Bootstrap: nonparametric (resample shots) | parametric."),
    curves: str = typer.Option("fragments", "--curves", help="fragments (each S+F reconstructed on its own) | joint (marginals of the joint state)."),
    interval: str = typer.Option("basic", "--interval", help="Interval type: basic (bias-corrected) | percentile | bc."),
    pointer: str = typer.Option("computational", "--pointer", help="Pointer basis of S: computational | eigenbasis."),
    mode: str = typer.Option("auto", "--mode", help="auto | joint (all 3^n settings) | marginal (S+F from covering settings)."),
    objectivity_tol: float = typer.Option(0.05, "--objectivity-tol", help="Tolerance of the interval-based objectivity verdict (coherence and conditional-state fidelity), in (0, 1)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap generator."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Save the report figure (report.png, .pdf or .svg)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Save curves and intervals as NetCDF (result.nc)."),
) -> None:
    """Partial information with confidence bands, R_delta with its interval and objectivity from Pauli counts (bits)."""
    from ..io.pauli_counts import read_pauli_counts
    from ..tomography import analyze

    choices = {"--method": (method, ("pls", "mle", "linear")), "--resample": (resample, ("parametric", "nonparametric")),
               "--interval": (interval, ("basic", "percentile", "bc")), "--pointer": (pointer, ("computational", "eigenbasis")),
               "--mode": (mode, ("auto", "joint", "marginal")), "--curves": (curves, ("fragments", "joint"))}
    for opt, (val, allowed) in choices.items():
        if val not in allowed:
            raise CLIError(f"{opt} must be one of {', '.join(allowed)}, got {val!r}")
    if bootstrap < 0:
        raise CLIError(f"--bootstrap must be >= 0, got {bootstrap}")
    if not 0 < confidence < 1:
        raise CLIError(f"--confidence must lie in the open interval (0, 1), got {confidence}")
    if not 0 < delta < 1:
        raise CLIError(f"--delta must lie in the open interval (0, 1), got {delta}")
    if not 0 < objectivity_tol < 1:
        raise CLIError(f"--objectivity-tol must lie in the open interval (0, 1), got {objectivity_tol}")
    if plot is not None and plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise CLIError(f"--plot {plot.name}: use a .png, .pdf or .svg file name")
    data = read_pauli_counts(counts)
    bar = LazyProgress("bootstrap", err_console.is_terminal and not json_out)
    with bar.stack:
        res = analyze(data, method=method, delta=delta, n_bootstrap=bootstrap, resample=resample, confidence=confidence,
                      interval=interval, pointer=pointer, mode=mode, curves=curves, objectivity_tol=objectivity_tol,
                      rng=np.random.default_rng(seed), progress=bar)
    if out is not None:
        from ..io.results import save_dataset

        save_dataset(_dataset(res, counts), out)
    if plot is not None:
        from ..figures.tomography_report import plot_report
        from ..io.results import save_figure

        save_figure(plot_report(res, title=counts.name), plot.with_suffix(""), formats=(plot.suffix.lower()[1:],))
    if json_out:
        print_json(_payload(res))
        return
    _print_report(res, counts)


def _payload(res: Any) -> dict[str, Any]:
    return {
        "m": res.m, "I": res.I, "I_low": res.I_low, "I_high": res.I_high, "I_se": res.I_se,
        "chi": res.chi, "chi_low": res.chi_low, "chi_high": res.chi_high, "chi_se": res.chi_se,
        "discord": res.discord, "discord_low": res.discord_low, "discord_high": res.discord_high,
        "R_delta": res.R_delta, "R_delta_low": res.R_delta_low, "R_delta_high": res.R_delta_high,
        "F_delta": res.F_delta, "delta": res.delta, "confidence": res.confidence, "interval": res.interval,
        "R_delta_interval": "percentile", "resample": res.resample, "n_bootstrap": res.n_bootstrap,
        "method": res.method, "mode": res.mode, "curves": res.curves, "units": res.units, "H_pointer": res.H_pointer, "H_S": res.H_S,
        "n_env": res.n_env, "system": list(res.system), "min_eigenvalue_linear": res.min_eigenvalue_linear,
        "boundary_eigenvalues": res.boundary_eigenvalues,
        "objectivity": {
            "verdict": res.verdict, "verdict_ci": res.verdict_ci, "tol": res.objectivity_tol,
            "fragments": list(res.fragments),
            **{k: v for k, v in res.witnesses.items()},
            **{f"{k}_low": v for k, v in res.witness_low.items()},
            **{f"{k}_high": v for k, v in res.witness_high.items()},
        },
        "warnings": list(res.warnings),
    }


def _dataset(res: Any, path: Path) -> Any:
    import xarray as xr

    data = {k: ("m", np.asarray(getattr(res, k)), {"units": res.units}) for k in
            ("I", "I_low", "I_high", "I_se", "chi", "chi_low", "chi_high", "chi_se", "discord", "discord_low", "discord_high")}
    attrs = {k: getattr(res, k) for k in ("R_delta", "R_delta_low", "R_delta_high", "F_delta", "delta", "confidence",
                                          "interval", "resample", "n_bootstrap", "method", "mode", "H_pointer", "H_S",
                                          "n_env", "verdict", "verdict_ci", "objectivity_tol", "units")}
    attrs.update({"system": list(res.system), "warnings": list(res.warnings), "source_file": str(path),
                  "R_delta_interval": "percentile", "reference": "see docs/tomography.md"})
    return xr.Dataset(data, coords={"m": ("m", np.asarray(res.m, dtype=np.int64))}, attrs=attrs)


def _print_report(res: Any, path: Path) -> None:
    u = res.units
    pct = f"{100 * res.confidence:g}%"
    rows = []
    for k in range(len(res.m)):
        rows.append([int(res.m[k]), _fmt(res.I[k]), f"[{_fmt(res.I_low[k])}, {_fmt(res.I_high[k])}]", _fmt(res.chi[k]),
                     f"[{_fmt(res.chi_low[k])}, {_fmt(res.chi_high[k])}]", _fmt(res.discord[k]),
                     f"[{_fmt(res.discord_low[k])}, {_fmt(res.discord_high[k])}]"])
    title = (f"{path.name}: N = {res.n_env} environment qubits, {res.mode} reconstruction ({res.method}, curves from "
             f"{res.curves}), "
             f"{res.n_bootstrap} {res.resample} bootstrap replicas, {pct} {res.interval} intervals")
    print_table(title, rows, ["m", f"I ({u})", pct, f"chi ({u})", pct, f"discord ({u})", pct])
    console.print(f"H(Pi_S) = {res.H_pointer:.4f} {u} (classical plateau), S(rho_S) = {res.H_S:.4f} {u}", markup=False)
    if math.isfinite(res.R_delta):
        console.print(f"R_delta (delta = {res.delta:g}, chi against H(Pi_S)) = {res.R_delta:.3f}  "
                      f"{pct} [{_fmt(res.R_delta_low, 3)}, {_fmt(res.R_delta_high, 3)}] (percentile)", markup=False)
    else:
        console.print(f"R_delta (delta = {res.delta:g}): chi never reaches (1 - delta) H(Pi_S) within the measured "
                      "fragment sizes", markup=False)
    console.print(f"objectivity (point estimate, exact tolerance 1e-3): {res.verdict}", markup=False)
    console.print(f"objectivity (intervals): {res.verdict_ci}", markup=False)
    w = res.witnesses
    console.print(f"  decoherence of S {_fmt(w['decoherence'])} {pct} [{_fmt(res.witness_low['decoherence'])}, "
                  f"{_fmt(res.witness_high['decoherence'])}]", markup=False)
    wrows = [[f] + [f"{_fmt(w[k][j])} [{_fmt(res.witness_low[k][j])}, {_fmt(res.witness_high[k][j])}]"
                    for k in ("holevo_deficit", "discord", "max_fidelity", "min_trace_distance")]
             for j, f in enumerate(res.fragments)]
    print_table("objectivity witnesses per fragment", wrows,
                ["fragment", f"H(Pi_S) - chi ({u})", f"discord ({u})", "max fidelity", "min trace distance"])
    for note in res.warnings:
        console.print(f"warning: {note}", markup=False)
