"""``qdarwin spins`` commands: Chernoff information, exact information, redundancy, curves.

Thin layer (docs/spins-cli.md): parse the model from the command line or a TOML file, call one
function of :mod:`qdarwin.spins`, print a rich table (default) or JSON (``--json``). Bad input raises
``ValueError``; :func:`qdarwin.cli.main.main` prints it as one line on stderr with exit code 2.

Numbers may be written as plain floats or simple expressions such as ``pi/2``, ``15*pi/64`` or
``sqrt(0.21)``; per-spin values are comma-separated lists (``--g 0.3,0.7,1.1``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import numpy as np
import typer

from ._common import parse_number, parse_number_list, print_json, print_table

if TYPE_CHECKING:
    from ..spins.model import SpinEnvironment

app = typer.Typer(
    no_args_is_help=True,
    help="Spin environments: Chernoff information, exact information, redundancy (docs/spins-cli.md).",
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
        return parse_number_list([text], name)[0]
    vals = parse_number_list(str(text), name)
    return vals[0] if len(vals) == 1 else vals


def parse_fragment(text: str) -> list[int]:
    """Fragment indices ``"0,2,5"`` (0-based) or ascending ranges ``"0-3"`` (inclusive)."""
    out: list[int] = []
    for part in str(text).split(","):
        s = part.strip()
        try:
            if "-" in s[1:]:
                lo, hi = (int(v) for v in s.split("-", 1))
                if hi < lo:
                    raise ValueError(f"invalid fragment {text!r}: range {s} runs backwards (write {hi}-{lo})")
                if hi - lo > 10_000_000:
                    raise ValueError(f"invalid fragment {text!r}: range {s} is too long")
                out.extend(range(lo, hi + 1))
            else:
                out.append(int(s))
        except ValueError as exc:
            if str(exc).startswith("invalid fragment"):
                raise
            raise ValueError(f"invalid fragment {text!r}: give 0-based spin indices like 0,2 or a range 0-3") from None
    if not out:
        raise ValueError(f"invalid fragment {text!r}: give at least one spin index")
    return out


def fragment_label(frag: list[int] | tuple[int, ...], *, max_items: int = 8) -> str:
    """Compact text of a fragment: runs as ranges (``0-499``), long lists shortened with a count."""
    runs: list[str] = []
    items = list(frag)
    i = 0
    while i < len(items):
        j = i
        while j + 1 < len(items) and items[j + 1] == items[j] + 1:
            j += 1
        runs.append(str(items[i]) if i == j else f"{items[i]}-{items[j]}")
        i = j + 1
    text = ",".join(runs) if len(runs) <= max_items else ",".join(runs[:max_items]) + ",..."
    return f"[{text}] ({len(items)} spin{'' if len(items) == 1 else 's'})"


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
) -> SpinEnvironment:
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
        unknown = sorted(str(k) for k in data if k not in _MODEL_KEYS and k != "n_env")
        if unknown:
            raise ValueError(
                f"{model.name}: unknown spin-environment keys: {', '.join(unknown)} "
                f"(allowed: n_env, {', '.join(_MODEL_KEYS)})"
            )
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


def _per_spin(env: SpinEnvironment, key: str) -> np.ndarray:
    return np.broadcast_to(np.asarray(getattr(env, key), dtype=float), (env.n_env,))


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
         g: Optional[str], omega: Optional[str], p: Optional[str], c: Optional[str]) -> SpinEnvironment:
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

    Pure environment spins use the closed form (docs/spins-api.md); identical mixed spins the
    permutation-symmetric method (docs/spins-symmetric.md).
    """
    from ..spins.summary import fragment_information

    env = _env(model, n_env, a, theta, phi, g, omega, p, c)
    rep = fragment_information(env, _single_time(t), parse_fragment(fragment))
    if json_out:
        print_json({"t": rep.t, "fragment": list(rep.fragment), "n_env": rep.n_env, "method": rep.method, "units": "bits",
                    "mutual_information": rep.mutual_information, "holevo": rep.holevo, "discord": rep.discord,
                    "H_p": rep.H_p, "holevo_deficit": rep.holevo_deficit})
        return
    print_table(
        f"Exact information, fragment {fragment_label(rep.fragment)} of N = {rep.n_env}, t = {rep.t:g}",
        [("mutual information I(S:F) (bits)", rep.mutual_information), ("Holevo chi(Pi_S:F) (bits)", rep.holevo),
         ("discord I - chi (bits)", rep.discord), ("H(p) (bits)", rep.H_p),
         ("deficit H(p) - chi (bits)", rep.holevo_deficit), ("method", rep.method)],
    )


@app.command()
def redundancy(
    t: Annotated[str, typer.Option("--t", help="Time(s), comma-separated (units of 1/g).")],
    delta: Annotated[Optional[list[str]], typer.Option("--delta", metavar="<str>", help="Information deficit delta in (0, 1); repeatable (default 1e-10).")] = None,
    model: ModelOpt = None, n_env: NEnvOpt = None, a: AOpt = None, theta: ThetaOpt = None, phi: PhiOpt = None,
    g: GOpt = None, omega: OmegaOpt = None, p: POpt = None, c: COpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Redundancy R_delta: QCB estimate, small-delta expansion, exact fragment-averaged curve, F_delta."""
    from dataclasses import asdict

    from ..spins.summary import redundancy_summary

    env = _env(model, n_env, a, theta, phi, g, omega, p, c)
    summ = redundancy_summary(env, _times(t), _deltas(delta))
    rows = [asdict(r) for r in summ.rows]
    n, note = summ.n_env, summ.note
    if json_out:
        print_json({"n_env": n, "p": summ.p, "H_p_bits": summ.H_p_bits, "rows": rows, "note": note})
        return
    labels = [("xi_qcb_nats", "xi_QCB, log of mean (nats)"), ("R_qcb", "R_QCB = N xi / ln(1/delta)"),
              ("R_expansion", "R small-delta expansion"), ("R_exact", "R exact, integer F_delta"),
              ("R_exact_cont", "R exact, continuous F"), ("F_delta", "F_delta (spins)"),
              ("F_delta_cont", "F_delta continuous (spins)"), ("R_discretised", "R rule N/ceil(F_c)"),
              ("F_c", "F_c = ln delta / ln<Q> (spins)")]
    table = [[text] + ["-" if r[key] is None else r[key] for r in rows] for key, text in labels]
    print_table(f"Redundancy R_delta (number of fragments, at most N), N = {n}, p = {summ.p:g}", table,
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
    from ..spins.summary import information_curve_report

    env = _env(model, n_env, a, theta, phi, g, omega, p, c)
    tt = _single_time(t)
    if plot is not None and plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise ValueError(f"--plot file must end in .png, .pdf or .svg, got {plot.name!r}")
    rep = information_curve_report(env, tt, average=average)
    deficit = rep.holevo_deficit
    out: dict[str, Any] = {"t": rep.t, "n_env": rep.n_env, "units": "bits", "H_p": rep.H_p, "m": rep.m,
                           "mutual_information": rep.mutual_information, "holevo": rep.holevo,
                           "discord": rep.discord, "holevo_deficit": deficit}
    if rep.average_holevo_deficit is not None:
        out["average_holevo_deficit"] = rep.average_holevo_deficit
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from ..figures.spins.curve import plot_information_curve
        from ..io import save_figure

        fig = plot_information_curve(out)
        save_figure(fig, plot.with_suffix(""), formats=(plot.suffix.lower().lstrip("."),))
        plt.close(fig)
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


__all__ = ["app", "build_model", "fragment_label", "parse_fragment", "parse_number", "parse_values"]
