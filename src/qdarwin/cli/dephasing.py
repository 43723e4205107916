"""``qdarwin dephasing`` commands: ``check`` (rate files), ``fit`` (time series), ``limits``.

Thin layer over :mod:`qdarwin.dephasing` (see ``docs/dephasing.md``): files are read by
:mod:`qdarwin.io.tables`. Physically inconsistent data are a report (exit 0); malformed files
raise ``ValueError``, which :func:`qdarwin.cli.main.main` prints as one line on stderr with exit
code 2.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Optional

import numpy as np
import typer

from ..io.tables import load_rates_file, load_series_file
from ._common import console, print_json, print_line, print_table, progress_bar

app = typer.Typer(
    no_args_is_help=True,
    help="Dephasing rates: physicality check, canonical operators, fits, speed limits (dephasing.md).",
)

# ---------------------------------------------------------------------------------------------
# reporting


def _cstr(z: complex) -> str:
    z = complex(z)
    re = 0.0 if abs(z.real) < 5e-13 else z.real
    im = 0.0 if abs(z.imag) < 5e-13 else z.imag
    if im == 0:
        return f"{re:.6g}"
    return f"{re:.6g}{im:+.6g}i"


def _p_value_text(p: float, n_boot: int) -> str:
    """``p = (1 + k) / (1 + B)`` as text: "< 0.005 (0 of 200)" when no draw reached the data."""
    k = int(round(p * (n_boot + 1))) - 1
    if k <= 0:
        bound = 1.0 / (n_boot + 1)
        digits = -math.floor(math.log10(bound))
        up = math.ceil(bound * 10**digits) / 10**digits
        return f"< {up:g} (0 of {n_boot} draws as far from the physical set)"
    return f"{p:.3g} ({k} of {n_boot} draws as far from the physical set)"


def _print_analysis(res: dict[str, Any]) -> None:
    verdict = "[green]PHYSICAL[/green]" if res["physical"] else "[red]NOT PHYSICAL[/red]"
    console.print(f"verdict: {verdict}  ({res['n_levels']} levels)")
    print_line(res["message"])
    rows: list[tuple[str, Any]] = [("margin (rate units)", res["margin"])]
    if "margin_sigma" in res:
        rows += [("margin sigma (delta method)", res["margin_sigma"]), ("z = margin / sigma", res["margin_z"])]
        if not res["physical"]:
            z = res["margin_z"]
            note = "significant violation (z < -3)" if z < -3 else "not significant: consistent with physical data within the errors (z >= -3)"
            print_line(f"significance: {note}")
    if "bootstrap" in res:
        bs = res["bootstrap"]
        rows += [("bootstrap p-value", _p_value_text(bs["p_value"], bs["n_boot"])), ("distance to physical set", bs["distance"])]
    fv = res["first_violation"]
    rows += [
        ("first violation (0-based level)", "none" if fv is None else fv),
        ("paper constraint number", "none" if fv is None else res["paper_constraint"]),
        ("lambda_min(G) (labelling-dependent)", res["lambda_min_G"]),
        ("tolerance", res["tol"]),
    ]
    print_table("constraint check", rows)
    lv = [
        [str(j + 1), str(j + 2), f"{m:.6g}", f"{p:.6g}", f"{r:.3g}", "ok" if m >= -res["tol"] else "FAILS"]
        for j, (m, p, r) in enumerate(zip(res["level_margins"], res["pivots"], res["range_residuals"]))
    ]
    print_table(
        "per level (levels 0..n included)",
        lv,
        ["level n", "paper constraint", "level margin", "pivot d_n", "range residual", "status"],
    )
    if not res["physical"]:
        direction = ", ".join(_cstr(complex(a, b)) for a, b in res["violating_direction"])
        print_line(f"violating direction (which coherences clash): ({direction})")
    if "nearest_physical" in res:
        npd = res["nearest_physical"]
        g = np.asarray(npd["gamma"])
        om = npd["omega"]
        n = g.shape[0]
        rows2 = [
            [f"({m},{k})", f"{g[m, k]:.6g}", "" if om is None else f"{np.asarray(om)[m, k]:.6g}"]
            for m in range(n)
            for k in range(m + 1, n)
        ]
        print_table(f"nearest physical data (weighted distance {npd['distance']:.4g})", rows2, ["pair", "gamma", "omega"])
    if "canonical_operators" in res:
        v = res["canonical_operators"]
        r = res["canonical_rank"]
        rows3 = [[str(m)] + [_cstr(complex(*v[m][j])) for j in range(r)] + [f"{res['hamiltonian'][m]:.6g}"] for m in range(len(v))]
        print_table(
            f"canonical dephasing operators of the {res['canonical_of']} (columns V_k; rank {r})",
            rows3,
            ["level"] + [f"V_{j}" for j in range(r)] + ["h (canonical H)"],
        )


# ---------------------------------------------------------------------------------------------
# commands


@app.command()
def check(
    file: Annotated[Path, typer.Argument(help="Rate file: CSV m,n,gamma[,omega,sigma_gamma,sigma_omega] or JSON.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    project: Annotated[bool, typer.Option("--project/--no-project", help="Project unphysical data onto the physical set.")] = True,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Parametric-bootstrap draws for a p-value (needs sigmas).")] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")] = 0,
) -> None:
    """Check measured rates (and frequencies) against the Markovian pure-dephasing constraints."""
    from ..dephasing import analyse_rates

    if bootstrap < 0:
        raise ValueError(f"--bootstrap must be >= 0, got {bootstrap}")
    d = load_rates_file(file)
    with progress_bar("bootstrap", total=bootstrap, enabled=bootstrap > 0 and not json_out) as bar:
        res = analyse_rates(
            d["gamma"], d.get("omega"), d.get("sigma_gamma"), d.get("sigma_omega"),
            project=project, bootstrap=bootstrap, seed=seed, progress=bar,
        )
    res["file"] = str(file)
    if json_out:
        print_json(res)
    else:
        _print_analysis(res)


@app.command()
def fit(
    file: Annotated[Path, typer.Argument(help="Time series CSV: t,m,n,re,im[,sigma].")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    project: Annotated[bool, typer.Option("--project/--no-project", help="Project unphysical fits onto the physical set.")] = True,
) -> None:
    """Fit Gamma and omega with errors from coherence decay curves, then check and invert."""
    from ..dephasing import analyse_series

    n, pairs = load_series_file(file)
    res = analyse_series(n, pairs, project=project)
    fits = res["fit"]
    g, om, sg, so, chi = (np.asarray(fits[k]) for k in ("gamma", "omega", "sigma_gamma", "sigma_omega", "chi2_red"))
    res["file"] = str(file)
    if json_out:
        print_json(res)
        return
    rows = [
        [f"({m},{k})", f"{g[m, k]:.6g}", f"{sg[m, k]:.3g}", f"{om[m, k]:.6g}", f"{so[m, k]:.3g}", f"{chi[m, k]:.3g}"]
        for m in range(n)
        for k in range(m + 1, n)
    ]
    print_table("fitted coherences", rows, ["pair", "gamma", "sigma_gamma", "omega", "sigma_omega", "chi2_red"])
    if np.any(g < 0):
        print_line("note: negative rate estimates were clipped to 0 for the check")
    _print_analysis(res)


@app.command()
def limits(
    qubits: Annotated[int, typer.Option("--qubits", help="Number of qubits n (levels 2^n, binary order).")] = 2,
    mu: Annotated[
        Optional[list[float]],
        typer.Option("--mu", metavar="<float>", help="mu_1 ... mu_(n-1): rate of coherences differing in 2 ... n bits, in units of --gamma (repeat the option)."),
    ] = None,
    gamma: Annotated[float, typer.Option("--gamma", help="Local rate Gamma (qubit A for --gamma-b).")] = 1.0,
    gamma_b: Annotated[Optional[float], typer.Option("--gamma-b", help="Two qubits: local rate of qubit B.")] = None,
    gamma14: Annotated[Optional[float], typer.Option("--gamma14", help="Two qubits: rate |00><11| (Gamma_03).")] = None,
    gamma23: Annotated[Optional[float], typer.Option("--gamma23", help="Two qubits: rate |01><10| (Gamma_12).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Speed limits for n qubits with Hamming-distance rates (and two-qubit non-local rates).

    Naming as in Oi and Schirmer's Fig. 3 (and qdarwin's Fig. 3 and sweep function): coherences
    differing in one bit decay at Gamma, in k+1 bits at mu_k Gamma.
    """
    from ..dephasing import limits_report

    out = limits_report(qubits, mu or None, gamma, gamma_b=gamma_b, gamma14=gamma14, gamma23=gamma23)
    ineq = out["hamming_constraints"]
    if json_out:
        print_json(out)
        return
    console.print(
        f"{qubits} qubit(s), Gamma = {gamma:g}: coherences differing in 1 bit decay at Gamma, in k+1 bits at mu_k Gamma",
        markup=False,
    )
    print_line("allowed region (all weight eigenvalues e_w >= 0):")
    for w, text in enumerate(ineq, start=1):
        print_line(f"  w = {w}: {text}")
    if qubits == 3:
        print_line("  = triangle with vertices (mu_1, mu_2) = (0, 1), (1, 0), (2, 3) (area 2)")
    if "two_qubit_region" in out:
        print_line(f"two-qubit limits: {out['two_qubit_region']}")
    if "two_qubit_point" in out:
        p = out["two_qubit_point"]
        print_line(f"(Gamma14, Gamma23) = ({p['gamma14']:g}, {p['gamma23']:g}): {'allowed' if p['allowed'] else 'NOT allowed'}")
        print_line(p["message"])
    if "eigenvalues" in out:
        print_table(
            "weight eigenvalues e_w",
            [[str(d["weight"]), str(d["multiplicity"]), f"{d['value']:.6g}"] for d in out["eigenvalues"]],
            ["weight w", "multiplicity", "e_w"],
        )
        print_line(f"margin = {out['margin']:.6g}: {'physical' if out['physical'] else 'NOT physical'}")
