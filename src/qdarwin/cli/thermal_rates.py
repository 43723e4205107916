"""``qdarwin thermal rates`` and ``qdarwin thermal ensemble`` (thin: parse, call the core, print).

* ``rates``: late-window energy law of the fraction [0, m) for each branch, the crossing exponent
  kappa*, the crossing density e*, the classical Chernoff exponent, and the branch means and
  variance densities (Cao & Nussinov, arXiv:2603.15743; docs/thermal-analysis.md).
* ``ensemble``: projective ensemble of the system after measuring environment sites in the
  computational basis at one time: moments of the posterior z, tail weight, KS distance to the
  uniform (Haar) law and the weighted histogram; ``--plot`` saves the histogram (drawn by
  :mod:`qdarwin.figures.thermal.ensemble_histogram`).

Bad input raises ``ValueError`` (one line on stderr, exit code 2 via ``qdarwin.cli.main``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import typer

from ..thermal.energy import LATE_WINDOW
from ._common import parse_number_list, print_json, print_table

_WINDOW_TEXT = ",".join(f"{t:g}" for t in LATE_WINDOW)


def _setup(preset_name: str, theta: str | None, phi: str | None, seed: int | None) -> Any:
    from .thermal import build_setup as _build_setup

    opts: dict[str, Any] = {"preset": preset_name}
    if theta is not None:
        opts["theta"] = theta
    if phi is not None:
        opts["phi"] = phi
    if seed is not None:
        opts["seed"] = seed
    return _build_setup(opts)


def _env(n_sites: int, boundary: str) -> Any:
    from ..thermal.models import ChaoticIsing

    return ChaoticIsing(n_sites, boundary=boundary)


def _check_size(env: Any, setup: Any, method: str) -> None:
    """Refuse a size that does not fit before evolving, naming what a CLI user can change."""
    from ..thermal.memory import check_memory

    if method not in ("auto", "sector", "full", "expm", "dense"):
        raise ValueError(f"--method must be one of auto, sector, full, expm, dense; got {method!r}")
    mem = ("sector" if env.is_uniform_ring else "full") if method == "auto" else method
    check_memory(env.n_sites, setup.d, 0, method=mem,
                 advice="lower -N, or raise the limit with the QDARWIN_MEMORY_LIMIT environment variable, e.g. 32GB")


def _float_list(text: str, name: str) -> list[float]:
    return parse_number_list(text, name)


def _int_list(text: str, name: str) -> list[int]:
    items = [s for s in text.replace(" ", "").split(",") if s]
    if not items:
        raise ValueError(f"{name}: empty list")
    try:
        return [int(s) for s in items]
    except ValueError:
        raise ValueError(f"{name}: expected comma-separated integers, got {text!r}") from None


_ENSEMBLE_LABELS = {
    "mean_z": "E[z] (posterior Bloch z)",
    "mean_z2": "E[z^2]",
    "mean_abs_z": "E|z|",
    "mean_z4": "E[z^4]",
    "tail_abs_z_gt_0.9": "P(|z| > 0.9)",
    "ks_uniform": "KS distance to the uniform (Haar) law",
    "n_outcomes": "measurement outcomes",
    "mean_populations": "mean posterior populations",
}


def rates(
    preset_name: str = typer.Option(
        "redundant",
        "--preset",
        help="Broadcast preset (encoding, redundant, interpolating, random_axis, partial_degeneracy).",
    ),
    n_sites: int = typer.Option(12, "-N", "--n-sites", help="Environment size N."),
    m: str = typer.Option(
        "4", "--m", help="Fraction size(s) m (interval [0, m)), comma-separated, each <= 12."
    ),
    t_window: str = typer.Option(
        _WINDOW_TEXT, "--t-window", help="Times averaged over (probabilities, not states)."
    ),
    boundary: str = typer.Option("periodic", "--boundary", help="periodic or open."),
    theta: str | None = typer.Option(None, "--theta", help="Broadcast angle (default pi/4)."),
    phi: str | None = typer.Option(None, "--phi", help="Axis angle of the interpolating preset."),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the random_axis preset."),
    beta_max: float = typer.Option(
        20.0, "--beta-max", help="Bound on |beta| in the Legendre transform (positive, 1/J)."
    ),
    method: str = typer.Option(
        "auto", "--method", help="Evolution method: auto, sector, full, expm, dense."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Also write rate(branch, m, e), kappa_cross(m), ... as NetCDF."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Fraction energy statistics, crossing exponent kappa* and Chernoff exponent (nats/site)."""
    from ..thermal.energy import energy_densities, time_averaged_energy_laws
    from ..thermal.rates import chernoff_exponent, crossing_exponent, scgf

    setup = _setup(preset_name, theta, phi, seed)
    env = _env(n_sites, boundary)
    _check_size(env, setup, method)
    sizes = _int_list(m, "--m")
    for size in sizes:
        if not 1 <= size <= min(12, n_sites):
            raise ValueError(
                f"--m: fraction size must lie in [1, min(12, N)] = [1, {min(12, n_sites)}], got {size}"
            )
    window = _float_list(t_window, "--t-window")
    laws = time_averaged_energy_laws(env, setup, sizes, times=window, method=method)
    if out is not None:
        from ..io import save_dataset
        from ..thermal.datasets import rates_dataset

        attrs = {"preset": preset_name, "N": n_sites, "t_window": window, "boundary": boundary}
        save_dataset(rates_dataset(laws, probs=setup.probs, beta_max=beta_max, attrs=attrs), out)
    e_glob = energy_densities(env, setup)
    rows_json = []
    for size, law in zip(sizes, laws):
        cross = crossing_exponent(law, probs=setup.probs, beta_max=beta_max)
        cher = chernoff_exponent(law, probs=setup.probs)
        rows_json.append(
            {
                "m": size,
                "kappa_cross": cross.kappa,
                "e_star": cross.e_star,
                "pair": list(cross.pair),
                "chernoff": cher.exponent,
                "chernoff_s": cher.s,
                "mean_density": law.mean_density.tolist(),
                "var_density": law.var_density.tolist(),
                "scgf_beta1": scgf(law, 1.0).tolist(),
                "n_levels": int(law.energies.size),
            }
        )
    info = {
        "preset": preset_name,
        "N": n_sites,
        "t_window": window,
        "probs": np.asarray(setup.probs).tolist(),
        "energy_density_global": e_glob.tolist(),
        "units": {"exponents": "nats per site", "energies": "J per site"},
        "fractions": rows_json,
    }
    if as_json:
        print_json(info)
        return
    rows: list[tuple[str, Any]] = [
        ("preset", preset_name),
        ("N", n_sites),
        ("t window", ", ".join(f"{t:g}" for t in window)),
    ]
    rows += [(f"conserved energy density e_{k} (J per site)", float(e)) for k, e in enumerate(e_glob)]
    for r in rows_json:
        tag = f"m={r['m']}"
        rows += [
            (f"{tag} kappa* (nats/site)", r["kappa_cross"]),
            (f"{tag} crossing e* (J per site)", r["e_star"]),
            (f"{tag} Chernoff exponent (nats/site)", r["chernoff"]),
            (f"{tag} Chernoff s*", r["chernoff_s"]),
        ]
        rows += [(f"{tag} mean energy density, branch {k} (J per site)", mu) for k, mu in enumerate(r["mean_density"])]
        rows += [(f"{tag} energy variance density, branch {k} (J^2 per site)", v) for k, v in enumerate(r["var_density"])]
    print_table(f"Fraction energy statistics ({preset_name}, N = {n_sites})", rows)


def ensemble(
    preset_name: str = typer.Option("redundant", "--preset", help="Broadcast preset."),
    n_sites: int = typer.Option(12, "-N", "--n-sites", help="Environment size N."),
    t: float = typer.Option(10.0, "--t", help="Time (units 1/J)."),
    bins: int = typer.Option(20, "--bins", help="Histogram bins of z on [-1, 1]."),
    measured: str | None = typer.Option(
        None, "--measured", help="Measured sites, comma-separated (default all)."
    ),
    boundary: str = typer.Option("periodic", "--boundary", help="periodic or open."),
    theta: str | None = typer.Option(None, "--theta", help="Broadcast angle (default pi/4)."),
    phi: str | None = typer.Option(None, "--phi", help="Axis angle of the interpolating preset."),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the random_axis preset."),
    method: str = typer.Option("auto", "--method", help="Evolution method."),
    plot: Path | None = typer.Option(
        None, "--plot", help="Save the histogram (PNG; a PDF is written next to it)."
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Also write weights(outcome), bloch(outcome, component), hist(bin) as NetCDF.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Projective ensemble of S after a computational-basis measurement of the environment."""
    from ..thermal.ensemble import ensemble_summary, projective_ensemble
    from ..thermal.evolution import iter_branch_states

    if not math.isfinite(t) or t < 0:
        raise ValueError(f"--t must be finite and >= 0, got {t}")
    setup = _setup(preset_name, theta, phi, seed)
    env = _env(n_sites, boundary)
    _check_size(env, setup, method)
    sites = None if measured is None else _int_list(measured, "--measured")
    ((_, psi),) = list(iter_branch_states(env, setup, [t], method=method))
    ens = projective_ensemble(
        psi, setup.probs, measured=sites, amplitudes=setup.amplitudes, bins=bins
    )
    summary = ensemble_summary(ens)
    if out is not None:
        from ..io import save_dataset
        from ..thermal.datasets import ensemble_dataset

        attrs = {
            "preset": preset_name,
            "N": n_sites,
            "t": t,
            "measured": "all" if sites is None else sites,
        }
        save_dataset(ensemble_dataset(ens, attrs=attrs), out)
    if ens.bloch is None:
        summary["mean_populations"] = (ens.weights @ ens.populations).tolist()
    centres = 0.5 * (ens.bin_edges[:-1] + ens.bin_edges[1:]) if ens.bin_edges.size else np.zeros(0)
    if plot is not None:
        if ens.bloch is None:
            raise ValueError("--plot: the z histogram needs d = 2 branches")
        _save_histogram(ens, plot, f"{preset_name}, N = {n_sites}, t = {t:g}")
    if as_json:
        print_json(
            {
                "preset": preset_name,
                "N": n_sites,
                "t": t,
                "measured": sites or "all",
                **summary,
                "hist": {"bin_edges": ens.bin_edges.tolist(), "probability": ens.hist.tolist()},
            }
        )
        return
    print_table(
        f"Projective ensemble ({preset_name}, N = {n_sites}, t = {t:g} (1/J))",
        [(_ENSEMBLE_LABELS.get(k, k), v) for k, v in summary.items()],
    )
    if ens.bloch is not None:
        print_table(
            "Weighted histogram of z",
            [[f"{c:+.3f}", float(h)] for c, h in zip(centres, ens.hist)],
            columns=["bin centre", "probability"],
        )


def _save_histogram(ens: Any, path: Path, label: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..figures.thermal.ensemble_histogram import histogram_figure
    from ..io import save_figure

    fig = histogram_figure(ens, label)
    save_figure(fig, Path(path).with_suffix(""))
    plt.close(fig)


__all__ = ["ensemble", "rates"]
