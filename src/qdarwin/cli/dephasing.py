"""``qdarwin dephasing`` commands: ``check`` (rate files), ``fit`` (time series), ``limits``.

Thin layer over :mod:`qdarwin.dephasing` (spec dephasing.md). Physically inconsistent data are a
report (exit 0); malformed files raise ``ValueError``, which :func:`qdarwin.cli.main.main` prints
as one line on stderr with exit code 2. File formats are documented in ``docs/dephasing.md``.

Rate files (``check``):

* CSV, long format, one row per level pair: ``m,n,gamma[,omega,sigma_gamma,sigma_omega]``
  (0-based levels; '#' lines are comments; each unordered pair once, or both orders consistently).
* JSON: ``{"gamma": [[...]], "omega": [[...]], "sigma_gamma": s or [[...]], "sigma_omega": ...}``.

Time-series files (``fit``): CSV ``t,m,n,re,im[,sigma]``, one row per time and pair m != n.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import numpy as np
import typer

from ..io.results import load_table_file
from ._common import console, print_json, print_table

app = typer.Typer(
    no_args_is_help=True,
    help="Dephasing rates: physicality check, canonical operators, fits, speed limits (dephasing.md).",
)

# ---------------------------------------------------------------------------------------------
# file parsing


def _num(value: Any, what: str) -> float:
    try:
        if isinstance(value, bool):
            raise TypeError
        out = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: not a number: {value!r}") from None
    if not np.isfinite(out):
        raise ValueError(f"{what}: NaN or infinite value {value!r}")
    return out


def _level(value: Any, what: str) -> int:
    x = _num(value, what)
    if not float(x).is_integer() or x < 0:
        raise ValueError(f"{what}: level index must be an integer >= 0, got {value!r}")
    return int(x)


def _rates_from_rows(rows: list[dict[str, str]], path: Path) -> dict[str, Any]:
    cols = set(rows[0])
    missing = {"m", "n", "gamma"} - cols
    if missing:
        raise ValueError(f"{path}: CSV needs columns m,n,gamma[,omega,sigma_gamma,sigma_omega]; missing {sorted(missing)}")
    optional: list[str] = [c for c in ("omega", "sigma_gamma", "sigma_omega") if c in cols]
    entries: dict[tuple[int, int], dict[str, float]] = {}
    for i, row in enumerate(rows, start=2):
        m, n = _level(row["m"], f"{path} line {i} m"), _level(row["n"], f"{path} line {i} n")
        if m == n:
            raise ValueError(f"{path} line {i}: m and n must differ (diagonal rates are zero), got m = n = {m}")
        if (m, n) in entries:
            raise ValueError(f"{path} line {i}: pair ({m}, {n}) given twice")
        vals = {"gamma": _num(row["gamma"], f"{path} line {i} gamma")}
        for c in optional:
            vals[c] = _num(row.get(c, ""), f"{path} line {i} {c}")
        entries[(m, n)] = vals
    size = 1 + max(max(k) for k in entries)
    if size < 2:
        raise ValueError(f"{path}: need at least 2 levels")
    mats = {c: np.full((size, size), np.nan) for c in ("gamma", *optional)}
    for (m, n), vals in entries.items():
        for c, v in vals.items():
            mats[c][m, n] = v
    for c, mat in mats.items():
        sign = -1.0 if c == "omega" else 1.0
        fill = np.isnan(mat) & ~np.isnan(mat.T)
        mat[fill] = sign * mat.T[fill]
        np.fill_diagonal(mat, 0.0)
        gaps = np.argwhere(np.isnan(mat))
        if gaps.size:
            a, b = sorted(gaps[0].tolist())
            raise ValueError(f"{path}: no row for level pair ({a}, {b}); every pair m < n needs a {c} value")
    return {"gamma": mats["gamma"], **{c: mats[c] for c in optional}}


def _matrix(value: Any, key: str, path: Path) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{path}: {key} must be a number or a square list of lists of numbers") from None
    return arr


def load_rates_file(path: Path) -> dict[str, Any]:
    """Read a rate file (CSV long format or JSON) into ``gamma``, ``omega``, ``sigma_*`` arrays."""
    data = load_table_file(path)
    if isinstance(data, list):
        return _rates_from_rows(data, path)
    if not isinstance(data, dict) or "gamma" not in data:
        raise ValueError(f'{path}: JSON must be an object with a "gamma" matrix')
    unknown = set(data) - {"gamma", "omega", "sigma_gamma", "sigma_omega", "description", "units"}
    if unknown:
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
    out = {k: _matrix(data[k], k, path) for k in ("gamma", "omega", "sigma_gamma", "sigma_omega") if data.get(k) is not None}
    if np.ndim(out["gamma"]) != 2:
        raise ValueError(f"{path}: gamma must be a square matrix (list of lists)")
    return out


def load_series_file(path: Path) -> tuple[int, dict[tuple[int, int], dict[str, Any]]]:
    """Read a coherence time series (CSV ``t,m,n,re,im[,sigma]``) into per-pair arrays (m < n)."""
    data = load_table_file(path)
    if not isinstance(data, list):
        raise ValueError(f"{path}: time series must be a CSV file with columns t,m,n,re,im[,sigma]")
    cols = set(data[0])
    missing = {"t", "m", "n", "re", "im"} - cols
    if missing:
        raise ValueError(f"{path}: CSV needs columns t,m,n,re,im[,sigma]; missing {sorted(missing)}")
    has_sigma = "sigma" in cols
    pairs: dict[tuple[int, int], dict[str, list[float | complex]]] = {}
    for i, row in enumerate(data, start=2):
        m, n = _level(row["m"], f"{path} line {i} m"), _level(row["n"], f"{path} line {i} n")
        if m == n:
            raise ValueError(f"{path} line {i}: m and n must differ (only coherences are fitted)")
        t = _num(row["t"], f"{path} line {i} t")
        re, im = _num(row["re"], f"{path} line {i} re"), _num(row["im"], f"{path} line {i} im")
        if m > n:  # rho_nm = conj(rho_mn)
            m, n, im = n, m, -im
        d = pairs.setdefault((m, n), {"t": [], "z": [], "sigma": []})
        d["t"].append(t)
        d["z"].append(complex(re, im))
        if has_sigma:
            d["sigma"].append(_num(row["sigma"], f"{path} line {i} sigma"))
    size = 1 + max(max(k) for k in pairs)
    for a in range(size):
        for b in range(a + 1, size):
            if (a, b) not in pairs:
                raise ValueError(f"{path}: no data for coherence ({a}, {b}); every pair m < n is needed")
    out = {
        k: {"t": np.array(v["t"]), "z": np.array(v["z"]), "sigma": np.array(v["sigma"]) if has_sigma else None}
        for k, v in pairs.items()
    }
    return size, out


# ---------------------------------------------------------------------------------------------
# reporting


def _cstr(z: complex) -> str:
    z = complex(z)
    re = 0.0 if abs(z.real) < 5e-13 else z.real
    im = 0.0 if abs(z.imag) < 5e-13 else z.imag
    if im == 0:
        return f"{re:.6g}"
    return f"{re:.6g}{im:+.6g}i"


def _analyse(
    gamma: Any, omega: Any, sigma_gamma: Any, sigma_omega: Any, *, project: bool, bootstrap: int, seed: int
) -> dict[str, Any]:
    from ..dephasing import bootstrap_p_value, check_constraints, invert_rates, margin_uncertainty

    rep = check_constraints(gamma, omega)
    out: dict[str, Any] = {
        "physical": rep.physical,
        "message": rep.message,
        "n_levels": int(np.shape(rep.gram)[0] + 1),
        "margin": rep.margin,
        "level_margins": rep.level_margins,
        "pivots": rep.pivots,
        "range_residuals": rep.range_residuals,
        "first_violation": rep.first_violation,
        "paper_constraint": rep.paper_constraint,
        "violating_direction": [[float(z.real), float(z.imag)] for z in rep.violating_direction],
        "lambda_min_G": rep.lambda_min_G,
        "tol": rep.tol,
    }
    w_g = w_o = None
    if sigma_gamma is not None:
        mu = margin_uncertainty(gamma, omega, sigma_gamma, sigma_omega)
        out["margin_sigma"], out["margin_z"] = mu.sigma, mu.z
        w_g = 1.0 / np.asarray(sigma_gamma, dtype=float) ** 2 if np.ndim(sigma_gamma) == 0 else None
        if np.ndim(sigma_gamma) == 2:
            sg = np.array(sigma_gamma, dtype=float)
            np.fill_diagonal(sg, 1.0)
            w_g = 1.0 / sg**2
        if omega is not None and sigma_omega is not None:
            so = np.array(sigma_omega, dtype=float) * np.ones(np.shape(gamma))
            np.fill_diagonal(so, 1.0)
            w_o = 1.0 / so**2
    if bootstrap > 0:
        if sigma_gamma is None or (omega is not None and sigma_omega is None):
            raise ValueError("--bootstrap needs sigma_gamma (and sigma_omega when omega is given) in the file")
        bs = bootstrap_p_value(gamma, omega, sigma_gamma, sigma_omega, n_boot=bootstrap, rng=np.random.default_rng(seed))
        out["bootstrap"] = {"p_value": bs.p_value, "distance": bs.distance, "n_boot": bootstrap, "seed": seed}
    inv = invert_rates(gamma, omega, project=project, weights_gamma=w_g, weights_omega=w_o)
    if inv.projected_gamma is not None:
        out["nearest_physical"] = {"gamma": inv.projected_gamma, "omega": inv.projected_omega, "distance": inv.distance}
    if inv.V is not None:
        out["canonical_operators"] = [[[float(z.real), float(z.imag)] for z in row] for row in inv.V]
        out["canonical_rank"] = inv.rank
        out["hamiltonian"] = inv.h
        out["canonical_of"] = "data" if inv.physical else "nearest physical data"
    return out


def _print_analysis(res: dict[str, Any]) -> None:
    verdict = "[green]PHYSICAL[/green]" if res["physical"] else "[red]NOT PHYSICAL[/red]"
    console.print(f"verdict: {verdict}  ({res['n_levels']} levels)")
    console.print(res["message"], markup=False)
    rows: list[tuple[str, Any]] = [("margin (rate units)", res["margin"])]
    if "margin_sigma" in res:
        rows += [("margin sigma (delta method)", res["margin_sigma"]), ("z = margin / sigma", res["margin_z"])]
        if not res["physical"]:
            z = res["margin_z"]
            note = "significant violation (z < -3)" if z < -3 else "not significant: consistent with physical data within the errors (z >= -3)"
            console.print(f"significance: {note}", markup=False)
    if "bootstrap" in res:
        rows += [("bootstrap p-value", res["bootstrap"]["p_value"]), ("distance to physical set", res["bootstrap"]["distance"])]
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
        console.print(f"violating direction (which coherences clash): ({direction})", markup=False)
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
    if bootstrap < 0:
        raise ValueError(f"--bootstrap must be >= 0, got {bootstrap}")
    d = load_rates_file(file)
    res = _analyse(
        d["gamma"], d.get("omega"), d.get("sigma_gamma"), d.get("sigma_omega"), project=project, bootstrap=bootstrap, seed=seed
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
    from ..dephasing import fit_coherence

    n, pairs = load_series_file(file)
    g, om, sg, so = (np.zeros((n, n)) for _ in range(4))
    chi = np.zeros((n, n))
    for (m, k), d in pairs.items():
        f = fit_coherence(d["t"], d["z"], d["sigma"])
        g[m, k] = g[k, m] = f.gamma
        om[m, k], om[k, m] = f.omega, -f.omega
        sg[m, k] = sg[k, m] = f.sigma_gamma
        so[m, k] = so[k, m] = f.sigma_omega
        chi[m, k] = chi[k, m] = f.chi2_red
    fits = {"gamma": g, "omega": om, "sigma_gamma": sg, "sigma_omega": so, "chi2_red": chi}
    g_check = np.clip(g, 0.0, None)  # negative estimates are clipped for the check (reported above)
    sg_safe = np.where(sg > 0, sg, np.max(sg) if np.max(sg) > 0 else 1.0)
    so_safe = np.where(so > 0, so, np.max(so) if np.max(so) > 0 else 1.0)
    res = _analyse(g_check, om, sg_safe, so_safe, project=project, bootstrap=0, seed=0)
    res["fit"] = fits
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
        console.print("note: negative rate estimates were clipped to 0 for the check", markup=False)
    _print_analysis(res)


def _linear_form(coef: list[int]) -> str:
    terms = []
    for k, c in enumerate(coef, start=1):
        if c == 0:
            continue
        name = f"mu_{k}"
        mag = "" if abs(c) == 1 else f"{abs(c)} "
        sign = "-" if c < 0 else "+"
        terms.append(f"{sign} {mag}{name}")
    text = " ".join(terms).lstrip("+ ").strip()
    return text if not text.startswith("- ") else "-" + text[2:]


@app.command()
def limits(
    qubits: Annotated[int, typer.Option("--qubits", help="Number of qubits n (levels 2^n, binary order).")] = 2,
    mu: Annotated[Optional[list[float]], typer.Option("--mu", help="mu_2 ... mu_n (repeat the option; mu_1 = 1 is the local rate).")] = None,
    gamma: Annotated[float, typer.Option("--gamma", help="Local rate Gamma (qubit A for --gamma-b).")] = 1.0,
    gamma_b: Annotated[Optional[float], typer.Option("--gamma-b", help="Two qubits: local rate of qubit B.")] = None,
    gamma14: Annotated[Optional[float], typer.Option("--gamma14", help="Two qubits: rate |00><11| (Gamma_03).")] = None,
    gamma23: Annotated[Optional[float], typer.Option("--gamma23", help="Two qubits: rate |01><10| (Gamma_12).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Speed limits for n qubits with Hamming-distance rates (and two-qubit non-local rates)."""
    from ..dephasing import check_constraints, hamming_eigenvalues, krawtchouk, two_qubit_limits, two_qubit_rates

    if qubits < 1 or qubits > 64:
        raise ValueError(f"--qubits must be between 1 and 64, got {qubits}")
    out: dict[str, Any] = {"qubits": qubits, "gamma": gamma}
    ineq = [
        _linear_form([-krawtchouk(k, w, qubits) for k in range(1, qubits + 1)]) + " >= 0" for w in range(1, qubits + 1)
    ]
    out["hamming_constraints"] = ineq
    if qubits == 2:
        lim = two_qubit_limits(gamma, gamma_b=gamma_b)
        out["two_qubit_region"] = lim.statement()
        if (gamma14 is None) != (gamma23 is None):
            raise ValueError("give both --gamma14 and --gamma23")
        if gamma14 is not None and gamma23 is not None:
            rep = check_constraints(two_qubit_rates(gamma, gamma14, gamma23, gamma_b=gamma_b))
            out["two_qubit_point"] = {
                "gamma14": gamma14, "gamma23": gamma23, "allowed": lim.allowed(gamma14, gamma23),
                "margin": rep.margin, "message": rep.message,
            }
    elif gamma_b is not None or gamma14 is not None or gamma23 is not None:
        raise ValueError("--gamma-b, --gamma14 and --gamma23 apply to --qubits 2 only")
    if mu:
        if len(mu) != qubits - 1:
            raise ValueError(f"--mu: give {qubits - 1} values mu_2 ... mu_{qubits} (mu_1 = 1 is implied), got {len(mu)}")
        mus = [1.0, *mu]
        e = hamming_eigenvalues(qubits, mus, gamma)
        from math import comb

        out["mu"] = mus
        e = np.round(e, 12) + 0.0
        out["eigenvalues"] = [{"weight": w, "multiplicity": comb(qubits, w), "value": float(e[w - 1])} for w in range(1, qubits + 1)]
        out["margin"] = float(e.min())
        out["physical"] = bool(e.min() >= -1e-12 * max(1.0, abs(gamma) * max(mus)))
    if json_out:
        print_json(out)
        return
    console.print(f"{qubits} qubit(s), rates Gamma_xy = Gamma * mu_d (d = Hamming distance), Gamma = {gamma:g}", markup=False)
    console.print("allowed region (all weight eigenvalues e_w >= 0):", markup=False)
    for w, text in enumerate(ineq, start=1):
        console.print(f"  w = {w}: {text}", markup=False)
    if qubits == 3:
        console.print("  = triangle with vertices (mu_2, mu_3) = (0, 1), (1, 0), (2, 3) (area 2), mu_1 = 1", markup=False)
    if "two_qubit_region" in out:
        console.print(f"two-qubit limits: {out['two_qubit_region']}", markup=False)
    if "two_qubit_point" in out:
        p = out["two_qubit_point"]
        console.print(f"(Gamma14, Gamma23) = ({p['gamma14']:g}, {p['gamma23']:g}): {'allowed' if p['allowed'] else 'NOT allowed'}", markup=False)
        console.print(p["message"], markup=False)
    if "eigenvalues" in out:
        print_table(
            "weight eigenvalues e_w",
            [[str(d["weight"]), str(d["multiplicity"]), f"{d['value']:.6g}"] for d in out["eigenvalues"]],
            ["weight w", "multiplicity", "e_w"],
        )
        console.print(f"margin = {out['margin']:.6g}: {'physical' if out['physical'] else 'NOT physical'}", markup=False)
