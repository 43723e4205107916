"""``qdarwin spins`` commands: Chernoff information, exact information, redundancy, curves.

Thin layer (spec spin-environments.md): parse the model from the command line or a TOML file,
call :mod:`qdarwin.spins`, print a rich table (default) or JSON (``--json``). Bad input raises
``ValueError``; :func:`qdarwin.cli.main.main` prints it as one line on stderr with exit code 2.

Numbers may be written as plain floats or simple expressions such as ``pi/2``, ``15*pi/64`` or
``sqrt(0.21)``; per-spin values are comma-separated lists (``--g 0.3,0.7,1.1``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Optional

import numpy as np
import typer

from ._common import parse_number, print_json, print_table

app = typer.Typer(
    no_args_is_help=True,
    help="Spin environments: Chernoff information, exact information, redundancy (spin-environments.md).",
)

# ---------------------------------------------------------------------------------------------
# number and model parsing

def parse_values(text: str | float | int | list[Any], name: str) -> float | list[float]:
    """A scalar or a comma-separated list (also a TOML list) of numbers/expressions."""
    if isinstance(text, list):
        return [parse_values(v, name) for v in text]  # type: ignore[misc]
    if isinstance(text, bool):
        raise ValueError(f"cannot read {name} value {text!r}: expected a number")
    if isinstance(text, (int, float)):
        return float(text)
    parts = [s for s in str(text).split(",")]
    if any(not s.strip() for s in parts):
        raise ValueError(f"cannot read {name} value {text!r}: empty entry in the list")
    vals = [parse_number(s, name) for s in parts]
    return vals[0] if len(vals) == 1 else vals


def parse_fragment(text: str) -> list[int]:
    """Fragment indices ``"0,2,5"`` (0-based) or ranges ``"0-3"`` (inclusive)."""
    out: list[int] = []
    for part in str(text).split(","):
        s = part.strip()
        try:
            if "-" in s[1:]:
                lo, hi = s.split("-", 1)
                out.extend(range(int(lo), int(hi) + 1))
            else:
                out.append(int(s))
        except ValueError:
            raise ValueError(f"invalid fragment {text!r}: give 0-based spin indices like 0,2 or a range 0-3") from None
    return out


#: identical mixed spins: exact redundancy by the permutation-symmetric method up to this N
MAX_SYMMETRIC_N = 200
#: smallest delta * H(p) (bits) for which the symmetric method's deficit is trusted (spec §6.4)
SYMMETRIC_FLOOR_BITS = 1e-11

_MODEL_KEYS = ("a", "theta", "phi", "g", "omega", "p", "c")


def build_model(
    model: Optional[Path] = None,
    *,
    n_env: Optional[int] = None,
    a: Optional[str] = None,
    theta: Optional[str] = None,
    phi: Optional[str] = None,
    g: Optional[str] = None,
    omega: Optional[str] = None,
    p: Optional[str] = None,
    c: Optional[str] = None,
) -> Any:
    """A :class:`qdarwin.spins.model.SpinEnvironment` from a TOML file and/or command-line values.

    Command-line values override the file. TOML values may be numbers, expression strings
    (``theta = "pi/2"``) or per-spin lists; a top-level ``[model]`` table is also accepted.
    """
    from ..io import load_toml
    from ..spins.model import SpinEnvironment

    mapping: dict[str, Any] = {}
    if model is not None:
        data = load_toml(model)
        if set(data) == {"model"} and isinstance(data["model"], dict):
            data = data["model"]
        for key, val in data.items():
            if key in _MODEL_KEYS:
                mapping[key] = parse_values(val, key)
            else:
                mapping[key] = val
    for key, val in zip(_MODEL_KEYS, (a, theta, phi, g, omega, p, c)):
        if val is not None:
            mapping[key] = parse_values(val, f"--{key}")
    if n_env is not None:
        mapping["n_env"] = n_env
    if not any(k in mapping for k in ("n_env", "a", "theta", "phi", "g", "omega")):
        raise ValueError("no environment given: use --model FILE.toml or --n-env N (and --g, --theta, ...)")
    return SpinEnvironment.from_mapping(mapping)


def _times(text: str) -> np.ndarray:
    vals = parse_values(text, "--t")
    return np.atleast_1d(np.asarray(vals, dtype=float))


def _deltas(values: Optional[list[str]]) -> list[float]:
    out: list[float] = []
    for v in values or ["1e-10"]:
        got = parse_values(v, "--delta")
        out.extend(got if isinstance(got, list) else [got])
    return out


def _single_time(text: str) -> float:
    ts = _times(text)
    if ts.size != 1:
        raise ValueError("--t takes a single time for this command")
    return float(ts[0])


def _is_pure(env: Any) -> bool:
    return bool(np.all(np.asarray(env.a) >= 1.0 - 1e-12))


def _is_identical(env: Any) -> bool:
    return all(np.ptp(np.broadcast_to(np.asarray(getattr(env, k), dtype=float), (env.n_env,))) == 0
               for k in ("a", "theta", "phi", "g", "omega"))


def _per_spin(env: Any, key: str) -> np.ndarray:
    return np.broadcast_to(np.asarray(getattr(env, key), dtype=float), (env.n_env,))


def _system_c(env: Any) -> float | complex:
    return math.sqrt(env.p * (1.0 - env.p)) if env.c is None else env.c


# ---------------------------------------------------------------------------------------------
# shared options

ModelOpt = Annotated[Optional[Path], typer.Option("--model", help="TOML model file (n_env, a, theta, phi, g, omega, p, c; per-spin lists allowed).")]
NEnvOpt = Annotated[Optional[int], typer.Option("--n-env", help="Number N of environment spins (scalars are broadcast).")]
AOpt = Annotated[Optional[str], typer.Option("--a", help="Bloch vector length(s) a in [0, 1] (1 = pure).")]
ThetaOpt = Annotated[Optional[str], typer.Option("--theta", help="Polar angle(s) of the initial spin direction (rad).")]
PhiOpt = Annotated[Optional[str], typer.Option("--phi", help="Azimuth(s) of the initial spin direction (rad).")]
GOpt = Annotated[Optional[str], typer.Option("--g", help="Coupling(s) g_k (sigma_z sigma_z, Pauli convention).")]
OmegaOpt = Annotated[Optional[str], typer.Option("--omega", help="Transverse field(s) omega_k (sigma_x).")]
POpt = Annotated[Optional[str], typer.Option("--p", help="System population p of |up> (default 1/2).")]
COpt = Annotated[Optional[str], typer.Option("--c", help="System coherence c (default sqrt(p q): pure system).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout instead of a table.")]


def _env(model: Optional[Path], n_env: Optional[int], a: Optional[str], theta: Optional[str], phi: Optional[str],
         g: Optional[str], omega: Optional[str], p: Optional[str], c: Optional[str]) -> Any:
    return build_model(model, n_env=n_env, a=a, theta=theta, phi=phi, g=g, omega=omega, p=p, c=c)


# ---------------------------------------------------------------------------------------------
# commands


@app.command()
def chernoff(
    t: Annotated[str, typer.Option("--t", help="Time(s), comma-separated (units of 1/g).")],
    model: ModelOpt = None, n_env: NEnvOpt = None, a: AOpt = None, theta: ThetaOpt = None, phi: PhiOpt = None,
    g: GOpt = None, omega: OmegaOpt = None, p: POpt = None, c: COpt = None,
    per_spin: Annotated[Optional[bool], typer.Option("--per-spin/--no-per-spin", help="Per-spin xi_k in the table and JSON (default: when N <= 20).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Per-spin Chernoff information xi_k and the typical xi_QCB (log of mean) and mean of logs, in nats."""
    from ..spins.chernoff import mean_of_logs, spin_chernoff, typical_chernoff

    env = _env(model, n_env, a, theta, phi, g, omega, p, c)
    times = _times(t)
    xi_k = np.asarray(spin_chernoff(env.a, env.theta, env.phi, env.g, env.omega, times[:, None]), dtype=float)
    xi_k = np.broadcast_to(xi_k, (times.size, env.n_env))
    typ = np.atleast_1d(np.asarray(typical_chernoff(env, times), dtype=float))
    mol = np.atleast_1d(np.asarray(mean_of_logs(env, times), dtype=float))
    show_per_spin = per_spin if per_spin is not None else env.n_env <= 20
    if json_out:
        print_json({"units": "nats", "n_env": env.n_env, "t": times, "typical_chernoff": typ, "mean_of_logs": mol,
                    "per_spin": xi_k if show_per_spin else None})
        return
    print_table(
        f"Chernoff information, N = {env.n_env} spins (nats)",
        [[float(tt), float(x), float(m)] for tt, x, m in zip(times, typ, mol)],
        ["t", "xi_QCB = -ln<Q_k(1/2)> (nats)", "mean of xi_k (nats)"],
    )
    if show_per_spin:
        rows = [[k, float(ak), float(tk), float(gk), float(wk)] + [float(v) for v in xi_k[:, k]]
                for k, (ak, tk, gk, wk) in enumerate(zip(_per_spin(env, "a"), _per_spin(env, "theta"),
                                                          _per_spin(env, "g"), _per_spin(env, "omega")))]
        print_table("Per-spin Chernoff information xi_k (nats)", rows,
                    ["spin", "a", "theta (rad)", "g", "omega"] + [f"xi_k(t={tt:g})" for tt in times])


@app.command()
def info(
    t: Annotated[str, typer.Option("--t", help="Time t (units of 1/g).")],
    fragment: Annotated[str, typer.Option("--fragment", help="Fragment spins, 0-based: 0,2 or a range 0-3.")],
    model: ModelOpt = None, n_env: NEnvOpt = None, a: AOpt = None, theta: ThetaOpt = None, phi: PhiOpt = None,
    g: GOpt = None, omega: OmegaOpt = None, p: POpt = None, c: COpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Exact mutual information I(S:F), Holevo chi and discord (bits) of one fragment.

    Pure environment spins use the closed form (§4); identical mixed spins the
    permutation-symmetric method (§6).
    """
    from ..info import binary_entropy

    env = _env(model, n_env, a, theta, phi, g, omega, p, c)
    tt = _single_time(t)
    frag = parse_fragment(fragment)
    if _is_pure(env):
        from ..spins.exact import holevo_deficit_pure, info_pure_environment
        from ..spins.model import decoherence_factors

        gamma_abs = np.abs(decoherence_factors(env, tt))
        res = info_pure_environment(env.p, _system_c(env), gamma_abs, frag)
        i_sf, chi, disc = float(res.I), float(res.chi), float(res.discord)
        deficit = float(holevo_deficit_pure(env.p, float(np.prod(gamma_abs[np.asarray(frag, dtype=int)]))))
        method = "pure environment closed form (spec §4)"
    elif _is_identical(env):
        from ..spins.symmetric import symmetric_environment_info

        if len(set(frag)) != len(frag) or min(frag, default=0) < 0 or max(frag, default=0) >= env.n_env:
            raise ValueError(f"invalid fragment {fragment!r}: unique indices in [0, {env.n_env}) required")
        sym = symmetric_environment_info(
            len(frag), env.n_env, float(_per_spin(env, "a")[0]), float(_per_spin(env, "theta")[0]),
            float(_per_spin(env, "phi")[0]), float(_per_spin(env, "g")[0]), float(_per_spin(env, "omega")[0]),
            tt, env.p, env.c,
        )
        i_sf, chi, deficit = float(sym.I), float(sym.chi), float(sym.deficit)
        disc = i_sf - chi
        method = "identical mixed spins, permutation-symmetric (spec §6)"
    else:
        raise ValueError("exact information needs pure spins (a = 1) or identical mixed spins")
    h = float(binary_entropy(env.p))
    out = {"t": tt, "fragment": frag, "n_env": env.n_env, "method": method, "units": "bits",
           "mutual_information": i_sf, "holevo": chi, "discord": disc, "H_p": h, "holevo_deficit": deficit}
    if json_out:
        print_json(out)
        return
    print_table(
        f"Exact information, fragment {frag} of N = {env.n_env}, t = {tt:g}",
        [("mutual information I(S:F) (bits)", i_sf), ("Holevo chi(Pi_S:F) (bits)", chi),
         ("discord I - chi (bits)", disc), ("H(p) (bits)", h), ("deficit H(p) - chi (bits)", deficit),
         ("method", method)],
    )


@app.command()
def redundancy(
    t: Annotated[str, typer.Option("--t", help="Time(s), comma-separated (units of 1/g).")],
    delta: Annotated[Optional[list[str]], typer.Option("--delta", help="Information deficit delta in (0, 1); repeatable (default 1e-10).")] = None,
    model: ModelOpt = None, n_env: NEnvOpt = None, a: AOpt = None, theta: ThetaOpt = None, phi: PhiOpt = None,
    g: GOpt = None, omega: OmegaOpt = None, p: POpt = None, c: COpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Redundancy R_delta: QCB estimate, small-delta expansion, exact fragment-averaged curve, F_delta."""
    from ..info import binary_entropy
    from ..spins.chernoff import spin_overlap, typical_chernoff
    from ..spins.redundancy import discretised_redundancy, redundancy_qcb

    env = _env(model, n_env, a, theta, phi, g, omega, p, c)
    times = _times(t)
    deltas = _deltas(delta)
    from .._checks import validate_delta

    for d in deltas:
        validate_delta(d)
    n = env.n_env
    pure = _is_pure(env)
    symmetric = not pure and _is_identical(env) and n <= MAX_SYMMETRIC_N
    if not 0.0 < env.p < 1.0:
        raise ValueError("no missing information (p in {0,1}): redundancy is undefined")
    h = float(binary_entropy(env.p))
    rows: list[dict[str, Any]] = []
    for tt in times:
        xi = float(typical_chernoff(env, float(tt)))
        overlaps = np.asarray(spin_overlap(env.a, env.theta, env.phi, env.g, env.omega, float(tt)), dtype=float)
        overlaps = np.broadcast_to(overlaps, (n,))
        deficits = None
        if pure:
            from ..spins.averaging import fragment_average_deficit
            from ..spins.model import decoherence_factors

            xs = np.abs(decoherence_factors(env, float(tt))) ** 2
            deficits = np.asarray(fragment_average_deficit(xs, env.p, method="series").deficit, dtype=float)
        elif symmetric:
            from ..spins.symmetric import holevo_deficit_curve

            s_a, s_theta, s_phi, s_g, s_omega = (float(_per_spin(env, k)[0]) for k in ("a", "theta", "phi", "g", "omega"))
            dcurve = holevo_deficit_curve(np.arange(n + 1), s_a, s_theta, s_phi, s_g, s_omega, float(tt), env.p)
            deficits = np.asarray(dcurve, dtype=float)
        for d in deltas:
            row: dict[str, Any] = {"t": float(tt), "delta": d, "xi_qcb_nats": xi,
                                   "R_qcb": float(redundancy_qcb(n, xi, d))}
            r_rule, f_c = discretised_redundancy(n, overlaps, d)
            row["R_discretised"], row["F_c"] = float(r_rule), float(f_c)
            row.update(R_expansion=None, R_exact=None, R_exact_cont=None, F_delta=None, F_delta_cont=None)
            if pure:
                from ..spins.redundancy import redundancy_expansion

                row["R_expansion"] = float(redundancy_expansion(n, float(np.mean(xs)), d, env.p))
            if deficits is not None and (pure or d * h >= SYMMETRIC_FLOOR_BITS):
                from ..spins.averaging import f_delta, redundancy_from_curve

                r_int, r_cont = redundancy_from_curve(deficits, d, h, n)
                f_int, f_cont = f_delta(deficits, d, h)
                row.update(R_exact=float(r_int), R_exact_cont=float(r_cont), F_delta=float(f_int),
                           F_delta_cont=float(f_cont))
            rows.append(row)
    if pure:
        note = None
    elif symmetric:
        note = (f"exact: permutation-symmetric method (spec §6), only for delta H(p) >= {SYMMETRIC_FLOOR_BITS:g} "
                "bits (double-precision floor); no expansion for mixed spins")
    else:
        note = f"exact and expansion need pure spins (a = 1) or identical mixed spins with N <= {MAX_SYMMETRIC_N}"
    if json_out:
        print_json({"n_env": n, "p": env.p, "H_p_bits": h, "rows": rows, "note": note})
        return
    labels = [("xi_qcb_nats", "xi_QCB, log of mean (nats)"), ("R_qcb", "R_QCB = N xi / ln(1/delta)"),
              ("R_expansion", "R small-delta expansion"), ("R_exact", "R exact, integer F_delta"),
              ("R_exact_cont", "R exact, continuous F"), ("F_delta", "F_delta (spins)"),
              ("F_delta_cont", "F_delta continuous (spins)"), ("R_discretised", "R rule N/ceil(F_c)"),
              ("F_c", "F_c = ln delta / ln<Q> (spins)")]
    table = [[text] + ["-" if r[key] is None else r[key] for r in rows] for key, text in labels]
    print_table(f"Redundancy R_delta (number of fragments), N = {n}, p = {env.p:g}", table,
                ["quantity"] + [f"t={r['t']:g}, delta={r['delta']:g}" for r in rows])
    if note:
        print_table("note", [("note", note)])


@app.command()
def curve(
    t: Annotated[str, typer.Option("--t", help="Time t (units of 1/g).")],
    model: ModelOpt = None, n_env: NEnvOpt = None, a: AOpt = None, theta: ThetaOpt = None, phi: PhiOpt = None,
    g: GOpt = None, omega: OmegaOpt = None, p: POpt = None, c: COpt = None,
    average: Annotated[bool, typer.Option("--average", help="Also the fragment-averaged Holevo deficit <H(p) - chi>_m (exact series).")] = False,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Save a plot (PNG or PDF by suffix).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Partial-information curve I(S:F_m), chi, discord and deficit (bits) for nested fragments F_m = first m spins."""
    from ..info import binary_entropy
    from ..spins.exact import deficit_curve, information_curve
    from ..spins.model import decoherence_factors

    env = _env(model, n_env, a, theta, phi, g, omega, p, c)
    tt = _single_time(t)
    if not _is_pure(env):
        raise ValueError("the information curve needs pure environment spins (a = 1); use 'info' for identical mixed spins")
    if plot is not None and plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise ValueError(f"--plot file must end in .png, .pdf or .svg, got {plot.name!r}")
    gamma_abs = np.abs(decoherence_factors(env, tt))
    cur = information_curve(env.p, _system_c(env), gamma_abs)
    deficit = np.asarray(deficit_curve(env.p, gamma_abs), dtype=float)
    h = float(binary_entropy(env.p))
    out: dict[str, Any] = {"t": tt, "n_env": env.n_env, "units": "bits", "H_p": h, "m": np.asarray(cur.m),
                           "mutual_information": np.asarray(cur.I), "holevo": np.asarray(cur.chi),
                           "discord": np.asarray(cur.discord), "holevo_deficit": deficit}
    if average:
        from ..spins.averaging import fragment_average_deficit

        fd = fragment_average_deficit(gamma_abs**2, env.p, method="series")
        out["average_holevo_deficit"] = np.asarray(fd.deficit, dtype=float)
    if plot is not None:
        _plot_curve(out, plot)
        out["plot"] = str(plot)
    if json_out:
        print_json(out)
        return
    m = out["m"]
    step = max(1, len(m) // 40)
    idx = sorted(set(range(0, len(m), step)) | {len(m) - 1})
    cols = ["m", "I(S:F_m) (bits)", "chi (bits)", "discord (bits)", "H(p) - chi (bits)"]
    if average:
        cols.append("<H(p) - chi>_m (bits)")
    rows = [[int(m[i]), float(out["mutual_information"][i]), float(out["holevo"][i]), float(out["discord"][i]),
             float(deficit[i])] + ([float(out["average_holevo_deficit"][i])] if average else []) for i in idx]
    title = f"Information curve, N = {env.n_env}, t = {tt:g}" + (f" (every {step}th m)" if step > 1 else "")
    print_table(title, rows, cols)
    if plot is not None:
        print_table("plot", [("saved", str(plot))])


def _plot_curve(out: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..io import save_figure

    m = np.asarray(out["m"])
    n = max(int(out["n_env"]), 1)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(m / n, out["mutual_information"], label="$I(S:F_m)$")
    ax1.plot(m / n, out["holevo"], label=r"$\chi(\Pi_S:F_m)$")
    ax1.plot(m / n, out["discord"], label="discord")
    ax1.axhline(out["H_p"], color="gray", ls=":", label="$H(p)$")
    ax1.set_xlabel("fragment fraction $m/N$")
    ax1.set_ylabel("information (bits)")
    ax1.legend()
    pos = np.asarray(out["holevo_deficit"]) > 0
    ax2.semilogy(m[pos], np.asarray(out["holevo_deficit"])[pos], label=r"$H(p)-\chi$ (nested $F_m$)")
    if "average_holevo_deficit" in out:
        av = np.asarray(out["average_holevo_deficit"])
        ok = av > 0
        ax2.semilogy(m[ok], av[ok], "--", label=r"$\langle H(p)-\chi\rangle_m$")
    ax2.set_xlabel("fragment size $m$ (spins)")
    ax2.set_ylabel("Holevo deficit (bits)")
    ax2.legend()
    fig.suptitle(f"N = {out['n_env']}, t = {out['t']:g}")
    fig.tight_layout()
    save_figure(fig, path.with_suffix(""), formats=(path.suffix.lower().lstrip("."),))
    plt.close(fig)


__all__ = ["app", "build_model", "parse_fragment", "parse_number", "parse_values"]
